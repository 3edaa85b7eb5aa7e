"""Detailed monitoring (CloudWatch one-minute metrics): RunInstances'
``Monitoring.Enabled``, MonitorInstances and UnmonitorInstances.

An instance's ``Monitoring.State`` is a machine of its own (``instance-monitoring`` in
:mod:`ec2emu.lifecycle.machines`): enabling leaves it ``pending`` and disabling
``disabling``, each for ``Durations.monitoring`` seconds, then ``enabled`` / ``disabled``,
as the clock shows. A launch with ``Monitoring.Enabled`` starts ``pending``. Enabling an
instance already ``pending`` or ``enabled`` (disabling one ``disabling`` or ``disabled``)
changes nothing and answers its state. The calls take instances in any state but
shutting-down or terminated (``IncorrectInstanceState`` for those, and nothing changes);
every ID must exist (``InvalidInstanceID.NotFound`` naming the unknown ones).
"""

from __future__ import annotations

from typing import Any

from ec2emu.lifecycle.machines import SHUTTING_DOWN, TERMINATED, allowed_from
from ec2emu.services.ec2.errors import incorrect_instance_state
from ec2emu.services.ec2.instances.common import INSTANCES, required_ids
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext

MACHINE = "instance-monitoring"


def _moved(ctx: RequestContext, state: str) -> dict[str, Any]:
    seconds = ctx.durations.for_state(state, MACHINE)
    return {"monitoring_state": state, "monitoring_due_at": None if seconds is None else ctx.now_ts + seconds}


def launch_columns(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    """The monitoring columns of each instance a launch makes."""
    if (params.get("Monitoring") or {}).get("Enabled"):
        return _moved(ctx, "pending")
    return {"monitoring_state": "disabled", "monitoring_due_at": None}


def _change(ctx: RequestContext, params: dict[str, Any], event: str, target: str, verb: str) -> dict[str, Any]:
    wanted, rows = INSTANCES.load(ctx, required_ids(params))
    for instance_id in wanted:
        if rows[instance_id]["state"] in (SHUTTING_DOWN, TERMINATED):
            raise incorrect_instance_state(instance_id, verb)
    ctx.dry_run(params)
    movable = allowed_from(MACHINE, event)
    moving = {instance_id for instance_id in wanted if rows[instance_id]["monitoring_state"] in movable}
    if moving:
        ctx.uow.instances.update_many(sorted(moving), _moved(ctx, target))
    return {"InstanceMonitorings": [
        {"InstanceId": instance_id,
         "Monitoring": {"State": target if instance_id in moving else rows[instance_id]["monitoring_state"]}}
        for instance_id in wanted
    ]}


@operation("MonitorInstances")
def monitor_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _change(ctx, params, "MonitorInstances", "pending", "monitored")


@operation("UnmonitorInstances")
def unmonitor_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _change(ctx, params, "UnmonitorInstances", "disabling", "unmonitored")
