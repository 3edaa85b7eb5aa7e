"""The clock page (the admin's only): the emulator's time, and "advance by" controls.

``POST clock`` with ``seconds`` (a whole number from 1 to :data:`MAX_ADVANCE`) moves the
clock as ``POST /_ec2emu/clock`` does — due transitions happen at once, on every node
sharing the database — and answers the new time (JSON to a fetch, else a redirect back).
"""

from __future__ import annotations

import json
from typing import Any

from ec2emu.console.html import Answer, esc, link, message, page, redirect

STEPS = [(5, "5 seconds"), (60, "1 minute"), (300, "5 minutes"), (3600, "1 hour"), (86400, "1 day")]
MAX_ADVANCE = 10 * 365 * 86400


def controls(csrf: str, account: str, region: str, back: str) -> str:
    """The "advance by" buttons, as a form the page's script also drives without a reload."""
    buttons = "".join(f'<button type="submit" name="seconds" value="{s}">+{esc(label)}</button>'
                      for s, label in STEPS)
    return (f'<form method="post" action="{esc(link("clock"))}" class="clock" data-clock '
            f'data-now="{esc(link("clock/now", account=account, region=region))}">'
            f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
            f'<input type="hidden" name="account" value="{esc(account)}">'
            f'<input type="hidden" name="region" value="{esc(region)}">'
            f'<input type="hidden" name="back" value="{esc(back)}">'
            f'<span>Emulated time: <output class="now" aria-live="polite"></output></span>'
            f'<span role="group" aria-label="Advance the clock by">{buttons}</span></form>')


def route(emulator: Any, scope: Any, path: str) -> Answer:
    request = scope.request
    if request.method == "POST":
        text = scope.one("seconds")
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ADVANCE:
            return _answer(request, 400, {"error": {"code": "InvalidParameterValue",
                                                    "message": f"Advance by 1 to {MAX_ADVANCE} seconds."}})
        emulator.advance(int(text))
        now, offset = emulator.settled_now_iso()
        if "application/json" in request.headers.get("accept", ""):
            return _answer(request, 200, {"now": now, "offset_seconds": offset})
        back = scope.one("back")
        return redirect(back if back.startswith(link("")) and "//" not in back else link("clock"))
    if path == "clock/now":
        now, offset = emulator.settled_now_iso()
        return _answer(request, 200, {"now": now, "offset_seconds": offset})
    now, offset = emulator.settled_now_iso()
    content = (f'<p>The emulator\'s time is <strong>{esc(now)}</strong>, {esc(offset)} seconds ahead of the '
               f'wall clock.</p>' + controls(scope.frame.csrf, scope.account, scope.region, link("clock"))
               + message("status", "Transitions that fall due happen at once, on every node."))
    return page("Clock", content, scope.frame)


def _answer(request: Any, status: int, body: dict[str, Any]) -> Answer:
    return Answer(status, json.dumps(body).encode(), "application/json")
