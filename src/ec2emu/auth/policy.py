"""IAM policy documents: validation and evaluation.

:func:`parse_policy` checks a document's shape and answers ``MalformedPolicyDocument``
(400) the way IAM does; :func:`evaluate` decides one request — an action on a resource
with its condition keys — against a set of policies: an explicit ``Deny`` wins, then an
``Allow``, otherwise the request is implicitly denied. The :class:`Decision` lists every
statement that matched, which is what an encoded authorization message reports.

Matching:

* ``Action``/``NotAction``: ``service:Name`` patterns with ``*`` and ``?``, compared
  case-insensitively; ``"*"`` is every action.
* ``Resource``/``NotResource``: ARNs compared case-sensitively, field by field (a
  wildcard never crosses one of the five colons that separate an ARN's fields, but may
  match ``:`` or ``/`` inside the resource field); ``"*"`` is every resource.
* Policy variables (``${aws:username}``, ``${ec2:ResourceTag/k}``, ``${*}``, ``${?}``,
  ``${$}``, and ``${key, 'default'}``) are replaced in ``Resource``/``NotResource`` and in
  the values of String and Arn conditions, only in ``Version: 2012-10-17`` documents. A
  variable whose key is absent (and has no default) makes that pattern match nothing.
  A substituted value is literal: a ``*`` in a user name is not a wildcard.
* ``Condition``: every operator block must hold and every key in it; the values listed
  for one key are alternatives. An absent key makes a condition false, except for the
  negated operators (``StringNotEquals``, ``ArnNotLike``, ``NotIpAddress``, …, true when
  the key is absent), ``…IfExists`` (true), ``Null`` and ``ForAllValues:`` (true: the empty
  set). ``ForAnyValue:`` needs some value of the key to match; ``ForAllValues:`` needs every
  value to. A key with several values used without a set prefix matches when any of its
  values does (negated: when none does).
* Condition key names are compared case-insensitively, including the tag key in
  ``aws:ResourceTag/…``; their values keep their case (except the ``IgnoreCase`` and
  ``Bool`` operators).
* Numeric and Date conditions whose values cannot be read as numbers or dates do not
  match. Dates are ISO 8601 or epoch seconds.

Messages of ``MalformedPolicyDocument`` are IAM's as commonly reported ("Syntax errors in
policy.", "The policy failed legacy parsing", "Policy statement must contain actions.",
"Policy statement must contain resources.", "Actions/Conditions must be prefaced by a
vendor, e.g., iam, sdb, ec2, etc.", "Policy document should not specify a principal.",
"Statement IDs (SID) in a single policy must be unique."); the wording for a bad
``Effect``, an unknown condition operator and a malformed condition block is ours, as
AWS's exact text for those is not documented.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ec2emu.auth.errors import malformed_policy, policy_condition_type, policy_syntax_errors, policy_unprefixed_name
from ec2emu.protocol.scalars import ScalarError, parse_iso_datetime, parse_number, within_dates

VERSIONS = ("2012-10-17", "2008-10-17")
PolicyKind = Literal["identity", "resource", "trust"]
ContextValue = str | Sequence[str]

_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition",
                   "Principal", "NotPrincipal"}
_ACTION = re.compile(r"[A-Za-z0-9*?-]+:[A-Za-z0-9*?]*")
_SID = re.compile(r"[0-9A-Za-z]*")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")

STRING_OPERATORS = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
                    "StringLike", "StringNotLike"}
ARN_OPERATORS = {"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}
NUMERIC_OPERATORS = {"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                     "NumericGreaterThan", "NumericGreaterThanEquals"}
DATE_OPERATORS = {"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
                  "DateGreaterThanEquals"}
OTHER_OPERATORS = {"Bool", "IpAddress", "NotIpAddress", "Null"}
OPERATORS = STRING_OPERATORS | ARN_OPERATORS | NUMERIC_OPERATORS | DATE_OPERATORS | OTHER_OPERATORS
NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike",
           "NumericNotEquals", "DateNotEquals", "NotIpAddress"}
_POSITIVE = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
             "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
             "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals", "NotIpAddress": "IpAddress"}


# ------------------------------------------------------------------ the document

@dataclass(frozen=True)
class ConditionClause:
    operator: str  # the base operator, e.g. "StringLike"
    set_prefix: Literal["", "ForAllValues", "ForAnyValue"]
    if_exists: bool
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    effect: Literal["Allow", "Deny"]
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...] | None  # None: the statement names no resources (trust policies)
    not_resource: bool
    conditions: tuple[ConditionClause, ...]
    sid: str | None = None
    index: int = 0
    principal: Any = None
    source: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Policy:
    statements: tuple[Statement, ...]
    version: str | None
    name: str = ""  # who it is (a policy ARN or "user/alice/inline-name"), for decisions


def parse_policy(document: str | Mapping[str, Any], *, kind: PolicyKind = "identity", name: str = "") -> Policy:
    """The validated policy, or ``MalformedPolicyDocument``."""
    if isinstance(document, str):
        try:
            data = json.loads(document)
        except (ValueError, RecursionError):  # nested deeper than the parser goes: not a policy
            raise policy_syntax_errors() from None
    else:
        data = document
    if not isinstance(data, Mapping) or set(data) - {"Version", "Id", "Statement"}:
        raise policy_syntax_errors()
    version = data.get("Version")
    if version is not None and version not in VERSIONS:
        raise malformed_policy("The policy failed legacy parsing")
    if "Id" in data and not isinstance(data["Id"], str):
        raise policy_syntax_errors()
    raw_statements = data.get("Statement")
    if isinstance(raw_statements, Mapping):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list) or not raw_statements:
        raise policy_syntax_errors()
    statements = []
    sids: set[str] = set()
    for index, raw in enumerate(raw_statements):
        statement = _statement(raw, index, kind)
        if statement.sid:
            if statement.sid in sids:
                raise malformed_policy("Statement IDs (SID) in a single policy must be unique.")
            sids.add(statement.sid)
        statements.append(statement)
    return Policy(tuple(statements), version, name)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise policy_syntax_errors()


def _statement(raw: Any, index: int, kind: PolicyKind) -> Statement:
    if not isinstance(raw, Mapping) or set(raw) - _STATEMENT_KEYS:
        raise policy_syntax_errors()
    sid = raw.get("Sid")
    if sid is not None and (not isinstance(sid, str) or not _SID.fullmatch(sid)):
        raise malformed_policy("Statement IDs (SID) must be alpha-numeric. "
                               "Check that your input satisfies the regular expression [0-9A-Za-z]*")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise malformed_policy(f"Invalid effect: {effect}" if effect is not None else "Missing required field Effect")
    has_principal = "Principal" in raw or "NotPrincipal" in raw
    if kind == "identity" and has_principal:
        raise malformed_policy("Policy document should not specify a principal.")
    if kind != "identity" and not has_principal:
        raise malformed_policy("Missing required field Principal")
    if ("Action" in raw) == ("NotAction" in raw):
        raise (malformed_policy("Policy statement must contain actions.") if "Action" not in raw
               else policy_syntax_errors())
    not_action = "NotAction" in raw
    actions = _strings(raw["NotAction" if not_action else "Action"])
    for action in actions:
        if action != "*" and not _ACTION.fullmatch(action):
            raise policy_unprefixed_name()
    if "Resource" in raw and "NotResource" in raw:
        raise policy_syntax_errors()
    not_resource = "NotResource" in raw
    resources: tuple[str, ...] | None = None
    if "Resource" in raw or not_resource:
        resources = _strings(raw["NotResource" if not_resource else "Resource"])
        for resource in resources:
            if resource != "*" and not (resource.startswith("arn:") and resource.count(":") >= 5):
                raise malformed_policy(f'Resource {resource} must be in ARN format or "*".')
    elif kind != "trust":
        raise malformed_policy("Policy statement must contain resources.")
    conditions = _conditions(raw.get("Condition", {}))
    return Statement(effect, actions, not_action, resources, not_resource, conditions, sid, index,
                     raw.get("Principal", raw.get("NotPrincipal")), dict(raw))


def _conditions(raw: Any) -> tuple[ConditionClause, ...]:
    if not isinstance(raw, Mapping):
        raise policy_syntax_errors()
    clauses = []
    for name, block in raw.items():
        prefix, _, base = name.rpartition(":")
        if prefix not in ("", "ForAllValues", "ForAnyValue"):
            raise policy_condition_type(name)
        if_exists = base.endswith("IfExists") and base != "IfExists"
        operator = base[: -len("IfExists")] if if_exists else base
        if operator not in OPERATORS or (operator == "Null" and if_exists):
            raise policy_condition_type(name)
        if not isinstance(block, Mapping) or not block:
            raise policy_syntax_errors()
        for key, values in block.items():
            if not isinstance(key, str) or ":" not in key:
                raise policy_unprefixed_name()
            items = values if isinstance(values, list) else [values]
            if not items:
                raise policy_syntax_errors()
            normalised = []
            for item in items:
                if isinstance(item, bool):
                    normalised.append("true" if item else "false")
                elif isinstance(item, (str, int, float)):
                    normalised.append(str(item))
                else:
                    raise policy_syntax_errors()
            clauses.append(ConditionClause(operator, prefix, if_exists, key, tuple(normalised)))
    return tuple(clauses)


# ------------------------------------------------------------------ evaluation

@dataclass(frozen=True)
class MatchedStatement:
    policy: str
    sid: str | None
    index: int
    effect: str
    statement: Mapping[str, Any]


@dataclass(frozen=True)
class Decision:
    action: str
    resource: str
    allowed: bool
    explicit_deny: bool
    matched: tuple[MatchedStatement, ...]
    context: Mapping[str, tuple[str, ...]]


class RequestContext:
    """Condition keys of one request, looked up case-insensitively; values are lists."""

    def __init__(self, keys: Mapping[str, ContextValue] | None = None) -> None:
        self._keys: dict[str, tuple[str, ...]] = {}
        for name, value in (keys or {}).items():
            self._keys[name.lower()] = (value,) if isinstance(value, str) else tuple(value)

    def get(self, name: str) -> tuple[str, ...] | None:
        return self._keys.get(name.lower())

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self._keys)


def evaluate(policies: Iterable[Policy], action: str, resource: str,
             context: RequestContext | Mapping[str, ContextValue] | None = None) -> Decision:
    """Decide ``action`` on ``resource``: explicit deny, then allow, else implicit deny."""
    ctx = context if isinstance(context, RequestContext) else RequestContext(context)
    matched = []
    allow = deny = False
    for policy in policies:
        for statement in policy.statements:
            if statement_applies(statement, action, resource, ctx, policy.version):
                matched.append(MatchedStatement(policy.name, statement.sid, statement.index, statement.effect,
                                                statement.source))
                if statement.effect == "Deny":
                    deny = True
                else:
                    allow = True
    return Decision(action, resource, allow and not deny, deny, tuple(matched), ctx.as_dict())


def statement_applies(statement: Statement, action: str, resource: str, ctx: RequestContext,
                      version: str | None = "2012-10-17") -> bool:
    variables = version == "2012-10-17"
    hit = any(_matches(pattern, action, ignore_case=True) for pattern in statement.actions)
    if hit == statement.not_action:
        return False
    if statement.resources is not None:
        hit = any(resource_matches(pattern, resource, ctx if variables else None)
                  for pattern in statement.resources)
        if hit == statement.not_resource:
            return False
    return all(_condition_holds(clause, ctx, variables) for clause in statement.conditions)


def _pattern_regex(pattern: str, ctx: RequestContext | None, *, wildcards: bool = True) -> str | None:
    """A regex for a pattern with ``*``/``?`` and policy variables; ``None`` if a variable is unset."""
    out = []
    position = 0
    for match in (_VARIABLE.finditer(pattern) if ctx is not None else ()):
        out.append(_glob(pattern[position:match.start()], wildcards))
        assert ctx is not None
        value = _variable(match.group(1), ctx)
        if value is None:
            return None
        out.append(value)
        position = match.end()
    out.append(_glob(pattern[position:], wildcards))
    return "".join(out)


def _glob(text: str, wildcards: bool) -> str:
    if not wildcards:
        return re.escape(text)
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


def _variable(body: str, ctx: RequestContext) -> str | None:
    name, _, default = body.partition(",")
    name = name.strip()
    if name in ("*", "?", "$"):
        return re.escape(name)
    values = ctx.get(name)
    if values and len(values) == 1:
        return re.escape(values[0])
    default = default.strip()
    if len(default) >= 2 and default[0] == default[-1] == "'":
        return re.escape(default[1:-1])
    return None


def _matches(pattern: str, value: str, *, ignore_case: bool = False, ctx: RequestContext | None = None,
             wildcards: bool = True) -> bool:
    regex = _pattern_regex(pattern, ctx, wildcards=wildcards)
    if regex is None:
        return False
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(regex, value, flags) is not None


def resource_matches(pattern: str, arn: str, ctx: RequestContext | None = None) -> bool:
    """ARN ``pattern`` (wildcards field by field, variables from ``ctx``) against ``arn``."""
    if pattern == "*":
        return True
    return _arn_like(pattern, arn, ctx)


def _arn_like(pattern: str, value: str, ctx: RequestContext | None) -> bool:
    wanted = pattern.split(":", 5)
    got = value.split(":", 5)
    if len(wanted) != 6 or len(got) != 6:
        return False
    return all(_matches(p, v, ctx=ctx) for p, v in zip(wanted, got))


def _condition_holds(clause: ConditionClause, ctx: RequestContext, variables: bool) -> bool:
    present = ctx.get(clause.key)
    if clause.operator == "Null":
        absent = not present
        return any((value.lower() == "true") == absent for value in clause.values)
    if not present:
        if clause.if_exists or clause.set_prefix == "ForAllValues":
            return True
        if clause.set_prefix == "ForAnyValue":
            return False
        return clause.operator in NEGATED
    negated = clause.operator in NEGATED
    positive = _POSITIVE.get(clause.operator, clause.operator)
    var_ctx = ctx if variables else None

    def one(value: str) -> bool:
        hit = any(_compare(positive, value, wanted, var_ctx) for wanted in clause.values)
        return not hit if negated else hit

    if clause.set_prefix == "ForAllValues":
        return all(one(value) for value in present)
    if clause.set_prefix == "ForAnyValue":
        return any(one(value) for value in present)
    if negated:
        return all(one(value) for value in present)
    return any(one(value) for value in present)


def _compare(operator: str, actual: str, wanted: str, ctx: RequestContext | None) -> bool:
    if operator == "StringEquals":
        return _matches(wanted, actual, ctx=ctx, wildcards=False)
    if operator == "StringEqualsIgnoreCase":
        return _matches(wanted, actual, ctx=ctx, wildcards=False, ignore_case=True)
    if operator == "StringLike":
        return _matches(wanted, actual, ctx=ctx)
    if operator in ("ArnEquals", "ArnLike"):
        return _arn_like(wanted, actual, ctx)
    if operator == "Bool":
        return actual.lower() == wanted.lower()
    if operator in NUMERIC_OPERATORS:
        return _ordered(operator[len("Numeric"):], _number(actual), _number(wanted))
    if operator in DATE_OPERATORS:
        return _ordered(operator[len("Date"):], _date(actual), _date(wanted))
    if operator == "IpAddress":
        try:
            return ipaddress.ip_address(actual) in ipaddress.ip_network(wanted, strict=False)
        except ValueError:
            return False
    raise AssertionError(operator)


def _ordered(relation: str, actual: Any, wanted: Any) -> bool:
    if actual is None or wanted is None:
        return False
    outcomes: dict[str, bool] = {
        "Equals": actual == wanted, "LessThan": actual < wanted, "LessThanEquals": actual <= wanted,
        "GreaterThan": actual > wanted, "GreaterThanEquals": actual >= wanted}
    return outcomes[relation]


def _number(text: str) -> float | None:
    try:
        return parse_number(text.strip(), plus=True)
    except ScalarError:
        return None


def _date(text: str) -> dt.datetime | None:
    """Epoch seconds (any number) or ISO 8601 (``Z`` allowed), any date Python can hold:
    a condition only compares, so ``9999-12-31T23:59:59Z`` ("never") is a date here."""
    seconds = _number(text)
    try:
        if seconds is not None:
            return within_dates(_EPOCH + dt.timedelta(seconds=seconds), text, bounded=False)
        return parse_iso_datetime(text.strip(), bounded=False)
    except (ScalarError, OverflowError, ValueError):
        return None


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
