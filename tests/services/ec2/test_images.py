"""Images through boto3: DescribeImages over the catalogue (owners, IDs, filters, paging),
RegisterImage (EBS root from a catalogue snapshot, instance-store from ImageLocation,
name rules, tags, DryRun), DeregisterImage, and launching from registered images."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch, states

AMAZON = "137112412989"


def _images(ec2: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return list(ec2.describe_images(**kwargs)["Images"])


def _catalogue_snapshot(ec2: Any, name: str = "al2023-ami-2023.*-x86_64") -> tuple[str, int]:
    [image] = _images(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": [name]}])
    ebs = image["BlockDeviceMappings"][0]["Ebs"]
    return ebs["SnapshotId"], ebs["VolumeSize"]


def _register_ebs(ec2: Any, name: str = "my-image", **kwargs: Any) -> str:
    snapshot_id, _ = _catalogue_snapshot(ec2)
    kwargs.setdefault("Architecture", "x86_64")
    kwargs.setdefault("VirtualizationType", "hvm")
    kwargs.setdefault("RootDeviceName", "/dev/xvda")
    kwargs.setdefault(
        "BlockDeviceMappings",
        [{"DeviceName": kwargs["RootDeviceName"], "Ebs": {"SnapshotId": snapshot_id, "VolumeSize": 20}}],
    )
    return str(ec2.register_image(Name=name, **kwargs)["ImageId"])


def _catalogue_id(ec2: Any, name: str) -> str:
    [image] = _images(ec2, Filters=[{"Name": "name", "Values": [name]}])
    return str(image["ImageId"])


def _own_images(ec2: Any) -> list[dict[str, Any]]:
    return _images(ec2, Owners=["self"])


# --------------------------------------------------------------------------- catalogue


def test_catalogue_images_have_realistic_fields(ec2: Any) -> None:
    [image] = _images(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])
    assert image["Name"].startswith("al2023-ami-2023.") and image["Name"].endswith("-x86_64")
    assert image["ImageId"].startswith("ami-") and len(image["ImageId"]) == 21
    assert image["OwnerId"] == AMAZON and image["ImageOwnerAlias"] == "amazon"
    assert image["Public"] is True and image["State"] == "available"
    assert image["Architecture"] == "x86_64" and image["VirtualizationType"] == "hvm"
    assert image["RootDeviceType"] == "ebs" and image["RootDeviceName"] == "/dev/xvda"
    assert image["ImageType"] == "machine" and image["Hypervisor"] == "xen"
    assert image["PlatformDetails"] == "Linux/UNIX" and image["UsageOperation"] == "RunInstances"
    assert image["EnaSupport"] is True
    assert image["CreationDate"].endswith("Z")
    [mapping] = image["BlockDeviceMappings"]
    assert mapping["DeviceName"] == "/dev/xvda"
    assert mapping["Ebs"]["SnapshotId"].startswith("snap-")
    assert mapping["Ebs"]["VolumeSize"] == 8 and mapping["Ebs"]["VolumeType"] == "gp3"
    assert mapping["Ebs"]["DeleteOnTermination"] is True and mapping["Ebs"]["Encrypted"] is False
    assert "Tags" not in image and "Platform" not in image
    [windows] = _images(ec2, Filters=[{"Name": "platform", "Values": ["windows"]}])
    assert windows["Platform"] == "windows" and windows["PlatformDetails"] == "Windows"
    assert windows["RootDeviceName"] == "/dev/sda1"
    [store] = _images(ec2, Filters=[{"Name": "root-device-type", "Values": ["instance-store"]}])
    assert store["BlockDeviceMappings"] == [{"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}]
    assert store["ImageLocation"].endswith(".manifest.xml")


def test_owners(ec2: Any) -> None:
    everything = _images(ec2)
    amazon = _images(ec2, Owners=["amazon"])
    assert amazon and all(i.get("ImageOwnerAlias") == "amazon" for i in amazon)
    canonical = _images(ec2, Owners=["099720109477"])
    assert canonical and all(i["Name"].startswith("ubuntu/") for i in canonical)
    assert {i["ImageId"] for i in _images(ec2, Owners=["amazon", "099720109477"])} == {
        i["ImageId"] for i in amazon + canonical
    }
    assert _images(ec2, Owners=[AMAZON]) == [i for i in everything if i["OwnerId"] == AMAZON]
    assert _images(ec2, Owners=["self"]) == []
    assert _images(ec2, Owners=["123456789012"]) == []
    err = error_of(ec2.describe_images, Owners=["nobody"])
    assert err == {"Code": "InvalidUserID.Malformed", "Message": "User ID 'nobody' is invalid", "Status": 400}


def test_executable_users(ec2: Any) -> None:
    _register_ebs(ec2)
    public = _images(ec2, ExecutableUsers=["all"])
    assert public and all(i["Public"] for i in public)
    assert _images(ec2, ExecutableUsers=["self"]) == []


def test_image_ids(ec2: Any) -> None:
    wanted = [image_id(ec2), _catalogue_id(ec2, "debian-12-*")]
    found = _images(ec2, ImageIds=wanted)
    assert [i["ImageId"] for i in found] == wanted
    err = error_of(ec2.describe_images, ImageIds=[wanted[0], "ami-0123456789abcdef0"])
    assert err == {"Code": "InvalidAMIID.NotFound", "Message": "The image id '[ami-0123456789abcdef0]' does not exist",
                   "Status": 400}
    err = error_of(ec2.describe_images, ImageIds=["ami-0123456789abcdef0", "ami-0123456789abcdef1"])
    assert err["Message"] == "The image ids '[ami-0123456789abcdef0, ami-0123456789abcdef1]' do not exist"
    err = error_of(ec2.describe_images, ImageIds=["ami-nothex"])
    assert err == {"Code": "InvalidAMIID.Malformed", "Message": 'Invalid id: "ami-nothex" (expecting "ami-...")',
                   "Status": 400}
    err = error_of(ec2.describe_images, ImageIds=["i-0123456789abcdef0"])
    assert err["Code"] == "InvalidAMIID.Malformed"


def test_image_ids_differ_per_region_but_are_stable(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    west = make_client(region="us-west-2")
    east_ids = {i["Name"]: i["ImageId"] for i in _images(east)}
    west_ids = {i["Name"]: i["ImageId"] for i in _images(west)}
    assert east_ids.keys() == west_ids.keys()
    assert set(east_ids.values()).isdisjoint(west_ids.values())
    assert {i["Name"]: i["ImageId"] for i in _images(make_client(region="us-east-1"))} == east_ids
    some = next(iter(east_ids.values()))
    assert error_of(west.describe_images, ImageIds=[some])["Code"] == "InvalidAMIID.NotFound"


def test_filters(ec2: Any) -> None:
    def names(*filters: tuple[str, list[str]], **kwargs: Any) -> set[str]:
        return {i["Name"] for i in _images(ec2, Filters=[{"Name": n, "Values": v} for n, v in filters], **kwargs)}

    assert names(("name", ["al2023-ami-2023.*-x86_64"])) == {"al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"}
    assert names(("name", ["al2023-ami-*"])) == {
        "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64",
        "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64",
        "al2023-ami-minimal-2023.6.20241121.0-kernel-6.1-x86_64",
    }
    assert names(("name", ["debian-12-amd64-2024111?-1927"])) == {"debian-12-amd64-20241110-1927"}
    assert names(("architecture", ["arm64"])) == {
        "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64",
        "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119",
    }
    assert names(("root-device-type", ["instance-store"])) == {
        "amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3"
    }
    assert all(n.startswith("ubuntu/") for n in names(("owner-id", ["099720109477"])))
    assert names(("owner-alias", ["amazon"])) == {i["Name"] for i in _images(ec2, Owners=["amazon"])}
    assert names(("state", ["available"])) == names()
    assert names(("state", ["pending", "failed"])) == set()
    assert names(("architecture", ["x86_64"]), ("root-device-type", ["ebs"]), ("owner-alias", ["amazon"]))
    one = _catalogue_id(ec2, "debian-12-*")
    assert names(("image-id", [one])) == {"debian-12-amd64-20241110-1927"}
    assert names(("is-public", ["true"])) == names()
    err = error_of(ec2.describe_images, Filters=[{"Name": "nonsense", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'nonsense' is invalid", "Status": 400}


def test_paging(ec2: Any) -> None:
    everything = sorted(i["ImageId"] for i in _images(ec2))
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 5}
    while True:
        page = ec2.describe_images(**kwargs)
        seen += [i["ImageId"] for i in page["Images"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == everything
    err = error_of(ec2.describe_images, ImageIds=[everything[0]], MaxResults=5)
    assert err["Code"] == "InvalidParameterCombination"


# --------------------------------------------------------------------------- RegisterImage


def test_register_ebs_image_from_a_catalogue_snapshot(ec2: Any, clock: Any) -> None:
    snapshot_id, size = _catalogue_snapshot(ec2)
    new_id = ec2.register_image(
        Name="web-server (v1.2) [prod]",
        Description="my web server",
        Architecture="x86_64",
        VirtualizationType="hvm",
        EnaSupport=True,
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id, "VolumeSize": 30, "VolumeType": "gp3",
                                                "DeleteOnTermination": False}},
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 100}},
            {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"},
        ],
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "team", "Value": "web"}]}],
    )["ImageId"]
    assert new_id.startswith("ami-") and len(new_id) == 21
    [image] = _images(ec2, ImageIds=[new_id])
    assert image["Name"] == "web-server (v1.2) [prod]"
    assert image["Description"] == "my web server"
    assert image["OwnerId"] == "000000000000" and "ImageOwnerAlias" not in image
    assert image["Public"] is False and image["State"] == "available"
    assert image["Architecture"] == "x86_64" and image["VirtualizationType"] == "hvm"
    assert image["EnaSupport"] is True
    assert image["RootDeviceType"] == "ebs" and image["RootDeviceName"] == "/dev/xvda"
    assert image["ImageLocation"] == "000000000000/web-server (v1.2) [prod]"
    assert image["Tags"] == [{"Key": "team", "Value": "web"}]
    root, data, ephemeral = image["BlockDeviceMappings"]
    assert root == {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id, "VolumeSize": 30,
                                                       "VolumeType": "gp3", "DeleteOnTermination": False,
                                                       "Encrypted": False}}
    assert data == {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 100, "VolumeType": "gp2",
                                                      "DeleteOnTermination": True, "Encrypted": False}}
    assert ephemeral == {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}
    assert size <= 30
    assert [i["ImageId"] for i in _own_images(ec2)] == [new_id]
    assert [i["ImageId"] for i in _images(ec2, Filters=[{"Name": "tag:team", "Values": ["web"]}])] == [new_id]
    assert [i["ImageId"] for i in _images(ec2, Filters=[{"Name": "is-public", "Values": ["false"]}])] == [new_id]
    assert [i["ImageId"] for i in _images(ec2, Filters=[{"Name": "owner-id", "Values": ["000000000000"]}])] == [new_id]
    assert [i["ImageId"] for i in _images(ec2, Owners=["000000000000"])] == [new_id]


def test_register_defaults_follow_the_api_reference(ec2: Any) -> None:
    snapshot_id, size = _catalogue_snapshot(ec2)
    new_id = ec2.register_image(
        Name="defaults",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]
    [image] = _images(ec2, ImageIds=[new_id])
    assert image["RootDeviceName"] == "/dev/sda1"
    assert image["Architecture"] == "i386"
    assert image["VirtualizationType"] == "paravirtual"
    assert image["EnaSupport"] is False
    assert image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == size
    assert "Description" not in image and "Tags" not in image


def test_register_instance_store_image(ec2: Any) -> None:
    new_id = ec2.register_image(
        Name="s3-backed",
        ImageLocation="my-bucket/images/s3-backed.manifest.xml",
        Architecture="x86_64",
        VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}],
    )["ImageId"]
    [image] = _images(ec2, ImageIds=[new_id])
    assert image["RootDeviceType"] == "instance-store"
    assert image["ImageLocation"] == "my-bucket/images/s3-backed.manifest.xml"
    assert image["BlockDeviceMappings"] == [{"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}]
    found = _images(ec2, Owners=["self"], Filters=[{"Name": "root-device-type", "Values": ["instance-store"]}])
    assert [i["ImageId"] for i in found] == [new_id]


@pytest.mark.parametrize(
    "mappings, code, message",
    [
        ([{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}],
         "InvalidSnapshot.NotFound", "The snapshot 'snap-0123456789abcdef0' does not exist."),
        ([{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-xyz"}}],
         "InvalidSnapshotID.Malformed", 'Invalid id: "snap-xyz" (expecting "snap-...")'),
        ([{"DeviceName": "/dev/xvda", "Ebs": {"VolumeType": "gp3"}}],
         "InvalidBlockDeviceMapping", "Either snapshot ID or volume size must be provided for: /dev/xvda"),
    ],
)
def test_register_rejects_bad_snapshots(ec2: Any, mappings: list[Any], code: str, message: str) -> None:
    err = error_of(ec2.register_image, Name="bad-snap", RootDeviceName="/dev/xvda", BlockDeviceMappings=mappings)
    assert err == {"Code": code, "Message": message, "Status": 400}
    assert _own_images(ec2) == []


def test_register_rejects_another_regions_snapshot_and_small_volumes(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    west = make_client(region="us-west-2")
    east_snapshot, size = _catalogue_snapshot(east)
    err = error_of(west.register_image, Name="from-east", RootDeviceName="/dev/xvda",
                   BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": east_snapshot}}])
    assert err["Code"] == "InvalidSnapshot.NotFound"
    err = error_of(east.register_image, Name="too-small", RootDeviceName="/dev/xvda",
                   BlockDeviceMappings=[{"DeviceName": "/dev/xvda",
                                         "Ebs": {"SnapshotId": east_snapshot, "VolumeSize": size - 1}}])
    assert err["Code"] == "InvalidParameterValue"
    assert err["Message"] == (f"Volume of size {size - 1}GB is smaller than snapshot '{east_snapshot}', "
                              f"expect size >= {size}GB")
    assert _own_images(east) == [] and _own_images(west) == []


def test_register_needs_a_root_snapshot_or_a_manifest(ec2: Any) -> None:
    err = error_of(ec2.register_image, Name="nothing")
    assert err["Code"] == "InvalidBlockDeviceMapping" and err["Status"] == 400
    snapshot_id, _ = _catalogue_snapshot(ec2)
    # The root device (default /dev/sda1) is not the mapped one.
    err = error_of(ec2.register_image, Name="wrong-root",
                   BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}])
    assert err["Code"] == "InvalidBlockDeviceMapping"
    err = error_of(ec2.register_image, Name="dup-device", RootDeviceName="/dev/xvda",
                   BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}},
                                        {"DeviceName": "/dev/xvda", "VirtualName": "ephemeral0"}])
    assert err["Code"] == "InvalidBlockDeviceMapping"
    err = error_of(ec2.register_image, Name="bad-ephemeral", ImageLocation="b/k.manifest.xml",
                   BlockDeviceMappings=[{"DeviceName": "/dev/sdb", "VirtualName": "scratch"}])
    assert err["Code"] == "InvalidParameterValue"
    assert _own_images(ec2) == []


@pytest.mark.parametrize("name", ["x" * 129, "bad,name", "semi;colon", "tab\tname", "üñí"])
def test_register_rejects_malformed_names(ec2: Any, name: str) -> None:
    err = error_of(ec2.register_image, Name=name, ImageLocation="bucket/key.manifest.xml")
    assert err == {
        "Code": "InvalidAMIName.Malformed",
        "Message": "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, "
                   "'(', ')', '.', '-', '/' and '_'",
        "Status": 400,
    }
    assert _own_images(ec2) == []


@pytest.mark.parametrize("name", ["abc", "x" * 128, "my image/v1.0 (final) [x] o'neil @home_"])
def test_register_accepts_every_allowed_character(ec2: Any, name: str) -> None:
    new_id = ec2.register_image(Name=name, ImageLocation="bucket/key.manifest.xml")["ImageId"]
    assert _images(ec2, ImageIds=[new_id])[0]["Name"] == name


def test_names_are_unique_per_account_and_region(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    first = _register_ebs(east, name="golden")
    err = error_of(east.register_image, Name="golden", ImageLocation="bucket/key.manifest.xml")
    assert err == {"Code": "InvalidAMIName.Duplicate", "Message": f"AMI name golden is already in use by AMI {first}",
                   "Status": 400}
    assert [i["ImageId"] for i in _own_images(east)] == [first]
    # Another region has its own namespace.
    west = make_client(region="us-west-2")
    assert _register_ebs(west, name="golden") != first
    # After deregistering, the name is free again.
    east.deregister_image(ImageId=first)
    assert _register_ebs(east, name="golden") != first


def test_register_dry_run_and_bad_tag_specifications_change_nothing(ec2: Any) -> None:
    snapshot_id, _ = _catalogue_snapshot(ec2)
    mappings = [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}]
    err = error_of(ec2.register_image, Name="dry", RootDeviceName="/dev/xvda", BlockDeviceMappings=mappings,
                   DryRun=True)
    assert err == {"Code": "DryRunOperation", "Message": "Request would have succeeded, but DryRun flag is set.",
                   "Status": 412}
    err = error_of(ec2.register_image, Name="dry", RootDeviceName="/dev/xvda", BlockDeviceMappings=mappings,
                   TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}])
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.register_image, Name="d,d", ImageLocation="bucket/key.manifest.xml", DryRun=True)
    assert err["Code"] == "InvalidAMIName.Malformed"
    assert _own_images(ec2) == []
    assert ec2.describe_tags()["Tags"] == []


def test_registered_images_are_private_to_the_account_and_region(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    new_id = _register_ebs(east)
    west = make_client(region="us-west-2")
    assert error_of(west.describe_images, ImageIds=[new_id])["Code"] == "InvalidAMIID.NotFound"
    assert _own_images(west) == []
    assert new_id not in {i["ImageId"] for i in _images(west)}


# --------------------------------------------------------------------------- DeregisterImage


def test_deregister_own_image(ec2: Any, clock: Any) -> None:
    new_id = _register_ebs(ec2, TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "k", "Value": "v"}]}])
    [instance] = launch(ec2, ImageId=new_id)
    clock.advance(6)
    assert ec2.deregister_image(ImageId=new_id)["Return"] is True
    err = error_of(ec2.describe_images, ImageIds=[new_id])
    assert err == {"Code": "InvalidAMIID.NotFound", "Message": f"The image id '[{new_id}]' does not exist",
                   "Status": 400}
    assert _own_images(ec2) == []
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [new_id]}])["Tags"] == []
    err = error_of(launch, ec2, ImageId=new_id)
    assert err == {"Code": "InvalidAMIID.NotFound", "Message": f"The image id '[{new_id}]' does not exist",
                   "Status": 400}
    # The instance launched from it keeps running and still names its image.
    assert states(ec2, [instance]) == {instance: "running"}
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert described["ImageId"] == new_id
    err = error_of(ec2.deregister_image, ImageId=new_id)
    assert err["Code"] == "InvalidAMIID.NotFound"


def test_deregister_errors_change_nothing(ec2: Any, make_client: Any) -> None:
    catalogue_id = image_id(ec2)
    err = error_of(ec2.deregister_image, ImageId=catalogue_id)
    assert err == {"Code": "AuthFailure", "Message": f"Not authorized for image:{catalogue_id}", "Status": 400}
    assert _images(ec2, ImageIds=[catalogue_id])
    err = error_of(ec2.deregister_image, ImageId="ami-0123456789abcdef0")
    assert err == {"Code": "InvalidAMIID.NotFound", "Message": "The image id '[ami-0123456789abcdef0]' does not exist",
                   "Status": 400}
    err = error_of(ec2.deregister_image, ImageId="ami-bogus")
    assert err == {"Code": "InvalidAMIID.Malformed", "Message": 'Invalid id: "ami-bogus" (expecting "ami-...")',
                   "Status": 400}
    own = _register_ebs(ec2)
    err = error_of(ec2.deregister_image, ImageId=own, DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412
    assert [i["ImageId"] for i in _own_images(ec2)] == [own]
    # From another region the image does not exist.
    err = error_of(make_client(region="eu-west-1").deregister_image, ImageId=own)
    assert err["Code"] == "InvalidAMIID.NotFound"
    assert [i["ImageId"] for i in _own_images(ec2)] == [own]


def test_deregister_another_accounts_image_is_not_authorized(emulator: Any, ec2: Any) -> None:
    from ec2emu.store import schema

    other = "111122223333"
    with emulator.store.unit_of_work() as uow:
        uow.conn.execute(
            schema.images.insert(),
            [{"image_id": "ami-0aaaaaaaaaaaaaaaa", "account_id": other, "region": "us-east-1",
              "name": "theirs", "description": None, "architecture": "x86_64", "root_device_type": "instance-store",
              "root_device_name": "/dev/sda1", "virtualization_type": "hvm",
              "image_location": "bucket/theirs.manifest.xml", "block_device_mappings": [], "ena_support": False,
              "state": "available", "creation_date": 0.0}],
        )
    err = error_of(ec2.deregister_image, ImageId="ami-0aaaaaaaaaaaaaaaa")
    assert err == {"Code": "AuthFailure", "Message": "Not authorized for image:ami-0aaaaaaaaaaaaaaaa", "Status": 400}
    # It is private: this account cannot see or launch it, and the name is free here.
    assert error_of(ec2.describe_images, ImageIds=["ami-0aaaaaaaaaaaaaaaa"])["Code"] == "InvalidAMIID.NotFound"
    assert error_of(launch, ec2, ImageId="ami-0aaaaaaaaaaaaaaaa")["Code"] == "InvalidAMIID.NotFound"
    assert ec2.register_image(Name="theirs", ImageLocation="bucket/k.manifest.xml")["ImageId"]
    with emulator.store.unit_of_work() as uow:
        assert uow.images.get("us-east-1", ["ami-0aaaaaaaaaaaaaaaa"])


# --------------------------------------------------------------------------- launching


def test_instances_from_a_registered_ebs_image_get_its_root_volume(emulator: Any, ec2: Any, clock: Any) -> None:
    new_id = _register_ebs(ec2)
    [instance_id] = launch(ec2, ImageId=new_id)
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert instance["ImageId"] == new_id
    assert instance["RootDeviceType"] == "ebs" and instance["RootDeviceName"] == "/dev/xvda"
    [mapping] = instance["BlockDeviceMappings"]
    assert mapping["DeviceName"] == "/dev/xvda"
    # No DescribeVolumes yet: read the root volume the launch created from the store.
    with emulator.store.unit_of_work() as uow:
        [volume] = uow.volumes.get("000000000000", "us-east-1", [mapping["Ebs"]["VolumeId"]]).values()
    assert volume["size"] == 20
    assert volume["snapshot_id"] == _catalogue_snapshot(ec2)[0]
    clock.advance(6)
    ec2.stop_instances(InstanceIds=[instance_id])
    clock.advance(6)
    assert states(ec2, [instance_id]) == {instance_id: "stopped"}


def test_instances_from_an_instance_store_image(ec2: Any, clock: Any) -> None:
    new_id = ec2.register_image(Name="s3-image", ImageLocation="bucket/s3-image.manifest.xml",
                                Architecture="x86_64", VirtualizationType="hvm")["ImageId"]
    # A Nitro type without instance storage cannot boot it.
    err = error_of(launch, ec2, ImageId=new_id, InstanceType="t3.micro")
    assert err["Status"] == 400 and "instance-store" in err["Message"]
    assert ec2.describe_instances()["Reservations"] == []
    [instance_id] = launch(ec2, ImageId=new_id, InstanceType="m1.small")
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert instance["RootDeviceType"] == "instance-store"
    assert instance["RootDeviceName"] == "/dev/sda1"
    assert instance["BlockDeviceMappings"] == []
    clock.advance(6)
    err = error_of(ec2.stop_instances, InstanceIds=[instance_id])
    assert err == {"Code": "UnsupportedOperation",
                   "Message": f"The instance '{instance_id}' does not have an 'ebs' root device type and cannot "
                              "be stopped.",
                   "Status": 400}
    assert states(ec2, [instance_id]) == {instance_id: "running"}


def test_tags_on_a_catalogue_image_belong_to_the_tagging_account(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    catalogue_id = image_id(east)
    east.create_tags(Resources=[catalogue_id], Tags=[{"Key": "seen", "Value": "yes"}])
    [image] = _images(east, ImageIds=[catalogue_id])
    assert image["Tags"] == [{"Key": "seen", "Value": "yes"}]
    assert [i["ImageId"] for i in _images(east, Filters=[{"Name": "tag-key", "Values": ["seen"]}])] == [catalogue_id]


def test_paravirtual_image_needs_a_previous_generation_type(ec2: Any) -> None:
    snapshot_id, _ = _catalogue_snapshot(ec2)
    new_id = ec2.register_image(
        Name="paravirtual",
        Architecture="x86_64",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]
    error = error_of(ec2.run_instances, ImageId=new_id, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    assert error["Code"] == "InvalidParameterCombination"
    assert "'paravirtual'" in error["Message"]
    assert ec2.describe_instances()["Reservations"] == []
    [instance_id] = launch(ec2, ImageId=new_id, InstanceType="m1.small")
    assert instance_id.startswith("i-")


# --------------------------------------------------------------------------- CreateImage and stored snapshots


def _running(ec2: Any, clock: Any, **kwargs: Any) -> str:
    instance = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"}, **kwargs)[0]
    clock.advance(10)
    return instance


def test_create_image_mirrors_the_instance_volumes(ec2: Any, clock: Any) -> None:
    instance = _running(ec2, clock, InstanceType="m5d.large", BlockDeviceMappings=[
        {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5, "DeleteOnTermination": False}},
        {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}])
    image_id_ = ec2.create_image(InstanceId=instance, Name="backup-1", TagSpecifications=[
        {"ResourceType": "snapshot", "Tags": [{"Key": "by", "Value": "ci"}]}])["ImageId"]
    image = ec2.describe_images(ImageIds=[image_id_])["Images"][0]
    assert (image["State"], image["RootDeviceType"], image["RootDeviceName"]) == ("pending", "ebs", "/dev/xvda")
    by_device = {m["DeviceName"]: m for m in image["BlockDeviceMappings"]}
    assert by_device["/dev/sdb"] == {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}
    assert (by_device["/dev/sdf"]["Ebs"]["VolumeSize"], by_device["/dev/sdf"]["Ebs"]["DeleteOnTermination"]) == (5, False)
    assert by_device["/dev/xvda"]["Ebs"]["DeleteOnTermination"] is True
    snapshots = ec2.describe_snapshots(Filters=[{"Name": "tag:by", "Values": ["ci"]}])["Snapshots"]
    assert {s["SnapshotId"] for s in snapshots} == {by_device[d]["Ebs"]["SnapshotId"] for d in ("/dev/sdf", "/dev/xvda")}
    assert error_of(launch, ec2, ImageId=image_id_)["Code"] == "InvalidAMIID.Unavailable"
    clock.advance(2)
    ec2.get_waiter("image_available").wait(ImageIds=[image_id_], WaiterConfig={"Delay": 0, "MaxAttempts": 1})
    copy = _running(ec2, clock, ImageId=image_id_, InstanceType="m5d.large")
    volumes = {m["DeviceName"]: m["Ebs"] for m in ec2.describe_instances(InstanceIds=[copy])["Reservations"][0]
               ["Instances"][0]["BlockDeviceMappings"]}
    assert {d: e["DeleteOnTermination"] for d, e in volumes.items()} == {"/dev/xvda": True, "/dev/sdf": False}
    sdf = ec2.describe_volumes(VolumeIds=[volumes["/dev/sdf"]["VolumeId"]])["Volumes"][0]
    assert (sdf["Size"], sdf["SnapshotId"]) == (5, by_device["/dev/sdf"]["Ebs"]["SnapshotId"])


def test_create_image_with_no_device_and_a_larger_root(ec2: Any, clock: Any) -> None:
    instance = _running(ec2, clock, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5}}])
    image_id_ = ec2.create_image(InstanceId=instance, Name="slim", NoReboot=True, BlockDeviceMappings=[
        {"DeviceName": "/dev/sdf", "NoDevice": ""},
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20}}])["ImageId"]
    mappings = ec2.describe_images(ImageIds=[image_id_])["Images"][0]["BlockDeviceMappings"]
    assert {m["DeviceName"]: m.get("Ebs", {}).get("VolumeSize") for m in mappings} == {"/dev/xvda": 20, "/dev/sdf": None}
    assert error_of(ec2.create_image, InstanceId=instance, Name="tiny", BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 2}}])["Code"] == "InvalidParameterValue"


def test_create_image_errors_change_nothing(ec2: Any, clock: Any) -> None:
    pending = launch(ec2)[0]
    assert error_of(ec2.create_image, InstanceId=pending, Name="early")["Code"] == "IncorrectInstanceState"
    clock.advance(10)
    assert error_of(ec2.create_image, InstanceId=pending, Name="bad{name}")["Code"] == "InvalidAMIName.Malformed"
    assert error_of(ec2.create_image, InstanceId="i-0123456789abcdef0", Name="abc")["Code"] == "InvalidInstanceID.NotFound"
    assert error_of(ec2.create_image, InstanceId=pending, Name="dry", DryRun=True)["Code"] == "DryRunOperation"
    store = image_id(ec2, "amzn-ami-minimal-hvm-*", root="instance-store")
    instance_store = launch(ec2, ImageId=store, InstanceType="m3.medium")[0]
    clock.advance(10)
    assert error_of(ec2.create_image, InstanceId=instance_store, Name="nope")["Code"] == "InvalidParameterValue"
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []


def test_register_image_from_a_stored_snapshot_and_launch_it(ec2: Any, clock: Any) -> None:
    volume_id = ec2.create_volume(AvailabilityZone="us-east-1a", Size=7)["VolumeId"]
    clock.advance(1)
    snapshot_id = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    image_id_ = ec2.register_image(
        Name="from-snapshot", RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}])["ImageId"]
    assert ec2.describe_images(ImageIds=[image_id_])["Images"][0]["State"] == "pending"
    clock.advance(2)
    image = ec2.describe_images(ImageIds=[image_id_])["Images"][0]
    assert (image["State"], image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"]) == ("available", 7)
    instance = launch(ec2, ImageId=image_id_)[0]
    root = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"][0]
    assert ec2.describe_volumes(VolumeIds=[root["Ebs"]["VolumeId"]])["Volumes"][0]["SnapshotId"] == snapshot_id
