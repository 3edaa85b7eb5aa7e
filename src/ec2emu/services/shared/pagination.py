"""Paging: the tokens of every service (EC2's ``NextToken``, IAM's ``Marker``), the page
sizes EC2's Describe calls take, and the cut of a page.

A token is opaque to clients: URL-safe base64 of the key of the last item given (a
text, or a list of texts for a key of several fields). Pages are cut by key order, so a
page of stored rows costs an indexed range scan however many are stored.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ec2emu.errors import invalid_next_token, invalid_parameter_value

MIN_RESULTS = 5
MAX_RESULTS = 1000

T = TypeVar("T")
# What items are ordered and paged by: a field, several fields, or a function of the item.
Key = str | tuple[str, ...] | Callable[[Any], Any]


@dataclass(frozen=True)
class PageSize:
    """The ``MaxResults`` a Describe call takes: ``minimum`` to ``maximum`` (EC2's
    ``InvalidParameterValue`` otherwise, "Expecting a value greater than 5." / "less than
    1000."). ``capped``: a larger value answers ``maximum`` items instead of an error
    (DescribeVolumes' 500); ``between``: both errors say "Expecting a value between 5 and
    100." (DescribeInstanceTypes)."""

    minimum: int = MIN_RESULTS
    maximum: int = MAX_RESULTS
    capped: bool = False
    between: bool = False

    def of(self, max_results: int | None) -> int | None:
        """The page size asked for (``None``: no paging)."""
        if max_results is None:
            return None
        if self.capped and max_results > self.maximum:
            return self.maximum
        problem = f"Value ( {max_results} ) for parameter maxResults is invalid. Expecting a value "
        if self.between and not self.minimum <= max_results <= self.maximum:
            raise invalid_parameter_value(f"{problem}between {self.minimum} and {self.maximum}.")
        if max_results < self.minimum:
            raise invalid_parameter_value(f"{problem}greater than {self.minimum}.")
        if max_results > self.maximum:
            raise invalid_parameter_value(f"{problem}less than {self.maximum}.")
        return max_results


def encode_token(after: Any) -> str:
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None, invalid: Callable[[], Exception]) -> Any:
    """The key a token was cut after (``None`` for no token); ``invalid()`` is raised for
    a token that is not one of ours."""
    if token is None or token == "":
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, RecursionError):
        after = None
    if after is None:
        raise invalid()
    return after


def key_of(item: Any, key: Key) -> Any:
    """An item's key as a token holds it."""
    if callable(key):
        return key(item)
    return item[key] if isinstance(key, str) else [item[field] for field in key]


def read_next_token(token: str | None, key: str | tuple[str, ...]) -> Any:
    """The key an EC2 ``NextToken`` was cut after, checked to be a key of this listing
    (another call's token answers ``InvalidParameterValue``); a key of several fields as a
    tuple."""
    after = decode_token(token, lambda: invalid_next_token(token))
    if after is None:
        return None
    if isinstance(key, str):
        if isinstance(after, str):
            return after
    elif isinstance(after, list) and len(after) == len(key) and all(isinstance(part, str) for part in after):
        return tuple(after)
    raise invalid_next_token(token)


def cut(items: list[T], key: Key, limit: int | None) -> tuple[list[T], str | None]:
    """``items`` (read with one more than ``limit``) cut to a page, and the token for the
    next page (``None`` on the last one)."""
    if limit is not None and len(items) > limit:
        items = items[:limit]
        return items, encode_token(key_of(items[-1], key))
    return items, None


def fetch_page(
    find: Callable[[Any, int | None], list[T]], key: Key, limit: int | None, after: Any
) -> tuple[list[T], str | None]:
    """One page of items from ``find(after, limit)`` (ordered by ``key``) after ``after``,
    and the token for the next page. One item more than the page is read, so a token is
    only given when more items follow."""
    return cut(find(after, None if limit is None else limit + 1), key, limit)


def page_after(items: list[T], key: Key, after: Any, limit: int | None) -> list[T]:
    """Items held in memory as a repository reads them: ordered by ``key``, those after
    ``after`` (a list read from a token compares as a tuple), at most ``limit``."""
    def sort_key(item: Any) -> Any:
        found = key_of(item, key)
        return tuple(found) if isinstance(found, list) else found

    if isinstance(after, list):
        after = tuple(after)

    ordered = sorted(items, key=sort_key)
    if after is not None:
        ordered = [item for item in ordered if sort_key(item) > after]
    return ordered if limit is None else ordered[:limit]
