"""IAM policies: inline policies of users, groups and roles; customer managed policies
with their versions; attaching managed policies (customer or AWS) to users, groups and
roles.

Every document is validated with :func:`ec2emu.auth.policy.parse_policy` (identity
policies: no ``Principal``) and answers ``MalformedPolicyDocument`` (400) when it is not
one; it is stored exactly as sent and answered URL-encoded, as IAM does. A managed
policy keeps at most five versions (``LimitExceeded``); its version IDs are ``v1``,
``v2``, … and never reused. AWS managed policies (:mod:`ec2emu.auth.managed_policies`)
can be attached and read but not changed or deleted.

Size quotas, counted as IAM does without whitespace: a managed policy version at most
6,144 characters; a user's inline policies together at most 2,048, a group's 5,120, a
role's 10,240 (``LimitExceeded``). The messages for the inline quotas, for a policy
that is not attached (``DetachUserPolicy``), for a missing version and for changing an
AWS managed policy are ours, as AWS's wording for them is not documented.
"""

from __future__ import annotations

from typing import Any

from ec2emu.auth.managed_policies import AWS_MANAGED
from ec2emu.auth.policy import parse_policy
from ec2emu.protocol.scalars import INT32, ScalarError, parse_integer
from ec2emu.services.iam.common import (
    checked_tags,
    encoded_document,
    iam_operation,
    managed_policy,
    page_in_memory,
    paged,
    policy_view,
    tag_owner,
    timestamp,
    unique_id,
)
from ec2emu.services.iam.entities import ENTITIES
from ec2emu.services.iam.errors import (
    aws_managed_policy,
    default_version,
    inline_policy_not_found,
    inline_policy_size,
    invalid_marker,
    policy_attached,
    policy_exists,
    policy_has_versions,
    policy_not_found,
    policy_version_not_found,
    quota_exceeded,
    version_limit,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.pagination import page_after

MAX_VERSIONS = 5
MANAGED_POLICY_SIZE = 6144
INLINE_SIZE = {"user": 2048, "group": 5120, "role": 10240}

Row = dict[str, Any]


def _size(document: str) -> int:
    return sum(1 for c in document if not c.isspace())


def _owner(ctx: RequestContext, kind: str, params: dict[str, Any]) -> Row:
    return ENTITIES[kind].named_in(ctx, params)


# ------------------------------------------------------------------ inline policies


def _put_inline(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    document = params["PolicyDocument"]
    parse_policy(document)
    owner = _owner(ctx, kind, params)
    owner_id, name = owner[f"{kind}_id"], params["PolicyName"]
    others = sum(_size(doc) for policy, doc in ctx.uow.iam.inline_policies(owner_id) if policy != name)
    if others + _size(document) > INLINE_SIZE[kind]:
        raise inline_policy_size(INLINE_SIZE[kind], kind, owner[f"{kind}_name"])
    ctx.uow.iam.put_inline_policy(ctx.account_id, owner_id, name, document)
    return {}


def _get_inline(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    owner = _owner(ctx, kind, params)
    name = params["PolicyName"]
    document = ctx.uow.iam.get_inline_policy(owner[f"{kind}_id"], name)
    if document is None:
        raise inline_policy_not_found(kind, name)
    label = f"{kind.capitalize()}Name"
    return {label: owner[f"{kind}_name"], "PolicyName": name, "PolicyDocument": encoded_document(document)}


def _list_inline(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    owner = _owner(ctx, kind, params)
    names = [name for name, _ in ctx.uow.iam.inline_policies(owner[f"{kind}_id"])]
    names, more = page_in_memory(names, params, lambda name: name)
    return {"PolicyNames": names, **more}


def _delete_inline(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    owner = _owner(ctx, kind, params)
    name = params["PolicyName"]
    if not ctx.uow.iam.delete_inline_policy(owner[f"{kind}_id"], name):
        raise inline_policy_not_found(kind, name)
    return {}


# ------------------------------------------------------------------ attachments


def _attach(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    owner = _owner(ctx, kind, params)
    arn = params["PolicyArn"]
    managed_policy(ctx, arn, f"Policy {arn} does not exist or is not attachable.")
    ctx.uow.iam.attach(ctx.account_id, kind, owner[f"{kind}_id"], arn)
    return {}


def _detach(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    owner = _owner(ctx, kind, params)
    arn = params["PolicyArn"]
    managed_policy(ctx, arn, f"Policy {arn} does not exist or is not attachable.")
    if not ctx.uow.iam.detach(owner[f"{kind}_id"], arn):
        raise policy_not_found(arn)
    return {}


def _list_attached(ctx: RequestContext, params: dict[str, Any], kind: str) -> dict[str, Any]:
    owner = _owner(ctx, kind, params)
    prefix = params.get("PathPrefix") or "/"
    attached = []
    for arn in ctx.uow.iam.attached(owner[f"{kind}_id"]):
        policy = managed_policy(ctx, arn, f"Policy {arn} was not found.")
        if policy["path"].startswith(prefix):
            attached.append({"PolicyName": policy["policy_name"], "PolicyArn": arn})
    attached.sort(key=lambda item: (item["PolicyName"].lower(), item["PolicyArn"]))
    attached, more = page_in_memory(
        attached, params, lambda item: (item["PolicyName"].lower(), item["PolicyArn"])
    )
    return {"AttachedPolicies": attached, **more}


def _register(kind: str) -> None:
    title = kind.capitalize()
    iam_operation(f"Put{title}Policy")(lambda ctx, params: _put_inline(ctx, params, kind))
    iam_operation(f"Get{title}Policy")(lambda ctx, params: _get_inline(ctx, params, kind))
    iam_operation(f"List{title}Policies")(lambda ctx, params: _list_inline(ctx, params, kind))
    iam_operation(f"Delete{title}Policy")(lambda ctx, params: _delete_inline(ctx, params, kind))
    iam_operation(f"Attach{title}Policy")(lambda ctx, params: _attach(ctx, params, kind))
    iam_operation(f"Detach{title}Policy")(lambda ctx, params: _detach(ctx, params, kind))
    iam_operation(f"ListAttached{title}Policies")(lambda ctx, params: _list_attached(ctx, params, kind))


for _kind in ("user", "group", "role"):
    _register(_kind)


# ------------------------------------------------------------------ managed policies


def _checked_document(document: str) -> str:
    parse_policy(document)
    if _size(document) > MANAGED_POLICY_SIZE:
        raise quota_exceeded("PolicySize", MANAGED_POLICY_SIZE)
    return document


def _own_policy(ctx: RequestContext, arn: str, message: str) -> Row:
    """A customer managed policy of the caller's account (AWS managed ones cannot change)."""
    row = managed_policy(ctx, arn, message)
    if arn in AWS_MANAGED:
        raise aws_managed_policy(arn)
    return row


@iam_operation("CreatePolicy")
def create_policy(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name, path = params["PolicyName"], str(params.get("Path") or "/")
    document = _checked_document(params["PolicyDocument"])
    tags = checked_tags(params.get("Tags"))
    if ctx.uow.iam.get_policy_by_name(ctx.account_id, name) is not None:
        raise policy_exists(name)
    row = {
        "arn": f"arn:aws:iam::{ctx.account_id}:policy{path}{name}",
        "account_id": ctx.account_id,
        "policy_name": name,
        "path": path,
        "policy_id": unique_id("ANPA"),
        "description": params.get("Description"),
    }
    ctx.uow.iam.insert_policy(row, document, ctx.now_ts)
    tag_owner(ctx, row["policy_id"], tags)
    stored = ctx.uow.iam.get_policy(row["arn"])
    assert stored is not None
    return {"Policy": policy_view(stored, tags=tags)}


@iam_operation("GetPolicy")
def get_policy(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    row = managed_policy(ctx, arn, f"Policy {arn} was not found.")
    tags = [] if arn in AWS_MANAGED else ctx.uow.iam.tags(row["policy_id"])
    return {"Policy": policy_view(row, description=True, tags=tags)}


@iam_operation("ListPolicies", refuses=("PolicyUsageFilter",))
def list_policies(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    scope = params.get("Scope") or "All"
    prefix = params.get("PathPrefix") or "/"
    only_attached = bool(params.get("OnlyAttached"))
    key = ("name_key", "arn")

    def read(after: Any, limit: int | None) -> list[Row]:
        if after is not None and (
            not isinstance(after, list) or len(after) != 2 or not all(isinstance(part, str) for part in after)
        ):
            raise invalid_marker()
        rows: list[Row] = []
        if scope in ("All", "AWS"):
            for arn, builtin in AWS_MANAGED.items():
                if builtin.path.startswith(prefix):
                    rows.append(managed_policy(ctx, arn, ""))
        if scope in ("All", "Local"):
            rows += ctx.uow.iam.list_policies(
                ctx.account_id,
                prefix,
                only_attached=only_attached,
                after=None if after is None else after[0],
                limit=None,
            )
        if only_attached:
            rows = [row for row in rows if row["attachment_count"] > 0]
        return page_after(rows, key, after, limit)

    rows, more = paged(params, read, key)
    return {"Policies": [policy_view(row) for row in rows], **more}


@iam_operation("DeletePolicy")
def delete_policy(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    row = _own_policy(ctx, arn, f"Policy {arn} was not found.")
    if row["attachment_count"] > 0:
        raise policy_attached()
    if len(ctx.uow.iam.policy_versions(arn)) > 1:
        raise policy_has_versions()
    ctx.uow.iam.delete_tags(row["policy_id"], [key for key, _ in ctx.uow.iam.tags(row["policy_id"])])
    ctx.uow.iam.delete_policy(arn)
    return {}


# ------------------------------------------------------------------ versions


def _version_number(version_id: str) -> int | None:
    """The number of ``vN`` (``None`` when there is none that a version could have)."""
    try:
        return parse_integer(version_id[1:].split(".", 1)[0], 1, INT32[1])
    except ScalarError:
        return None


def _version_view(row: Row, version: int, document: str | None, created: float) -> dict[str, Any]:
    view = {
        "VersionId": f"v{version}",
        "IsDefaultVersion": version == row["default_version"],
        "CreateDate": timestamp(created),
    }
    if document is not None:
        view["Document"] = encoded_document(document)
    return view


@iam_operation("CreatePolicyVersion")
def create_policy_version(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    document = _checked_document(params["PolicyDocument"])
    row = _own_policy(ctx, arn, f"Policy {arn} was not found.")
    if len(ctx.uow.iam.policy_versions(arn)) >= MAX_VERSIONS:
        raise version_limit(MAX_VERSIONS)
    version = row["next_version"]
    ctx.uow.iam.insert_policy_version(arn, version, document, ctx.now_ts)
    values: Row = {"next_version": version + 1, "update_date": ctx.now_ts}
    if params.get("SetAsDefault"):
        values["default_version"] = version
    ctx.uow.iam.update_policy(arn, values)
    row = {**row, **values}
    return {"PolicyVersion": _version_view(row, version, None, ctx.now_ts)}


def _version_or_404(ctx: RequestContext, arn: str, version_id: str) -> tuple[Row, Row | None]:
    row = managed_policy(ctx, arn, f"Policy {arn} was not found.")
    number = _version_number(version_id)
    if number is None:
        raise policy_version_not_found(arn, version_id)
    builtin = AWS_MANAGED.get(arn)
    if builtin is not None:
        if number != builtin.default_version:
            raise policy_version_not_found(arn, version_id)
        return row, None
    version = ctx.uow.iam.get_policy_version(arn, number)
    if version is None or version_id != f"v{number}":
        raise policy_version_not_found(arn, version_id)
    return row, version


@iam_operation("GetPolicyVersion")
def get_policy_version(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn, version_id = params["PolicyArn"], params["VersionId"]
    row, version = _version_or_404(ctx, arn, version_id)
    if version is None:
        builtin = AWS_MANAGED[arn]
        return {
            "PolicyVersion": _version_view(
                row, builtin.default_version, builtin.document, builtin.create_date
            )
        }
    return {
        "PolicyVersion": _version_view(row, version["version"], version["document"], version["create_date"])
    }


@iam_operation("ListPolicyVersions")
def list_policy_versions(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    row = managed_policy(ctx, arn, f"Policy {arn} was not found.")
    if arn in AWS_MANAGED:
        versions = [_version_view(row, row["default_version"], None, row["create_date"])]
    else:
        versions = [
            _version_view(row, v["version"], None, v["create_date"]) for v in ctx.uow.iam.policy_versions(arn)
        ]
    versions, more = page_in_memory(versions, params, lambda v: -int(v["VersionId"][1:]))
    return {"Versions": versions, **more}


def _own_version(ctx: RequestContext, params: dict[str, Any]) -> tuple[str, Row, int]:
    """A version of one of the caller's customer managed policies: the ARN, the policy and
    the version's number."""
    arn = params["PolicyArn"]
    _own_policy(ctx, arn, f"Policy {arn} was not found.")
    row, version = _version_or_404(ctx, arn, params["VersionId"])
    assert version is not None
    return arn, row, version["version"]


@iam_operation("DeletePolicyVersion")
def delete_policy_version(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn, row, version = _own_version(ctx, params)
    if version == row["default_version"]:
        raise default_version()
    ctx.uow.iam.delete_policy_version(arn, version)
    return {}


@iam_operation("SetDefaultPolicyVersion")
def set_default_policy_version(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    arn, _, version = _own_version(ctx, params)
    ctx.uow.iam.update_policy(arn, {"default_version": version, "update_date": ctx.now_ts})
    return {}
