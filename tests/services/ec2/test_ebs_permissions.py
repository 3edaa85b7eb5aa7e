"""An IAM user's policies on the snapshot sharing, tier, copy and volume-modification
actions are checked against the snapshot or volume named (strict mode)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from ec2emu.inprocess import InProcessTransport
from tests.conftest import NO_RETRY
from tests.helpers import error_of
from tests.services.ec2 import ebs_accounts
from tests.services.ec2.ebs_accounts import OTHER, OWNER, ZONE, completed_snapshot

strict_app, client_of, account, strict_clock = (ebs_accounts.strict_app, ebs_accounts.client_of, ebs_accounts.account,
                                              ebs_accounts.strict_clock)


def user_client(strict_app: Any, owner: Any, statements: list[dict[str, Any]]) -> Any:
    """An IAM user of OWNER with an inline policy of ``statements``: its EC2 client."""
    transport = InProcessTransport(strict_app)
    iam = transport.attach(boto3.client("iam", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                        aws_access_key_id=ebs_accounts.KEYS[OWNER][0],
                                        aws_secret_access_key=ebs_accounts.KEYS[OWNER][1], config=NO_RETRY))
    iam.create_user(UserName="ebs")
    iam.put_user_policy(UserName="ebs", PolicyName="inline",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    key = iam.create_access_key(UserName="ebs")["AccessKey"]
    return transport.attach(boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                         aws_access_key_id=key["AccessKeyId"],
                                         aws_secret_access_key=key["SecretAccessKey"], config=NO_RETRY))


def test_snapshot_and_volume_actions_are_checked_against_the_resource(strict_app: Any, account: Any,
                                                                      strict_clock: Any) -> None:
    owner = account(OWNER)
    allowed = completed_snapshot(owner, strict_clock)
    denied = completed_snapshot(owner, strict_clock)
    volume_id = owner.describe_snapshots(SnapshotIds=[allowed])["Snapshots"][0]["VolumeId"]
    arn = f"arn:aws:ec2:us-east-1::snapshot/{allowed}"
    user = user_client(strict_app, owner, [
        {"Effect": "Allow", "Action": ["ec2:ModifySnapshotAttribute", "ec2:ModifySnapshotTier"], "Resource": arn},
        {"Effect": "Allow", "Action": "ec2:ModifyVolume",
         "Resource": f"arn:aws:ec2:us-east-1:{OWNER}:volume/{volume_id}"},
    ])
    user.modify_snapshot_attribute(SnapshotId=allowed, OperationType="add", Attribute="createVolumePermission",
                                   UserIds=[OTHER])
    assert error_of(user.modify_snapshot_attribute, SnapshotId=denied, OperationType="add",
                    Attribute="createVolumePermission", UserIds=[OTHER])["Code"] == "UnauthorizedOperation"
    assert error_of(user.modify_snapshot_tier, SnapshotId=denied, StorageTier="archive")["Code"] == \
        "UnauthorizedOperation"
    assert user.modify_volume(VolumeId=volume_id, Size=9)["VolumeModification"]["TargetSize"] == 9
    other_volume = owner.create_volume(AvailabilityZone=ZONE, Size=8)["VolumeId"]
    strict_clock.advance(1)
    assert error_of(user.modify_volume, VolumeId=other_volume, Size=9)["Code"] == "UnauthorizedOperation"
    assert error_of(user.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=allowed)["Code"] == \
        "UnauthorizedOperation"
    assert [p["UserId"] for p in owner.describe_snapshot_attribute(
        SnapshotId=allowed, Attribute="createVolumePermission")["CreateVolumePermissions"]] == [OTHER]
    assert owner.describe_snapshot_attribute(SnapshotId=denied, Attribute="createVolumePermission")[
        "CreateVolumePermissions"] == []
