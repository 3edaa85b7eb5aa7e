"""The TerminateInstances reference page's A/B/C/D example, run against ec2emu.

    make serve                       # in one terminal
    python examples/terminate_abcd.py  # in another

A and B (us-east-1a) are terminated; C (protected) and D stay running in us-east-1b,
and the call itself reports OperationNotPermitted.
"""

import os

import boto3
from botocore.exceptions import ClientError

endpoint = os.environ.get("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:4747")
ec2 = boto3.client(
    "ec2",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
)

image = ec2.describe_images(
    Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}]
)["Images"][0]["ImageId"]


def launch(zone, protected=False):
    reservation = ec2.run_instances(
        ImageId=image,
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        Placement={"AvailabilityZone": zone},
        DisableApiTermination=protected,
    )
    return reservation["Instances"][0]["InstanceId"]


ids = {
    "A": launch("us-east-1a"),
    "B": launch("us-east-1a"),
    "C": launch("us-east-1b", protected=True),
    "D": launch("us-east-1b"),
}
ec2.get_waiter("instance_running").wait(
    InstanceIds=list(ids.values()), WaiterConfig={"Delay": 1, "MaxAttempts": 60}
)

try:
    ec2.terminate_instances(InstanceIds=list(ids.values()))
except ClientError as error:
    print("TerminateInstances:", error.response["Error"]["Code"])

ec2.get_waiter("instance_terminated").wait(
    InstanceIds=[ids["A"], ids["B"]], WaiterConfig={"Delay": 1, "MaxAttempts": 60}
)
reservations = ec2.describe_instances(InstanceIds=list(ids.values()))["Reservations"]
state = {i["InstanceId"]: i["State"]["Name"] for r in reservations for i in r["Instances"]}
for name, instance_id in ids.items():
    print(name, instance_id, state[instance_id])
