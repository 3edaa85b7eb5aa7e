"""A browser-like client of the console, in-process: it drives the ASGI app with each
request, keeps the cookies it is given (every ``Set-Cookie``, with its attributes), and
reads the CSRF tokens pages carry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from ec2emu.app import Emulator

BASE = "/_ec2emu/console/"


@dataclass
class Page:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    def cookies(self) -> list[str]:
        return [v for k, v in self.headers if k == "set-cookie"]

    def csrf(self) -> str:
        found = re.search(r'name="csrf(?:-token)?" (?:content|value)="([^"]+)"', self.text)
        assert found, self.text
        return found.group(1)


@dataclass
class ConsoleClient:
    app: Emulator
    client_ip: str = "127.0.0.1"
    jar: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, Any] | list[tuple[str, str]] | None = None,
                headers: dict[str, str] | None = None) -> Page:
        parts = urlsplit(path if path.startswith("/") else BASE + path)
        body = urlencode(form, doseq=True).encode() if form is not None else b""
        sent = {"host": "console.test", **(headers or {})}
        if self.jar:
            sent["cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        if form is not None:
            sent["content-type"] = "application/x-www-form-urlencoded"
        scope = {"type": "http", "method": method, "path": parts.path, "raw_path": parts.path.encode(),
                 "query_string": parts.query.encode(), "scheme": "http",
                 "headers": [(k.encode(), v.encode()) for k, v in sent.items()], "client": (self.client_ip, 1)}
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        out: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            out.append(message)

        coroutine = self.app(scope, receive, send)
        try:
            coroutine.send(None)
        except StopIteration:
            pass
        start = next(m for m in out if m["type"] == "http.response.start")
        page = Page(start["status"], [(k.decode(), v.decode("latin-1")) for k, v in start["headers"]],
                    b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body"))
        for cookie in page.cookies():
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in cookie:
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        return page

    def get(self, path: str, **headers: str) -> Page:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, Any] | list[tuple[str, str]], **headers: str) -> Page:
        return self.request("POST", path, form, headers=headers)

    def sign_in(self, **fields: str) -> Page:
        form = self.get("signin")
        return self.post("signin", {"csrf": form.csrf(), **fields})
