"""DescribeImages: the catalogue and the images visible to the caller — public, its own,
and those shared with it — filtered and paged in memory
(:func:`~ec2emu.services.shared.describe.in_memory`): pages in image ID order; unpaged,
the catalogue's images in its order, then the stored ones in ID order.

``Owners`` selects images by owner (``self``, an account ID or an alias);
``ExecutableUsers`` by explicit launch permission: ``all`` selects public images, ``self``
or the caller's own account ID the images shared with the caller, another account ID the
images (among those the caller sees) shared with that account. An owner's implicit right
to launch its own images is not an explicit permission: ``self`` does not select them.
An image whose deprecation time has passed is left out for every account but its owner,
unless ``IncludeDeprecated`` is true or the image is named in ``ImageIds``. No image is
ever ``disabled`` here, so ``IncludeDisabled`` is accepted only at its default. Tags on an
image are the caller's own, also on public and shared images.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.images.catalogue import OWNER_ALIASES
from ec2emu.services.ec2.images.common import IMAGES, check_accounts, image_view, visible_images
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe, in_memory
from ec2emu.services.shared.filters import nothing
from ec2emu.services.shared.tagging import with_tags
from ec2emu.store.repository import Match

# Paths into the image view.
_IMAGE_FILTERS: dict[str, Any] = {
    "architecture": "Architecture",
    "block-device-mapping.delete-on-termination": "BlockDeviceMappings.Ebs.DeleteOnTermination",
    "block-device-mapping.device-name": "BlockDeviceMappings.DeviceName",
    "block-device-mapping.encrypted": "BlockDeviceMappings.Ebs.Encrypted",
    "block-device-mapping.snapshot-id": "BlockDeviceMappings.Ebs.SnapshotId",
    "block-device-mapping.volume-size": "BlockDeviceMappings.Ebs.VolumeSize",
    "block-device-mapping.volume-type": "BlockDeviceMappings.Ebs.VolumeType",
    "creation-date": "CreationDate",
    "description": "Description",
    "ena-support": "EnaSupport",
    "hypervisor": "Hypervisor",
    "image-id": "ImageId",
    "image-type": "ImageType",
    "is-public": "Public",
    "manifest-location": "ImageLocation",
    "name": "Name",
    "owner-alias": "ImageOwnerAlias",
    "owner-id": "OwnerId",
    "platform": "Platform",
    "platform-details": "PlatformDetails",
    "root-device-name": "RootDeviceName",
    "root-device-type": "RootDeviceType",
    "source-image-id": "SourceImageId",
    "source-image-region": "SourceImageRegion",
    "sriov-net-support": "SriovNetSupport",
    "state": "State",
    "usage-operation": "UsageOperation",
    "virtualization-type": "VirtualizationType",
    # No image here carries a product code.
    "product-code": lambda values: nothing("ImageId"),
    "product-code.type": lambda values: nothing("ImageId"),
}


def _views(ctx: RequestContext) -> list[dict[str, Any]]:
    """The views with what only the criteria read: ``_grantees`` and ``_listed``
    ("false" for another account's deprecated image)."""
    images = visible_images(ctx)
    views = with_tags(ctx, [image_view(image) for image in images], "ImageId")
    for image, view in zip(images, views, strict=True):
        deprecated = image.get("deprecation_time") is not None and image["deprecation_time"] <= ctx.now_ts
        view["_grantees"] = list(image.get("grantees") or ())
        view["_listed"] = image["owner_id"] == ctx.account_id or not deprecated
    return views


def _without_hidden(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if not key.startswith("_")} for row in rows]


def _owners_and_users(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    owners = params.get("Owners") or []
    users = params.get("ExecutableUsers") or []
    check_accounts(owners, ("self", *OWNER_ALIASES))
    check_accounts(users, ("self", "all"))
    matches = []
    if owners:
        matches.append(Match("owners", tuple(ctx.account_id if owner == "self" else owner for owner in owners)))
    if users:
        matches.append(Match("_grantees", tuple(ctx.account_id if user == "self" else user for user in users)))
    if not params.get("ImageIds") and not params.get("IncludeDeprecated"):
        matches.append(Match("_listed", (True,)))
    return matches


DESCRIBE_IMAGES = Describe(
    result="Images",
    key="ImageId",
    find=in_memory("ImageId", _views, {"owners": lambda view: [view["OwnerId"], view.get("ImageOwnerAlias")]}),
    view=_without_hidden,
    filters=_IMAGE_FILTERS,
    criteria=_owners_and_users,
    named=by_ids("ImageIds", "imagesSet", IMAGES, read=False),
)


@operation("DescribeImages", defaults={"IncludeDisabled": False})
def describe_images(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_IMAGES)
