import boto3
import pytest


def launch(ec2, **kwargs):
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    reservation = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, **kwargs)
    return reservation["Instances"][0]["InstanceId"]


def test_in_process(ec2emu, ec2_client):
    instance_id = launch(ec2_client, DisableApiTermination=True)
    ec2emu.advance(5)
    with pytest.raises(ec2_client.exceptions.ClientError) as error:
        ec2_client.terminate_instances(InstanceIds=[instance_id])
    assert error.value.response["Error"]["Code"] == "OperationNotPermitted"


@pytest.mark.ec2emu(pending_seconds=0)
def test_with_options(ec2_client):
    instance_id = launch(ec2_client)
    ec2_client.get_waiter("instance_running").wait(InstanceIds=[instance_id])


def test_against_a_real_server(ec2emu_server):
    ec2 = boto3.client("ec2", endpoint_url=ec2emu_server, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    instance_id = launch(ec2)
    ec2emu_server.advance(60)  # the server's clock, through its admin route
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id])
    ec2emu_server.shutdown_guest(instance_id)  # as if `sudo poweroff` ran inside
    ec2emu_server.advance(60)
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id])
