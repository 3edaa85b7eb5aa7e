"""The console's routes under ``/_ec2emu/console/``: sign-in, the dispatch to its pages,
and its static files.

``GET signin`` shows the form (and sets the pre-session cookie its CSRF token comes
from); ``POST signin`` takes the admin token, or an access key ID and its secret (a
long-term key, active: an IAM user's, or an account root's from the accounts file),
and sets the session cookie (:mod:`ec2emu.console.sessions`); ``POST signout`` clears it.
Every other route needs a session: a page answers a redirect to the sign-in form, a
fetch (``Accept: application/json``) 401. Every ``POST`` needs the session's CSRF token.
The sign-in page and the static files (the script and the style sheet: no data) are the
only answers given without a session.

A key's session sees one account, its own; asking for another answers 403. An admin
picks any account, and acts in it as its root. The region is any region AWS has.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from importlib import resources as package_files
from typing import Protocol
from urllib.parse import parse_qs

from ec2emu.auth.credentials import CredentialSource, Principal, StaticCredentials, root_principal
from ec2emu.config import DEFAULT_ACCOUNT, DEFAULT_REGION
from ec2emu.console import clock, detail, instances, resources
from ec2emu.console.html import PREFIX, SECURITY_HEADERS, Answer, Frame, esc, message, page, redirect
from ec2emu.console.sessions import COOKIE, PATH, PRE_COOKIE, PRE_LIFETIME, Attempts, Session, Sessions
from ec2emu.pipeline import Pipeline
from ec2emu.services.ec2.regions import is_valid_region
from ec2emu.store.repository import Store

log = logging.getLogger("ec2emu")

_ACCOUNT = re.compile(r"^\d{12}$")
_STATIC = {"console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}


class Emulated(Protocol):
    """What the console acts on (the emulator)."""

    store: Store
    pipeline: Pipeline
    admin_token: str
    configured: StaticCredentials

    @property
    def credentials(self) -> CredentialSource: ...

    def settled_now_iso(self) -> tuple[str, float]: ...

    def advance(self, seconds: float) -> None: ...


@dataclass
class Request:
    """A console request as the shell received it."""

    method: str
    path: str  # after the prefix
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    client: str
    request_id: str
    secure: bool = False

    def cookie(self, name: str) -> str | None:
        for part in self.headers.get("cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def form(self) -> dict[str, list[str]]:
        if self.method != "POST":
            return self.query
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    @property
    def wants_json(self) -> bool:
        return "application/json" in self.headers.get("accept", "")


@dataclass
class Scope:
    """Who acts, in which account and region, for a signed-in request."""

    session: Session
    principal: Principal
    access_key_id: str
    account: str
    region: str
    frame: Frame
    request: Request
    data: dict[str, list[str]]

    def one(self, name: str, default: str = "") -> str:
        values = self.data.get(name)
        return values[0] if values else default


class Console:
    """The console of one emulator."""

    def __init__(self, emulator: Emulated) -> None:
        self.emulator = emulator
        self.sessions = Sessions(emulator.store, emulator.admin_token, self._secret_of)
        self.attempts = Attempts()

    def _secret_of(self, access_key_id: str) -> str | None:
        found = self.emulator.credentials.find(access_key_id)
        if found is None or not found.active or found.session_token is not None:
            return None
        return found.secret_access_key

    def handle(self, request: Request) -> Answer:
        try:
            answer = self.route(request)
        except Exception:
            log.exception("request %s: console route failed", request.request_id)
            answer = page("Something went wrong", message("error", f"InternalError (request {request.request_id})"),
                          None, 500)
        answer.headers.extend(SECURITY_HEADERS)
        return answer

    def route(self, request: Request) -> Answer:
        path = request.path.strip("/")
        if path.startswith("static/") and request.method == "GET":
            return _static(path[len("static/"):])
        if path == "signin":
            return self.signin(request) if request.method == "POST" else self.signin_form(request)
        session = self.sessions.verify(request.cookie(COOKIE))
        if session is None:
            if request.wants_json or request.method != "GET":
                return Answer(401, json.dumps({"error": "sign in first"}).encode(), "application/json")
            return redirect(PREFIX + "signin")
        data = request.form()
        if request.method == "POST":
            token = request.headers.get("x-csrf-token") or (data.get("csrf") or [""])[0]
            if not self.sessions.csrf_ok(session.cookie, token):
                return _refused(request, 403, "InvalidCsrfToken", "The request's CSRF token is missing or wrong.")
        if path == "signout" and request.method == "POST":
            return redirect(PREFIX + "signin", [("set-cookie", _cookie(COOKIE, "", 0, request.secure))])
        scope = self.scope(session, request, data)
        if isinstance(scope, Answer):
            return scope
        if path == "":
            return redirect(PREFIX + "instances")
        if path == "clock" or path.startswith("clock/"):
            if not scope.frame.admin:
                return _refused(request, 403, "AccessDenied", "Only the admin moves the clock.")
            return clock.route(self.emulator, scope, path)
        if path in resources.RESOURCES:
            return resources.route(self.emulator.pipeline, scope, path)
        if path == "instances" or path.startswith("instances/"):
            parts = path.split("/")
            if len(parts) == 2 and parts[1] not in ("states", "action"):
                return detail.route(self.emulator.pipeline, self.emulator.store, scope, parts[1], "")
            if len(parts) == 3:
                return detail.route(self.emulator.pipeline, self.emulator.store, scope, parts[1], parts[2])
            return instances.route(self.emulator.pipeline, self.emulator.store, scope,
                                   parts[1] if len(parts) > 1 else "")
        return page("Not found", message("error", "No such page."), scope.frame, 404)

    def scope(self, session: Session, request: Request, data: dict[str, list[str]]) -> Scope | Answer:
        account = (data.get("account") or [""])[0].strip()
        region = (data.get("region") or [""])[0].strip() or DEFAULT_REGION
        if not is_valid_region(region):
            return _refused(request, 400, "InvalidParameterValue", f"Invalid region: {region}")
        if session.kind == "admin":
            account = account or DEFAULT_ACCOUNT
            if not _ACCOUNT.match(account):
                return _refused(request, 400, "InvalidParameterValue", "An account ID is 12 digits.")
            principal, key, who = root_principal(account), "", "admin"
        else:
            credential = self.emulator.credentials.find(session.who)
            assert credential is not None  # verify found its secret
            principal, key, who = credential.principal, session.who, credential.principal.arn
            if account and account != principal.account_id:
                return _refused(request, 403, "AccessDenied",
                                f"This session sees only account {principal.account_id}.")
            account = principal.account_id
        offered = self.accounts() if session.kind == "admin" else ()
        frame = Frame(who, session.kind == "admin", self.sessions.csrf(session.cookie), account, region, offered)
        return Scope(session, principal, key, account, region, frame, request, data)

    def accounts(self) -> tuple[str, ...]:
        """The accounts the accounts file names, and the default one."""
        named = {credential.principal.account_id for credential in self.emulator.configured.by_key.values()}
        return tuple(sorted(named | {DEFAULT_ACCOUNT}))

    # ------------------------------------------------------------------ sign-in
    def signin_form(self, request: Request, error: str = "", status: int = 200) -> Answer:
        pre = request.cookie(PRE_COOKIE)
        if not self.sessions.pre_ok(pre):
            pre = self.sessions.pre_session()
        assert pre is not None
        csrf = esc(self.sessions.csrf(pre))
        content = (
            (message("error", error) if error else "")
            + '<p>Sign in with the admin token (in <code>&lt;state-dir&gt;/admin-token</code>), '
              'or with an access key.</p>'
            f'<form method="post" action="{PREFIX}signin" class="signin">'
            f'<input type="hidden" name="csrf" value="{csrf}">'
            '<fieldset><legend>Admin</legend>'
            '<label for="token">Admin token</label>'
            '<input id="token" name="token" type="password" autocomplete="off"></fieldset>'
            '<fieldset><legend>Access key</legend>'
            '<label for="key">Access key ID</label><input id="key" name="access_key_id" autocomplete="username">'
            '<label for="secret">Secret access key</label>'
            '<input id="secret" name="secret_access_key" type="password" autocomplete="current-password">'
            '</fieldset><button type="submit">Sign in</button></form>')
        answer = page("Sign in", content, None, status)
        answer.headers.append(("set-cookie", _cookie(PRE_COOKIE, pre, PRE_LIFETIME, request.secure)))
        return answer

    def signin(self, request: Request) -> Answer:
        wait = self.attempts.blocked_for(request.client)
        if wait:
            answer = self.signin_form(request, "Too many failed sign-ins: try again later.", 429)
            answer.headers.append(("retry-after", str(int(wait + 0.999))))
            return answer
        data = request.form()
        pre = request.cookie(PRE_COOKIE)
        if not self.sessions.pre_ok(pre) or not self.sessions.csrf_ok(pre, (data.get("csrf") or [""])[0]):
            return self.signin_form(request, "The sign-in form had expired: please try again.", 403)
        token = (data.get("token") or [""])[0].strip()
        key = (data.get("access_key_id") or [""])[0].strip()
        secret = (data.get("secret_access_key") or [""])[0].strip()
        cookie = None
        if token:
            if self.sessions.verify_token(token):
                cookie = self.sessions.issue("admin")
        elif key and secret:
            known = self._secret_of(key)
            if known is not None and self.sessions.same(known, secret):
                cookie = self.sessions.issue("key", key)
        if cookie is None:
            self.attempts.failed(request.client)
            return self.signin_form(request, "Sign-in failed: the token or key pair is not valid.", 401)
        self.attempts.succeeded(request.client)
        return redirect(PREFIX + "instances", [("set-cookie", _cookie(COOKIE, cookie, None, request.secure)),
                                               ("set-cookie", _cookie(PRE_COOKIE, "", 0, request.secure))])


def _cookie(name: str, value: str, max_age: int | None, secure: bool) -> str:
    parts = [f"{name}={value}", f"Path={PATH}", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def _refused(request: Request, status: int, code: str, text: str) -> Answer:
    if request.wants_json or request.method == "POST":
        return Answer(status, json.dumps({"error": {"code": code, "message": text}}).encode(), "application/json")
    return page("Refused", message("error", f"{code}: {text}"), None, status)


def _static(name: str) -> Answer:
    if name not in _STATIC:
        return Answer(404, b"not found", "text/plain")
    data = package_files.files("ec2emu.console").joinpath("static", name).read_bytes()
    return Answer(200, data, _STATIC[name])


def parse_query(raw: bytes) -> dict[str, list[str]]:
    return parse_qs(raw.decode("latin-1"), keep_blank_values=True)


__all__ = ["Console", "Request", "Scope", "parse_query"]
