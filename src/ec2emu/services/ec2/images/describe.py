"""DescribeImages: the catalogue and the images visible to the caller, filtered and paged
in memory (:func:`~ec2emu.services.shared.describe.in_memory`): pages in image ID order;
unpaged, the catalogue's images in its order, then the caller's own.

``Owners`` selects images by owner (``self``, an account ID or an alias);
``ExecutableUsers`` by launch permission: only public images carry one here (no image is
shared with an account explicitly), so ``all`` selects them and named users select
nothing. Tags on an image are the caller's own, also on public images.
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
    "sriov-net-support": "SriovNetSupport",
    "state": "State",
    "usage-operation": "UsageOperation",
    "virtualization-type": "VirtualizationType",
    # No image here carries a product code.
    "product-code": lambda values: nothing("ImageId"),
    "product-code.type": lambda values: nothing("ImageId"),
}


def _views(ctx: RequestContext) -> list[dict[str, Any]]:
    return with_tags(ctx, [image_view(image) for image in visible_images(ctx)], "ImageId")


def _owners_and_users(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    owners = params.get("Owners") or []
    users = params.get("ExecutableUsers") or []
    check_accounts(owners, ("self", *OWNER_ALIASES))
    check_accounts(users, ("self", "all"))
    matches = []
    if owners:
        matches.append(Match("owners", tuple(ctx.account_id if owner == "self" else owner for owner in owners)))
    if users:
        matches.append(Match("Public", ("true",)) if "all" in users else nothing("ImageId"))
    return matches


DESCRIBE_IMAGES = Describe(
    result="Images",
    key="ImageId",
    find=in_memory("ImageId", _views, {"owners": lambda view: [view["OwnerId"], view.get("ImageOwnerAlias")]}),
    filters=_IMAGE_FILTERS,
    criteria=_owners_and_users,
    named=by_ids("ImageIds", "imagesSet", IMAGES, read=False),
)


@operation("DescribeImages")
def describe_images(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_IMAGES)
