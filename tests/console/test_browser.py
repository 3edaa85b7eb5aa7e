"""The console in a real browser: Debian's Chromium driven by Playwright against
``ec2emu serve``. The scenario: sign in; launch A, B, C (termination-protected) and D
through boto3; watch them turn ``running`` with no reload once the clock is advanced;
select all and terminate — ``OperationNotPermitted`` names C while A and B turn
``shutting-down`` (D shares C's zone, so it stays); turn C's protection off, terminate
it, and open its page — terminating by keyboard alone, with the focus visible, and
every page's controls named. Screenshots of the main pages go to ``$EC2EMU_SCREENSHOTS`` (else
the test's own directory); ``docs/screenshots/`` holds those the README shows.

Every main page is also checked by axe-core (the pinned npm package of the JavaScript
client tests, ``tests/clients/js``, which ``make test`` installs with ``npm ci``): no
serious or critical violation.

Skipped, saying why, only when Chromium is not installed (``apt-get install chromium``)
or axe-core is not (no ``npm``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import NO_RETRY, ServerProcess
from tests.helpers import image_id

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "clients" / "js" / "node_modules" / "axe-core" / "axe.min.js"
TOKEN = "test-admin-token"
WAIT_MS = 15_000


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerProcess]:
    # Timed states last an hour of emulated time: only the console's clock moves them.
    for name in ("PENDING", "STOPPING", "SHUTTING_DOWN"):
        monkeypatch.setenv(f"EC2EMU_{name}_SECONDS", "30")
    monkeypatch.setenv("EC2EMU_TERMINATED_RETENTION_SECONDS", "3600")
    running = ServerProcess(tmp_path).start()
    yield running
    running.stop()


@pytest.fixture
def page() -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (npm ci in tests/clients/js)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        opened = context.new_page()
        opened.set_default_timeout(WAIT_MS)
        yield opened
        context.close()
        browser.close()


def shots(tmp_path: Path) -> Path:
    where = Path(os.environ.get("EC2EMU_SCREENSHOTS") or tmp_path / "screenshots")
    where.mkdir(parents=True, exist_ok=True)
    return where


# Every control has an accessible name: a <label>, aria-label, or its own text.
UNNAMED_CONTROLS = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
  .map((el) => el.outerHTML)"""


# axe-core's findings that matter: the serious and critical ones, each with where it is.
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', '))"""


def accessible(page: Page) -> None:
    """Named controls, one main heading, every table captioned, every image described,
    and no serious or critical violation axe-core finds (its source evaluated through
    the browser's debugging protocol, which the pages' content security policy, rightly
    closed to inline scripts, does not stop)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate(UNNAMED_CONTROLS) == []
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert page.evaluate("Array.from(document.querySelectorAll('table')).every((t) => t.caption && "
                         "t.caption.textContent.trim())")
    assert page.evaluate("Array.from(document.querySelectorAll('img')).every((i) => i.alt)")


def state_of(page: Page, instance_id: str) -> Any:
    return page.locator(f'tr[data-id="{instance_id}"] .state')


def test_the_fleet_is_watched_and_acted_on_in_a_browser(page: Page, server: ServerProcess, tmp_path: Path) -> None:
    saved = shots(tmp_path)
    console = f"{server.endpoint}/_ec2emu/console/"
    page.goto(console)
    expect(page).to_have_url(re.compile(r"/_ec2emu/console/signin$"))
    accessible(page)
    page.screenshot(path=str(saved / "signin.png"))
    page.get_by_label("Admin token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/_ec2emu/console/instances$"))
    cookie = next(c for c in page.context.cookies() if c["name"] == "ec2emu_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/_ec2emu/console/"

    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=server.endpoint, aws_access_key_id="test",
                       aws_secret_access_key="test", config=NO_RETRY)
    ami = image_id(ec2)
    ids: dict[str, str] = {}
    for name, zone, protected in (("A", "us-east-1a", False), ("B", "us-east-1b", False),
                                  ("C", "us-east-1c", True), ("D", "us-east-1c", False)):
        [launched] = ec2.run_instances(
            ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, DisableApiTermination=protected,
            Placement={"AvailabilityZone": zone},
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}])["Instances"]
        ids[name] = launched["InstanceId"]

    page.goto(console + "instances")
    for instance_id in ids.values():
        expect(state_of(page, instance_id)).to_have_text("pending")
        expect(state_of(page, instance_id).locator(".spinner")).to_have_count(1)
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("button", name="+1 minute").first.click()
    for instance_id in ids.values():
        expect(state_of(page, instance_id)).to_have_text("running")
    assert page.evaluate("window.__notReloaded") is True
    expect(page.locator("output.now")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\dT"))
    accessible(page)
    page.screenshot(path=str(saved / "instances.png"), full_page=True)

    # By keyboard alone: select all with Space, then reach Terminate and press Enter.
    page.get_by_label("Select all on this page").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label(f"Select {ids['D']}")).to_be_checked()
    terminate = page.get_by_role("button", name="Terminate", exact=True)
    terminate.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # focus arrives by keyboard: the outline is shown
    assert page.evaluate("document.activeElement.textContent") == "Terminate"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("OperationNotPermitted")
    expect(alert).to_contain_text(ids["C"])
    expect(state_of(page, ids["A"])).to_have_text("shutting-down")
    expect(state_of(page, ids["B"])).to_have_text("shutting-down")
    expect(state_of(page, ids["C"])).to_have_text("running")
    expect(state_of(page, ids["D"])).to_have_text("running")
    assert page.evaluate("window.__notReloaded") is True
    page.screenshot(path=str(saved / "refused.png"), full_page=True)

    page.get_by_label("Select all on this page").uncheck()
    page.get_by_label(f"Select {ids['C']}").check()
    page.get_by_role("button", name="Termination protection off").click()
    expect(page.locator("#outcome")).to_contain_text(f"{ids['C']}: DisableApiTermination=false")
    expect(page.locator(f'tr[data-id="{ids["C"]}"] .protection')).to_have_text("none")  # live, no reload
    page.get_by_role("button", name="Terminate", exact=True).click()
    expect(state_of(page, ids["C"])).to_have_text("shutting-down")

    page.get_by_role("link", name=ids["C"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ids["C"])
    for heading in ("Attributes", "Block devices", "Network interfaces", "Security groups", "Tags", "State history"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    history = page.get_by_role("table", name="State history, newest first")
    expect(history.locator("tbody tr").first).to_contain_text("shutting-down")
    expect(page.get_by_text("Termination protection: off")).to_be_visible()
    accessible(page)
    page.screenshot(path=str(saved / "detail.png"), full_page=True)

    page.get_by_role("link", name="Subnets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subnets")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(6)  # the default VPC's, one a zone
    accessible(page)
    page.screenshot(path=str(saved / "subnets.png"), full_page=True)

    page.get_by_role("link", name="Clock").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clock")
    accessible(page)
    page.screenshot(path=str(saved / "clock.png"))

    page.set_viewport_size({"width": 380, "height": 800})  # a narrow window: the table scrolls, the page does not
    page.goto(console + "instances")
    expect(state_of(page, ids["D"])).to_have_text("running")
    expect(page.locator("output.now")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\dT"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(saved / "narrow.png"), full_page=True)
