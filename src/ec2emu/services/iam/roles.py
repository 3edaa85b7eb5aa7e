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
from ec2emu.services.iam.common import (
    checked_tags,
    iam_operation,
    path_listing,
    role_or_404,
    role_view,
    tag_owner,
    tagging_operations,
    unique_id,
)
from ec2emu.services.iam.errors import delete_conflict, entity_exists
from ec2emu.services.shared.context import RequestContext

DEFAULT_MAX_SESSION_DURATION = 3600


@iam_operation("CreateRole")
def create_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name, path = params["RoleName"], str(params.get("Path") or "/")
    document = params["AssumeRolePolicyDocument"]
    parse_policy(document, kind="trust")
    tags = checked_tags(params.get("Tags"))
    if ctx.uow.iam.get_role(ctx.account_id, name) is not None:
        raise entity_exists("Role", name)
    row = {
        "role_id": unique_id("AROA"),
        "account_id": ctx.account_id,
        "role_name": name,
        "path": path,
        "arn": f"arn:aws:iam::{ctx.account_id}:role{path}{name}",
        "trust_policy": document,
        "max_session_duration": params.get("MaxSessionDuration") or DEFAULT_MAX_SESSION_DURATION,
        "description": params.get("Description"),
        "create_date": ctx.now_ts,
    }
    ctx.uow.iam.insert_role(row)
    tag_owner(ctx, row["role_id"], tags)
    return {"Role": role_view(row, tags)}


@iam_operation("GetRole")
def get_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = role_or_404(ctx, params["RoleName"])
    return {"Role": role_view(row, ctx.uow.iam.tags(row["role_id"]))}


@iam_operation("ListRoles")
def list_roles(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    items, more = path_listing(ctx, params, ctx.uow.iam.list_roles, role_view)
    return {"Roles": items, **more}


@iam_operation("UpdateAssumeRolePolicy")
def update_assume_role_policy(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    document = params["PolicyDocument"]
    parse_policy(document, kind="trust")
    row = role_or_404(ctx, params["RoleName"])
    ctx.uow.iam.update_role(row["role_id"], {"trust_policy": document})
    return {}


@iam_operation("DeleteRole")
def delete_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = role_or_404(ctx, params["RoleName"])
    iam, role_id = ctx.uow.iam, row["role_id"]
    if iam.inline_policies(role_id):
        raise delete_conflict("delete policies")
    if iam.attached(role_id):
        raise delete_conflict("detach all policies")
    iam.delete_role(role_id)
    return {}


tagging_operations("Role", lambda ctx, params: role_or_404(ctx, params["RoleName"])["role_id"])
