"""The one producer of custom events: :func:`custom_event` turns a PutEvents entry that
was accepted into the event EventBridge delivers — AWS's envelope (the wave-2 fact sheet,
A.1): ``version`` ``"0"``, ``id`` (a random UUID), ``detail-type``, ``source``,
``account``, ``time``, ``region``, ``resources`` and ``detail``, in that order.

``time`` is the entry's ``Time`` when given, else the request's time (the emulator's
clock), in whole seconds of UTC with ``Z`` (``2021-11-11T21:29:54Z``); ``resources`` is
the entry's list or ``[]``; ``detail`` is the entry's ``Detail`` read as the JSON object
it must be (PutEvents checks that before calling).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.ids import new_uuid


def event_time(moment: dt.datetime) -> str:
    """A moment as events carry it: whole seconds of UTC, ``Z``."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def custom_event(ctx: RequestContext, entry: Mapping[str, Any]) -> dict[str, Any]:
    """The event a checked PutEvents entry makes, in the caller's account and region."""
    moment = entry.get("Time") or ctx.now
    return {
        "version": "0",
        "id": new_uuid(),
        "detail-type": entry["DetailType"],
        "source": entry["Source"],
        "account": ctx.account_id,
        "time": event_time(moment),
        "region": ctx.region,
        "resources": list(entry.get("Resources") or []),
        "detail": json.loads(entry["Detail"]),
    }
