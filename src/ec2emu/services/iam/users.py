"""IAM users, their access keys and tags, and groups with their members.

Managed and inline policies are in :mod:`ec2emu.services.iam.policies`, roles in
:mod:`ec2emu.services.iam.roles`; what they share in :mod:`ec2emu.services.iam.common`.

A key made by ``CreateAccessKey`` signs requests at once (it is looked up in the
database by :class:`ec2emu.auth.credentials.StoreCredentials`); ``UpdateAccessKey`` to
``Inactive`` and ``DeleteAccessKey`` take effect on the next request. IAM itself is
eventually consistent; this endpoint is not.

Choices where IAM's documentation is silent:

* ``GetUser`` without ``UserName`` called by an account root answers the root: its
  account ID as ``UserId``, its ARN, and no name. ``CreateAccessKey``/``ListAccessKeys``
  without ``UserName`` need a calling IAM user; for other callers they answer IAM's
  ``ValidationError`` "Must specify userName when calling with non-User credentials"
  (root access keys are not made through IAM here: the accounts file holds them).
* ``DeleteUser`` checks, in this order, access keys, inline policies, attached policies
  and group memberships, and answers ``DeleteConflict`` for the first one present.
* Keys from the accounts file are not IAM access keys: ``ListAccessKeys`` does not show
  them and they count towards no quota; the file governs them.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.iam import entities
from ec2emu.services.iam.common import (
    access_key_id,
    caller_user_name,
    iam_operation,
    page_in_memory,
    secret_access_key,
    timestamp,
)
from ec2emu.services.iam.entities import GROUP, USER
from ec2emu.services.iam.errors import (
    access_key_not_found,
    invalid_key_status,
    quota_exceeded,
    user_not_in_group,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.iam import IamRepository

MAX_ACCESS_KEYS = 2


# ------------------------------------------------------------------ users


@iam_operation("CreateUser", refuses=("PermissionsBoundary",))
def create_user(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.create(ctx, USER, params)


@iam_operation("GetUser")
def get_user(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    principal = ctx.principal
    if params.get("UserName") is None and principal is not None and principal.is_root:
        return {"User": {"UserId": principal.account_id, "Arn": principal.arn, "CreateDate": ctx.now}}
    return entities.described(ctx, USER, USER.row(ctx, caller_user_name(ctx, params)))


@iam_operation("ListUsers")
def list_users(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.listing(ctx, USER, params)


@iam_operation("DeleteUser")
def delete_user(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.delete(ctx, USER, params)


entities.tagging_operations(USER)


# ------------------------------------------------------------------ access keys


def _key_view(user_name: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "UserName": user_name,
        "AccessKeyId": row["access_key_id"],
        "Status": row["status"],
        "CreateDate": timestamp(row["create_date"]),
    }


@iam_operation("CreateAccessKey")
def create_access_key(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    user = USER.row(ctx, caller_user_name(ctx, params))
    if len(ctx.uow.iam.access_keys_of(user["user_id"])) >= MAX_ACCESS_KEYS:
        raise quota_exceeded("AccessKeysPerUser", MAX_ACCESS_KEYS)
    row = {
        "access_key_id": access_key_id(),
        "account_id": ctx.account_id,
        "user_id": user["user_id"],
        "secret_access_key": secret_access_key(),
        "status": "Active",
        "create_date": ctx.now_ts,
    }
    ctx.uow.iam.insert_access_key(row)
    return {"AccessKey": {**_key_view(user["user_name"], row), "SecretAccessKey": row["secret_access_key"]}}


@iam_operation("ListAccessKeys")
def list_access_keys(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    user = USER.row(ctx, caller_user_name(ctx, params))
    keys = ctx.uow.iam.access_keys_of(user["user_id"])
    keys, more = page_in_memory(keys, params, lambda row: row["access_key_id"])
    return {"AccessKeyMetadata": [_key_view(user["user_name"], row) for row in keys], **more}


def _own_key(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    user = USER.row(ctx, caller_user_name(ctx, params))
    key_id = params["AccessKeyId"]
    row = ctx.uow.iam.get_access_key(key_id)
    if row is None or row["user_id"] != user["user_id"]:
        raise access_key_not_found(key_id)
    return row


@iam_operation("UpdateAccessKey")
def update_access_key(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    status = params["Status"]
    if status not in ("Active", "Inactive"):
        raise invalid_key_status(status)
    row = _own_key(ctx, params)
    ctx.uow.iam.set_access_key_status(row["access_key_id"], status)
    return {}


@iam_operation("DeleteAccessKey")
def delete_access_key(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = _own_key(ctx, params)
    ctx.uow.iam.delete_access_key(row["access_key_id"])
    return {}


# ------------------------------------------------------------------ groups


@iam_operation("CreateGroup")
def create_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.create(ctx, GROUP, params)


@iam_operation("GetGroup")
def get_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group, users, more = entities.related(ctx, params, GROUP, USER, IamRepository.members)
    return {"Group": GROUP.view(group), "Users": users, **more}


@iam_operation("ListGroups")
def list_groups(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.listing(ctx, GROUP, params)


@iam_operation("ListGroupsForUser")
def list_groups_for_user(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _, groups, more = entities.related(ctx, params, USER, GROUP, IamRepository.groups_of)
    return {"Groups": groups, **more}


@iam_operation("AddUserToGroup")
def add_user_to_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = GROUP.named_in(ctx, params)
    user = USER.named_in(ctx, params)
    ctx.uow.iam.add_member(group["group_id"], user["user_id"])
    return {}


@iam_operation("RemoveUserFromGroup")
def remove_user_from_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = GROUP.named_in(ctx, params)
    user = USER.named_in(ctx, params)
    if not ctx.uow.iam.remove_member(group["group_id"], user["user_id"]):
        raise user_not_in_group(user["user_name"], group["group_name"])
    return {}


@iam_operation("DeleteGroup")
def delete_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.delete(ctx, GROUP, params)
