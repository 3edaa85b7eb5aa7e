import boto3

import ec2emu


def state(ec2, instance_id):
    reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return reservations[0]["Instances"][0]["State"]["Name"]


def test_an_instance_is_pending_then_running():
    with ec2emu.mock() as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")  # any client made inside is caught
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        reservation = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        instance_id = reservation["Instances"][0]["InstanceId"]
        assert state(ec2, instance_id) == "pending"
        emulator.advance(5)  # time moves only when the test moves it
        assert state(ec2, instance_id) == "running"
        ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id])


@ec2emu.mock(pending_seconds=0)
def test_as_a_decorator():
    ec2 = boto3.client("ec2", region_name="us-east-1")
    assert ec2.describe_instances()["Reservations"] == []  # a fresh store for every test
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert state(ec2, instance_id) == "running"
    ec2emu.current().reset()  # the emulator of the active mock
    assert ec2.describe_instances()["Reservations"] == []


def test_state_change_events():
    with ec2emu.mock() as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        emulator.advance(5)
        ec2.terminate_instances(InstanceIds=[instance_id])
        emulator.advance(5)
        # EventBridge's "EC2 Instance State-change Notification", oldest first
        events = [e for e in emulator.events if e["detail"].get("instance-id") == instance_id]
        assert [e["detail"]["state"] for e in events] == ["pending", "running", "shutting-down", "terminated"]
        assert events[0]["source"] == "aws.ec2"
        assert events[0]["time"] == "2026-01-01T12:00:00Z"  # the emulated clock's moment
