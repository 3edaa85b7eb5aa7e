"""DescribeImages: the catalogue and the images visible to the caller, filtered and paged."""

from __future__ import annotations

from typing import Any

from ec2emu.errors import (
    ids_with_max_results,
    invalid_next_token,
)
from ec2emu.services.ec2.errors import (
    image_not_found,
    malformed_user_id,
)
from ec2emu.services.ec2.images.catalogue import ACCOUNT_ID, OWNER_ALIASES, catalogue
from ec2emu.services.ec2.images.common import check_image_id, image_view, stored_image
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import FilterSpec, apply_filters
from ec2emu.services.shared.pagination import decode_token, encode_token, page_size
from ec2emu.store.repository import Match


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


def _check_owners(owners: list[str], executable_users: list[str]) -> None:
    for owner in owners:
        if owner not in ("self", *OWNER_ALIASES) and not ACCOUNT_ID.fullmatch(owner):
            raise malformed_user_id(owner)
    for user in executable_users:
        if user not in ("self", "all") and not ACCOUNT_ID.fullmatch(user):
            raise malformed_user_id(user)


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
        raise ids_with_max_results("imagesSet")
    limit = page_size(params.get("MaxResults"))
    after = decode_token(params.get("NextToken"))
    if after is not None and not isinstance(after, str):
        raise invalid_next_token(params.get("NextToken"))
    images = catalogue(ctx.region) + [
        stored_image(row) for row in ctx.uow.images.find(ctx.region, [ctx.account_id])
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
