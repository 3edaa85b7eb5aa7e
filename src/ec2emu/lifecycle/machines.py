"""The instance state machine: codes, timed transitions and the rules for each call.

An instance row stores its ``state`` and ``due_at``, the moment the current state ends
on its own. Timed states and where they lead:

* ``pending`` → ``running`` after the pending duration;
* ``stopping`` → ``stopped`` after the stopping duration;
* ``shutting-down`` → ``terminated`` after the shutting-down duration;
* ``terminated`` → gone from every listing after the retention period.

``running`` and ``stopped`` have no ``due_at``. EBS volumes and snapshots keep their own
``due_at`` and settle in the same step: each volume transition (creating, attaching,
detaching, deleting) lasts ``Durations.volume``, a snapshot stays pending for
``Durations.snapshot``. A reboot leaves the state ``running``.
Because the store settles every due transition at the start of each transaction (see
:mod:`ec2emu.store.repository`), a read always shows the state the clock implies, even
if nothing touched the instance since, and no timer thread is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

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

# Timed states and the state each leads to when its time is up. ``None``: the record
# is removed (terminated instances age out).
NEXT_STATE: dict[str, str | None] = {
    PENDING: RUNNING,
    STOPPING: STOPPED,
    SHUTTING_DOWN: TERMINATED,
    TERMINATED: None,
}


@dataclass(frozen=True)
class Durations:
    """Seconds each timed state lasts (the ``--*-seconds`` options of ``ec2emu serve``)."""

    pending: float = 1.5
    stopping: float = 1.5
    shutting_down: float = 1.5
    terminated_retention: float = 3600.0
    # Each volume transition (creating, attaching, detaching, deleting); a pending snapshot.
    volume: float = 1.0
    snapshot: float = 2.0

    def for_state(self, state: str) -> float | None:
        return {
            PENDING: self.pending,
            STOPPING: self.stopping,
            SHUTTING_DOWN: self.shutting_down,
            TERMINATED: self.terminated_retention,
        }.get(state)


def state_dict(state: str) -> dict[str, object]:
    """The wire ``InstanceState`` for a state name."""
    return {"Code": STATE_CODES[state], "Name": state}
