"""Images (AMIs): a built-in catalogue of public images, images that accounts register
themselves, and DescribeImages / RegisterImage / DeregisterImage.

The catalogue is the same in every region but each region has its own image IDs and
root snapshot IDs (stable hashes of region and name), as on EC2. It holds EBS-backed
images (Amazon Linux 2023 and 2, Ubuntu, Debian, Windows) owned by their real
publishers' accounts, and an instance-store-backed Amazon Linux image. Registered images
are stored in the ``images`` table: private, visible to the registering account in that
region only.

RegisterImage, as EC2 documents it:

* ``Name`` is required, 3–128 characters of letters, digits and ``( ) [ ] . / - ' @ _``
  and space (else ``InvalidAMIName.Malformed``, with EC2's message), and unique per
  account and region (else ``InvalidAMIName.Duplicate`` "AMI name X is already in use by
  AMI ami-…").
* A root device (``RootDeviceName``, default ``/dev/sda1``) mapped to an EBS snapshot
  gives an EBS-backed image. The snapshots that exist are the account's own snapshots
  in the region (CreateSnapshot, CreateImage) and the catalogue's root snapshots; any
  other well-formed ID answers ``InvalidSnapshot.NotFound`` "The snapshot 'snap-…' does
  not exist.", a malformed one ``InvalidSnapshotID.Malformed``. A volume may not be
  smaller than its snapshot. The image records the stored snapshots it uses (they then
  cannot be deleted) and is ``pending`` until every one of them has completed.
* Otherwise ``ImageLocation`` (an S3 manifest path) gives an instance-store-backed image
  whose mappings may name ephemeral devices. With neither, the call answers
  ``InvalidBlockDeviceMapping`` (our wording; EC2's exact text is not on record).
* Defaults from the API reference: ``Architecture`` i386 for EBS-backed images (an
  instance-store image's comes from its manifest, which we cannot read: x86_64),
  ``VirtualizationType`` paravirtual, ``EnaSupport`` false, EBS volume type gp2,
  ``DeleteOnTermination`` true. ``TagSpecifications`` may tag the ``image``.
  ``BootMode``, ``TpmSupport``, ``UefiData``, ``ImdsSupport``, ``SriovNetSupport`` and
  kernel/ramdisk IDs are accepted but not stored (the table has no column for them).

CreateImage (EBS-backed instances only, ``running`` or ``stopped``): one snapshot per
attached EBS volume (``pending``, then ``completed`` on the clock) and an image whose
mappings mirror the instance's volumes (size, type, IOPS, throughput, encryption and
each volume's current DeleteOnTermination) and its instance-store and NoDevice launch
mappings, with the request's ``BlockDeviceMappings`` applied on top (``NoDevice`` leaves
a volume out, ``VirtualName`` adds an instance-store device, ``Ebs`` changes a volume's
size — never below its snapshot's — type or DeleteOnTermination, or adds an empty volume).
The image is ``pending`` until its snapshots complete; launching it before answers
``InvalidAMIID.Unavailable``. ``TagSpecifications`` may tag the ``image`` and the
``snapshot``s. ``NoReboot`` is accepted (the emulated guest has nothing to flush). An
instance-store-backed instance answers ``InvalidParameterValue`` and an instance in
another state ``IncorrectInstanceState`` (our wording for both).

DeregisterImage: the caller's own image is removed with its tags (instances launched
from it keep running; it can no longer be described or launched). An image the caller
does not own — a catalogue image, or another account's image in the region — answers
``AuthFailure`` "Not authorized for image:ami-…" with HTTP 400: that is the text EC2
returned to non-owners (cloudcaptainsh/cloudcaptain#66, DeregisterImage; the same
wording for DescribeImageAttribute), and 400 is the status an EC2-compatible cloud's
conformance suite asserts for it. An ID that is nowhere in the region answers
``InvalidAMIID.NotFound``.

Domain shape (what :func:`find_image` returns and RunInstances uses): ``image_id``,
``name``, ``owner_id``, ``owner_alias``, ``architecture``, ``root_device_type``,
``root_device_name``, ``virtualization_type``, ``platform``, ``description``,
``image_location``, ``ena_support``, ``state``, ``public``, ``creation_date`` (ISO text),
``boot_mode``, ``imds_support`` and ``block_device_mappings`` (``[{"device_name", "ebs":
{"snapshot_id", "volume_size", "volume_type", "delete_on_termination", "encrypted"[,
"iops"]}} | {"device_name", "virtual_name"} | {"device_name", "no_device": True}]``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ec2emu.errors import (
    Ec2Error,
    invalid_parameter_combination,
    invalid_parameter_value,
)
from ec2emu.services.ec2 import snapshots as snapshot_service
from ec2emu.services.ec2.instances import common as instance_service
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import FilterSpec, apply_filters
from ec2emu.services.shared.pagination import decode_token, encode_token, page_size
from ec2emu.services.shared.tagging import tags_from_specifications
from ec2emu.store.repository import Match

AMAZON_OWNER = "137112412989"
CANONICAL_OWNER = "099720109477"
DEBIAN_OWNER = "136693071363"
WINDOWS_OWNER = "801119661308"

OWNER_ALIASES = ("amazon", "aws-marketplace", "aws-backup-vault")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_AMI_NAME = re.compile(r"[A-Za-z0-9()\[\] ./\-'@_]{3,128}")
_VIRTUAL_NAME = re.compile(r"ephemeral([0-9]|1[0-9]|2[0-3])")
MAX_DESCRIPTION = 255
DEFAULT_ROOT_DEVICE = "/dev/sda1"


@dataclass(frozen=True)
class _Entry:
    name: str
    owner: str
    alias: str | None
    architecture: str
    root_type: str
    description: str
    created: str
    root_device: str = "/dev/xvda"
    size: int = 8
    volume_type: str = "gp3"
    platform: str | None = None
    boot_mode: str | None = None
    imds_support: str | None = None


_CATALOGUE: tuple[_Entry, ...] = (
    _Entry("al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", AMAZON_OWNER, "amazon", "x86_64", "ebs",
           "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1", "2024-11-20T21:37:21.000Z",
           boot_mode="uefi-preferred", imds_support="v2.0"),
    _Entry("al2023-ami-2023.6.20241121.0-kernel-6.1-arm64", AMAZON_OWNER, "amazon", "arm64", "ebs",
           "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1", "2024-11-20T21:37:25.000Z",
           boot_mode="uefi", imds_support="v2.0"),
    _Entry("al2023-ami-minimal-2023.6.20241121.0-kernel-6.1-x86_64", AMAZON_OWNER, "amazon", "x86_64", "ebs",
           "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 Minimal HVM kernel-6.1", "2024-11-20T21:36:58.000Z",
           size=2, boot_mode="uefi-preferred", imds_support="v2.0"),
    _Entry("amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2", AMAZON_OWNER, "amazon", "x86_64", "ebs",
           "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2", "2024-11-14T03:12:45.000Z",
           volume_type="gp2"),
    _Entry("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119", CANONICAL_OWNER, None,
           "x86_64", "ebs", "Canonical, Ubuntu, 24.04, amd64 noble image", "2024-11-19T08:05:11.000Z",
           root_device="/dev/sda1", boot_mode="uefi-preferred"),
    _Entry("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119", CANONICAL_OWNER, None,
           "arm64", "ebs", "Canonical, Ubuntu, 24.04, arm64 noble image", "2024-11-19T08:06:40.000Z",
           root_device="/dev/sda1", boot_mode="uefi"),
    _Entry("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241109", CANONICAL_OWNER, None,
           "x86_64", "ebs", "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image", "2024-11-09T07:44:12.000Z",
           root_device="/dev/sda1", volume_type="gp2"),
    _Entry("debian-12-amd64-20241110-1927", DEBIAN_OWNER, None, "x86_64", "ebs",
           "Debian 12 (20241110-1927)", "2024-11-10T20:36:01.000Z", volume_type="gp2"),
    _Entry("Windows_Server-2022-English-Full-Base-2024.11.13", WINDOWS_OWNER, "amazon", "x86_64", "ebs",
           "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
           "2024-11-13T19:01:44.000Z", root_device="/dev/sda1", size=30, volume_type="gp2",
           platform="windows"),
    _Entry("amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3", AMAZON_OWNER, "amazon", "x86_64",
           "instance-store", "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 Minimal HVM instance-store",
           "2023-12-19T01:22:10.000Z", root_device="/dev/sda1", size=0),
)


def _catalogue_image(region: str, entry: _Entry) -> dict[str, Any]:
    if entry.root_type == "ebs":
        mappings: list[dict[str, Any]] = [
            {
                "device_name": entry.root_device,
                "ebs": {
                    "snapshot_id": ids.stable_id("snap", region, entry.name),
                    "volume_size": entry.size,
                    "volume_type": entry.volume_type,
                    "delete_on_termination": True,
                    "encrypted": False,
                },
            }
        ]
        location = f"{entry.alias or entry.owner}/{entry.name}"
    else:
        mappings = [{"device_name": "/dev/sdb", "virtual_name": "ephemeral0"}]
        location = f"amzn-ami-{region}/{entry.name}.manifest.xml"
    return {
        "image_id": ids.stable_id("ami", region, entry.name),
        "name": entry.name,
        "owner_id": entry.owner,
        "owner_alias": entry.alias,
        "architecture": entry.architecture,
        "root_device_type": entry.root_type,
        "root_device_name": entry.root_device,
        "virtualization_type": "hvm",
        "platform": entry.platform,
        "description": entry.description,
        "image_location": location,
        "ena_support": True,
        "sriov_net_support": "simple",
        "state": "available",
        "public": True,
        "creation_date": entry.created,
        "boot_mode": entry.boot_mode,
        "imds_support": entry.imds_support,
        "block_device_mappings": mappings,
    }


@lru_cache(maxsize=64)
def _catalogue_cached(region: str) -> tuple[dict[str, Any], ...]:
    return tuple(_catalogue_image(region, entry) for entry in _CATALOGUE)


def catalogue(region: str) -> list[dict[str, Any]]:
    """The catalogue images of ``region`` (fresh dicts: callers may change them)."""
    return [_copy(image) for image in _catalogue_cached(region)]


def _copy(image: dict[str, Any]) -> dict[str, Any]:
    copied = dict(image)
    copied["block_device_mappings"] = [
        {**m, "ebs": dict(m["ebs"])} if "ebs" in m else dict(m) for m in image["block_device_mappings"]
    ]
    return copied


def catalogue_snapshots(region: str) -> dict[str, int]:
    """Snapshot ID → size (GiB) of every catalogue root snapshot in ``region``."""
    return {
        m["ebs"]["snapshot_id"]: m["ebs"]["volume_size"]
        for image in _catalogue_cached(region)
        for m in image["block_device_mappings"]
        if "ebs" in m
    }


def snapshot_source(ctx: RequestContext, snapshot_id: str) -> dict[str, Any] | None:
    """A snapshot a launch or an image may use: one of this account's snapshots here, or a
    catalogue image's root snapshot (``size``, ``encrypted``, ``kms_key_id``, ``state``,
    ``stored``), or ``None``."""
    row = ctx.uow.snapshots.get(ctx.account_id, ctx.region, [snapshot_id]).get(snapshot_id)
    if row is not None:
        return {"size": row["volume_size"], "encrypted": row["encrypted"],
                "kms_key_id": row["kms_key_id"], "state": row["state"], "stored": True}
    size = catalogue_snapshots(ctx.region).get(snapshot_id)
    if size is None:
        return None
    return {"size": size, "encrypted": False, "kms_key_id": None, "state": "completed", "stored": False}


def _iso(timestamp: float) -> str:
    moment = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _stored_image(row: dict[str, Any]) -> dict[str, Any]:
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
        "sriov_net_support": None,
        "state": row["state"],
        "public": False,
        "creation_date": _iso(row["creation_date"]),
        "boot_mode": None,
        "imds_support": None,
        "block_device_mappings": list(row["block_device_mappings"]),
    }


def find_image(ctx: RequestContext, image_id: str) -> dict[str, Any] | None:
    """The image ``image_id`` as this account sees it in this region, or ``None``."""
    for image in _catalogue_cached(ctx.region):
        if image["image_id"] == image_id:
            return _copy(image)
    row = ctx.uow.images.get(ctx.region, [image_id]).get(image_id)
    if row is None or row["account_id"] != ctx.account_id:
        return None
    return _stored_image(row)


def _mapping_view(mapping: dict[str, Any]) -> dict[str, Any]:
    if "ebs" in mapping:
        ebs = mapping["ebs"]
        wire: dict[str, Any] = {
            "DeleteOnTermination": ebs["delete_on_termination"],
            "VolumeSize": ebs["volume_size"],
            "VolumeType": ebs["volume_type"],
            "Encrypted": ebs["encrypted"],
        }
        if ebs.get("snapshot_id"):
            wire["SnapshotId"] = ebs["snapshot_id"]
        if ebs.get("iops") is not None:
            wire["Iops"] = ebs["iops"]
        if ebs.get("throughput") is not None:
            wire["Throughput"] = ebs["throughput"]
        return {"DeviceName": mapping["device_name"], "Ebs": wire}
    if mapping.get("no_device"):
        return {"DeviceName": mapping["device_name"], "NoDevice": ""}
    return {"DeviceName": mapping["device_name"], "VirtualName": mapping["virtual_name"]}


def image_view(image: dict[str, Any]) -> dict[str, Any]:
    windows = image["platform"] == "windows"
    view: dict[str, Any] = {
        "Architecture": image["architecture"],
        "CreationDate": image["creation_date"],
        "ImageId": image["image_id"],
        "ImageLocation": image["image_location"],
        "ImageType": "machine",
        "Public": image["public"],
        "OwnerId": image["owner_id"],
        "PlatformDetails": "Windows" if windows else "Linux/UNIX",
        "UsageOperation": "RunInstances:0002" if windows else "RunInstances",
        "State": image["state"],
        "BlockDeviceMappings": [_mapping_view(m) for m in image["block_device_mappings"]],
        "EnaSupport": image["ena_support"],
        "Hypervisor": "xen",
        "Name": image["name"],
        "RootDeviceName": image["root_device_name"],
        "RootDeviceType": image["root_device_type"],
        "VirtualizationType": image["virtualization_type"],
    }
    if image["description"] is not None:
        view["Description"] = image["description"]
    if image["owner_alias"]:
        view["ImageOwnerAlias"] = image["owner_alias"]
    if image["platform"]:
        view["Platform"] = image["platform"]
    if image.get("sriov_net_support"):
        view["SriovNetSupport"] = image["sriov_net_support"]
    if image.get("boot_mode"):
        view["BootMode"] = image["boot_mode"]
    if image.get("imds_support"):
        view["ImdsSupport"] = image["imds_support"]
    return view


def _ebs_values(field: str) -> Any:
    return lambda i: [m["Ebs"].get(field) for m in i["BlockDeviceMappings"] if "Ebs" in m]


_IMAGE_FILTERS = FilterSpec(
    {
        "architecture": lambda i: [i["Architecture"]],
        "block-device-mapping.delete-on-termination": _ebs_values("DeleteOnTermination"),
        "block-device-mapping.device-name": lambda i: [m["DeviceName"] for m in i["BlockDeviceMappings"]],
        "block-device-mapping.encrypted": _ebs_values("Encrypted"),
        "block-device-mapping.snapshot-id": _ebs_values("SnapshotId"),
        "block-device-mapping.volume-size": _ebs_values("VolumeSize"),
        "block-device-mapping.volume-type": _ebs_values("VolumeType"),
        "creation-date": lambda i: [i["CreationDate"]],
        "description": lambda i: [i.get("Description")],
        "ena-support": lambda i: [i["EnaSupport"]],
        "hypervisor": lambda i: [i["Hypervisor"]],
        "image-id": lambda i: [i["ImageId"]],
        "image-type": lambda i: [i["ImageType"]],
        "is-public": lambda i: [i["Public"]],
        "manifest-location": lambda i: [i["ImageLocation"]],
        "name": lambda i: [i["Name"]],
        "owner-alias": lambda i: [i.get("ImageOwnerAlias")],
        "owner-id": lambda i: [i["OwnerId"]],
        "platform": lambda i: [i.get("Platform")],
        "platform-details": lambda i: [i["PlatformDetails"]],
        "root-device-name": lambda i: [i["RootDeviceName"]],
        "root-device-type": lambda i: [i["RootDeviceType"]],
        "sriov-net-support": lambda i: [i.get("SriovNetSupport")],
        "state": lambda i: [i["State"]],
        "usage-operation": lambda i: [i["UsageOperation"]],
        "virtualization-type": lambda i: [i["VirtualizationType"]],
    },
    tags=lambda i: i.get("Tags", []),
)


def check_image_id(value: str) -> None:
    if not ids.is_well_formed("ami", value):
        raise Ec2Error("InvalidAMIID.Malformed", f'Invalid id: "{value}" (expecting "ami-...")')


def image_not_found(missing: list[str]) -> Ec2Error:
    if len(missing) == 1:
        return Ec2Error("InvalidAMIID.NotFound", f"The image id '[{missing[0]}]' does not exist")
    return Ec2Error("InvalidAMIID.NotFound", f"The image ids '[{', '.join(missing)}]' do not exist")


def _check_owners(owners: list[str], executable_users: list[str]) -> None:
    for owner in owners:
        if owner not in ("self", *OWNER_ALIASES) and not _ACCOUNT_ID.fullmatch(owner):
            raise Ec2Error("InvalidUserID.Malformed", f"User ID '{owner}' is invalid")
    for user in executable_users:
        if user not in ("self", "all") and not _ACCOUNT_ID.fullmatch(user):
            raise Ec2Error("InvalidUserID.Malformed", f"User ID '{user}' is invalid")


def _own_tags(ctx: RequestContext, resource_ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """This account's tags on the given resources (tags on public images are private)."""
    if not resource_ids:
        return {}
    found: dict[str, list[dict[str, str]]] = {}
    for row in ctx.uow.tags.find(ctx.account_id, ctx.region, [Match("resource_id", tuple(resource_ids))]):
        found.setdefault(row["resource_id"], []).append({"Key": row["key"], "Value": row["value"]})
    return found


