"""Instance state changes: TerminateInstances, StopInstances, StartInstances,
RebootInstances, and a shutdown from inside the guest OS (an admin route).

Every batch call works in two steps inside its one transaction: first validate the whole
request (malformed IDs, unknown IDs, states), changing nothing if any of it fails; then
apply AWS's documented rule.

TerminateInstances (the AWS reference page, rule by rule):

* Up to 1000 IDs. More answers ``InvalidParameterValue``; none answers
  ``MissingParameter`` for ``InstanceId``. Duplicates are reported once, in the order
  first given.
* Any malformed ID → ``InvalidInstanceID.Malformed`` naming the first; any unknown ID
  (including another region's or another account's, or a terminated instance that has
  aged out) → ``InvalidInstanceID.NotFound`` naming all of them. Nothing changes.
* Termination protection: an instance with ``DisableApiTermination`` or ``DisableApiStop``
  blocks every requested instance *in its Availability Zone*; requested instances in
  zones with no protected instance are terminated all the same, and the call answers
  ``OperationNotPermitted`` naming the first protected instance in request order (and
  the attribute that protects it). The changes in other zones are committed.
  Instances already ``shutting-down`` or ``terminated`` protect nothing: they are past
  the point where protection applies.
* Idempotent: ``shutting-down`` reports shutting-down → shutting-down, ``terminated``
  reports terminated → terminated. Any other state goes to ``shutting-down`` and then,
  on the clock, ``terminated``; the reason reads ``User initiated (YYYY-MM-DD HH:MM:SS
  GMT)`` and the state reason ``Client.UserInitiatedShutdown``.
* ``Force`` and ``SkipOsShutdown`` are accepted; an emulated guest has no OS to wait for,
  so they change nothing observable. ``DryRun`` answers ``DryRunOperation`` after
  validation, with nothing changed.

Every instance a call moves gets one ``EC2 Instance State-change Notification`` in the
event outbox, written in the call's transaction by :func:`move` (the lifecycle's table
names it; a call refused, rolled back or a ``DryRun`` writes none); the state that
follows on the clock (``stopped``, ``running``, ``terminated``) is the settler's to emit.

StopInstances / StartInstances / RebootInstances follow the facts sheet (C.2, C.4): a
pending instance cannot be stopped yet; stopping a stopped instance and starting a
running one are no-op successes; terminated instances can be neither stopped nor
started; instance-store-backed instances cannot be stopped; ``DisableApiStop`` blocks a
stop; ``Hibernate`` needs an instance launched with hibernation configured. A stop's
``Force`` and ``SkipOsShutdown`` are accepted and, as for a termination, change nothing
observable. StartInstances refuses ``AdditionalInfo`` (reserved) by name. These calls
are all-or-nothing: if any instance fails its check, none changes.
"""

from __future__ import annotations

from typing import Any

from ec2emu.lifecycle.machines import (
    PENDING,
    RUNNING,
    SHUTTING_DOWN,
    STOPPED,
    STOPPING,
    TERMINATED,
    allowed_from,
    notification_of,
)
from ec2emu.services.ec2.errors import (
    incorrect_instance_state,
    never_running,
    not_ebs_backed,
    not_hibernation_configured,
    stop_protected,
    termination_protected,
    this_instance_state,
)
from ec2emu.services.ec2.instances.common import load_instances, required_ids
from ec2emu.services.ec2.networking import public_addresses
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.views import state_change_view
from ec2emu.services.shared.context import RequestContext

USER_SHUTDOWN = ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown")
USER_HIBERNATE = ("Client.UserInitiatedHibernate", "Client.UserInitiatedHibernate: User initiated hibernate")
GUEST_SHUTDOWN = (
    "Client.InstanceInitiatedShutdown",
    "Client.InstanceInitiatedShutdown: Instance initiated shutdown",
)
PENDING_REASON = ("pending", "pending")


def user_initiated(ctx: RequestContext) -> str:
    return f"User initiated ({ctx.now.strftime('%Y-%m-%d %H:%M:%S')} GMT)"


