"""Sharing EBS snapshots: ModifySnapshotAttribute, DescribeSnapshotAttribute and
ResetSnapshotAttribute (the ``createVolumePermission`` attribute; ``productCodes`` is
read-only and always empty here).

A permission names an account (``UserId``, twelve digits, else ``InvalidUserID.Malformed``)
or the group ``all`` (public). It is given either flat — ``Attribute=createVolumePermission``,
``OperationType=add|remove``, ``UserIds``, ``GroupNames`` — or as
``CreateVolumePermission={Add: [...], Remove: [...]}``; a call may not both add and
remove (``InvalidParameterCombination``), nor change more than 500 permissions
(``InvalidParameterValue``, our wording). Only the owner may change or read the
attribute (another account's snapshot is ``InvalidSnapshot.NotFound`` to these calls).
An encrypted snapshot cannot be made public (``UnsupportedOperation``, AWS's observed
text), and one encrypted with the account's AWS-managed ``aws/ebs`` key cannot be shared
with an account (``InvalidParameter``, AWS's observed text); an archived snapshot cannot
be shared (``IncorrectState``, :mod:`ec2emu.services.ec2.snapshot_tiers`). Removing a
permission that was never granted changes nothing. ResetSnapshotAttribute removes every
permission. Each account given a permission gets an ``EBS Snapshot Notification``
(``shareSnapshot``, :mod:`ec2emu.lifecycle.notifications`) in the call's transaction.

What a permission gives the other account (DescribeSnapshots lists the snapshot,
CreateVolume and CopySnapshot may use it) is :mod:`ec2emu.services.ec2.snapshots`',
:mod:`ec2emu.services.ec2.volumes`' and :mod:`ec2emu.services.ec2.snapshot_copies`'.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.services.ec2.ebs_errors import (
    add_and_remove,
    bad_group,
    bad_operation_type,
    default_key_shared,
    no_permission_change,
    public_encrypted,
    read_only_attribute,
    reset_attribute,
    too_many_permissions,
)
from ec2emu.services.ec2.errors import malformed_user_id
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.tier_state import refuse_archived
from ec2emu.services.ec2.volumes import SNAPSHOTS, default_kms_key
from ec2emu.services.shared.context import RequestContext

PERMISSION = "createVolumePermission"
PRODUCT_CODES = "productCodes"
PUBLIC = "all"
MAX_CHANGES = 500  # modifications of the attribute in one call


def _grantee(entry: dict[str, Any]) -> str:
    group = entry.get("Group")
    if group is not None:
        if group != PUBLIC:
            raise bad_group(str(group))
        return PUBLIC
    user = entry.get("UserId")
    if user is None:
        raise no_permission_change()
    return _user(user)


def _user(user: str) -> str:
    if not (len(user) == 12 and user.isdigit()):
        raise malformed_user_id(user)
    return user


def _changes(params: dict[str, Any]) -> tuple[str, list[str]]:
    """The operation (``add`` or ``remove``) and its grantees, from either form."""
    attribute = params.get("Attribute")
    if attribute == PRODUCT_CODES:
        raise read_only_attribute(attribute)
    add: list[str] = []
    remove: list[str] = []
    structured = params.get("CreateVolumePermission") or {}
    add += [_grantee(entry) for entry in structured.get("Add") or []]
    remove += [_grantee(entry) for entry in structured.get("Remove") or []]
    flat = [*(_user(u) for u in params.get("UserIds") or []),
            *(PUBLIC if g == PUBLIC else _raise_group(g) for g in params.get("GroupNames") or [])]
    kind = params.get("OperationType")
    if kind is not None and kind not in ("add", "remove"):
        raise bad_operation_type(str(kind))
    if flat:
        if kind is None:
            raise missing_parameter("operationType")
        (add if kind == "add" else remove).extend(flat)
    if add and remove:
        raise add_and_remove()
    if len(add) > MAX_CHANGES or len(remove) > MAX_CHANGES:
        raise too_many_permissions(MAX_CHANGES)
    if not add and not remove:
        raise no_permission_change()
    return ("add", add) if add else ("remove", remove)


def _raise_group(group: str) -> str:
    raise bad_group(group)


@operation("ModifySnapshotAttribute")
def modify_snapshot_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    snapshot = SNAPSHOTS.one(ctx, params["SnapshotId"])
    kind, grantees = _changes(params)
    if kind == "add":
        refuse_archived(ctx, snapshot, "shared")
        if snapshot["encrypted"] and PUBLIC in grantees:
            raise public_encrypted()
        if snapshot["encrypted"] and snapshot["kms_key_id"] == default_kms_key(ctx.account_id, ctx.region):
            raise default_key_shared()
    ctx.dry_run(params)
    if kind == "add":
        ctx.uow.snapshots.grant(snapshot["snapshot_id"], grantees)
        accounts = list(dict.fromkeys(grantee for grantee in grantees if grantee != PUBLIC))
        ctx.uow.outbox.shared(snapshot["snapshot_id"], ctx.region, ctx.account_id, accounts, ctx.now_ts)
    else:
        ctx.uow.snapshots.revoke(snapshot["snapshot_id"], grantees)
    return {}


def _attribute(params: dict[str, Any]) -> str:
    attribute = params["Attribute"]
    return str(attribute)


@operation("DescribeSnapshotAttribute")
def describe_snapshot_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    snapshot = SNAPSHOTS.one(ctx, params["SnapshotId"])
    attribute = _attribute(params)
    ctx.dry_run(params)
    result: dict[str, Any] = {"SnapshotId": snapshot["snapshot_id"]}
    if attribute == PRODUCT_CODES:
        result["ProductCodes"] = []
        return result
    grantees = ctx.uow.snapshots.grants([snapshot["snapshot_id"]]).get(snapshot["snapshot_id"], [])
    result["CreateVolumePermissions"] = [{"Group": PUBLIC} if g == PUBLIC else {"UserId": g} for g in grantees]
    return result


@operation("ResetSnapshotAttribute")
def reset_snapshot_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    snapshot = SNAPSHOTS.one(ctx, params["SnapshotId"])
    attribute = _attribute(params)
    if attribute != PERMISSION:
        raise reset_attribute(attribute)
    ctx.dry_run(params)
    ctx.uow.snapshots.revoke(snapshot["snapshot_id"])
    return {}
