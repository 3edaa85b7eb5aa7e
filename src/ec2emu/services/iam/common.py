"""What the IAM operations share: registration with input validation, IAM's errors,
unique IDs, ``Marker``/``MaxItems`` paging, the caller's user and managed policies,
tags and the view of a policy as IAM answers it (users, groups and roles are
:mod:`ec2emu.services.iam.entities`).

IAM is global: the signing region is ignored and every entity belongs to the caller's
account (another account's user is ``NoSuchEntity``, like a missing one).

Validation (:func:`validate`) follows IAM's service model, as IAM itself does on the
server: each string's length and pattern, each number's range and each list's length
are checked, and every failure is reported in one ``ValidationError`` (400) with IAM's
wording: "1 validation error detected: Value 'x' at 'userName' failed to satisfy
constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+" (several
failures are joined by "; " after "N validation errors detected: "). Field names are the
member names with a lower-case first letter; members of list items are named
``tags.1.member.key``. The model's patterns are Java's: ``\\w`` is ASCII, and the tag
pattern's ``\\p{L}``, ``\\p{Z}`` and ``\\p{N}`` are Unicode letters, separators and
numbers.

Choices where IAM's documentation is silent:

* Unique IDs are the documented prefix (``AIDA`` users, ``AGPA`` groups, ``AROA``
  roles, ``ANPA`` policies) and 17 random upper-case letters and digits; access key IDs
  ``AKIA`` and 16 of them; secrets 40 characters of letters, digits, ``+`` and ``/``.
* Listings are ordered by name, case-insensitively; a ``Marker`` is opaque (base64 of
  the last key given) and one that cannot be read answers ``InvalidInput`` "Invalid
  Marker.". ``MaxItems`` defaults to 100.
* Tag keys are unique case-insensitively (as IAM's "Duplicate tag keys found" error
  says): a new value under a key differing only in case replaces the old tag.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any
from urllib.parse import quote

from botocore.model import Shape

from ec2emu.auth.managed_policies import AWS_MANAGED
from ec2emu.errors import constraint, validation_errors
from ec2emu.protocol import spec
from ec2emu.services.iam.errors import (
    duplicate_tag_keys,
    invalid_marker,
    invalid_policy_arn,
    no_such_entity,
    reserved_tag_key,
    tag_limit,
    user_name_required,
)
from ec2emu.services.iam.service import operation
from ec2emu.services.registry import Handler
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.ids import random_id
from ec2emu.services.shared.pagination import Key, decode_token, fetch_page, key_of, page_after

Row = dict[str, Any]

DEFAULT_MAX_ITEMS = 100
MAX_TAGS = 50
_ID_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"
_SEPARATORS = "\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


# ------------------------------------------------------------------ validation


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    if "\\p{" in pattern:
        unicode_pattern = (
            pattern.replace("\\p{L}", "\\w").replace("\\p{N}", "").replace("\\p{Z}", _SEPARATORS)
        )
        return re.compile(unicode_pattern)
    return re.compile(pattern, re.ASCII)


def _text_ok(pattern: str, value: str) -> bool:
    # In a Unicode pattern \w also matches combining marks, which are neither letters nor numbers.
    if "\\p{" in pattern and any(unicodedata.category(c)[0] == "M" for c in value):
        return False
    return _compiled(pattern).fullmatch(value) is not None


def _field(name: str) -> str:
    return name[:1].lower() + name[1:]


def _check(shape: Shape, value: Any, field: str, problems: list[str]) -> None:
    meta = shape.metadata
    kind = shape.type_name
    if kind == "string" and isinstance(value, str):
        if "min" in meta and len(value) < meta["min"]:
            problems.append(constraint(value, field, f"have length greater than or equal to {meta['min']}"))
        if "max" in meta and len(value) > meta["max"]:
            problems.append(constraint(value, field, f"have length less than or equal to {meta['max']}"))
        pattern = meta.get("pattern")
        if pattern and value and not _text_ok(pattern, value):
            problems.append(constraint(value, field, f"satisfy regular expression pattern: {pattern}"))
    elif kind in ("integer", "long") and isinstance(value, int):
        if "min" in meta and value < meta["min"]:
            problems.append(constraint(value, field, f"have value greater than or equal to {meta['min']}"))
        if "max" in meta and value > meta["max"]:
            problems.append(constraint(value, field, f"have value less than or equal to {meta['max']}"))
    elif kind == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            problems.append(constraint(value, field, f"have length less than or equal to {meta['max']}"))
        for index, item in enumerate(value, 1):
            _check(shape.member, item, f"{field}.{index}.member", problems)
    elif kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                _check(member, value[name], f"{field}.{_field(name)}", problems)


def validate(action: str, params: dict[str, Any]) -> None:
    """IAM's model constraints on ``params`` (all failures in one ``ValidationError``)."""
    shape = spec.operation(action, "iam").input_shape
    if shape is None:
        return
    problems: list[str] = []
    for name, member in shape.members.items():
        if name in params:
            _check(member, params[name], _field(name), problems)
    if problems:
        raise validation_errors(problems)


