"""IAM roles: CreateRole, GetRole, ListRoles, DeleteRole, their tags (TagRole,
UntagRole, ListRoleTags) and UpdateAssumeRolePolicy. Their inline and attached policies
are in :mod:`ec2emu.services.iam.policies`; assuming a role is STS's.

The trust policy (``AssumeRolePolicyDocument``) is validated as one: every statement
names a ``Principal`` (``MalformedPolicyDocument`` otherwise). ``MaxSessionDuration``
is 3,600 to 43,200 seconds (default 3,600), checked with IAM's ``ValidationError``.
``DeleteRole`` answers ``DeleteConflict`` while the role has inline or attached
policies; sessions already issued for it keep their credentials until they expire, but
carry no policies any more.
"""

from __future__ import annotations

from typing import Any

from ec2emu.auth.policy import parse_policy
from ec2emu.services.iam import entities
from ec2emu.services.iam.common import iam_operation
from ec2emu.services.iam.entities import ROLE
from ec2emu.services.shared.context import RequestContext

DEFAULT_MAX_SESSION_DURATION = 3600


@iam_operation("CreateRole", refuses=("PermissionsBoundary",))
def create_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    document = params["AssumeRolePolicyDocument"]
    parse_policy(document, kind="trust")
    return entities.create(
        ctx, ROLE, params, trust_policy=document,
        max_session_duration=params.get("MaxSessionDuration") or DEFAULT_MAX_SESSION_DURATION,
        description=params.get("Description"),
    )


@iam_operation("GetRole")
def get_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.described(ctx, ROLE, ROLE.named_in(ctx, params))


@iam_operation("ListRoles")
def list_roles(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.listing(ctx, ROLE, params)


@iam_operation("UpdateAssumeRolePolicy")
def update_assume_role_policy(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    document = params["PolicyDocument"]
    parse_policy(document, kind="trust")
    row = ROLE.named_in(ctx, params)
    ctx.uow.iam.update_role(row["role_id"], {"trust_policy": document})
    return {}


@iam_operation("DeleteRole")
def delete_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.delete(ctx, ROLE, params)


entities.tagging_operations(ROLE)
