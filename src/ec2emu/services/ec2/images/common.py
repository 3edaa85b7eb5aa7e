"""What the image calls share: finding an image (catalogued, or stored: the caller's own,
shared with it or public) and the snapshots a launch or an image may use (a shared image's
snapshots are its owner's: launching it reads them), the wire view, ID, name and
block-device-mapping checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ec2emu.errors import (
    invalid_parameter_value,
)
from ec2emu.services.ec2.errors import (
    description_too_long,
    device_mapped_twice,
    duplicate_ami_name,
    image_not_found,
    invalid_virtual_name,
    malformed_ami_id,
    malformed_ami_name,
    malformed_snapshot_id,
    malformed_user_id,
    mapping_kinds,
    mapping_without_source,
    missing_device_name,
    smaller_than_snapshot,
    snapshot_not_found,
)
from ec2emu.services.ec2.images.catalogue import (
    ACCOUNT_ID,
    AMI_NAME,
    MAX_DESCRIPTION,
    VIRTUAL_NAME,
    catalogue,
    catalogue_cached,
    catalogue_snapshots,
    copy_image,
)
from ec2emu.services.ec2.views import with_members
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.store.images import PUBLIC


def snapshot_source(ctx: RequestContext, snapshot_id: str) -> dict[str, Any] | None:
    """A snapshot a launch or an image may use: one of this account's snapshots here, or a
    catalogue image's root snapshot (``size``, ``encrypted``, ``kms_key_id``, ``state``,
    ``stored``), or ``None``."""
    row = ctx.uow.snapshots.get(ctx.account_id, ctx.region, [snapshot_id]).get(snapshot_id)
    if row is None:
        row = _shared_snapshot(ctx, snapshot_id)
    if row is not None:
        return {"size": row["volume_size"], "encrypted": row["encrypted"],
                "kms_key_id": row["kms_key_id"], "state": row["state"], "stored": True}
    size = catalogue_snapshots(ctx.region).get(snapshot_id)
    if size is None:
        return None
    return {"size": size, "encrypted": False, "kms_key_id": None, "state": "completed", "stored": False}


def _shared_snapshot(ctx: RequestContext, snapshot_id: str) -> dict[str, Any] | None:
    """Another account's snapshot that backs an image this account may launch (launching
    a shared image reads its snapshots), or ``None``."""
    using = ctx.uow.snapshots.images_using(snapshot_id)
    for image in images_by_id(ctx, using).values():
        if image["owner_id"] != ctx.account_id:
            row: dict[str, Any] | None = ctx.uow.snapshots.get(image["owner_id"], ctx.region, [snapshot_id]).get(
                snapshot_id)
            if row is not None:
                return row
    return None


def _snapshot_sources(ctx: RequestContext, wanted: list[str]) -> dict[str, dict[str, Any]]:
    found = {snapshot_id: snapshot_source(ctx, snapshot_id) for snapshot_id in wanted}
    return {snapshot_id: source for snapshot_id, source in found.items() if source is not None}


SNAPSHOT_SOURCES = ResourceKind("snap", malformed_snapshot_id, snapshot_not_found, _snapshot_sources)


def iso(timestamp: float) -> str:
    moment = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def stored_image(row: dict[str, Any], grantees: list[str] | None = None) -> dict[str, Any]:
    """A stored image in the domain shape; ``grantees`` its launch permissions."""
    granted = list(grantees or [])
    attributes = row.get("attributes") or {}
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
        "sriov_net_support": attributes.get("sriov_net_support"),
        "state": row["state"],
        "public": PUBLIC in granted,
        "grantees": granted,
        "creation_date": iso(row["creation_date"]),
        "boot_mode": attributes.get("boot_mode"),
        "imds_support": attributes.get("imds_support"),
        "tpm_support": attributes.get("tpm_support"),
        "uefi_data": attributes.get("uefi_data"),
        "deprecation_time": row.get("deprecation_time"),
        "last_launched_time": row.get("last_launched_time"),
        "source_image_id": row.get("source_image_id"),
        "source_image_region": row.get("source_image_region"),
        "block_device_mappings": list(row["block_device_mappings"]),
    }


def may_launch(account_id: str, image: dict[str, Any]) -> bool:
    """Whether ``account_id`` owns the image or has a launch permission for it (public,
    or granted to it)."""
    return image["owner_id"] == account_id or image["public"] or account_id in image.get("grantees", ())


def record_launch(ctx: RequestContext, image: dict[str, Any]) -> None:
    """Note that ``image`` was launched now (its ``lastLaunchedTime``; a catalogue image has
    no row to note it in)."""
    ctx.uow.images.update(image["image_id"], last_launched_time=ctx.now_ts)


def images_by_id(ctx: RequestContext, wanted: list[str], region: str | None = None) -> dict[str, dict[str, Any]]:
    """The images of these IDs as this account sees them in this region (or ``region``):
    catalogued, its own, or shared with it or public; by ID."""
    where = region or ctx.region
    chosen = set(wanted)
    found = {image["image_id"]: copy_image(image) for image in catalogue_cached(where)
             if image["image_id"] in chosen}
    rows = ctx.uow.images.get(where, [i for i in chosen if i not in found])
    grantees = ctx.uow.images.grantees(rows)
    for image_id, row in rows.items():
        image = stored_image(row, grantees.get(image_id))
        if may_launch(ctx.account_id, image):
            found[image_id] = image
    return found


def visible_images(ctx: RequestContext) -> list[dict[str, Any]]:
    """Every image this account sees in this region: the catalogue's, then its own and
    those shared with it or public, in ID order."""
    rows = ctx.uow.images.visible(ctx.region, ctx.account_id)
    grantees = ctx.uow.images.grantees(row["image_id"] for row in rows)
    return catalogue(ctx.region) + [stored_image(row, grantees.get(row["image_id"])) for row in rows]


IMAGES = ResourceKind("ami", malformed_ami_id, image_not_found, images_by_id)


def find_image(ctx: RequestContext, image_id: str) -> dict[str, Any] | None:
    """The image ``image_id`` as this account sees it in this region, or ``None``."""
    return images_by_id(ctx, [image_id]).get(image_id)


def check_accounts(values: list[str], names: tuple[str, ...]) -> None:
    """Each value an account ID or one of ``names`` (``InvalidUserID.Malformed`` otherwise)."""
    for value in values:
        if value not in names and not ACCOUNT_ID.fullmatch(value):
            raise malformed_user_id(value)


def mapping_view(mapping: dict[str, Any]) -> dict[str, Any]:
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
        "BlockDeviceMappings": [mapping_view(m) for m in image["block_device_mappings"]],
        "EnaSupport": image["ena_support"],
        "Hypervisor": "xen",
        "Name": image["name"],
        "RootDeviceName": image["root_device_name"],
        "RootDeviceType": image["root_device_type"],
        "VirtualizationType": image["virtualization_type"],
    }
    return with_members(
        view, Description=image["description"], ImageOwnerAlias=image["owner_alias"], Platform=image["platform"],
        SriovNetSupport=image["sriov_net_support"], BootMode=image["boot_mode"], ImdsSupport=image["imds_support"],
        TpmSupport=image.get("tpm_support"), SourceImageId=image.get("source_image_id"),
        SourceImageRegion=image.get("source_image_region"),
        DeprecationTime=None if image.get("deprecation_time") is None else iso(image["deprecation_time"]),
    )


def check_image_id(value: str) -> None:
    IMAGES.check_ids([value])


def check_name(name: str) -> None:
    if not AMI_NAME.fullmatch(name):
        raise malformed_ami_name()


def checked_name(params: dict[str, Any]) -> str:
    """A new image's ``Name`` (its form) and ``Description`` (its length) checked; the name."""
    name: str = params["Name"]
    check_name(name)
    description = params.get("Description")
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise description_too_long(MAX_DESCRIPTION)
    return name


