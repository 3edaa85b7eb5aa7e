"""The notifications EC2 and EBS put on an account's default EventBridge bus, and their
AWS JSON shapes (and the names the outbox gives an event PutEvents put there,
:data:`CUSTOM`, and a recorded call's ``AWS API Call via CloudTrail`` event,
:data:`API_CALL`, both kept whole).

The lifecycle's table (:data:`ec2emu.lifecycle.machines.TRANSITIONS`) names, on each row
that emits one, which :class:`Notification` (its ``notification``); the store writes it
in the transaction of the change (:mod:`ec2emu.store.outbox`), and :func:`event` makes
the event's JSON from the stored parts.

* ``EC2 Instance State-change Notification``: one per state an instance enters —
  ``pending`` (RunInstances, StartInstances), ``running``, ``stopping``, ``stopped``,
  ``shutting-down``, ``terminated``; ``detail`` is ``instance-id`` and ``state``,
  ``resources`` the instance's ARN. A reboot changes no state and emits none, nor does
  a terminated instance's record ageing out.
* ``EBS Volume Notification``: ``createVolume``/``available`` when a created volume
  leaves ``creating``; ``deleteVolume``/``deleted`` when a volume is gone (DeleteVolume,
  or deleted with its instance); ``detachVolume``/``available`` when a detachment
  completes (AWS lists the event without a confirmed example: the result the volume
  shows is given); ``modifyVolume``/``optimizing`` when a modification leaves
  ``modifying``. AWS emits ``attachVolume`` only when an attachment fails, which none
  does here, so it emits none; volumes a launch creates are ``in-use`` at once and emit
  nothing. ``cause`` is ``""`` (nothing fails); ``request-id`` is ``""`` (AWS allows
  it), since a completion is not a request.
* ``EBS Snapshot Notification``: ``createSnapshot``/``succeeded`` when a snapshot
  completes (CreateSnapshot, CreateSnapshots, CreateImage), ``copySnapshot``/``succeeded``
  when a copy does; ``snapshot_id`` and ``resources`` hold the snapshot's ARN, whose
  account field is empty as in AWS's examples; ``source`` the volume's ARN (a copy's —
  CopySnapshot's, or one CopyImage makes — the source snapshot's ARN); ``startTime`` and ``endTime`` the
  snapshot's start and completion. ``shareSnapshot``/``succeeded`` goes to each account
  ModifySnapshotAttribute gives a ``createVolumePermission`` (in the request's
  transaction; making a snapshot public, or removing a permission, emits none), its
  ``source`` the sharing account's ID and both times the moment of the call — not a
  state transition, so no row of the lifecycle's table names it.

* ``Scheduled Event`` (``source`` ``aws.events``): one per moment a scheduled rule
  falls due (:mod:`ec2emu.lifecycle.schedules`), made by :func:`scheduled_event`;
  ``resources`` holds the rule's ARN, ``detail`` is empty, ``time`` the scheduled
  moment. The outbox keeps it whole, as :data:`SCHEDULED`.

``time`` is the moment of the transition on the emulated clock (a timed state's end is
its ``due_at``, not the moment the settler ran), whole seconds with ``Z``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

INSTANCE_STATE_CHANGE = "EC2 Instance State-change Notification"
VOLUME_NOTIFICATION = "EBS Volume Notification"
SNAPSHOT_NOTIFICATION = "EBS Snapshot Notification"

# A copy's placeholder volume (AWS's): its completion is a copySnapshot.
COPY_VOLUME = "vol-ffffffff"


@dataclass(frozen=True)
class Notification:
    """One kind of event: its ``detail-type``, the resource it names, and for EBS the
    ``event`` and ``result`` it reports (an instance's ``state`` is the state entered)."""

    detail_type: str
    resource_type: str
    event: str | None = None
    result: str | None = None


# An event PutEvents accepted: the outbox keeps its whole envelope, not parts.
CUSTOM = "custom"
# A scheduled rule's event: kept whole too.
SCHEDULED = "scheduled"
SCHEDULED_EVENT = "Scheduled Event"
SCHEDULER_SOURCE = "aws.events"
# A call the audit trail recorded, as EventBridge gets it from CloudTrail (kept whole too).
API_CALL = "api-call"
API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail"

INSTANCE_STATE = "instance-state"
VOLUME_CREATED = "volume-created"
VOLUME_DELETED = "volume-deleted"
VOLUME_DETACHED = "volume-detached"
VOLUME_MODIFIED = "volume-modified"
SNAPSHOT_COMPLETED = "snapshot-completed"
SNAPSHOT_SHARED = "snapshot-shared"

NOTIFICATIONS: dict[str, Notification] = {
    INSTANCE_STATE: Notification(INSTANCE_STATE_CHANGE, "instance"),
    VOLUME_CREATED: Notification(VOLUME_NOTIFICATION, "volume", "createVolume", "available"),
    VOLUME_DELETED: Notification(VOLUME_NOTIFICATION, "volume", "deleteVolume", "deleted"),
    VOLUME_DETACHED: Notification(VOLUME_NOTIFICATION, "volume", "detachVolume", "available"),
    VOLUME_MODIFIED: Notification(VOLUME_NOTIFICATION, "volume", "modifyVolume", "optimizing"),
    SNAPSHOT_COMPLETED: Notification(SNAPSHOT_NOTIFICATION, "snapshot", "createSnapshot", "succeeded"),
    # Not a transition: ModifySnapshotAttribute emits it (to each account it shares with).
    SNAPSHOT_SHARED: Notification(SNAPSHOT_NOTIFICATION, "snapshot", "shareSnapshot", "succeeded"),
}


def aws_time(seconds: float) -> str:
    """An event's time: whole seconds, UTC, ``Z``."""
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def arn(region: str, account: str, resource_type: str, resource_id: str) -> str:
    """An EC2 resource's ARN (a snapshot's has an empty account field, as AWS writes it
    in these events)."""
    owner = "" if resource_type == "snapshot" else account
    return f"arn:aws:ec2:{region}:{owner}:{resource_type}/{resource_id}"


def event(parts: dict[str, Any]) -> dict[str, Any]:
    """The event in AWS's shape from its stored parts (the outbox's columns); a custom
    event is its stored ``body``."""
    if parts.get("body") is not None:
        body: dict[str, Any] = parts["body"]
        return body
    region, account = parts["region"], parts["account_id"]
    kind = NOTIFICATIONS[parts["notification"]]
    resource = arn(region, account, kind.resource_type, parts["resource_id"])
    detail: dict[str, Any]
    if kind.detail_type == INSTANCE_STATE_CHANGE:
        detail = {"instance-id": parts["resource_id"], "state": parts["state"]}
    else:
        detail = {"event": parts["event"] or kind.event, "result": parts["state"], "cause": "",
                  "request-id": parts["request_id"] or ""}
        if kind.detail_type == SNAPSHOT_NOTIFICATION:
            detail.update({"snapshot_id": resource, "source": parts["source"] or "",
                           "startTime": aws_time(parts["start_time"] if parts["start_time"] is not None
                                                 else parts["time"]),
                           "endTime": aws_time(parts["time"])})
    return {"version": "0", "id": parts["event_id"], "detail-type": kind.detail_type, "source": "aws.ec2",
            "account": account, "time": aws_time(parts["time"]), "region": region, "resources": [resource],
            "detail": detail}


def rule_arn(region: str, account: str, name: str) -> str:
    """The ARN of a rule on the account's default event bus."""
    return f"arn:aws:events:{region}:{account}:rule/{name}"


def scheduled_event(event_id: str, account: str, region: str, time: float, rule: str) -> dict[str, Any]:
    """The event a scheduled rule ``rule`` emits when it falls due at ``time``."""
    return {"version": "0", "id": event_id, "detail-type": SCHEDULED_EVENT, "source": SCHEDULER_SOURCE,
            "account": account, "time": aws_time(time), "region": region,
            "resources": [rule_arn(region, account, rule)], "detail": {}}


def scheduled_rule(found: dict[str, Any]) -> str | None:
    """The name of the rule whose schedule emitted the event ``found``, if one did (no
    one else can put an ``aws.`` source on a bus)."""
    if found.get("detail-type") != SCHEDULED_EVENT or found.get("source") != SCHEDULER_SOURCE:
        return None
    resources = found.get("resources") or [""]
    _, marker, name = str(resources[0]).partition(":rule/")
    return name if marker else None
