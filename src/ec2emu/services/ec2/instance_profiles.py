"""IAM instance profiles on instances: RunInstances' ``IamInstanceProfile``,
AssociateIamInstanceProfile, DisassociateIamInstanceProfile,
ReplaceIamInstanceProfileAssociation and DescribeIamInstanceProfileAssociations, and the
``iam:PassRole`` these ask for (:func:`passed_role`).

The profiles are IAM's, read through the store (``ctx.uow.iam``; EC2 does not import the
IAM service). A profile is named by ``Arn`` or ``Name``: an ARN must be an instance
profile's of the caller's account, else ``InvalidParameterValue`` "Value (ARN) for
parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN"; a name
must be one of the account's profiles (compared case-insensitively, as IAM names are),
else the same sentence for ``iamInstanceProfile.name``. Given both, the ARN chooses the
profile and the name must be its name. Given neither, ``MissingParameter``.

An association is its instance's (``iip-assoc-`` and 17 hex digits); an instance has at
most one: AssociateIamInstanceProfile on an instance that has one answers
``IncorrectState`` "There is an existing association for instance i-…", and on a
``shutting-down`` or ``terminated`` instance ``IncorrectInstanceState``. Launching with a
profile gives each instance its own association. The instance shows ``IamInstanceProfile``
``{Arn, Id}`` (the profile's as they were when associated: deleting the profile, or the
role in it, leaves the association as it is) until it is disassociated or the instance
terminates; a terminated instance has no association.

States: AWS's go ``associating`` → ``associated`` and ``disassociating`` →
``disassociated``. Here the change is instant: Associate and Replace answer the new
association ``associating`` (as EC2 answers them) and it is ``associated`` from then on;
Disassociate answers ``disassociating`` and the association is gone at once (it is not
listed as ``disassociated``). ReplaceIamInstanceProfileAssociation makes a new
association (a new ID) in place of the old one, which goes.

DescribeIamInstanceProfileAssociations: ``AssociationIds`` (each must exist:
``InvalidAssociationID.NotFound`` "The association ID 'x' does not exist", as for any
unknown or malformed ID) or the filters ``instance-id`` and ``state``; ``MaxResults`` 5 to
1000 (not with ``AssociationIds``) and ``NextToken``, in association ID order.

Permissions: Associate and Replace check the instance (``instance/…``, as other instance
actions do) and ``iam:PassRole`` on the profile's role (``iam:PassedToService``
``ec2.amazonaws.com``), RunInstances that PassRole too; Disassociate checks the
association's instance; a profile without a role passes none. Unknown instances,
associations and profiles are left to the handlers' errors.
"""

from __future__ import annotations

from typing import Any

from ec2emu.auth.arn import parse_arn
from ec2emu.auth.authorization import Resource
from ec2emu.errors import missing_parameter
from ec2emu.lifecycle.machines import SHUTTING_DOWN, TERMINATED
from ec2emu.services.ec2.errors import incorrect_instance_state
from ec2emu.services.ec2.instances.common import INSTANCES
from ec2emu.services.ec2.networking.errors import association_not_found
from ec2emu.services.ec2.profile_errors import existing_association, invalid_profile_arn, invalid_profile_name
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.views import timestamp
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe
from ec2emu.services.shared.filters import matching, nothing, store_values
from ec2emu.store.instance_profiles import association
from ec2emu.store.queries import Match, Pattern, Wildcard

Row = dict[str, Any]
ASSOCIATED, ASSOCIATING, DISASSOCIATING = "associated", "associating", "disassociating"
ID_PREFIX = "iip-assoc"


# --------------------------------------------------------------------------- profiles


def _find_profile(ctx: RequestContext, spec: Any) -> tuple[Row | None, str, str]:
    """The profile ``spec`` (``{Arn, Name}``) names, if it is the account's; and which
    member chose it, and its value."""
    spec = spec if isinstance(spec, dict) else {}
    arn, name = spec.get("Arn"), spec.get("Name")
    if arn:
        parsed = parse_arn(str(arn))
        profile_name = parsed.resource.rsplit("/", 1)[-1] if parsed is not None else ""
        if (parsed is None or parsed.service != "iam" or parsed.account != ctx.account_id
                or not parsed.resource.startswith("instance-profile/")):
            return None, "arn", str(arn)
        profile = ctx.uow.iam.get_instance_profile(ctx.account_id, profile_name)
        return (profile if profile is not None and profile["arn"] == arn else None), "arn", str(arn)
    if name:
        return ctx.uow.iam.get_instance_profile(ctx.account_id, str(name)), "name", str(name)
    return None, "", ""


