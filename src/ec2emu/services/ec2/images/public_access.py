"""Image block public access: GetImageBlockPublicAccessState, EnableImageBlockPublicAccess
and DisableImageBlockPublicAccess, per account and region.

The state is ``block-new-sharing`` (no image of the account may be made public) or
``unblocked``. EC2 enables the block by default for new accounts (and for accounts that
have had no public AMI since July 2023); every account here is new, so the default is
``block-new-sharing``. EC2 says a change can take up to ten minutes to apply; here it
applies at once. Enabling the block leaves images already public as they are (it blocks
new sharing only). While blocked, sharing an image with ``all`` answers
``OperationNotPermitted`` with EC2's text (:mod:`.errors`). ``ManagedBy`` is always
``account``: declarative policies do not exist here.

The state is kept as a setting of the store, one key per account and region.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.images.errors import public_sharing_blocked
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext

BLOCKED = "block-new-sharing"
UNBLOCKED = "unblocked"


def _key(ctx: RequestContext) -> str:
    return f"image-block-public-access/{ctx.account_id}/{ctx.region}"


def block_state(ctx: RequestContext) -> str:
    """The account's image block public access state in the request's region."""
    state = ctx.uow.settings.get(_key(ctx))
    return BLOCKED if state is None else str(state)


def check_public_sharing(ctx: RequestContext) -> None:
    """``OperationNotPermitted`` while the account blocks public sharing of images."""
    if block_state(ctx) == BLOCKED:
        raise public_sharing_blocked()


@operation("GetImageBlockPublicAccessState")
def get_image_block_public_access_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.dry_run(params)
    return {"ImageBlockPublicAccessState": block_state(ctx), "ManagedBy": "account"}


@operation("EnableImageBlockPublicAccess")
def enable_image_block_public_access(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    state = params["ImageBlockPublicAccessState"]
    ctx.dry_run(params)
    ctx.uow.settings.set(_key(ctx), state)
    return {"ImageBlockPublicAccessState": state}


@operation("DisableImageBlockPublicAccess")
def disable_image_block_public_access(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.dry_run(params)
    ctx.uow.settings.set(_key(ctx), UNBLOCKED)
    return {"ImageBlockPublicAccessState": UNBLOCKED}
