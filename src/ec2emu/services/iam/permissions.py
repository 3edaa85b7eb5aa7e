"""What each IAM action asks permission for: the instance profile, user, group, role or
policy the request names (a profile before a role), path included (for one not yet
existing, the path from the request); ``AddRoleToInstanceProfile`` also ``iam:PassRole`` on
the role, when it exists; ``List*`` without a name the type's ARN with an empty name
(``arn:aws:iam::ACCOUNT:user/``);
access-key and user actions that name no user act on the caller; ``iam:PolicyARN`` for
attachments, ``iam:ResourceTag/k`` for the named user's, role's or instance profile's tags,
``aws:RequestTag/k``/``aws:TagKeys`` for tags."""

from __future__ import annotations

from typing import Any

from ec2emu.auth.arn import iam_arn
from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import Describer, describes_by_default, request_tags, tag_keys

_IAM_LISTS = {"ListUsers": "user", "ListGroups": "group", "ListRoles": "role", "ListPolicies": "policy",
              "ListInstanceProfiles": "instance-profile"}
_IAM_SELF = {"GetUser", "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey",
             "ListUserPolicies", "ListAttachedUserPolicies", "ListGroupsForUser", "ChangePassword",
             "ListUserTags"}


def _iam_entity(ctx: RequestContext, kind: str, name: str, created_path: Any) -> Resource:
    iam = ctx.uow.iam
    account = ctx.account_id
    lookup = getattr(iam, f"get_{kind}", None)
    row = lookup(account, name) if lookup is not None else None
    keys: dict[str, ContextValue] = {}
    if row is not None and row.get("arn"):
        arn = row["arn"]
        if kind in ("user", "role", "instance_profile"):
            keys.update(tag_keys(("iam:ResourceTag", "aws:ResourceTag"), iam.tags(row[f"{kind}_id"])))
    else:
        path = created_path if isinstance(created_path, str) and created_path else "/"
        arn = iam_arn(account, kind.replace("_", "-"), name, path)
    return Resource(arn, keys)


def _iam_request(ctx: RequestContext, params: dict[str, Any], action: str) -> list[Resource]:
    path = params.get("Path")
    policy_arn = params.get("PolicyArn")
    extra: list[Resource] = []
    if isinstance(params.get("InstanceProfileName"), str):
        resource = _iam_entity(ctx, "instance_profile", params["InstanceProfileName"],
                               path if action == "CreateInstanceProfile" else None)
        extra = _passed_role(ctx, params) if action == "AddRoleToInstanceProfile" else []
    elif isinstance(params.get("RoleName"), str):
        resource = _iam_entity(ctx, "role", params["RoleName"], path if action == "CreateRole" else None)
    elif isinstance(params.get("GroupName"), str):
        resource = _iam_entity(ctx, "group", params["GroupName"], path if action == "CreateGroup" else None)
    elif isinstance(params.get("UserName"), str):
        resource = _iam_entity(ctx, "user", params["UserName"], path if action == "CreateUser" else None)
    elif isinstance(policy_arn, str):
        resource = Resource(policy_arn)
    elif action == "CreatePolicy" and isinstance(params.get("PolicyName"), str):
        resource = Resource(iam_arn(ctx.account_id, "policy", params["PolicyName"],
                                    path if isinstance(path, str) and path else "/"))
    elif action in _IAM_LISTS:
        prefix = params.get("PathPrefix") if isinstance(params.get("PathPrefix"), str) else "/"
        resource = Resource(iam_arn(ctx.account_id, _IAM_LISTS[action], "", prefix or "/"))
    elif action in _IAM_SELF and ctx.principal is not None and ctx.principal.kind == "user":
        resource = Resource(ctx.principal.arn)
    else:
        resource = Resource("*")
    keys = dict(resource.keys)
    if isinstance(policy_arn, str):
        keys["iam:PolicyARN"] = policy_arn
    keys.update(request_tags(params.get("Tags")))
    return [Resource(resource.arn, keys), *extra]


def _passed_role(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    """``iam:PassRole`` on the role put in a profile, if it exists (else the handler's
    ``NoSuchEntity``)."""
    name = params.get("RoleName")
    role = ctx.uow.iam.get_role(ctx.account_id, name) if isinstance(name, str) else None
    return [] if role is None else [Resource(role["arn"], {}, "iam:PassRole")]


@describes_by_default("iam")
def _iam_describer(action: str) -> Describer:
    return lambda ctx, params: _iam_request(ctx, params, action)
