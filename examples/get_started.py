"""Getting started with instances, the way AWS's tutorial does it, against ec2emu.

    make serve                      # in one terminal
    python examples/get_started.py  # in another

A key pair, a security group that lets one address in by SSH, an instance launched with
both, an Elastic IP on it, a stop and a start (the Elastic IP stays), termination (the
Elastic IP is disassociated and stays allocated), then the clean-up. Deleting the group
right after TerminateInstances fails with DependencyViolation until the instance's
network interface is gone with its termination, as on AWS, so the script retries, as a
clean-up job must.
"""

import os
import time

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
fast = {"Delay": 1, "MaxAttempts": 60}

key = ec2.create_key_pair(KeyName="get-started", KeyType="ed25519")
print("key pair:", key["KeyName"], key["KeyFingerprint"])
private_key = key["KeyMaterial"]  # shown once: save it, it cannot be read again

group_id = ec2.create_security_group(GroupName="get-started", Description="SSH from my address")["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=group_id,
    IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                    "IpRanges": [{"CidrIp": "203.0.113.25/32", "Description": "my address"}]}],
)
print("security group:", group_id)

image = ec2.describe_images(
    Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}]
)["Images"][0]["ImageId"]
instance_id = ec2.run_instances(
    ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1,
    KeyName="get-started", SecurityGroupIds=[group_id],
)["Instances"][0]["InstanceId"]
ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=fast)
print("running:", instance_id)

allocation = ec2.allocate_address(Domain="vpc")
ec2.associate_address(AllocationId=allocation["AllocationId"], InstanceId=instance_id)


def public_ip():
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    return instance.get("PublicIpAddress")


print("elastic IP:", public_ip() == allocation["PublicIp"])

ec2.stop_instances(InstanceIds=[instance_id])
ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=fast)
print("stopped, elastic IP kept:", public_ip() == allocation["PublicIp"])
ec2.start_instances(InstanceIds=[instance_id])
ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=fast)
print("started, elastic IP kept:", public_ip() == allocation["PublicIp"])

ec2.terminate_instances(InstanceIds=[instance_id])
refused = 0
for _ in range(60):
    try:
        ec2.delete_security_group(GroupId=group_id)
        break
    except ClientError as error:
        if error.response["Error"]["Code"] != "DependencyViolation":
            raise
        refused += 1  # the instance's network interface still uses the group
        time.sleep(1)
ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=fast)
[address] = ec2.describe_addresses(AllocationIds=[allocation["AllocationId"]])["Addresses"]
print("terminated, elastic IP still allocated:", "AssociationId" not in address)
ec2.release_address(AllocationId=allocation["AllocationId"])
print("security group deleted, after DependencyViolation:", refused > 0)
ec2.delete_key_pair(KeyName="get-started")
print("key pair deleted")