def iam_operation(name: str, *, refuses: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Register an IAM handler; its input is validated against the model first
    (``refuses``: as :meth:`Service.operation` takes it)."""

    def register(handler: Handler) -> Handler:
        def validated(ctx: RequestContext, params: dict[str, Any]) -> Any:
            validate(name, params)
            return handler(ctx, params)

        validated.__name__ = handler.__name__
        validated.__doc__ = handler.__doc__
        operation(name, refuses=refuses)(validated)
        return handler

    return register


# ------------------------------------------------------------------ IDs and times


def unique_id(prefix: str) -> str:
    return random_id(prefix, 17, _ID_ALPHABET)


def access_key_id(prefix: str = "AKIA") -> str:
    return random_id(prefix, 16, _ID_ALPHABET)


def secret_access_key() -> str:
    return random_id("", 40, _SECRET_ALPHABET)


def timestamp(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, dt.UTC)


def encoded_document(document: str) -> str:
    """A policy document as IAM answers it: URL-encoded JSON text."""
    return quote(document, safe="")


# ------------------------------------------------------------------ paging


def max_items(params: dict[str, Any]) -> int:
    value = params.get("MaxItems")
    return DEFAULT_MAX_ITEMS if value is None else int(value)


def decode_marker(params: dict[str, Any], key: Key, sample: Any = None) -> Any:
    """The key the request's ``Marker`` was cut after, of the form ``key`` gives (a text,
    a list of texts, or — a function's key — of the form of ``sample``, an item's key);
    ``InvalidInput`` for one that is not ours."""
    after = decode_token(params.get("Marker"), invalid_marker)
    if isinstance(key, str):
        fits = isinstance(after, str)
    elif isinstance(key, tuple):
        fits = isinstance(after, list) and len(after) == len(key) and all(isinstance(p, str) for p in after)
    else:
        fits = _same_form(after, sample) if sample is not None else _same_form(after, after)
    if after is not None and not fits:
        raise invalid_marker()
    return after


def _same_form(value: Any, like: Any) -> bool:
    """Whether ``value`` (read from JSON) is a key of the form ``like``: a text, a whole
    number, or a list of those, part for part."""
    if isinstance(like, (list, tuple)):
        return isinstance(value, list) and len(value) == len(like) and all(map(_same_form, value, like))
    return isinstance(value, str) if isinstance(like, str) else type(value) is int and type(like) is int


def paged(params: dict[str, Any], read: Callable[[Any, int | None], list[Any]],
          key: Key, sample: Any = None) -> tuple[list[Any], dict[str, Any]]:
    """One page of what ``read(after, limit)`` reads (ordered by ``key``) after the
    request's ``Marker``, at most ``MaxItems``, and the ``IsTruncated``/``Marker`` members."""
    rows, marker = fetch_page(read, key, max_items(params), decode_marker(params, key, sample))
    return rows, {"IsTruncated": True, "Marker": marker} if marker else {"IsTruncated": False}


