"""The clock page: the emulator's time, moved by the admin's "advance by" buttons."""

from __future__ import annotations

import json

from ec2emu.app import Emulator
from tests.console.client import ConsoleClient
from tests.console.conftest import OWNER, ROOT_A, Make
from tests.helpers import launch, states


def test_advance_moves_the_time_and_settles(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [one] = launch(ec2)
    before = app.now()
    page = admin.get("clock")
    assert page.status == 200 and before.isoformat() in page.text
    moved = admin.post("clock", {"csrf": page.csrf(), "seconds": "60"}, accept="application/json")
    assert moved.status == 200
    assert (app.now() - before).total_seconds() == 60
    assert json.loads(moved.text)["now"] == app.now().isoformat()
    assert states(ec2, [one]) == {one: "running"}
    back = admin.post("clock", {"csrf": page.csrf(), "seconds": "5", "back": f"/_ec2emu/console/instances?account={OWNER}"})
    assert back.status == 303 and back.header("location") == f"/_ec2emu/console/instances?account={OWNER}"
    offsite = admin.post("clock", {"csrf": page.csrf(), "seconds": "5", "back": "https://elsewhere.test/"})
    assert offsite.header("location") == "/_ec2emu/console/clock"


def test_bad_amounts_are_refused(app: Emulator, admin: ConsoleClient) -> None:
    csrf = admin.get("clock").csrf()
    before = app.now()
    for seconds in ("0", "-5", "1.5", "x", "99999999999"):
        assert admin.post("clock", {"csrf": csrf, "seconds": seconds}).status == 400, seconds
    assert app.now() == before
