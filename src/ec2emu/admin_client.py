"""A client for a running server's admin routes (``/_ec2emu/``), used by the CLI and the
``ec2emu_server`` pytest fixture.

It speaks plain HTTP with the standard library and turns every way of failing into an
:class:`AdminError` whose message says what to do: no server at the endpoint, something
else answering there, a refused token, or an error the route reported.

The token comes from ``EC2EMU_ADMIN_TOKEN`` when set, otherwise from
``<state-dir>/admin-token`` (the file ``ec2emu serve`` writes).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

DEFAULT_ENDPOINT = "http://127.0.0.1:4747"
TOKEN_VARIABLE = "EC2EMU_ADMIN_TOKEN"


class AdminError(Exception):
    """A request to the admin routes failed; the message is meant for a person."""


def default_endpoint(environ: dict[str, str] | None = None) -> str:
    """``EC2EMU_ENDPOINT``, else ``AWS_ENDPOINT_URL_EC2``, else ``AWS_ENDPOINT_URL``, else
    the default ``http://127.0.0.1:4747``."""
    env = os.environ if environ is None else environ
    for name in ("EC2EMU_ENDPOINT", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL"):
        if env.get(name):
            return env[name]
    return DEFAULT_ENDPOINT


def find_token(state_dir: Path, environ: dict[str, str] | None = None) -> str:
    """The admin token from ``EC2EMU_ADMIN_TOKEN`` or ``<state_dir>/admin-token``."""
    env = os.environ if environ is None else environ
    if env.get(TOKEN_VARIABLE):
        return env[TOKEN_VARIABLE]
    path = state_dir / "admin-token"
    try:
        token = path.read_text().strip()
    except FileNotFoundError:
        raise AdminError(
            f"No admin token: {TOKEN_VARIABLE} is not set and {path} does not exist. "
            "Run this command where the server keeps its state, pass --state-dir, "
            f"or set {TOKEN_VARIABLE}."
        ) from None
    except OSError as error:
        raise AdminError(f"Cannot read the admin token from {path}: {error.strerror}.") from None
    if not token:
        raise AdminError(f"The admin token file {path} is empty.")
    return token


class AdminClient:
    """Calls the admin routes of the server at ``endpoint`` with ``token``."""

    def __init__(self, endpoint: str, token: str, timeout: float = 30.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.token = token
        self.timeout = timeout

    def clock(self) -> dict[str, Any]:
        return self._call("GET", "clock")

    def advance(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "clock", {"advance_seconds": seconds})

    def instances(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "instances")["instances"])

    def shutdown_guest(self, instance_id: str) -> dict[str, Any]:
        return self._call("POST", f"instances/{instance_id}/shutdown")

    def events(self, after: int = 0, limit: int = 1000) -> dict[str, Any]:
        """The events after sequence number ``after``: ``{"events": [...], "last": S}``."""
        return self._call("GET", f"events?after={int(after)}&limit={int(limit)}")

    def reset(self) -> dict[str, Any]:
        return self._call("POST", "reset")

    def _call(self, method: str, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.endpoint}/_ec2emu/{route}"
        data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
        request = urllib.request.Request(
            url, data=data, method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise AdminError(
                f"No ec2emu server is answering at {self.endpoint} ({reason}). "
                "Start one with `ec2emu serve`, or point --endpoint (or EC2EMU_ENDPOINT) at it."
            ) from None
        except ValueError as error:  # a malformed URL
            raise AdminError(f"Bad endpoint {self.endpoint!r}: {error}.") from None
        try:
            payload = json.loads(raw)
            if not isinstance(payload, dict):
                raise ValueError
        except ValueError:
            raise AdminError(
                f"{self.endpoint} answered {method} /_ec2emu/{route} with HTTP {status} and no JSON: "
                "is it an ec2emu server?"
            ) from None
        if status == 401:
            raise AdminError(
                f"The server at {self.endpoint} refused the admin token. Use the token of that server: "
                f"its <state-dir>/admin-token (pass --state-dir) or {TOKEN_VARIABLE}."
            )
        if status >= 400:
            detail = payload.get("message") or payload.get("error") or f"HTTP {status}"
            code = payload.get("error")
            raise AdminError(f"{code}: {detail}" if code and payload.get("message") else str(detail))
        return payload
