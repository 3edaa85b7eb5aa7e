"""Images (AMIs): a built-in catalogue of Amazon-owned public images, plus images that
accounts register themselves.

The catalogue is the same in every region but each region has its own image IDs
(stable hashes of region and name), as on EC2. It holds EBS-backed images (Amazon
Linux 2023 and 2, Ubuntu, Debian, Windows) and an instance-store-backed one. Images an
account registers are stored, visible to that account in that region only.

Domain shape (what :func:`find_image` returns and RunInstances uses): ``image_id``,
``name``, ``owner_id``, ``owner_alias``, ``architecture``, ``root_device_type``,
``root_device_name``, ``virtualization_type``, ``platform``, ``description``,
``image_location``, ``ena_support``, ``state``, ``creation_date`` (ISO text) and
``block_device_mappings`` (``[{"device_name", "ebs": {"snapshot_id", "volume_size",
"volume_type", "delete_on_termination", "encrypted"}} | {"device_name",
"virtual_name"}]``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.service import ids
from ec2emu.service.context import RequestContext
from ec2emu.service.filters import FilterSpec, apply_filters
from ec2emu.service.registry import operation

AMAZON_OWNER = "137112412989"
CANONICAL_OWNER = "099720109477"
DEBIAN_OWNER = "136693071363"
WINDOWS_OWNER = "801119661308"

# (name, owner, alias, architecture, root type, description, platform, root size, created)
_CATALOGUE: list[tuple[str, str, str | None, str, str, str, str | None, int, str]] = [
    ("al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", AMAZON_OWNER, "amazon", "x86_64", "ebs",
     "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1", None, 8, "2024-11-20T21:37:21.000Z"),
    ("al2023-ami-2023.6.20241121.0-kernel-6.1-arm64", AMAZON_OWNER, "amazon", "arm64", "ebs",
     "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1", None, 8, "2024-11-20T21:37:25.000Z"),
    ("al2023-ami-minimal-2023.6.20241121.0-kernel-6.1-x86_64", AMAZON_OWNER, "amazon", "x86_64", "ebs",
     "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 Minimal HVM kernel-6.1", None, 2, "2024-11-20T21:36:58.000Z"),
    ("amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2", AMAZON_OWNER, "amazon", "x86_64", "ebs",
     "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2", None, 8, "2024-11-14T03:12:45.000Z"),
    ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119", CANONICAL_OWNER, None, "x86_64", "ebs",
     "Canonical, Ubuntu, 24.04, amd64 noble image", None, 8, "2024-11-19T08:05:11.000Z"),
    ("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241109", CANONICAL_OWNER, None, "x86_64", "ebs",
     "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image", None, 8, "2024-11-09T07:44:12.000Z"),
    ("debian-12-amd64-20241110-1927", DEBIAN_OWNER, None, "x86_64", "ebs",
     "Debian 12 (20241110-1927)", None, 8, "2024-11-10T20:36:01.000Z"),
    ("Windows_Server-2022-English-Full-Base-2024.11.13", WINDOWS_OWNER, "amazon", "x86_64", "ebs",
     "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon", "windows", 30,
     "2024-11-13T19:01:44.000Z"),
    ("amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3", AMAZON_OWNER, "amazon", "x86_64", "instance-store",
     "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 Minimal HVM instance-store", None, 0,
     "2023-12-19T01:22:10.000Z"),
]


def _catalogue_image(region: str, entry: tuple[Any, ...]) -> dict[str, Any]:
    name, owner, alias, arch, root_type, description, platform, size, created = entry
    image_id = ids.stable_id("ami", region, name)
    if root_type == "ebs":
        root_device = "/dev/sda1" if platform == "windows" or name.startswith(("ubuntu", "debian")) else "/dev/xvda"
        mappings: list[dict[str, Any]] = [
            {
                "device_name": root_device,
                "ebs": {
                    "snapshot_id": ids.stable_id("snap", region, name),
                    "volume_size": size,
                    "volume_type": "gp3" if "gp2" not in name else "gp2",
                    "delete_on_termination": True,
                    "encrypted": False,
                },
            }
        ]
        location = f"{alias or owner}/{name}"
    else:
        root_device = "/dev/sda1"
        mappings = [{"device_name": "/dev/sdb", "virtual_name": "ephemeral0"}]
        location = f"amzn-ami-us-{region}/{name}.manifest.xml"
    return {
        "image_id": image_id,
        "name": name,
        "owner_id": owner,
        "owner_alias": alias,
        "architecture": arch,
        "root_device_type": root_type,
        "root_device_name": root_device,
        "virtualization_type": "hvm",
        "platform": platform,
        "description": description,
        "image_location": location,
        "ena_support": True,
        "state": "available",
        "public": True,
        "creation_date": created,
        "block_device_mappings": mappings,
    }


def catalogue(region: str) -> list[dict[str, Any]]:
    return [_catalogue_image(region, entry) for entry in _CATALOGUE]


def _stored_image(row: dict[str, Any]) -> dict[str, Any]:
    created = dt.datetime.fromtimestamp(row["creation_date"], dt.timezone.utc)
    return {
        "image_id": row["image_id"],
        "name": row["name"],
        "owner_id": row["account_id"],
        "owner_alias": None,
        "architecture": row["architecture"],
        "root_device_type": row["root_device_type"],
        "root_device_name": row["root_device_name"],
        "virtualization_type": row["virtualization_type"],
        "platform": None,
        "description": row["description"],
        "image_location": row["image_location"],
        "ena_support": row["ena_support"],
        "state": row["state"],
        "public": False,
        "creation_date": created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z",
        "block_device_mappings": row["block_device_mappings"],
    }


def find_image(ctx: RequestContext, image_id: str) -> dict[str, Any] | None:
    """The image ``image_id`` as this account sees it in this region, or ``None``."""
    for image in catalogue(ctx.region):
        if image["image_id"] == image_id:
            return image
    row = ctx.uow.images.get(ctx.region, [image_id]).get(image_id)
    if row is None or row["account_id"] != ctx.account_id:
        return None
    return _stored_image(row)


def image_view(image: dict[str, Any]) -> dict[str, Any]:
    mappings = []
    for mapping in image["block_device_mappings"]:
        if "ebs" in mapping:
            ebs = mapping["ebs"]
            mappings.append(
                {
                    "DeviceName": mapping["device_name"],
                    "Ebs": {
                        "DeleteOnTermination": ebs["delete_on_termination"],
                        "SnapshotId": ebs["snapshot_id"],
                        "VolumeSize": ebs["volume_size"],
                        "VolumeType": ebs["volume_type"],
                        "Encrypted": ebs["encrypted"],
                    },
                }
            )
        else:
            mappings.append({"DeviceName": mapping["device_name"], "VirtualName": mapping["virtual_name"]})
    view: dict[str, Any] = {
        "Architecture": image["architecture"],
        "CreationDate": image["creation_date"],
        "ImageId": image["image_id"],
        "ImageLocation": image["image_location"],
        "ImageType": "machine",
        "Public": image["public"],
        "OwnerId": image["owner_id"],
        "PlatformDetails": "Windows" if image["platform"] == "windows" else "Linux/UNIX",
        "UsageOperation": "RunInstances:0002" if image["platform"] == "windows" else "RunInstances",
        "State": image["state"],
        "BlockDeviceMappings": mappings,
        "Description": image["description"],
        "EnaSupport": image["ena_support"],
        "Hypervisor": "xen",
        "Name": image["name"],
        "RootDeviceName": image["root_device_name"],
        "RootDeviceType": image["root_device_type"],
        "VirtualizationType": image["virtualization_type"],
    }
    if image["owner_alias"]:
        view["ImageOwnerAlias"] = image["owner_alias"]
    if image["platform"]:
        view["Platform"] = image["platform"]
    return view


_IMAGE_FILTERS = FilterSpec(
    {
        "architecture": lambda i: [i["Architecture"]],
        "image-id": lambda i: [i["ImageId"]],
        "image-type": lambda i: [i["ImageType"]],
        "is-public": lambda i: [i["Public"]],
        "name": lambda i: [i["Name"]],
        "description": lambda i: [i.get("Description")],
        "owner-alias": lambda i: [i.get("ImageOwnerAlias")],
        "owner-id": lambda i: [i["OwnerId"]],
        "platform": lambda i: [i.get("Platform")],
        "root-device-name": lambda i: [i["RootDeviceName"]],
        "root-device-type": lambda i: [i["RootDeviceType"]],
        "state": lambda i: [i["State"]],
        "virtualization-type": lambda i: [i["VirtualizationType"]],
        "hypervisor": lambda i: [i["Hypervisor"]],
        "ena-support": lambda i: [i["EnaSupport"]],
        "block-device-mapping.device-name": lambda i: [m["DeviceName"] for m in i["BlockDeviceMappings"]],
        "block-device-mapping.snapshot-id": lambda i: [
            m["Ebs"]["SnapshotId"] for m in i["BlockDeviceMappings"] if "Ebs" in m
        ],
    },
    tags=lambda i: i.get("Tags", []),
)


def _check_image_id(value: str) -> None:
    if not ids.is_well_formed("ami", value):
        raise Ec2Error("InvalidAMIID.Malformed", f'Invalid id: "{value}" (expecting "ami-...")')


@operation("DescribeImages")
def describe_images(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("ImageIds") or []
    for value in wanted:
        _check_image_id(value)
    ctx.dry_run(params)
    images = catalogue(ctx.region) + [
        _stored_image(row) for row in ctx.uow.images.find(ctx.region, [ctx.account_id])
    ]
    if wanted:
        by_id = {image["image_id"]: image for image in images}
        missing = [v for v in wanted if v not in by_id]
        if missing:
            raise Ec2Error(
                "InvalidAMIID.NotFound",
                f"The image id '[{', '.join(missing)}]' does not exist",
            )
        images = [by_id[v] for v in dict.fromkeys(wanted)]
    owners = params.get("Owners") or []
    if owners:
        def owned(image: dict[str, Any]) -> bool:
            for owner in owners:
                if owner == "self" and image["owner_id"] == ctx.account_id:
                    return True
                if owner in (image["owner_id"], image["owner_alias"]):
                    return True
            return False

        images = [image for image in images if owned(image)]
    views = [image_view(image) for image in images]
    tags = ctx.uow.tags.for_resources([v["ImageId"] for v in views])
    for view in views:
        if tags.get(view["ImageId"]):
            view["Tags"] = [{"Key": k, "Value": v} for k, v in tags[view["ImageId"]]]
    return {"Images": apply_filters(_IMAGE_FILTERS, views, params.get("Filters"))}
