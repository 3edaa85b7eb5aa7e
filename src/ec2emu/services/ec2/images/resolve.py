"""``ImageId=resolve:ssm:NAME`` (and ``resolve:ssm:NAME:VERSION``) in RunInstances: the
image ID a Systems Manager parameter holds, read through the store (the caller's own
parameters of the region) or from the public parameters
(:mod:`ec2emu.services.shared.public_images`) — EC2 does not import the SSM service — and
what the launch asks permission for on the parameter.

Errors (AWS documents none for this; what a caller can act on):

* a parameter (or version) that does not exist, or a selector that is not a version
  number (no parameter has labels here): ``InvalidParameterValue`` "Invalid value
  'resolve:ssm:NAME' for parameter ImageId: the Systems Manager parameter NAME (version)
  does not exist.";
* a parameter whose value is not an image ID: ``InvalidAMIID.Malformed`` naming the value,
  as if the value had been given as ``ImageId``; an ID of no image is then the launch's
  ``InvalidAMIID.NotFound``.

Permissions: besides the image the parameter names (described as for any launch), the
caller needs ``ssm:GetParameters`` on the parameter
(``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME``; a public one's without the account), as
AWS's documentation says.
"""

from __future__ import annotations

import re
from typing import Any

from ec2emu.auth.authorization import Resource
from ec2emu.errors import Ec2Error, invalid_parameter_value
from ec2emu.services.ec2.errors import malformed_ami_id
from ec2emu.services.ec2.permissions import image_resources
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.public_images import PUBLIC_PREFIX, public_parameter

PREFIX = "resolve:ssm:"
IMAGE_ID = re.compile(r"ami-([0-9a-f]{8}|[0-9a-f]{17})")
VERSION = re.compile(r"[1-9][0-9]{0,8}")


def _split(reference: str) -> tuple[str, str | None]:
    if ":" in reference:
        name, selector = reference.rsplit(":", 1)
        return name, selector
    return reference, None


def _arn(ctx: RequestContext, name: str) -> str:
    account = "" if name.startswith(PUBLIC_PREFIX) else ctx.account_id
    return f"arn:aws:ssm:{ctx.region}:{account}:parameter{name if name.startswith('/') else '/' + name}"


def _value(ctx: RequestContext, name: str, selector: str | None) -> str | None:
    """The value of the parameter's version, ``None`` when there is none."""
    version = None
    if selector is not None:
        if not VERSION.fullmatch(selector):
            return None
        version = int(selector)
    if name.startswith(PUBLIC_PREFIX):
        found = public_parameter(ctx.region, name)
        return found.value if found is not None and version in (None, found.version) else None
    repository = ctx.uow.ssm_parameters
    row = repository.get(ctx.account_id, ctx.region, name)
    if row is not None and version not in (None, row["version"]):
        row = repository.version(ctx.account_id, ctx.region, name, version)
    return None if row is None else str(row["value"])


def image_id(ctx: RequestContext, value: Any) -> Any:
    """``value`` as given, or the image ID the parameter it resolves names."""
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return value
    name, selector = _split(value[len(PREFIX):])
    held = _value(ctx, name, selector)
    if held is None:
        shown = name if selector is None else f"{name} (version {selector})"
        raise invalid_parameter_value(
            f"Invalid value '{value}' for parameter ImageId: the Systems Manager parameter {shown} does not exist.")
    if not IMAGE_ID.fullmatch(held):
        raise malformed_ami_id(held)
    return held


def resolved(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    """RunInstances' parameters with ``ImageId`` resolved (``params`` when there is nothing to resolve)."""
    value = params.get("ImageId")
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return params
    return {**params, "ImageId": image_id(ctx, value)}


def launch_resources(ctx: RequestContext, value: Any) -> list[Resource]:
    """What a launch's ``ImageId`` asks permission for: the image; for ``resolve:ssm:`` also
    ``ssm:GetParameters`` on the parameter (an image that cannot be resolved is left to
    the handler's error)."""
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return image_resources(ctx, value)
    name, _ = _split(value[len(PREFIX):])
    resources = [Resource(_arn(ctx, name), {}, "ssm:GetParameters")]
    try:
        resources += image_resources(ctx, image_id(ctx, value))
    except Ec2Error:
        pass
    return resources
