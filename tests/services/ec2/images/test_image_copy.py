"""CopyImage: within a region and across regions, its snapshots, its tags, its token, its
encryption, and what the caller may copy."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id
from tests.services.ec2.images.conftest import ACCOUNT_A, ACCOUNT_B

COPY_SECONDS = 2.0  # Durations.image_copy's default


def _register(ec2: Any, name: str = "golden", **kwargs: Any) -> str:
    snapshot = ec2.describe_images(ImageIds=[image_id(ec2)])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]
    return str(ec2.register_image(
        Name=name, RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm", EnaSupport=True,
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot["SnapshotId"]}}], **kwargs,
    )["ImageId"])


def _image(ec2: Any, image: str) -> dict[str, Any]:
    return dict(ec2.describe_images(ImageIds=[image])["Images"][0])


def test_copy_within_the_region_makes_new_snapshots_and_becomes_available_on_the_clock(ec2: Any, clock: Any) -> None:
    source = _register(ec2, Description="the source", BootMode="uefi")
    copy = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="golden-copy",
                          Description="a copy")["ImageId"]
    assert copy.startswith("ami-") and copy != source
    image = _image(ec2, copy)
    assert (image["Name"], image["Description"], image["State"]) == ("golden-copy", "a copy", "pending")
    assert (image["SourceImageId"], image["SourceImageRegion"]) == (source, "us-east-1")
    assert (image["Architecture"], image["VirtualizationType"], image["EnaSupport"]) == ("x86_64", "hvm", True)
    assert image["BootMode"] == "uefi" and image["Public"] is False and image["OwnerId"] == "000000000000"
    [mapping] = image["BlockDeviceMappings"]
    original = _image(ec2, source)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    new_snapshot = mapping["Ebs"]["SnapshotId"]
    assert new_snapshot != original
    [snapshot] = ec2.describe_snapshots(SnapshotIds=[new_snapshot])["Snapshots"]
    assert snapshot["State"] == "pending" and snapshot["VolumeId"] == "vol-ffffffff"
    assert snapshot["Description"].startswith(
        f"Copied for DestinationAmi {copy} from SourceAmi {source} for SourceSnapshot {original}.")
    assert error_of(ec2.run_instances, ImageId=copy, InstanceType="t3.micro", MinCount=1,
                    MaxCount=1)["Code"] == "InvalidAMIID.Unavailable"
    clock.advance(COPY_SECONDS - 0.5)
    assert _image(ec2, copy)["State"] == "pending"
    clock.advance(1)
    assert _image(ec2, copy)["State"] == "available"
    assert ec2.describe_snapshots(SnapshotIds=[new_snapshot])["Snapshots"][0]["State"] == "completed"
    assert ec2.run_instances(ImageId=copy, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"]
    # Its snapshot is in use by the copy.
    assert error_of(ec2.delete_snapshot, SnapshotId=new_snapshot)["Code"] == "InvalidSnapshot.InUse"


def test_copy_across_regions_is_made_in_the_region_called(make_client: Any, clock: Any) -> None:
    east, west = make_client("us-east-1"), make_client("us-west-2")
    source = _register(east)
    copy = west.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="golden")["ImageId"]
    image = _image(west, copy)
    assert (image["SourceImageId"], image["SourceImageRegion"]) == (source, "us-east-1")
    assert error_of(east.describe_images, ImageIds=[copy])["Code"] == "InvalidAMIID.NotFound"
    snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    assert west.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["OwnerId"] == "000000000000"
    for name, value in (("source-image-id", source), ("source-image-region", "us-east-1")):
        found = west.describe_images(Owners=["self"], Filters=[{"Name": name, "Values": [value]}])["Images"]
        assert [i["ImageId"] for i in found] == [copy]
    assert west.describe_images(Filters=[{"Name": "source-image-region", "Values": ["us-west-2"]}])["Images"] == []
    clock.advance(COPY_SECONDS)
    assert _image(west, copy)["State"] == "available"
    # From the wrong region the source does not exist.
    err = error_of(west.copy_image, SourceRegion="us-west-2", SourceImageId=source, Name="again")
    assert err == {"Code": "InvalidAMIID.NotFound", "Message": f"The image id '[{source}]' does not exist",
                   "Status": 400}


def test_copying_a_public_catalogue_image(make_client: Any, clock: Any) -> None:
    east, west = make_client("us-east-1"), make_client("eu-west-1")
    catalogue = image_id(east)
    copy = west.copy_image(SourceRegion="us-east-1", SourceImageId=catalogue, Name="my-al2023")["ImageId"]
    clock.advance(COPY_SECONDS)
    image = _image(west, copy)
    source = _image(east, catalogue)
    assert image["State"] == "available" and image["OwnerId"] == "000000000000" and image["Public"] is False
    assert "ImageOwnerAlias" not in image and image["SourceImageId"] == catalogue
    assert image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == source["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"]
    assert image["ImdsSupport"] == source["ImdsSupport"]


def test_tags_are_copied_only_when_asked(ec2: Any) -> None:
    source = _register(ec2, TagSpecifications=[{"ResourceType": "image", "Tags": [
        {"Key": "team", "Value": "web"}, {"Key": "tier", "Value": "gold"}]}])
    plain = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="plain")["ImageId"]
    assert "Tags" not in _image(ec2, plain)
    tagged = ec2.copy_image(
        SourceRegion="us-east-1", SourceImageId=source, Name="tagged", CopyImageTags=True,
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "tier", "Value": "silver"}]},
                           {"ResourceType": "snapshot", "Tags": [{"Key": "copied", "Value": "yes"}]}])["ImageId"]
    image = _image(ec2, tagged)
    assert sorted((t["Key"], t["Value"]) for t in image["Tags"]) == [("team", "web"), ("tier", "silver")]
    snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["Tags"] == [
        {"Key": "copied", "Value": "yes"}]
    err = error_of(ec2.copy_image, SourceRegion="us-east-1", SourceImageId=source, Name="bad-tags",
                   TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}])
    assert err["Code"] == "InvalidParameterValue"


def test_client_token_makes_the_copy_once(ec2: Any) -> None:
    source = _register(ec2)
    first = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="once", ClientToken="tok-1")
    again = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="once", ClientToken="tok-1")
    assert first["ImageId"] == again["ImageId"]
    assert len(ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": ["once"]}])["Images"]) == 1
    err = error_of(ec2.copy_image, SourceRegion="us-east-1", SourceImageId=source, Name="other-name",
                   ClientToken="tok-1")
    assert err["Code"] == "IdempotentParameterMismatch" and err["Status"] == 400
    assert ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": ["other-name"]}])["Images"] == []


def test_encrypted_copies(ec2: Any, clock: Any) -> None:
    source = _register(ec2)
    copy = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="sealed", Encrypted=True,
                          KmsKeyId="arn:aws:kms:us-east-1:000000000000:key/my-key")["ImageId"]
    ebs = _image(ec2, copy)["BlockDeviceMappings"][0]["Ebs"]
    assert ebs["Encrypted"] is True
    snapshot = ec2.describe_snapshots(SnapshotIds=[ebs["SnapshotId"]])["Snapshots"][0]
    assert snapshot["Encrypted"] is True and snapshot["KmsKeyId"] == "arn:aws:kms:us-east-1:000000000000:key/my-key"
    default_key = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="sealed-2",
                                 Encrypted=True)["ImageId"]
    snapshot_id = _image(ec2, default_key)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    assert ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]["KmsKeyId"]
    # A pending image cannot be copied yet; once available, an encrypted image stays
    # encrypted when copied without Encrypted, with its key.
    err = error_of(ec2.copy_image, SourceRegion="us-east-1", SourceImageId=copy, Name="early")
    assert err == {"Code": "InvalidAMIID.Unavailable", "Message": f"AMI '{copy}' is pending, and cannot be copied",
                   "Status": 400}
    clock.advance(COPY_SECONDS)
    again = ec2.copy_image(SourceRegion="us-east-1", SourceImageId=copy, Name="sealed-3")["ImageId"]
    ebs = _image(ec2, again)["BlockDeviceMappings"][0]["Ebs"]
    assert ebs["Encrypted"] is True
    assert ec2.describe_snapshots(SnapshotIds=[ebs["SnapshotId"]])["Snapshots"][0]["KmsKeyId"] \
        == "arn:aws:kms:us-east-1:000000000000:key/my-key"
    err = error_of(ec2.copy_image, SourceRegion="us-east-1", SourceImageId=source, Name="key-only", KmsKeyId="k")
    assert err["Code"] == "InvalidParameterDependency"


def test_copy_errors_change_nothing(ec2: Any, clock: Any) -> None:
    source = _register(ec2)
    base = {"SourceRegion": "us-east-1", "SourceImageId": source}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"SourceImageId": "ami-0123456789abcdef0", "Name": "copy-1"}, "InvalidAMIID.NotFound"),
        ({"SourceImageId": "ami-bogus", "Name": "copy-2"}, "InvalidAMIID.Malformed"),
        ({"SourceRegion": "moon-east-1", "Name": "copy-3"}, "InvalidRegion"),
        ({"Name": "no{good}"}, "InvalidAMIName.Malformed"),
        ({"Name": "golden"}, "InvalidAMIName.Duplicate"),
        ({"Name": "copy-4", "Description": "d" * 256}, "InvalidParameterValue"),
        ({"Name": "copy-5", "DryRun": True}, "DryRunOperation"),
        ({"Name": "copy-6", "ClientToken": "t" * 65}, "InvalidParameterValue"),
    ]
    for kwargs, code in cases:
        assert error_of(ec2.copy_image, **{**base, **kwargs})["Code"] == code, kwargs
    for member, value in (("DestinationOutpostArn", "arn:aws:outposts:us-east-1:000000000000:outpost/op-1"),
                          ("SnapshotCopyCompletionDurationMinutes", 15),
                          ("DestinationAvailabilityZone", "us-east-1a"),
                          ("DestinationAvailabilityZoneId", "use1-az1")):
        err = error_of(ec2.copy_image, SourceRegion="us-east-1", SourceImageId=source, Name="copy-7", **{member: value})
        assert err["Code"] == "UnsupportedOperation" and member in err["Message"]
    assert [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]] == [source]
    assert len(ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]) == 0


def test_another_accounts_image_is_copied_once_shared_without_its_permissions(owner: Any, other: Any) -> None:
    owner.disable_image_block_public_access()
    source = _register(owner)
    err = error_of(other.copy_image, SourceRegion="us-east-1", SourceImageId=source, Name="mine")
    assert err["Code"] == "InvalidAMIID.NotFound"
    owner.modify_image_attribute(ImageId=source, LaunchPermission={"Add": [{"UserId": ACCOUNT_B}]})
    owner.create_tags(Resources=[source], Tags=[{"Key": "owner-tag", "Value": "x"}])
    copy = other.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="mine", CopyImageTags=True)["ImageId"]
    image = _image(other, copy)
    assert image["OwnerId"] == ACCOUNT_B and image["SourceImageId"] == source
    assert "Tags" not in image  # the owner's tags are its own
    assert other.describe_image_attribute(ImageId=copy, Attribute="launchPermission")["LaunchPermissions"] == []
    assert copy not in [i["ImageId"] for i in owner.describe_images()["Images"]]
    # A public image's copy is private too.
    owner.modify_image_attribute(ImageId=source, LaunchPermission={"Add": [{"Group": "all"}]})
    public_copy = owner.copy_image(SourceRegion="us-east-1", SourceImageId=source, Name="again")["ImageId"]
    assert _image(owner, public_copy)["Public"] is False
    assert ACCOUNT_A == _image(owner, public_copy)["OwnerId"]
