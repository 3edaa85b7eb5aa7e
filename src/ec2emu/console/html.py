"""The console's HTML: escaping, the page frame, tables and the answer type.

Everything is rendered on the server; the one script (``static/console.js``) only adds
live states, the selection's actions without a reload, and the clock's buttons. Answers
carry a Content-Security-Policy allowing only the console's own script and style (no
inline code), and are never cached or framed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

PREFIX = "/_ec2emu/console/"
STATIC = PREFIX + "static/"

SECURITY_HEADERS = [
    ("content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
]

# The tables, in the navigation's order: (label, path).
SECTIONS = [("Instances", "instances"), ("Volumes", "volumes"), ("Snapshots", "snapshots"), ("Images", "images"),
            ("Key pairs", "key-pairs"), ("VPCs", "vpcs"), ("Subnets", "subnets"),
            ("Security groups", "security-groups")]

# The states a resource passes through on its way to another: shown with a spinner.
TRANSITIONAL = {"pending", "stopping", "shutting-down", "creating", "deleting"}


@dataclass
class Answer:
    """What the console answers: a status, a content type, a body and extra headers."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(path: str, **query: str) -> str:
    """A console URL with ``query``'s non-empty members."""
    pairs = {k: v for k, v in query.items() if v}
    return PREFIX + path + ("?" + urlencode(pairs) if pairs else "")


@dataclass(frozen=True)
class Frame:
    """What every signed-in page shows around its content."""

    who: str
    admin: bool
    csrf: str
    account: str = ""
    region: str = ""
    accounts: tuple[str, ...] = ()  # the accounts an admin is offered


def page(title: str, content: str, frame: Frame | None, status: int = 200) -> Answer:
    nav = ""
    if frame is not None:
        scope = {"account": frame.account, "region": frame.region}
        items = [f'<a href="{esc(link(path, **scope))}">{label}</a>' for label, path in SECTIONS]
        if frame.admin:
            items.append(f'<a href="{esc(link("clock", **scope))}">Clock</a>')
        nav = (f'<nav aria-label="Console">{"".join(items)}</nav>'
               f'<span class="who">Signed in as {esc(frame.who)}</span>'
               f'<form method="post" action="{PREFIX}signout" class="signout">'
               f'<input type="hidden" name="csrf" value="{esc(frame.csrf)}">'
               f'<button type="submit">Sign out</button></form>')
    meta = f'<meta name="csrf-token" content="{esc(frame.csrf)}">' if frame is not None else ""
    body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{meta}'
            f'<title>{esc(title)} · ec2emu console</title>'
            f'<link rel="stylesheet" href="{STATIC}console.css">'
            f'<script src="{STATIC}console.js" defer></script></head>'
            f'<body><header><a class="brand" href="{PREFIX}">ec2emu console</a>{nav}</header>'
            f'<main id="main"><h1>{esc(title)}</h1>{content}</main></body></html>')
    return Answer(status, body.encode())


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], *, attrs: str = "",
          row_attrs: Sequence[str] | None = None, caption_shown: bool = True) -> str:
    """A table whose cells are already HTML; ``row_attrs`` per row (attributes' HTML); a
    caption not shown (a heading says it) is still read by assistive technology."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        extra = f" {row_attrs[index]}" if row_attrs is not None else ""
        body.append(f"<tr{extra}>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(headers)}" class="empty">None.</td></tr>')
    hidden = "" if caption_shown else ' class="sr-only"'
    return (f'<div class="scroll"><table {attrs}><caption{hidden}>{esc(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def state_badge(state: str) -> str:
    """A state as text in its colour, with a spinner while it changes (text, not colour
    alone, carries it)."""
    spinner = '<span class="spinner" aria-hidden="true"></span>' if state in TRANSITIONAL else ""
    return f'<span class="state state-{esc(state)}" data-state="{esc(state)}">{spinner}{esc(state)}</span>'


def message(kind: str, text: str) -> str:
    role = "alert" if kind == "error" else "status"
    return f'<p class="message {kind}" role="{role}">{esc(text)}</p>'


def redirect(location: str, headers: list[tuple[str, str]] | None = None) -> Answer:
    return Answer(303, b"", "text/plain", [("location", location), *(headers or [])])
