"""Every admin route — each row of :data:`ec2emu.admin.routes.ROUTES`, the event stream
and ``/metrics`` — refuses a request without the admin token or with a wrong one, changes
nothing when it does, and compares the token in constant time."""

from __future__ import annotations

import hmac
import json
import types
from collections.abc import Callable
from typing import Any

import pytest

from ec2emu.admin import routes
from ec2emu.admin.routes import PREFIX, ROUTES
from ec2emu.admin.stream import PATH as STREAM_PATH
from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.observability.metrics import PATH as METRICS_PATH
from tests.helpers import launch, states
from tests.two_accounts import OWNER

TOKEN = "test-admin-token"
BASE = "http://ec2emu.test"

# Every admin path with the method it answers: the route table's rows (``{id}`` filled
# in), then the two served outside it. A route added to the table is covered here.
EVERY_ROUTE = [(method, PREFIX + pattern.replace("{id}", "i-0123456789abcdef0")) for method, pattern, _ in ROUTES] + [
    ("GET", STREAM_PATH), ("GET", METRICS_PATH)]

WRONG = [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Bearer {TOKEN.upper()}"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": TOKEN},
    {"X-Admin-Token": TOKEN},
    {"Authorization": "Bearer t\u00e9st-admin-token"},
]


def _request(app: Emulator, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    transport = InProcessTransport(app)
    try:
        status, _, payload = transport.request(method, BASE + path, headers, body)
    finally:
        transport.close()
    return status, payload


@pytest.mark.parametrize(("method", "path"), EVERY_ROUTE)
def test_every_admin_route_refuses_without_the_token(strict_app: Emulator, client_of: Callable[..., Any],
                                                     method: str, path: str) -> None:
    ec2 = client_of(OWNER)
    [instance] = launch(ec2)
    offset = strict_app.clock.offset_seconds
    body = json.dumps({"advance_seconds": 3600}).encode()
    for headers in WRONG:
        status, payload = _request(strict_app, method, path, headers, body)
        assert status == 401, (method, path, headers)
        answer = json.loads(payload)
        assert answer["error"] == "admin token required"
        assert OWNER.encode() not in payload and instance.encode() not in payload
    # nothing was done: no reset, no clock moved, no guest shut down
    assert strict_app.clock.offset_seconds == offset
    assert states(ec2, [instance]) == {instance: "pending"}


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in EVERY_ROUTE if p != STREAM_PATH])
def test_the_token_opens_every_route(strict_app: Emulator, client_of: Callable[..., Any],
                                     method: str, path: str) -> None:
    [instance] = launch(client_of(OWNER))
    strict_app.advance(10)  # running: a guest may shut it down
    path = path.replace("i-0123456789abcdef0", instance)
    status, _ = _request(strict_app, method, path, {"Authorization": f"Bearer {TOKEN}"},
                         json.dumps({"advance_seconds": 1}).encode())
    assert status == 200, (method, path)


def test_without_the_token_no_path_or_method_is_told_apart(strict_app: Emulator) -> None:
    """Unknown paths and methods answer the same 401 as known ones: nobody learns the
    route table without the token."""
    answers = set()
    for method, path in [("DELETE", PREFIX + "clock"), ("GET", PREFIX + "nothing-here"), ("PUT", PREFIX + "reset"),
                         ("POST", STREAM_PATH), ("POST", METRICS_PATH), ("GET", PREFIX)]:
        status, payload = _request(strict_app, method, path, {"Authorization": "Bearer wrong"})
        answers.add((status, json.loads(payload)["error"]))
    assert answers == {(401, "admin token required")}


def test_the_token_is_compared_in_constant_time(strict_app: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each check goes through ``hmac.compare_digest`` with the token and what was sent."""
    compared: list[tuple[bytes, bytes]] = []

    def compare_digest(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return hmac.compare_digest(a, b)

    monkeypatch.setattr(routes, "hmac", types.SimpleNamespace(compare_digest=compare_digest))
    for method, path in EVERY_ROUTE:
        compared.clear()
        assert _request(strict_app, method, path, {"Authorization": "Bearer guess"})[0] == 401
        assert compared == [(b"guess", TOKEN.encode())], path