@operation("DescribeImages")
def describe_images(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = list(dict.fromkeys(params.get("ImageIds") or []))
    for value in wanted:
        check_image_id(value)
    owners = params.get("Owners") or []
    executable_users = params.get("ExecutableUsers") or []
    _check_owners(owners, executable_users)
    if wanted and "MaxResults" in params:
        raise invalid_parameter_combination(
            "The parameter imagesSet cannot be used with the parameter maxResults"
        )
    limit = page_size(params.get("MaxResults"))
    after = decode_token(params.get("NextToken"))
    if after is not None and not isinstance(after, str):
        raise invalid_parameter_value(f"Invalid value '{params.get('NextToken')}' for nextToken")
    images = catalogue(ctx.region) + [
        _stored_image(row) for row in ctx.uow.images.find(ctx.region, [ctx.account_id])
    ]
    if wanted:
        by_id = {image["image_id"]: image for image in images}
        missing = [v for v in wanted if v not in by_id]
        if missing:
            raise image_not_found(missing)
        images = [by_id[v] for v in wanted]
    if owners:
        def owned(image: dict[str, Any]) -> bool:
            return any(
                (owner == "self" and image["owner_id"] == ctx.account_id)
                or owner in (image["owner_id"], image["owner_alias"])
                for owner in owners
            )

        images = [image for image in images if owned(image)]
    if executable_users:
        # Only public images carry a launch permission here (no image is shared with an
        # account explicitly), so "all" selects them and named users select nothing.
        images = [image for image in images if "all" in executable_users and image["public"]]
    views = [image_view(image) for image in images]
    tags = _own_tags(ctx, [v["ImageId"] for v in views])
    for view in views:
        if view["ImageId"] in tags:
            view["Tags"] = tags[view["ImageId"]]
    views = apply_filters(_IMAGE_FILTERS, views, params.get("Filters"))
    ctx.dry_run(params)
    result: dict[str, Any] = {}
    if limit is not None or after is not None:
        views.sort(key=lambda v: v["ImageId"])
        if after is not None:
            views = [v for v in views if v["ImageId"] > after]
        if limit is not None and len(views) > limit:
            views = views[:limit]
            result["NextToken"] = encode_token(views[-1]["ImageId"])
    result["Images"] = views
    return result


# --------------------------------------------------------------------------- RegisterImage


def _check_name(name: str) -> None:
    if not _AMI_NAME.fullmatch(name):
        raise Ec2Error(
            "InvalidAMIName.Malformed",
            "AMI names must be between 3 and 128 characters long, and may contain letters, "
            "numbers, '(', ')', '.', '-', '/' and '_'",
        )


def _check_snapshot(snapshot_id: str, known: dict[str, int]) -> int:
    if not ids.is_well_formed("snap", snapshot_id):
        raise Ec2Error("InvalidSnapshotID.Malformed", f'Invalid id: "{snapshot_id}" (expecting "snap-...")')
    if snapshot_id not in known:
        raise Ec2Error("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")
    return known[snapshot_id]


def _mapping(item: dict[str, Any], known: dict[str, int]) -> dict[str, Any]:
    """One requested block device mapping, validated, in the domain shape."""
    device = item.get("DeviceName")
    if not device:
        raise Ec2Error("InvalidBlockDeviceMapping", "Missing device name")
    ebs = item.get("Ebs")
    virtual_name = item.get("VirtualName")
    no_device = item.get("NoDevice")
    if sum(x is not None for x in (ebs, virtual_name, no_device)) > 1:
        raise Ec2Error(
            "InvalidBlockDeviceMapping",
            f"Only one of Ebs, VirtualName or NoDevice may be given for: {device}",
        )
    if no_device is not None:
        return {"device_name": device, "no_device": True}
    if virtual_name is not None:
        if not _VIRTUAL_NAME.fullmatch(virtual_name):
            raise invalid_parameter_value(
                f"Value ({virtual_name}) for parameter virtualName is invalid. "
                "Expected: 'ephemeral[0..23]'."
            )
        return {"device_name": device, "virtual_name": virtual_name}
    if ebs is None:
        raise Ec2Error(
            "InvalidBlockDeviceMapping",
            f"Either snapshot ID or volume size must be provided for: {device}",
        )
    snapshot_id = ebs.get("SnapshotId")
    size = ebs.get("VolumeSize")
    if snapshot_id is None and size is None:
        raise Ec2Error(
            "InvalidBlockDeviceMapping",
            f"Either snapshot ID or volume size must be provided for: {device}",
        )
    if snapshot_id is not None:
        snapshot_size = _check_snapshot(snapshot_id, known)
        if size is None:
            size = snapshot_size
        elif size < snapshot_size:
            raise invalid_parameter_value(
                f"Volume of size {size}GB is smaller than snapshot '{snapshot_id}', "
                f"expect size >= {snapshot_size}GB"
            )
    if size < 1 or size > 16384:
        raise invalid_parameter_value(
            f"Value ({size}) for parameter volumeSize is invalid. Expected a size between 1 and 16384."
        )
    spec: dict[str, Any] = {
        "snapshot_id": snapshot_id,
        "volume_size": size,
        "volume_type": ebs.get("VolumeType", "gp2"),
        "delete_on_termination": ebs.get("DeleteOnTermination", True),
        "encrypted": bool(ebs.get("Encrypted", False)),
    }
    if ebs.get("Iops") is not None:
        spec["iops"] = ebs["Iops"]
    return {"device_name": device, "ebs": spec}


@operation("RegisterImage")
def register_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Name"]
    _check_name(name)
    description = params.get("Description")
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise invalid_parameter_value(
            f"The description must be {MAX_DESCRIPTION} characters or fewer."
        )
    known = catalogue_snapshots(ctx.region)
    requested = [
        (item.get("Ebs") or {}).get("SnapshotId") for item in params.get("BlockDeviceMappings") or []
    ]
    stored = ctx.uow.snapshots.get(
        ctx.account_id, ctx.region, [s for s in requested if s and ids.is_well_formed("snap", s)]
    )
    known.update({snapshot_id: row["volume_size"] for snapshot_id, row in stored.items()})
    mappings = [_mapping(item, known) for item in params.get("BlockDeviceMappings") or []]
    for mapping in mappings:
        snapshot = stored.get(mapping.get("ebs", {}).get("snapshot_id"))
        if snapshot is not None and snapshot["encrypted"]:
            mapping["ebs"]["encrypted"] = True
    devices = [m["device_name"] for m in mappings]
    for device in devices:
        if devices.count(device) > 1:
            raise Ec2Error(
                "InvalidBlockDeviceMapping",
                f"The device '{device}' is used in more than one block-device mapping",
            )
    root_device = params.get("RootDeviceName") or DEFAULT_ROOT_DEVICE
    root = next((m for m in mappings if m["device_name"] == root_device), None)
    location = params.get("ImageLocation")
    if root is not None and "ebs" in root and root["ebs"]["snapshot_id"]:
        root_type = "ebs"
        architecture = params.get("Architecture", "i386")
        location = f"{ctx.account_id}/{name}"
    elif location:
        if root is not None and "ebs" in root:
            raise Ec2Error(
                "InvalidBlockDeviceMapping",
                f"The root device '{root_device}' of an EBS-backed image must be mapped to a snapshot",
            )
        root_type = "instance-store"
        architecture = params.get("Architecture", "x86_64")
    else:
        raise Ec2Error(
            "InvalidBlockDeviceMapping",
            f"The root device '{root_device}' must be mapped to an EBS snapshot, "
            "or ImageLocation must name an instance-store image manifest",
        )
    image_tags, = tags_from_specifications(params.get("TagSpecifications"), ("image",))
    for row in ctx.uow.images.find(ctx.region, [ctx.account_id]):
        if row["name"] == name:
            raise Ec2Error(
                "InvalidAMIName.Duplicate",
                f"AMI name {name} is already in use by AMI {row['image_id']}",
            )
    ctx.dry_run(params)
    image_id = ids.new_id("ami")
    used = [m["ebs"]["snapshot_id"] for m in mappings if "ebs" in m and m["ebs"]["snapshot_id"] in stored]
    ctx.uow.images.link_snapshots(image_id, used)
    pending = any(stored[s]["state"] == "pending" for s in used)
    ctx.uow.images.insert(
        {
            "image_id": image_id,
            "account_id": ctx.account_id,
            "region": ctx.region,
            "name": name,
            "description": description,
            "architecture": architecture,
            "root_device_type": root_type,
            "root_device_name": root_device,
            "virtualization_type": params.get("VirtualizationType", "paravirtual"),
            "image_location": location,
            "block_device_mappings": mappings,
            "ena_support": bool(params.get("EnaSupport", False)),
            "state": "pending" if pending else "available",
            "creation_date": ctx.now_ts,
        }
    )
    ctx.uow.tags.put(ctx.account_id, ctx.region, image_id, "image", image_tags)
    return {"ImageId": image_id}


# --------------------------------------------------------------------------- DeregisterImage


def _not_authorized(image_id: str) -> Ec2Error:
    return Ec2Error("AuthFailure", f"Not authorized for image:{image_id}", 400)


@operation("DeregisterImage")
def deregister_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    image_id = params["ImageId"]
    check_image_id(image_id)
    if any(image["image_id"] == image_id for image in _catalogue_cached(ctx.region)):
        raise _not_authorized(image_id)
    row = ctx.uow.images.get(ctx.region, [image_id]).get(image_id)
    if row is None:
        raise image_not_found([image_id])
    if row["account_id"] != ctx.account_id:
        raise _not_authorized(image_id)
    ctx.dry_run(params)
    ctx.uow.images.delete(image_id)
    for key, _ in ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [image_id]).get(image_id, []):
        ctx.uow.tags.delete(ctx.account_id, ctx.region, image_id, key)
    return {"Return": True}


