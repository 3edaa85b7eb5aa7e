"""STS on the EC2 endpoint's port: who am I.

``GetCallerIdentity`` answers the signing principal's user ID, account and ARN (the
account root for credentials that only permissive mode accepts). AssumeRole and
DecodeAuthorizationMessage come with the IAM API.
"""

from __future__ import annotations

from typing import Any

from ec2emu.service.context import RequestContext
from ec2emu.service.registry import operation


@operation("GetCallerIdentity", service="sts")
def get_caller_identity(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    principal = ctx.principal
    assert principal is not None, "STS calls always run for an authenticated principal"
    return {"UserId": principal.user_id, "Account": principal.account_id, "Arn": principal.arn}
