"""A request and an answer as every wire protocol sees them.

:class:`Message` is what arrives — method, path as the client sent it (percent-encoded,
the form its signature covers), the query string's pairs already decoded, lower-case
header names, the body — and, once a form protocol has read it, the form's pairs.
:class:`Reply` is what goes back: a status, a body and its headers (``content-type``
among them). Nothing here reads either; the protocols do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

Headers = dict[str, str]


@dataclass(frozen=True)
class Message:
    """A request as received, for a protocol to read."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    form: list[tuple[str, str]] = field(default_factory=list)  # the form protocols' pairs, query and body


class Reply(NamedTuple):
    """A status, a body and its headers."""

    status: int
    body: bytes
    headers: Headers
