"""Sharing snapshots between two accounts (strict mode): ModifySnapshotAttribute,
DescribeSnapshotAttribute, ResetSnapshotAttribute, and what a permission gives the other
account — DescribeSnapshots (default visibility, ``OwnerIds``, ``RestorableByUserIds``) and
CreateVolume from the shared snapshot — and takes away when removed."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of
from tests.services.ec2 import ebs_accounts
from tests.services.ec2.ebs_accounts import OTHER, OWNER, ZONE, completed_snapshot

strict_app, client_of, account, strict_clock = (ebs_accounts.strict_app, ebs_accounts.client_of, ebs_accounts.account,
                                              ebs_accounts.strict_clock)


def _ids(response: dict[str, Any]) -> list[str]:
    return [s["SnapshotId"] for s in response["Snapshots"]]


def test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot(account: Any, strict_clock: Any) -> None:
    owner, other = account(OWNER), account(OTHER)
    snapshot_id = completed_snapshot(owner, strict_clock, 9)
    assert error_of(other.describe_snapshots, SnapshotIds=[snapshot_id])["Code"] == "InvalidSnapshot.NotFound"
    assert error_of(other.create_volume, AvailabilityZone=ZONE, SnapshotId=snapshot_id)["Code"] == \
        "InvalidSnapshot.NotFound"
    assert owner.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission",
                                           OperationType="add", UserIds=[OTHER], DryRun=False)
    described = owner.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")
    assert described["CreateVolumePermissions"] == [{"UserId": OTHER}] and described["SnapshotId"] == snapshot_id
    seen = other.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
    assert (seen["OwnerId"], seen["VolumeSize"], seen["State"]) == (OWNER, 9, "completed")
    assert snapshot_id in _ids(other.describe_snapshots())
    assert _ids(other.describe_snapshots(OwnerIds=[OWNER])) == [snapshot_id]
    assert _ids(other.describe_snapshots(OwnerIds=["self"])) == []
    assert _ids(other.describe_snapshots(OwnerIds=["amazon"])) == []
    assert _ids(other.describe_snapshots(RestorableByUserIds=["self"])) == [snapshot_id]
    assert _ids(other.describe_snapshots(RestorableByUserIds=["all"])) == []
    assert _ids(owner.describe_snapshots(RestorableByUserIds=[OTHER])) == [snapshot_id]
    volume = other.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)
    assert (volume["Size"], volume["SnapshotId"]) == (9, snapshot_id)
    assert other.describe_volumes()["Volumes"][0]["VolumeId"] == volume["VolumeId"]
    # The other account cannot change or read the attribute.
    assert error_of(other.modify_snapshot_attribute, SnapshotId=snapshot_id, OperationType="add",
                    Attribute="createVolumePermission", UserIds=[OTHER])["Code"] == "InvalidSnapshot.NotFound"
    # Removed: gone from the other account's view and unusable.
    owner.modify_snapshot_attribute(SnapshotId=snapshot_id,
                                    CreateVolumePermission={"Remove": [{"UserId": OTHER}]})
    assert owner.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")[
        "CreateVolumePermissions"] == []
    assert snapshot_id not in _ids(other.describe_snapshots())
    assert error_of(other.create_volume, AvailabilityZone=ZONE, SnapshotId=snapshot_id)["Code"] == \
        "InvalidSnapshot.NotFound"


def test_a_public_snapshot_is_listed_for_everyone_and_reset_makes_it_private(account: Any, strict_clock: Any) -> None:
    owner, other = account(OWNER), account(OTHER)
    snapshot_id = completed_snapshot(owner, strict_clock)
    private_id = completed_snapshot(owner, strict_clock)
    owner.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission",
                                    OperationType="add", GroupNames=["all"])
    assert owner.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")[
        "CreateVolumePermissions"] == [{"Group": "all"}]
    assert _ids(other.describe_snapshots()) == [snapshot_id]
    assert _ids(other.describe_snapshots(RestorableByUserIds=["all"])) == [snapshot_id]
    assert _ids(other.describe_snapshots(RestorableByUserIds=["self"])) == []  # public, not explicit
    assert sorted(_ids(owner.describe_snapshots())) == sorted([snapshot_id, private_id])
    assert other.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)["SnapshotId"] == snapshot_id
    owner.reset_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")
    assert _ids(other.describe_snapshots()) == []
    codes = owner.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="productCodes")
    assert (codes["SnapshotId"], codes["ProductCodes"], "CreateVolumePermissions" in codes) == (snapshot_id, [], False)


def test_bad_permission_changes_are_refused_and_change_nothing(account: Any, strict_clock: Any) -> None:
    owner = account(OWNER)
    snapshot_id = completed_snapshot(owner, strict_clock)
    both = {"Add": [{"UserId": OTHER}], "Remove": [{"Group": "all"}]}
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id, CreateVolumePermission=both)[
        "Code"] == "InvalidParameterCombination"
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id, Attribute="createVolumePermission",
                    OperationType="add", UserIds=["12345"])["Code"] == "InvalidUserID.Malformed"
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id, Attribute="productCodes",
                    OperationType="add", UserIds=[OTHER])["Code"] == "InvalidParameterValue"
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id, Attribute="createVolumePermission",
                    UserIds=[OTHER])["Code"] == "MissingParameter"
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id)["Code"] == "MissingParameter"
    many = [f"{n:012d}" for n in range(501)]
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id, Attribute="createVolumePermission",
                    OperationType="add", UserIds=many)["Message"] == \
        "At most 500 create volume permissions may be added or removed in one request."
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=snapshot_id, OperationType="add",
                    UserIds=[OTHER], DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(owner.reset_snapshot_attribute, SnapshotId=snapshot_id, Attribute="productCodes")[
        "Code"] == "InvalidParameterValue"
    assert error_of(owner.describe_snapshot_attribute, SnapshotId="snap-0123456789abcdef0",
                    Attribute="createVolumePermission")["Code"] == "InvalidSnapshot.NotFound"
    assert error_of(owner.describe_snapshot_attribute, SnapshotId=snapshot_id, Attribute="createVolumePermission",
                    DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(owner.reset_snapshot_attribute, SnapshotId=snapshot_id, Attribute="createVolumePermission",
                    DryRun=True)["Code"] == "DryRunOperation"
    assert owner.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")[
        "CreateVolumePermissions"] == []


def test_encrypted_snapshots_cannot_be_public_nor_shared_under_the_default_key(account: Any,
                                                                              strict_clock: Any) -> None:
    owner, other = account(OWNER), account(OTHER)
    default_key = completed_snapshot(owner, strict_clock, Encrypted=True)
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=default_key, OperationType="add",
                    Attribute="createVolumePermission", GroupNames=["all"]) == {
        "Code": "UnsupportedOperation", "Status": 400,
        "Message": "Encrypted snapshots can't be shared publicly. Specify another snapshot."}
    assert error_of(owner.modify_snapshot_attribute, SnapshotId=default_key, OperationType="add",
                    Attribute="createVolumePermission", UserIds=[OTHER])["Code"] == "InvalidParameter"
    key = "arn:aws:kms:us-east-1:111111111111:key/0b9c3a44-9f0e-4b7a-9d0c-1a2b3c4d5e6f"
    own_key = completed_snapshot(owner, strict_clock, Encrypted=True, KmsKeyId=key)
    owner.modify_snapshot_attribute(SnapshotId=own_key, OperationType="add", Attribute="createVolumePermission",
                                    UserIds=[OTHER])
    assert _ids(other.describe_snapshots()) == [own_key]
    assert other.create_volume(AvailabilityZone=ZONE, SnapshotId=own_key)["KmsKeyId"] == key


def test_describe_snapshots_pages_over_own_and_shared_snapshots(account: Any, strict_clock: Any) -> None:
    owner, other = account(OWNER), account(OTHER)
    shared = [completed_snapshot(owner, strict_clock) for _ in range(3)]
    for snapshot_id in shared:
        owner.modify_snapshot_attribute(SnapshotId=snapshot_id, OperationType="add",
                                        Attribute="createVolumePermission", UserIds=[OTHER])
    own = [completed_snapshot(other, strict_clock) for _ in range(3)]
    first = other.describe_snapshots(MaxResults=5)
    second = other.describe_snapshots(MaxResults=5, NextToken=first["NextToken"])
    assert len(first["Snapshots"]) == 5 and "NextToken" not in second
    assert sorted(_ids(first) + _ids(second)) == sorted(shared + own)
    assert _ids(first) + _ids(second) == sorted(shared + own)
