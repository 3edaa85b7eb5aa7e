"""``AWS API Call via CloudTrail`` events: each management call the audit trail records
put on the caller's default bus as EventBridge gets it from CloudTrail — ``source``
``aws.<service>`` (``aws.ec2``, ``aws.iam``, ``aws.sts``, ``aws.ssm``, ``aws.events``,
``aws.cloudtrail``), ``time`` the record's ``eventTime``, ``resources`` empty, ``detail``
the whole CloudTrail record (the stored one: secrets already redacted).

Which rules get them: a call whose name starts with ``Describe``, ``Get`` or ``List``
(STS's ``GetSessionToken`` and ``GetFederationToken`` excepted, as AWS excepts them)
reaches only the rules whose state is ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``;
every other call reaches those and the ``ENABLED`` ones (:func:`withheld_event`, which
:mod:`~ec2emu.services.events.delivery` asks).

When they are written: by the audit trail's flush (:mod:`ec2emu.trail.recorder`), in the
transaction that stores the records (:func:`outbox_rows`), so a recorded call has its
event exactly once and a crash loses one only with its record. Choices:

* a call that is not withheld always gets its event, rule or no rule (the outbox is what
  ``emulator.events`` and ``GET /_ec2emu/events`` show);
* a withheld call (a read) gets its event only when its account has, in its region, a
  rule in the ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`` state when the flush runs
  (one probe of the rules' state index per account and region of the batch), so a
  describe-heavy workload neither floods the outbox nor pays anything in its requests:
  the check is the flush's, off every request. A read made just before such a rule is
  put (or after it is removed) within the flush's second may get (or miss) its event.
* The event's ``id`` is a new version-4 UUID, not the record's ``eventID``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from ec2emu.lifecycle.notifications import API_CALL_DETAIL_TYPE, aws_time
from ec2emu.services.events.rules import WITH_CLOUDTRAIL
from ec2emu.store.event_rules import Bus
from ec2emu.store.outbox import new_event_ids
from ec2emu.store.repository import UnitOfWork

DETAIL_TYPE = API_CALL_DETAIL_TYPE
DEFAULT_BUS = "default"
_READS = ("Describe", "Get", "List")
# Reads by their names that AWS still sends to plain ENABLED rules.
_SENT_ANYWAY = frozenset({("sts", "GetSessionToken"), ("sts", "GetFederationToken")})
# A call as the outbox gets it: (account, region, event time, signing name, action, and what
# makes its record's JSON text).
Call = tuple[str, str, float, str, str, Callable[[], str]]


def withheld(service: str, action: str) -> bool:
    """Whether the call's event reaches only rules in the ``…_ALL_CLOUDTRAIL_…`` state."""
    return action.startswith(_READS) and (service, action) not in _SENT_ANYWAY


def withheld_event(event: dict[str, Any]) -> bool:
    """Whether ``event`` is a withheld call's ``AWS API Call via CloudTrail`` event."""
    if event.get("detail-type") != DETAIL_TYPE:
        return False
    source, detail = event.get("source"), event.get("detail")
    if not isinstance(source, str) or not source.startswith("aws.") or not isinstance(detail, dict):
        return False
    return withheld(source[4:], str(detail.get("eventName", "")))


def envelope(event_id: str, account: str, region: str, time: float, source: str, record: str) -> str:
    """The event's JSON text around the record's own (``record``, kept as stored)."""
    head = json.dumps({"version": "0", "id": event_id, "detail-type": DETAIL_TYPE, "source": source,
                       "account": account, "time": aws_time(time), "region": region, "resources": []},
                      separators=(",", ":"))
    return f'{head[:-1]},"detail":{record}}}'


def outbox_rows(uow: UnitOfWork, calls: Iterable[Call]) -> list[tuple[str, str, str, float, str, str]]:
    """The outbox's rows (:meth:`ec2emu.store.outbox.OutboxRepository.api_calls`) of the
    recorded ``calls`` that get an event (see the module's note)."""
    kept: list[Call] = []
    open_scopes: dict[tuple[str, str], bool] = {}
    for call in calls:
        account, region, _, service, action, _ = call
        if withheld(service, action):
            scope = (account, region)
            if scope not in open_scopes:
                open_scopes[scope] = uow.event_rules.any_in_state(Bus(account, region, DEFAULT_BUS), WITH_CLOUDTRAIL)
            if not open_scopes[scope]:
                continue
        kept.append(call)
    ids = new_event_ids(len(kept))
    return [(event_id, account, region, time, f"aws.{service}",
             envelope(event_id, account, region, time, f"aws.{service}", record()))
            for event_id, (account, region, time, service, _, record) in zip(ids, kept)]