def move(
    ctx: RequestContext,
    unique: list[str],
    rows: dict[str, dict[str, Any]],
    event: str,
    target: str,
    reason: str,
    state_reason: tuple[str, str] | None,
    **extra: Any,
) -> list[dict[str, Any]]:
    """Move the instances in a state ``event`` moves (the lifecycle's table) to
    ``target`` in one statement, emit the notification the table names for each, and
    report every instance's change (an instance in another state keeps it)."""
    sources = allowed_from("instance", event)
    moving = [value for value in unique if rows[value]["state"] in sources]
    if moving:
        seconds = ctx.durations.for_state(target)
        notification = notification_of("instance", event)
        places = None
        if notification is not None:
            places = ctx.uow.outbox.emit(notification, ctx.account_id, ctx.region, moving, ctx.now_ts, target)
        ctx.uow.instances.update_many(
            moving,
            {
                "state": target,
                "due_at": None if seconds is None else ctx.now_ts + seconds,
                "state_transition_reason": reason,
                "state_reason_code": state_reason[0] if state_reason else None,
                "state_reason_message": state_reason[1] if state_reason else None,
                **extra,
            },
            event_places=places,
        )
    moved = set(moving)
    return [
        state_change_view(value, rows[value]["state"], target if value in moved else rows[value]["state"])
        for value in unique
    ]


def _protection(row: dict[str, Any]) -> str | None:
    if row["state"] in (SHUTTING_DOWN, TERMINATED):
        return None
    if row["disable_api_termination"]:
        return "disableApiTermination"
    if row["disable_api_stop"]:
        return "disableApiStop"
    return None


@operation("TerminateInstances")
def terminate_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    unique, rows = load_instances(ctx, required_ids(params))
    ctx.dry_run(params)
    blocked_zones: dict[str, tuple[str, str]] = {}
    for value in unique:
        attribute = _protection(rows[value])
        zone = rows[value]["availability_zone"]
        if attribute and zone not in blocked_zones:
            blocked_zones[zone] = (value, attribute)
    allowed = [value for value in unique if rows[value]["availability_zone"] not in blocked_zones]
    changes = move(ctx, allowed, rows, "TerminateInstances", SHUTTING_DOWN, user_initiated(ctx), USER_SHUTDOWN)
    if blocked_zones:
        first = min(blocked_zones.values(), key=lambda item: unique.index(item[0]))
        raise termination_protected(first[0], first[1], commit=True)
    return {"TerminatingInstances": changes}


# --------------------------------------------------------------------------- Stop/Start/Reboot


@operation("StopInstances")
def stop_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    unique, rows = load_instances(ctx, required_ids(params))
    hibernate = bool(params.get("Hibernate"))
    for value in unique:
        row = rows[value]
        if row["root_device_type"] != "ebs":
            raise not_ebs_backed(value)
        if row["state"] in (SHUTTING_DOWN, TERMINATED):
            raise this_instance_state(value, "stopped")
        if row["state"] == PENDING:
            raise never_running(value)
        if hibernate and not row["hibernation_configured"]:
            raise not_hibernation_configured(value)
        if row["disable_api_stop"] and row["state"] == RUNNING:
            raise stop_protected(value)
    ctx.dry_run(params)
    state_reason = USER_HIBERNATE if hibernate else USER_SHUTDOWN
    changes = move(ctx, unique, rows, "StopInstances", STOPPING, user_initiated(ctx),
                   state_reason)
    return {"StoppingInstances": changes}


@operation("StartInstances", refuses=("AdditionalInfo",))
def start_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    unique, rows = load_instances(ctx, required_ids(params))
    for value in unique:
        if rows[value]["state"] not in (STOPPED, RUNNING, PENDING):
            raise incorrect_instance_state(value, "started")
    ctx.dry_run(params)
    public_addresses.starting(ctx, [rows[value] for value in unique])
    changes = move(ctx, unique, rows, "StartInstances", PENDING, "", PENDING_REASON,
                   launch_time=ctx.now_ts)
    return {"StartingInstances": changes}


@operation("RebootInstances")
def reboot_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    unique, rows = load_instances(ctx, required_ids(params))
    for value in unique:
        if rows[value]["state"] in (PENDING, STOPPING, STOPPED):
            raise incorrect_instance_state(value, "rebooted")
    ctx.dry_run(params)
    return {}


# --------------------------------------------------------------------------- guest shutdown


def guest_shutdown(ctx: RequestContext, instance_id: str) -> dict[str, Any]:
    """A shutdown from inside the guest OS: stop or terminate per the instance's
    ``InstanceInitiatedShutdownBehavior`` (protection does not apply to it)."""
    unique, rows = load_instances(ctx, [instance_id])
    row = rows[instance_id]
    if row["state"] != RUNNING:
        raise this_instance_state(instance_id, "shut down")
    reason = f"Client.InstanceInitiatedShutdown ({ctx.now.strftime('%Y-%m-%d %H:%M:%S')} GMT)"
    terminates = row["shutdown_behavior"] == "terminate" or row["root_device_type"] != "ebs"
    target = SHUTTING_DOWN if terminates else STOPPING
    event = "GuestShutdown:terminate" if terminates else "GuestShutdown:stop"
    return move(ctx, unique, rows, event, target, reason, GUEST_SHUTDOWN)[0]
