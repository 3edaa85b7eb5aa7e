"""``MaxResults`` / ``NextToken`` for Describe calls.

A token is opaque to clients: URL-safe base64 of the last key returned. Pages are cut by
key order, so a page costs an indexed range scan however many resources are stored.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from ec2emu.errors import invalid_next_token, invalid_parameter_value

MIN_RESULTS = 5
MAX_RESULTS = 1000


def page_size(max_results: int | None) -> int | None:
    """Check ``MaxResults`` (5 to 1000, as EC2 enforces); ``None`` means no paging."""
    if max_results is None:
        return None
    if max_results < MIN_RESULTS:
        raise invalid_parameter_value(
            f"Value ( {max_results} ) for parameter maxResults is invalid. "
            f"Expecting a value greater than {MIN_RESULTS}."
        )
    if max_results > MAX_RESULTS:
        raise invalid_parameter_value(
            f"Value ( {max_results} ) for parameter maxResults is invalid. "
            f"Expecting a value less than {MAX_RESULTS}."
        )
    return max_results


def encode_token(after: Any) -> str:
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None, expected: type | None = None) -> Any:
    """The key a token was cut after (``None`` for no token). With ``expected``, a token
    whose key is not of that type (e.g. another call's token) is invalid too."""
    if token is None or token == "":
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        after = data["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        after = None
    if after is None or (expected is not None and not isinstance(after, expected)):
        raise invalid_next_token(token)
    return after


def fetch_page(
    find: Callable[..., list[dict[str, Any]]], key: str, limit: int | None, after: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of rows from a repository's ``find`` (ordered by ``key``) after ``after``,
    and the token for the next page (``None`` on the last one). One row more than the
    page is read, so a token is only given when more rows follow."""
    rows = find(after_id=after, limit=None if limit is None else limit + 1)
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_token(rows[-1][key])
    return rows, None