# --------------------------------------------------------------------------- CreateImage


def _ebs_override(device: str, base: dict[str, Any], ebs: dict[str, Any], snapshot_size: int | None) -> dict[str, Any]:
    spec = dict(base)
    if ebs.get("VolumeSize") is not None:
        size = ebs["VolumeSize"]
        if snapshot_size is not None and size < snapshot_size:
            raise invalid_parameter_value(
                f"Volume of size {size}GB is smaller than snapshot '{spec.get('snapshot_id')}', "
                f"expect size >= {snapshot_size}GB"
            )
        spec["volume_size"] = size
    if ebs.get("VolumeType") is not None:
        spec["volume_type"] = ebs["VolumeType"]
    if ebs.get("DeleteOnTermination") is not None:
        spec["delete_on_termination"] = bool(ebs["DeleteOnTermination"])
    if ebs.get("Iops") is not None:
        spec["iops"] = ebs["Iops"]
    if ebs.get("Encrypted") is not None:
        spec["encrypted"] = spec.get("encrypted", False) or bool(ebs["Encrypted"])
    return spec


@operation("CreateImage")
def create_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Name"]
    _check_name(name)
    description = params.get("Description")
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise invalid_parameter_value(f"The description must be {MAX_DESCRIPTION} characters or fewer.")
    _, rows = instance_service.load_instances(ctx, [params["InstanceId"]])
    instance = rows[params["InstanceId"]]
    instance_id = instance["instance_id"]
    if instance["root_device_type"] != "ebs":
        raise invalid_parameter_value(
            f"The instance '{instance_id}' does not have an 'ebs' root device type; "
            "only EBS-backed instances can be imaged."
        )
    if instance["state"] not in ("running", "stopped"):
        raise Ec2Error(
            "IncorrectInstanceState",
            f"The instance '{instance_id}' is not in a state from which it can be imaged.",
        )
    volumes = ctx.uow.volumes.attached_to([instance_id]).get(instance_id, [])
    # Device -> (mapping, source volume or None)
    plan: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for volume in volumes:
        spec: dict[str, Any] = {
            "snapshot_id": None,
            "volume_size": volume["size"],
            "volume_type": volume["volume_type"],
            "delete_on_termination": volume["delete_on_termination"],
            "encrypted": volume["encrypted"],
        }
        if volume["volume_type"] in ("gp3", "io1", "io2") and volume["iops"] is not None:
            spec["iops"] = volume["iops"]
        if volume["throughput"] is not None:
            spec["throughput"] = volume["throughput"]
        plan[volume["device"]] = ({"device_name": volume["device"], "ebs": spec}, volume)
    for stored in instance.get("instance_store_mappings") or []:
        plan.setdefault(stored["device_name"], (dict(stored), None))
    seen: set[str] = set()
    for item in params.get("BlockDeviceMappings") or []:
        device = item.get("DeviceName")
        if not device:
            raise Ec2Error("InvalidBlockDeviceMapping", "Missing device name")
        if device in seen:
            raise Ec2Error(
                "InvalidBlockDeviceMapping",
                f"The device '{device}' is used in more than one block-device mapping",
            )
        seen.add(device)
        existing = plan.get(device)
        if item.get("NoDevice") is not None:
            if device == instance["root_device_name"]:
                raise Ec2Error(
                    "InvalidBlockDeviceMapping",
                    f"The root device '{device}' cannot be suppressed with NoDevice",
                )
            plan[device] = ({"device_name": device, "no_device": True}, None)
        elif item.get("Ebs") is not None and existing is not None and existing[1] is not None:
            source = existing[1]
            snapshot_size = source["size"]
            spec = _ebs_override(device, existing[0]["ebs"], item["Ebs"], snapshot_size)
            plan[device] = ({"device_name": device, "ebs": spec}, source)
        else:
            plan[device] = (_mapping(item, catalogue_snapshots(ctx.region)), None)
    image_tags, snapshot_tags = tags_from_specifications(
        params.get("TagSpecifications"), ("image", "snapshot")
    )
    for row in ctx.uow.images.find(ctx.region, [ctx.account_id]):
        if row["name"] == name:
            raise Ec2Error(
                "InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {row['image_id']}"
            )
    ctx.dry_run(params)
    image_id = ids.new_id("ami")
    mappings: list[dict[str, Any]] = []
    snapshot_rows: list[dict[str, Any]] = []
    for mapping, origin in plan.values():
        if origin is not None and "ebs" in mapping:
            snapshot = snapshot_service.new_snapshot_row(
                ctx, origin, f"Created by CreateImage({instance_id}) for {image_id}"
            )
            snapshot_rows.append(snapshot)
            mapping["ebs"]["snapshot_id"] = snapshot["snapshot_id"]
        mappings.append(mapping)
    ctx.uow.snapshots.insert(snapshot_rows)
    for snapshot in snapshot_rows:
        ctx.uow.tags.put(ctx.account_id, ctx.region, snapshot["snapshot_id"], "snapshot", snapshot_tags)
    ctx.uow.images.link_snapshots(image_id, [s["snapshot_id"] for s in snapshot_rows])
    ctx.uow.images.insert(
        {
            "image_id": image_id,
            "account_id": ctx.account_id,
            "region": ctx.region,
            "name": name,
            "description": description,
            "architecture": instance["architecture"],
            "root_device_type": "ebs",
            "root_device_name": instance["root_device_name"],
            "virtualization_type": instance["virtualization_type"],
            "image_location": f"{ctx.account_id}/{name}",
            "block_device_mappings": mappings,
            "ena_support": True,
            "state": "pending" if snapshot_rows else "available",
            "creation_date": ctx.now_ts,
        }
    )
    ctx.uow.tags.put(ctx.account_id, ctx.region, image_id, "image", image_tags)
    return {"ImageId": image_id}
