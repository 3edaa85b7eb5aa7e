"""What each STS action asks permission for: ``GetCallerIdentity`` is always allowed
(as on AWS); ``AssumeRole`` is decided by its handler together with the role's trust
policy; ``DecodeAuthorizationMessage`` checks ``*``."""

from __future__ import annotations

from typing import Any

from ec2emu.auth.authorization import Resource
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes


@describes("sts", "GetCallerIdentity", "AssumeRole")
def _decided_elsewhere(ctx: RequestContext, params: dict[str, Any]) -> None:
    return None


@describes("sts", "DecodeAuthorizationMessage")
def _anything(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return [Resource("*")]