def check_name_unused(ctx: RequestContext, name: str) -> None:
    """``InvalidAMIName.Duplicate`` when the account has an image of that name here."""
    for row in ctx.uow.images.find(ctx.region, [ctx.account_id]):
        if row["name"] == name:
            raise duplicate_ami_name(name, row["image_id"])


def store_image(ctx: RequestContext, image_id: str, params: dict[str, Any], tags: list[tuple[str, str]], *,
                pending: bool, **columns: Any) -> dict[str, Any]:
    """Keep a new image of the caller's, with the request's ``Name`` and ``Description``,
    ``columns`` and tags, ``pending`` or ``available``; the answer (its ID)."""
    ctx.uow.images.insert({
        "image_id": image_id,
        "account_id": ctx.account_id,
        "region": ctx.region,
        "name": params["Name"],
        "description": params.get("Description"),
        "attributes": None,
        **columns,
        "state": "pending" if pending else "available",
        "creation_date": ctx.now_ts,
    })
    ctx.uow.tags.put(ctx.account_id, ctx.region, image_id, "image", tags)
    return {"ImageId": image_id}


def requested_mappings(params: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The request's ``BlockDeviceMappings`` with their devices, each checked in turn to
    name one (``MissingParameter``) that no earlier mapping names."""
    seen: set[str] = set()
    for item in params.get("BlockDeviceMappings") or []:
        device = item.get("DeviceName")
        if not device:
            raise missing_device_name()
        if device in seen:
            raise device_mapped_twice(device)
        seen.add(device)
        yield device, item


def check_snapshot(snapshot_id: str, known: dict[str, int]) -> int:
    if not ids.is_well_formed("snap", snapshot_id):
        raise malformed_snapshot_id(snapshot_id)
    if snapshot_id not in known:
        raise snapshot_not_found([snapshot_id])
    return known[snapshot_id]


def mapping_of(item: dict[str, Any], known: dict[str, int]) -> dict[str, Any]:
    """One requested block device mapping, validated, in the domain shape."""
    device = item.get("DeviceName")
    if not device:
        raise missing_device_name()
    ebs = item.get("Ebs")
    virtual_name = item.get("VirtualName")
    no_device = item.get("NoDevice")
    if sum(x is not None for x in (ebs, virtual_name, no_device)) > 1:
        raise mapping_kinds(device)
    if no_device is not None:
        return {"device_name": device, "no_device": True}
    if virtual_name is not None:
        if not VIRTUAL_NAME.fullmatch(virtual_name):
            raise invalid_virtual_name(virtual_name)
        return {"device_name": device, "virtual_name": virtual_name}
    if ebs is None:
        raise mapping_without_source(device)
    snapshot_id = ebs.get("SnapshotId")
    size = ebs.get("VolumeSize")
    if snapshot_id is None and size is None:
        raise mapping_without_source(device)
    if snapshot_id is not None:
        snapshot_size = check_snapshot(snapshot_id, known)
        if size is None:
            size = snapshot_size
        elif size < snapshot_size:
            raise smaller_than_snapshot(size, snapshot_id, snapshot_size)
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