def named_profile(ctx: RequestContext, spec: Any) -> Row:
    """The profile an ``IamInstanceProfile`` member names, which must exist (see the
    module's rules)."""
    profile, member, value = _find_profile(ctx, spec)
    if not member:
        raise missing_parameter("IamInstanceProfile")
    if profile is None:
        raise invalid_profile_arn(value) if member == "arn" else invalid_profile_name(value)
    name = spec.get("Name")
    if member == "arn" and name and str(name).lower() != profile["instance_profile_name"].lower():
        raise invalid_profile_name(str(name))
    return profile


def launch_profile(ctx: RequestContext, params: dict[str, Any]) -> Row | None:
    """RunInstances' profile, checked (``None`` when it names none)."""
    spec = params.get("IamInstanceProfile")
    return named_profile(ctx, spec) if spec else None


def launch_columns(ctx: RequestContext, profile: Row | None) -> Row:
    """A launched instance's association columns: a new association with ``profile``."""
    return {} if profile is None else association(ids.new_id(ID_PREFIX), profile, ctx.now_ts)


def passed_role(ctx: RequestContext, spec: Any) -> list[Resource]:
    """``iam:PassRole`` on the role of the profile ``spec`` names, when both exist."""
    profile = _find_profile(ctx, spec)[0] if spec else None
    return [Resource(role["arn"], {"iam:PassedToService": "ec2.amazonaws.com"}, "iam:PassRole")
            for role in (profile or {}).get("roles", [])]


# --------------------------------------------------------------------------- associations


def _view(row: Row, state: str) -> dict[str, Any]:
    return {
        "AssociationId": row["iam_association_id"],
        "InstanceId": row["instance_id"],
        "IamInstanceProfile": {"Arn": row["iam_instance_profile_arn"], "Id": row["iam_instance_profile_id"]},
        "State": state,
        "Timestamp": timestamp(row["iam_association_time"]),
    }


def existing(ctx: RequestContext, association_id: str) -> Row:
    """The instance holding an association of this account and region (NotFound else)."""
    row = ctx.uow.profile_associations.by_ids(ctx.account_id, ctx.region, [association_id]).get(association_id)
    if row is None:
        raise association_not_found(association_id)
    return row


def _associate(ctx: RequestContext, instance_id: str, profile: Row) -> dict[str, Any]:
    values = association(ids.new_id(ID_PREFIX), profile, ctx.now_ts)
    ctx.uow.profile_associations.associate(instance_id, values)
    return {"IamInstanceProfileAssociation": _view({"instance_id": instance_id, **values}, ASSOCIATING)}


@operation("AssociateIamInstanceProfile")
def associate_iam_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    instance = INSTANCES.one(ctx, params["InstanceId"])
    if instance["state"] in (SHUTTING_DOWN, TERMINATED):
        raise incorrect_instance_state(instance["instance_id"], "associated")
    profile = named_profile(ctx, params["IamInstanceProfile"])
    if instance["iam_association_id"]:
        raise existing_association(instance["instance_id"])
    ctx.dry_run(params)
    return _associate(ctx, instance["instance_id"], profile)


@operation("ReplaceIamInstanceProfileAssociation")
def replace_iam_instance_profile_association(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = existing(ctx, params["AssociationId"])
    profile = named_profile(ctx, params["IamInstanceProfile"])
    ctx.dry_run(params)
    return _associate(ctx, row["instance_id"], profile)


@operation("DisassociateIamInstanceProfile")
def disassociate_iam_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = existing(ctx, params["AssociationId"])
    ctx.dry_run(params)
    ctx.uow.profile_associations.associate(row["instance_id"], {})
    return {"IamInstanceProfileAssociation": _view(row, DISASSOCIATING)}


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], dict[str, Row]]:
    wanted = list(dict.fromkeys(params["AssociationIds"]))
    found = ctx.uow.profile_associations.by_ids(ctx.account_id, ctx.region, wanted)
    missing = [value for value in wanted if value not in found]
    if missing:
        raise association_not_found(missing[0])
    return wanted, found


def _state(values: tuple[str, ...]) -> Match:
    """Every association shows ``associated``: the filter keeps them all or none."""
    if matching([{"State": ASSOCIATED}], [Match("State", store_values(values))]):
        return Match("iam_association_id", (Pattern((Wildcard.ANY,)),))
    return nothing("iam_association_id")


DESCRIBE_ASSOCIATIONS = Describe(
    result="IamInstanceProfileAssociations",
    key="iam_association_id",
    find=lambda ctx, matches, after, limit: ctx.uow.profile_associations.find(
        ctx.account_id, ctx.region, matches, after_id=after, limit=limit),
    view=lambda ctx, rows: [_view(row, ASSOCIATED) for row in rows],
    filters={"instance-id": "instance_id", "state": _state},
    tags=None,
    named=Naming(("AssociationIds",), _named, "AssociationId"),
)


@operation("DescribeIamInstanceProfileAssociations")
def describe_iam_instance_profile_associations(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_ASSOCIATIONS)
