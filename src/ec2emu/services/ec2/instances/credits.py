"""CPU credits of burstable performance instances: RunInstances' ``CreditSpecification``,
DescribeInstanceCreditSpecifications and ModifyInstanceCreditSpecification.

An instance of a burstable type (``burstable`` in :mod:`~ec2emu.services.ec2.instance_types`)
has a credit option, ``standard`` or ``unlimited``: the one its launch asks for, else its
family's default (T2 ``standard``; T3, T3a and T4g ``unlimited``). Asking for one on a
type that is not burstable answers ``InstanceCreditSpecification.NotSupported`` and
launches nothing; an instance of such a type has no credit option. When
ModifyInstanceAttribute moves an instance to a burstable type, it takes that family's
default unless it already had an option (which it keeps, as AWS keeps it across types).

DescribeInstanceCreditSpecifications: named instances must exist and be burstable (an
instance with no credit option answers ``InstanceCreditSpecification.NotSupported``);
without names, the instances whose option is ``unlimited`` are listed, as AWS documents.
Its one filter is ``instance-id``; it pages by instance ID (``MaxResults`` 5 to 1000).
A terminated instance is listed for as long as DescribeInstances lists it.

ModifyInstanceCreditSpecification answers per instance: a malformed or unknown ID, a
terminated instance or one of a type that is not burstable goes to
``UnsuccessfulInstanceCreditSpecifications`` with the model's codes, the others change and
are listed as successful. A value other than ``standard`` / ``unlimited`` refuses the whole
request, as does an instance named twice. ``ClientToken`` is refused by name: this
endpoint keeps no record of earlier modifications to answer a retry from.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import Ec2Error, missing_parameter
from ec2emu.lifecycle.machines import SHUTTING_DOWN, TERMINATED
from ec2emu.services.ec2 import instance_types
from ec2emu.services.ec2.instances.common import INSTANCES
from ec2emu.services.ec2.instances.option_errors import (
    credits_not_supported,
    duplicate_credit_instance,
    instance_credits_not_supported,
    invalid_cpu_credits,
    malformed_credit_instance,
    terminated_options,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_repository
from ec2emu.store.repository import Match

CPU_CREDITS = ("standard", "unlimited")


def family_default(type_name: str) -> str | None:
    """A type's default credit option (``None``: the type is not burstable)."""
    itype = instance_types.get(type_name)
    if itype is None or not itype.burstable:
        return None
    return "standard" if type_name.split(".")[0] == "t2" else "unlimited"


def _checked(value: Any) -> str:
    if value not in CPU_CREDITS:
        raise invalid_cpu_credits(value)
    return str(value)


def launch_credits(params: dict[str, Any], type_name: str) -> str | None:
    """The credit option of each instance a launch makes (``None``: not burstable)."""
    default = family_default(type_name)
    asked = (params.get("CreditSpecification") or {}).get("CpuCredits")
    if asked is None:
        return default
    asked = _checked(asked)
    if default is None:
        raise credits_not_supported(type_name)
    return asked


def credits_for_type(current: str | None, type_name: str) -> str | None:
    """An instance's credit option once its type becomes ``type_name``."""
    default = family_default(type_name)
    return current if current is not None or default is None else default


# --------------------------------------------------------------------------- Describe

def _views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"InstanceId": row["instance_id"], "CpuCredits": row["cpu_credits"]} for row in rows]


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    wanted, rows = INSTANCES.load(ctx, params["InstanceIds"])
    for instance_id in wanted:
        if rows[instance_id]["cpu_credits"] is None:
            raise instance_credits_not_supported(instance_id)
    return wanted, rows


def _unlimited_unless_named(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    return [] if params.get("InstanceIds") else [Match("cpu_credits", ("unlimited",))]


DESCRIBE_CREDITS = Describe(
    result="InstanceCreditSpecifications",
    key="instance_id",
    find=in_repository("instances"),
    view=_views,
    filters={"instance-id": "instance_id"},
    tags=None,
    criteria=_unlimited_unless_named,
    named=Naming(("InstanceIds",), _named, "instancesSet"),
)


@operation("DescribeInstanceCreditSpecifications")
def describe_instance_credit_specifications(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_CREDITS)


# --------------------------------------------------------------------------- Modify

def _failure(instance_id: str, error: Ec2Error) -> dict[str, Any]:
    return {"InstanceId": instance_id, "Error": {"Code": error.code, "Message": error.message}}


@operation("ModifyInstanceCreditSpecification", refuses=("ClientToken",))
def modify_instance_credit_specification(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    specs = params.get("InstanceCreditSpecifications") or []
    if not specs:
        raise missing_parameter("InstanceCreditSpecifications")
    seen: set[str] = set()
    asked: list[tuple[str, str]] = []
    for spec in specs:
        instance_id = spec.get("InstanceId")
        if not instance_id:
            raise missing_parameter("InstanceCreditSpecification.InstanceId")
        if instance_id in seen:
            raise duplicate_credit_instance(instance_id)
        seen.add(instance_id)
        asked.append((instance_id, _checked(spec.get("CpuCredits"))))
    well_formed = [instance_id for instance_id, _ in asked if ids.is_well_formed("i", instance_id)]
    found = INSTANCES.get(ctx, well_formed)
    succeeded, failed, changes = [], [], []
    for instance_id, cpu_credits in asked:
        row = found.get(instance_id)
        if instance_id not in well_formed:
            failed.append(_failure(instance_id, malformed_credit_instance(instance_id)))
        elif row is None:
            failed.append(_failure(instance_id, INSTANCES.not_found([instance_id])))
        elif row["state"] in (SHUTTING_DOWN, TERMINATED):
            failed.append(_failure(instance_id, terminated_options(instance_id, "CPU credit option")))
        elif row["cpu_credits"] is None:
            failed.append(_failure(instance_id, credits_not_supported(row["instance_type"])))
        else:
            changes.append((instance_id, cpu_credits))
            succeeded.append({"InstanceId": instance_id})
    ctx.dry_run(params)
    for instance_id, cpu_credits in changes:
        ctx.uow.instances.update(instance_id, {"cpu_credits": cpu_credits})
    return {"SuccessfulInstanceCreditSpecifications": succeeded, "UnsuccessfulInstanceCreditSpecifications": failed}
