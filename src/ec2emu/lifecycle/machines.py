"""The state machines of instances, volumes and snapshots, as tables.

Each row of :data:`TRANSITIONS` is one :class:`Transition`: a resource (``instance``,
``volume``, ``volume-attachment``, ``snapshot``), the state it leaves, the event that
moves it (``"due"`` when the state's time is up; otherwise the API call), the state it
enters (``None``: the record is removed), the :class:`Durations` setting that delays it
(for a ``"due"`` row, how long the state it leaves lasts), its side effects, named, and
the event it puts on the account's default bus (``notification``: a name of
:data:`~ec2emu.lifecycle.notifications.NOTIFICATIONS`; the ``"RunInstances"`` row, from
:data:`NEW`, is there for its event), which the store writes with the change.
A row stores its ``state`` and ``due_at``, the moment the current state ends on its
own; handlers set ``due_at`` from :meth:`Durations.for_state` when they move a resource,
and the settler (:mod:`ec2emu.lifecycle.settler`) applies the ``"due"`` rows, in table
order, through the store, which knows how to perform each named effect. The API rows
document what each call does; the handlers check them (:func:`allowed_from`).

Instances: ``pending`` → ``running``, ``stopping`` → ``stopped``, ``shutting-down`` →
``terminated`` → gone after the retention period. ``running`` and ``stopped`` have no
``due_at``. A reboot leaves the state ``running``. Volumes: ``creating`` →
``available``, ``deleting`` → gone; their attachment ``attaching`` → ``attached``,
``detaching`` → detached (the volume ``available``); each lasts ``Durations.volume``.
Snapshots: ``pending`` → ``completed`` after ``Durations.snapshot`` (after
``Durations.image_copy`` for those CopyImage makes: their ``due_at`` says when). A volume's
modification: ``modifying`` → ``optimizing`` (the volume takes its target size, type,
IOPS and throughput: ``apply_volume_modification``) → ``completed``, each lasting its own
setting (``volume_modifying``, ``volume_optimizing``); ``extend_by_retention`` on the first
pushes ``due_at`` on by the next state's duration, as it does for ``terminated``. A
snapshot's tiering operation: ``archival-in-progress`` → ``archival-completed`` after
``snapshot_archive``; ``temporary-restore-in-progress`` and
``permanent-restore-in-progress`` → ``…-completed`` after ``snapshot_restore``.

Two machines run on an instance's row beside its state, each with its own due column
(:data:`ec2emu.store.shown.DUE_COLUMNS`): its CloudWatch detailed monitoring
(``instance-monitoring``: MonitorInstances ``pending`` → ``enabled``, UnmonitorInstances
``disabling`` → ``disabled``, each lasting ``Durations.monitoring``) and its instance
metadata options (``instance-metadata``: a launch or ModifyInstanceMetadataOptions
leaves them ``pending``, ``applied`` after ``Durations.metadata_options``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ec2emu.lifecycle.notifications import (
    INSTANCE_STATE,
    SNAPSHOT_COMPLETED,
    VOLUME_CREATED,
    VOLUME_DELETED,
    VOLUME_DETACHED,
    VOLUME_MODIFIED,
)

PENDING = "pending"
RUNNING = "running"
SHUTTING_DOWN = "shutting-down"
TERMINATED = "terminated"
STOPPING = "stopping"
STOPPED = "stopped"

STATE_CODES: dict[str, int] = {
    PENDING: 0,
    RUNNING: 16,
    SHUTTING_DOWN: 32,
    TERMINATED: 48,
    STOPPING: 64,
    STOPPED: 80,
}
STATE_NAMES = {code: name for name, code in STATE_CODES.items()}

# Every state each resource's state column can hold: AWS's enumerations.
STATES: dict[str, tuple[str, ...]] = {
    "instance": tuple(STATE_CODES),
    "volume": ("creating", "available", "in-use", "deleting", "deleted", "error"),
    "volume-attachment": ("attaching", "attached", "detaching", "detached", "busy"),
    "snapshot": ("pending", "completed", "error", "recoverable", "recovering"),
    "network-interface": ("available", "associated", "attaching", "in-use", "detaching"),
    "instance-monitoring": ("disabled", "disabling", "enabled", "pending"),
    "instance-metadata": ("pending", "applied"),
    "volume-modification": ("modifying", "optimizing", "completed", "failed"),
    "snapshot-tier": tuple(f"{operation}-{status}" for operation in ("archival", "temporary-restore",
                                                                     "permanent-restore")
                           for status in ("in-progress", "completed", "failed")),
}

DUE = "due"
# The state a resource leaves when it is created (it had no record).
NEW = ""


@dataclass(frozen=True)
class Transition:
    resource: str
    state: str
    event: str
    next_state: str | None
    timing: str | None = None  # a Durations field
    effects: tuple[str, ...] = ()
    # The event the transition puts on the account's default bus (a name of
    # :data:`ec2emu.lifecycle.notifications.NOTIFICATIONS`), written by the store in the
    # transaction that moves the row: the request's, or the settler's.
    notification: str | None = None


# The effects, by name (performed by the store):
#   clear_state_reason      the instance's state reason is cleared (it is running now)
#   volumes_end_with_instance   its attached volumes marked DeleteOnTermination become
#                           ``deleting`` (gone ``volume`` seconds after the instance
#                           terminated), the others are detached and ``available``
#   interfaces_end_with_instance   its attached network interfaces marked
#                           DeleteOnTermination (its primary one) are gone, the others
#                           are detached and ``available``, at the moment it terminates
#   disassociate_addresses  the Elastic IPs associated with it are disassociated (they
#                           stay allocated)
#   release_network         the instance keeps no subnet, VPC or private address
#   end_profile_association its IAM instance profile association is gone
#   extend_by_retention     the terminated record stays for the retention period
#   remove_tags             the resource's tags go with it
#   volume_available        a detached volume is ``available``
#   complete_images         an image waiting for its snapshots is ``available`` once
#                           the last one completes
#   apply_volume_modification   the volume takes the modification's target values
#   forget_modification     a deleted volume's last modification goes with it
_INSTANCE_API = [
    Transition("instance", NEW, "RunInstances", PENDING, notification=INSTANCE_STATE),
] + [
    Transition("instance", state, "TerminateInstances", SHUTTING_DOWN, notification=INSTANCE_STATE)
    for state in (PENDING, RUNNING, STOPPING, STOPPED)
] + [
    Transition("instance", RUNNING, "StopInstances", STOPPING, notification=INSTANCE_STATE),
    Transition("instance", STOPPED, "StartInstances", PENDING, notification=INSTANCE_STATE),
    Transition("instance", RUNNING, "RebootInstances", RUNNING),
    Transition("instance", RUNNING, "GuestShutdown:stop", STOPPING, notification=INSTANCE_STATE),
    Transition("instance", RUNNING, "GuestShutdown:terminate", SHUTTING_DOWN, notification=INSTANCE_STATE),
]
# Detailed monitoring, and the instance metadata options (an instance's side machines).
_OPTIONS_API = [
    *(Transition("instance-monitoring", state, "MonitorInstances", "pending") for state in ("disabled", "disabling")),
    *(Transition("instance-monitoring", state, "UnmonitorInstances", "disabling") for state in ("enabled", "pending")),
    *(Transition("instance-metadata", state, "ModifyInstanceMetadataOptions", "pending")
      for state in ("pending", "applied")),
]

TRANSITIONS: tuple[Transition, ...] = (
    # Applied by the settler in this order: a transition that leads into a timed state
    # comes before that state's own row, so one pass applies a whole chain that a big
    # clock jump has made due.
    Transition("instance", PENDING, DUE, RUNNING, "pending", ("clear_state_reason",), INSTANCE_STATE),
    Transition("instance", STOPPING, DUE, STOPPED, "stopping", notification=INSTANCE_STATE),
    Transition("instance", SHUTTING_DOWN, DUE, TERMINATED, "shutting_down",
               ("volumes_end_with_instance", "interfaces_end_with_instance", "disassociate_addresses",
                "release_network", "end_profile_association", "extend_by_retention"), INSTANCE_STATE),
    Transition("instance", TERMINATED, DUE, None, "terminated_retention", ("remove_tags",)),
    Transition("volume", "creating", DUE, "available", "volume", notification=VOLUME_CREATED),
    Transition("volume-attachment", "attaching", DUE, "attached", "volume"),
    Transition("volume-attachment", "detaching", DUE, None, "volume", ("volume_available",), VOLUME_DETACHED),
    Transition("volume", "deleting", DUE, None, "volume", ("remove_tags", "forget_modification"), VOLUME_DELETED),
    Transition("snapshot", "pending", DUE, "completed", "snapshot", ("complete_images",), SNAPSHOT_COMPLETED),
    Transition("instance-monitoring", "pending", DUE, "enabled", "monitoring"),
    Transition("instance-monitoring", "disabling", DUE, "disabled", "monitoring"),
    Transition("instance-metadata", "pending", DUE, "applied", "metadata_options"),
    Transition("volume-modification", "modifying", DUE, "optimizing", "volume_modifying",
               ("apply_volume_modification", "extend_by_retention"), VOLUME_MODIFIED),
    Transition("volume-modification", "optimizing", DUE, "completed", "volume_optimizing"),
    Transition("snapshot-tier", "archival-in-progress", DUE, "archival-completed", "snapshot_archive"),
    Transition("snapshot-tier", "temporary-restore-in-progress", DUE, "temporary-restore-completed",
               "snapshot_restore"),
    Transition("snapshot-tier", "permanent-restore-in-progress", DUE, "permanent-restore-completed",
               "snapshot_restore"),
    *_INSTANCE_API,
    *_OPTIONS_API,
    Transition("volume", "available", "DeleteVolume", "deleting"),
    Transition("volume-attachment", "attached", "DetachVolume", "detaching"),
)

DUE_TRANSITIONS: tuple[Transition, ...] = tuple(t for t in TRANSITIONS if t.event == DUE)

# Timed instance states and the state each leads to when its time is up (``None``: the
# record is removed).
NEXT_STATE: dict[str, str | None] = {
    t.state: t.next_state for t in DUE_TRANSITIONS if t.resource == "instance"
}


def allowed_from(resource: str, event: str) -> tuple[str, ...]:
    """The states in which ``event`` moves ``resource``."""
    return tuple(t.state for t in TRANSITIONS if t.resource == resource and t.event == event and t.state != NEW)


def notification_of(resource: str, event: str) -> str | None:
    """The notification ``event`` emits for each ``resource`` it moves (the table's rows
    for an event all name the same one)."""
    named = {t.notification for t in TRANSITIONS if t.resource == resource and t.event == event}
    if len(named) != 1:
        raise LookupError(f"no one notification for {resource} {event}")
    return named.pop()


def _seconds(default: float, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Durations:
    """Seconds each timed state lasts. Each field is a ``--<field>-seconds`` option of
    ``ec2emu serve`` (``EC2EMU_<FIELD>_SECONDS``) and a ``<field>_seconds`` argument of
    ``ec2emu.mock()``, both made from this list; ``help`` is the option's help text."""

    pending: float = _seconds(1.5, "How long pending lasts.")
    stopping: float = _seconds(1.5, "How long stopping lasts.")
    shutting_down: float = _seconds(1.5, "How long shutting-down lasts.")
    terminated_retention: float = _seconds(3600.0, "How long terminated instances stay listed.")
    volume: float = _seconds(1.0, "How long each volume transition (creating, attaching, detaching, deleting) lasts.")
    snapshot: float = _seconds(2.0, "How long a snapshot stays pending.")
    image_copy: float = _seconds(2.0, "How long the snapshots CopyImage makes stay pending (the copy with them).")
    monitoring: float = _seconds(1.0, "How long detailed monitoring stays pending (enabling) or disabling.")
    metadata_options: float = _seconds(1.0, "How long an instance's metadata options stay pending.")
    volume_modifying: float = _seconds(2.0, "How long a volume modification stays modifying.")
    volume_optimizing: float = _seconds(4.0, "How long a volume modification stays optimizing.")
    snapshot_archive: float = _seconds(6.0, "How long archiving a snapshot lasts.")
    snapshot_restore: float = _seconds(6.0, "How long restoring an archived snapshot lasts.")

    def for_state(self, state: str, resource: str = "instance") -> float | None:
        """How long ``state`` lasts before its ``"due"`` transition (``None``: untimed)."""
        timing = _TIMINGS.get((resource, state))
        return None if timing is None else float(getattr(self, timing))


_TIMINGS = {(t.resource, t.state): t.timing for t in DUE_TRANSITIONS}
assert {t.timing for t in TRANSITIONS if t.timing} <= {f.name for f in fields(Durations)}


def state_dict(state: str) -> dict[str, object]:
    """The wire ``InstanceState`` for a state name."""
    return {"Code": STATE_CODES[state], "Name": state}