def page_in_memory(items: list[Any], params: dict[str, Any], key: Key) -> tuple[list[Any], dict[str, Any]]:
    """A page of a list held in memory (ordered by ``key``), after the request's Marker."""
    sample = key_of(items[0], key) if items else None
    return paged(params, lambda after, limit: page_after(items, key, after, limit), key, sample)


# ------------------------------------------------------------------ look-ups


def caller_user_name(ctx: RequestContext, params: dict[str, Any]) -> str:
    """``UserName`` if given, else the calling user's own name."""
    name = params.get("UserName")
    if name is not None:
        return str(name)
    principal = ctx.principal
    if principal is None or principal.kind != "user" or principal.user_name is None:
        raise user_name_required()
    return principal.user_name


_ARN = re.compile(r"arn:aws:iam::(aws|\d{12}):policy(/[\x21-\x7e]*)")


def managed_policy(ctx: RequestContext, arn: str, message: str) -> Row:
    """A managed policy the caller's account can use (its own or AWS's), as a row like
    ``iam_policies``'s; ``NoSuchEntity`` with ``message`` otherwise."""
    if not _ARN.fullmatch(arn):
        raise invalid_policy_arn(arn)
    builtin = AWS_MANAGED.get(arn)
    if builtin is not None:
        return {
            "arn": arn,
            "account_id": "aws",
            "policy_name": builtin.name,
            "path": builtin.path,
            "policy_id": builtin.policy_id,
            "description": builtin.description,
            "default_version": builtin.default_version,
            "next_version": 2,
            "attachment_count": ctx.uow.iam.attachment_count(ctx.account_id, arn),
            "create_date": builtin.create_date,
            "update_date": builtin.create_date,
            "name_key": builtin.name.lower(),
        }
    row = ctx.uow.iam.get_policy(arn)
    if row is None or row["account_id"] != ctx.account_id:
        raise no_such_entity(message)
    return row


# ------------------------------------------------------------------ tags


def checked_tags(tags: Iterable[dict[str, str]] | None) -> list[tuple[str, str]]:
    """Tags from a request, refusing keys repeated (case-insensitively) or ``aws:`` ones."""
    pairs = [(tag["Key"], tag.get("Value", "")) for tag in tags or []]
    seen: set[str] = set()
    for key, _ in pairs:
        if key.lower() in seen:
            raise duplicate_tag_keys()
        seen.add(key.lower())
        if key.lower().startswith("aws:"):
            raise reserved_tag_key()
    return pairs


def tag_owner(ctx: RequestContext, owner_id: str, pairs: list[tuple[str, str]]) -> None:
    """Add tags (replacing keys equal case-insensitively), at most 50 in all."""
    if not pairs:
        return
    current = {key.lower() for key, _ in ctx.uow.iam.tags(owner_id)}
    if len(current | {key.lower() for key, _ in pairs}) > MAX_TAGS:
        raise tag_limit(MAX_TAGS)
    ctx.uow.iam.put_tags(owner_id, pairs)


def tag_list(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in pairs]


# ------------------------------------------------------------------ views


def policy_view(
    row: Row, *, description: bool = False, tags: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    view = {
        "PolicyName": row["policy_name"],
        "PolicyId": row["policy_id"],
        "Arn": row["arn"],
        "Path": row["path"],
        "DefaultVersionId": f"v{row['default_version']}",
        "AttachmentCount": row["attachment_count"],
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": timestamp(row["create_date"]),
        "UpdateDate": timestamp(row["update_date"]),
    }
    if description and row.get("description"):
        view["Description"] = row["description"]
    if tags:
        view["Tags"] = tag_list(tags)
    return view
