"""Sign-in to the console: the session cookie's flags, CSRF tokens, refusal without a
session, the limit on failed sign-ins, sessions across nodes, and a key's one account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ec2emu.app import Emulator, build_app
from ec2emu.console.sessions import MAX_FAILURES
from tests.console.client import ConsoleClient
from tests.console.conftest import OWNER, ROOT_A, ROOT_B, TOKEN, Make, new_user
from tests.helpers import launch, states

PAGES = ["", "instances", "instances/states?id=i-0123456789abcdef0", "instances/i-0123456789abcdef0",
         "clock", "clock/now"]
POSTS = ["instances/action", "instances/i-0123456789abcdef0/tags", "clock", "signout"]


def test_session_cookie_is_httponly_strict_and_scoped_to_the_console(browser: ConsoleClient) -> None:
    form = browser.get("signin")
    [pre] = form.cookies()
    assert "HttpOnly" in pre and "SameSite=Strict" in pre and "Path=/_ec2emu/console/" in pre
    signed_in = browser.post("signin", {"csrf": form.csrf(), "token": TOKEN})
    assert signed_in.status == 303 and signed_in.header("location") == "/_ec2emu/console/instances"
    [session] = [c for c in signed_in.cookies() if c.startswith("ec2emu_console=")]
    flags = [part.strip() for part in session.split(";")[1:]]
    assert sorted(flags) == ["HttpOnly", "Path=/_ec2emu/console/", "SameSite=Strict"]
    assert "Secure" not in session  # plain HTTP here; over HTTPS it is added
    page = browser.get("instances")
    assert page.status == 200
    assert "default-src 'none'" in (page.header("content-security-policy") or "")


@pytest.mark.parametrize("path", PAGES)
def test_no_page_answers_without_a_session(browser: ConsoleClient, path: str) -> None:
    page = browser.get(path)
    assert page.status == 303 and page.header("location") == "/_ec2emu/console/signin"
    assert browser.get(path, accept="application/json").status == 401


@pytest.mark.parametrize("path", POSTS)
def test_no_change_is_accepted_without_a_session(browser: ConsoleClient, path: str) -> None:
    assert browser.post(path, {"action": "terminate", "id": "i-0123456789abcdef0", "seconds": "60"}).status == 401


def test_a_forged_cookie_is_no_session(browser: ConsoleClient, admin: ConsoleClient) -> None:
    cookie = admin.jar["ec2emu_console"]
    forged = cookie[:-1] + ("0" if cookie[-1] != "0" else "1")
    browser.jar["ec2emu_console"] = forged
    assert browser.get("instances").status == 303
    browser.jar["ec2emu_console"] = "key.AKIADEVROOT000000001." + cookie.split(".", 2)[2]
    assert browser.get("instances").status == 303
    # Digits of other scripts, and a signature that is not ASCII: no session, and no fault.
    kind, who, _, nonce, mac = cookie.split(".")
    for odd in (f"{kind}.{who}.\u00b2\u0663.{nonce}.{mac}", f"{kind}.{who}.9999999999.{nonce}.\u00e9{mac[1:]}"):
        browser.jar["ec2emu_console"] = odd
        assert browser.get("instances").status == 303


def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(app: Emulator, make: Make,
                                                                        admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [instance] = launch(ec2)
    app.advance(10)
    form = {"action": "terminate", "id": instance, "account": OWNER}
    refused = admin.post("instances/action", form, accept="application/json")
    assert refused.status == 403 and "InvalidCsrfToken" in refused.text
    wrong = admin.post("instances/action", form, accept="application/json", **{"x-csrf-token": "0" * 64})
    assert wrong.status == 403
    other = ConsoleClient(app)
    other.sign_in(token=TOKEN)
    theirs = other.get("instances").csrf()  # another session's token is not this one's
    assert admin.post("instances/action", {**form, "csrf": theirs}).status == 403
    assert admin.post("clock", {"seconds": "3600"}).status == 403
    assert states(ec2, [instance]) == {instance: "running"}
    mine = admin.get("instances").csrf()
    done = admin.post("instances/action", form, accept="application/json", **{"x-csrf-token": mine})
    assert done.status == 200 and states(ec2, [instance]) == {instance: "shutting-down"}


def test_sign_in_itself_needs_the_forms_token(browser: ConsoleClient) -> None:
    browser.get("signin")
    refused = browser.post("signin", {"token": TOKEN})
    assert refused.status == 403 and "ec2emu_console" not in browser.jar


def test_sign_out_ends_the_session_in_the_browser(admin: ConsoleClient) -> None:
    csrf = admin.get("instances").csrf()
    out = admin.post("signout", {"csrf": csrf})
    assert out.status == 303 and "ec2emu_console" not in admin.jar
    assert admin.get("instances").status == 303


def test_failed_sign_ins_are_rate_limited_per_client(app: Emulator) -> None:
    attacker = ConsoleClient(app, client_ip="10.0.0.9")
    for _ in range(MAX_FAILURES):
        assert attacker.sign_in(token="wrong").status == 401
    blocked = attacker.sign_in(token=TOKEN)  # even the right token, until the window passes
    assert blocked.status == 429 and int(blocked.header("retry-after") or 0) >= 1
    assert "ec2emu_console" not in attacker.jar
    assert ConsoleClient(app, client_ip="10.0.0.10").sign_in(token=TOKEN).status == 303
    assert app.console.attempts.blocked_for("10.0.0.9") > 0


def test_a_wrong_secret_or_unknown_key_fails(browser: ConsoleClient) -> None:
    assert browser.sign_in(access_key_id=ROOT_A[0], secret_access_key="nope").status == 401
    assert browser.sign_in(access_key_id="AKIAUNKNOWN000000000", secret_access_key="x").status == 401
    assert browser.sign_in(access_key_id=ROOT_A[0], secret_access_key=ROOT_A[1]).status == 303


def test_a_session_works_on_every_node_sharing_the_database(app: Emulator, admin: ConsoleClient,
                                                            tmp_path: Path) -> None:
    other_node = build_app(app.settings, clock=app.clock)
    try:
        elsewhere = ConsoleClient(other_node, jar=dict(admin.jar))
        page = elsewhere.get("instances")
        assert page.status == 200 and page.csrf() == admin.get("instances").csrf()
    finally:
        other_node.store.close()


def test_an_iam_user_sees_only_its_account(app: Emulator, make: Make) -> None:
    mine = launch(make(ROOT_A))
    theirs = launch(make(ROOT_B))
    key = new_user(make, "viewer", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    user = ConsoleClient(app)
    assert user.sign_in(access_key_id=key[0], secret_access_key=key[1]).status == 303
    page = user.get("instances")
    assert page.status == 200 and mine[0] in page.text and theirs[0] not in page.text
    assert "arn:aws:iam::111111111111:user/viewer" in page.text
    assert user.get("instances?account=222222222222").status == 403
    assert user.get(f"instances/{theirs[0]}?account=222222222222").status == 403
    assert "InvalidInstanceID.NotFound" in user.get(f"instances/{theirs[0]}").text
    assert user.get("clock").status == 403  # the admin's only
    states_ = user.get(f"instances/states?id={theirs[0]}&id={mine[0]}", accept="application/json")
    assert json.loads(states_.text) == {"states": {mine[0]: "pending"}, "protection": {mine[0]: "none"}}


def test_what_the_policy_denies_is_refused_with_aws_reason(app: Emulator, make: Make) -> None:
    ec2 = make(ROOT_A)
    [instance] = launch(ec2)
    app.advance(10)
    key = new_user(make, "looker", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    user = ConsoleClient(app)
    user.sign_in(access_key_id=key[0], secret_access_key=key[1])
    csrf = user.get("instances").csrf()
    refused = user.post("instances/action", {"action": "stop", "id": instance, "csrf": csrf},
                        accept="application/json")
    assert refused.status == 400
    body = refused.text
    assert "UnauthorizedOperation" in body and "You are not authorized to perform this operation." in body
    assert states(ec2, [instance]) == {instance: "running"}


def test_a_deleted_key_ends_its_sessions(app: Emulator, make: Make) -> None:
    key = new_user(make, "temp", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    user = ConsoleClient(app)
    user.sign_in(access_key_id=key[0], secret_access_key=key[1])
    assert user.get("instances").status == 200
    make(ROOT_A, "iam").delete_access_key(UserName="temp", AccessKeyId=key[0])
    assert user.get("instances").status == 303


def test_static_files_need_no_session_and_unknown_ones_are_absent(browser: ConsoleClient) -> None:
    script = browser.get("static/console.js")
    assert script.status == 200 and script.header("content-type") == "text/javascript; charset=utf-8"
    assert browser.get("static/console.css").status == 200
    assert browser.get("static/../routes.py").status in (303, 404)


def test_a_reset_signs_everyone_out(app: Emulator, admin: ConsoleClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ec2emu.console.sessions.KEY_KEPT", 0.0)
    assert admin.get("instances").status == 200
    app.reset()
    assert admin.get("instances").status == 303
    assert admin.sign_in(token=TOKEN).status == 303 and admin.get("instances").status == 200
