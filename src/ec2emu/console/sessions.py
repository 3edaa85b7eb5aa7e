"""The console's sign-in: session cookies, CSRF tokens and the limit on failed sign-ins.

A session is a signed cookie, nothing stored per session: ``<kind>.<who>.<expires>.<nonce>.<mac>``
where ``kind`` is ``admin`` (``who`` empty) or ``key`` (``who`` the access key ID), and
``mac`` an HMAC-SHA256 over the rest. The HMAC key is drawn once and kept in the
database's settings table (:data:`KEY_SETTING`), so every node sharing the database
accepts the cookies of every other; it is mixed with the admin token for an admin
session and with the key's secret for a key's, so changing the token, or deleting or
deactivating the key, ends the sessions that rest on it (the key is looked up again on
every request). A session lasts :data:`LIFETIME` seconds of wall time; signing out
clears the cookie in the browser (a copied cookie stays valid until it expires: the
price of keeping nothing per session).

The cookie is ``HttpOnly``, ``SameSite=Strict`` and scoped to ``Path=/_ec2emu/console/``
(``Secure`` too when the request came over HTTPS). The CSRF token of a session is an
HMAC of its cookie; every state-changing request sends it (the ``X-CSRF-Token`` header
or a ``csrf`` form field). The sign-in form itself is protected the same way by a
short-lived pre-session cookie (:data:`PRE_COOKIE`).

Failed sign-ins are limited per client address: after :data:`MAX_FAILURES` within
:data:`WINDOW` seconds, sign-in answers 429 until the window has passed. The count is
kept in each node's memory (a restart forgets it; nodes count apart).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ec2emu.store.repository import Store, UnitOfWork

KEY_SETTING = "console_session_key"
COOKIE = "ec2emu_console"
PRE_COOKIE = "ec2emu_console_pre"
PATH = "/_ec2emu/console/"
LIFETIME = 12 * 3600
PRE_LIFETIME = 3600
MAX_FAILURES = 5
WINDOW = 60.0
KEY_KEPT = 5.0


@dataclass(frozen=True)
class Session:
    """A verified session: ``admin``, or the access key ``who`` of kind ``key``."""

    kind: str
    who: str
    cookie: str


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class Sessions:
    """Issues and verifies the console's cookies with the key the database holds."""

    def __init__(self, store: Store, admin_token: str, secret_of: Callable[[str], str | None],
                 wall: Callable[[], float] = time.time) -> None:
        self.store = store
        self.admin_token = admin_token
        self.secret_of = secret_of  # an active long-term key's secret, else None
        self.wall = wall
        self._key: tuple[bytes, float] | None = None
        self._lock = threading.Lock()

    @property
    def key(self) -> bytes:
        """The signing key, read from the database (drawn and stored on first use), kept
        :data:`KEY_KEPT` seconds: a reset, which forgets it, signs everyone out on every
        node within that time."""
        now = time.monotonic()
        with self._lock:
            if self._key is None or now - self._key[1] > KEY_KEPT:
                stored = self.store.transaction(lambda uow: uow.settings.get(KEY_SETTING), read_only=True)
                if not isinstance(stored, str):
                    stored = self.store.transaction(_stored_key)
                self._key = (bytes.fromhex(stored), now)
            return self._key[0]

    def _secret(self, kind: str, who: str) -> bytes | None:
        if kind == "admin":
            return hmac.new(self.key, b"admin\0" + self.admin_token.encode(), hashlib.sha256).digest()
        secret = self.secret_of(who)
        if secret is None:
            return None
        return hmac.new(self.key, b"key\0" + who.encode() + b"\0" + secret.encode(), hashlib.sha256).digest()

    def verify_token(self, token: str) -> bool:
        """Whether ``token`` is the admin token (compared in constant time)."""
        return hmac.compare_digest(token.encode(), self.admin_token.encode())

    @staticmethod
    def same(known: str, given: str) -> bool:
        return hmac.compare_digest(known.encode(), given.encode())

    def issue(self, kind: str, who: str = "") -> str:
        """A new session cookie's value."""
        key = self._secret(kind, who)
        assert key is not None
        body = f"{kind}.{who}.{int(self.wall()) + LIFETIME}.{secrets.token_urlsafe(12)}"
        return f"{body}.{_mac(key, body)}"

    def verify(self, cookie: str | None) -> Session | None:
        """The session ``cookie`` proves, if it is genuine, current and its key active."""
        if not cookie or cookie.count(".") != 4:
            return None
        kind, who, expires, _nonce, mac = cookie.split(".")
        if kind not in ("admin", "key") or not _seconds(expires) or int(expires) < self.wall():
            return None
        key = self._secret(kind, who)
        if key is None or not _same(mac, _mac(key, cookie.rsplit(".", 1)[0])):
            return None
        return Session(kind, who, cookie)

    def csrf(self, cookie: str) -> str:
        """The CSRF token of the session (or pre-session) ``cookie``."""
        return _mac(self.key, "csrf\0" + cookie)

    def csrf_ok(self, cookie: str | None, token: str | None) -> bool:
        return bool(cookie and token) and _same(self.csrf(cookie or ""), token or "")

    def pre_session(self) -> str:
        """A pre-session cookie's value, which the sign-in form's CSRF token is made from."""
        body = f"pre.{int(self.wall()) + PRE_LIFETIME}.{secrets.token_urlsafe(12)}"
        return f"{body}.{_mac(self.key, body)}"

    def pre_ok(self, cookie: str | None) -> bool:
        if not cookie or cookie.count(".") != 3:
            return False
        body, mac = cookie.rsplit(".", 1)
        expires = body.split(".")[1]
        return (_seconds(expires) and int(expires) >= self.wall()
                and _same(mac, _mac(self.key, body)))


def _seconds(text: str) -> bool:
    """Whether a cookie's expiry field is a plain number of seconds (ASCII digits, as
    :meth:`Sessions.issue` writes; ``str.isdigit`` alone also takes other scripts'
    digits and superscripts, which ``int`` refuses)."""
    return 0 < len(text) <= 12 and text.isascii() and text.isdigit()


def _same(given: str, expected: str) -> bool:
    """A constant-time comparison of what a client sent with what it should be; any text
    is compared (``hmac.compare_digest`` takes only ASCII ``str``), as bytes."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


def _stored_key(uow: UnitOfWork) -> str:
    stored = uow.settings.get(KEY_SETTING)
    if not isinstance(stored, str):
        stored = secrets.token_hex(32)
        uow.settings.set(KEY_SETTING, stored)
    return stored


class Attempts:
    """Failed sign-ins per client address, in a sliding window (this node's memory)."""

    def __init__(self, wall: Callable[[], float] = time.monotonic) -> None:
        self.wall = wall
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque[float]:
        now = self.wall()
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - WINDOW:
            failures.popleft()
        return failures

    def blocked_for(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        with self._lock:
            failures = self._recent(client)
            if len(failures) < MAX_FAILURES:
                return 0.0
            return max(1.0, failures[0] + WINDOW - self.wall())

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self.wall())
            if len(self._failures) > 10_000:  # forget the quiet ones rather than grow
                for stale in [c for c, f in self._failures.items() if not f]:
                    del self._failures[stale]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
