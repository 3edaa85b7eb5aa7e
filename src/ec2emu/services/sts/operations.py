"""STS on the EC2 endpoint's port: who am I, assuming a role, reading a refusal.

``GetCallerIdentity`` answers the signing principal's user ID, account and ARN (the
account root for credentials that only permissive mode accepts); it needs no
permission, as on AWS.

``AssumeRole`` issues temporary credentials (``ASIA…`` key, secret, session token,
expiry in the emulator's time) for a role, stored through ``uow.iam.insert_session``.
It is allowed when the role's trust policy allows ``sts:AssumeRole`` for the caller —
its ``Principal`` naming the caller's user or role ARN, the session's ARN, the caller's
account (``arn:aws:iam::ACCOUNT:root`` or ``ACCOUNT``) or ``*``, its conditions holding
— and:

* the trust policy names the caller itself (same account): nothing more is needed;
* otherwise (the account, ``*``, or another account's role): the caller's identity
  policies must also allow ``sts:AssumeRole`` on the role's ARN.

An explicit deny in either refuses. A role of another account is reached this way: its
trust policy names the caller's account, and the caller's policies allow it.

Errors: a root caller gets ``AccessDenied`` "Roles may not be assumed by root
accounts." (AWS's wording); a role that does not exist, an ARN that is not a role's, or
a trust policy that does not allow the caller all get the same ``AccessDenied`` (403)
"User: CALLER is not authorized to perform: sts:AssumeRole on resource: ROLEARN", so
nothing tells whether a role exists. Parameter errors are ``ValidationError`` (400) in
AWS's "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy
constraint: …" form; a ``RoleArn`` that is not an ARN at all answers "Request ARN is
invalid" (STS's wording for AssumeRoleWithSAML; not confirmed for AssumeRole).
``DurationSeconds`` is 900 up to the role's ``MaxSessionDuration`` (default 3600):
"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", and
at most an hour when a role session assumes a role ("… exceeds the 1 hour session limit
for roles assumed by role chaining.").

Session policies: ``Policy`` (validated like any identity policy) and ``PolicyArns`` (up
to 10, each an AWS managed policy or a managed policy of the role's account) narrow the
session: an action is allowed only when the role's policies allow it and some session
policy does, and an explicit deny in either refuses. Managed session policies are read
at each request, so a new default version applies at once. Session tags (``Tags``, up
to 50, keys unique case-insensitively) become ``aws:PrincipalTag/…`` keys, replacing the
role's tags of the same key; passing tags needs ``sts:TagSession`` on the role, from
the trust policy (and, unless the trust policy names the caller itself, from the
caller's policies too), evaluated with ``aws:RequestTag/…``, ``aws:TagKeys`` and
``sts:TransitiveTagKeys``. ``TransitiveTagKeys`` must be among the given tags; a session
that assumes another role passes those tags on (a new tag may not reuse such a key).
The inline policy and the tags together may take 2048 characters
(``PackedPolicyTooLarge``); ``PackedPolicySize`` reports the share used, in percent.
Our wording: a session policy ARN that names no policy answers ``InvalidParameterValue``
"The policy ARN ARN is not a valid managed policy."; a tag reusing an inherited
transitive key answers ``InvalidParameterValue`` "The tag key KEY is already set by a
transitive tag of the calling session."

Not supported: ``SerialNumber``/``TokenCode`` (MFA) and ``ProvidedContexts`` are refused
by name (STS's ``unsupported`` error, :mod:`ec2emu.services.sts.service`). ``ExternalId``
and ``SourceIdentity`` are validated; ``ExternalId`` is the ``sts:ExternalId`` condition
key of the trust policy and ``SourceIdentity`` ``sts:SourceIdentity``.

``DecodeAuthorizationMessage`` (needs ``sts:DecodeAuthorizationMessage`` for anyone but
the root) decodes an encoded authorization failure message of the caller's own account
into AWS's JSON document; anything else — altered, truncated, another account's —
answers ``InvalidAuthorizationMessageException`` (400) "Message is not valid".
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
from functools import lru_cache
from typing import Any

from ec2emu.auth import authorization_message
from ec2emu.auth.arn import parse_arn
from ec2emu.auth.authorization import Resource, decide
from ec2emu.auth.credentials import Principal
from ec2emu.auth.policy import Policy, Statement, evaluate, parse_policy
from ec2emu.auth.policy import RequestContext as ConditionContext
from ec2emu.errors import constraint, validation_errors
from ec2emu.services.shared import permissions
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.ids import random_id
from ec2emu.services.sts.errors import (
    assume_denied,
    chained_duration,
    duplicate_tag_keys,
    duration_over_maximum,
    invalid_authorization_message,
    invalid_policy_arn,
    invalid_role_arn,
    packed_policy_too_large,
    root_cannot_assume,
    tag_set_by_session,
    transitive_key_not_tagged,
)
from ec2emu.services.sts.service import operation

DEFAULT_MAX_SESSION = 3600
CHAINED_MAX_SESSION = 3600
_SESSION_NAME = re.compile(r"[\w+=,.@-]*")
_EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]*")
_ACCOUNT = re.compile(r"\d{12}")
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
MAX_SESSION_POLICY_ARNS = 10
MAX_SESSION_TAGS = 50
PACKED_LIMIT = 2048  # characters of inline session policy and session tags together
_TAG_PATTERN = "regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]"


def _tag_text(text: str) -> bool:
    """STS's tag pattern ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]``: letters, separators, numbers, ``_.:/=+-@``."""
    return all(ch.isalpha() or ch.isdigit() or ch.isspace() or ch in "_.:/=+-@" for ch in text)


@operation("GetCallerIdentity")
def get_caller_identity(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    principal = ctx.principal
    assert principal is not None, "STS calls always run for an authenticated principal"
    return {"UserId": principal.user_id, "Account": principal.account_id, "Arn": principal.arn}


# --------------------------------------------------------------------------- AssumeRole


def _check_string(problems: list[str], value: Any, field: str, low: int, high: int,
                  pattern: re.Pattern[str] | None = None) -> None:
    if not isinstance(value, str):
        return
    if pattern is not None and not pattern.fullmatch(value):
        problems.append(constraint(value, field, f"satisfy regular expression pattern: {pattern.pattern}"))
    if len(value) < low:
        problems.append(constraint(value, field, f"have length greater than or equal to {low}"))
    if len(value) > high:
        problems.append(constraint(value, field, f"have length less than or equal to {high}"))


def _validate(params: dict[str, Any]) -> None:
    problems: list[str] = []
    _check_string(problems, params.get("RoleArn"), "roleArn", 20, 2048)
    _check_string(problems, params.get("RoleSessionName"), "roleSessionName", 2, 64, _SESSION_NAME)
    _check_string(problems, params.get("ExternalId"), "externalId", 2, 1224, _EXTERNAL_ID)
    _check_string(problems, params.get("SourceIdentity"), "sourceIdentity", 2, 64, _SESSION_NAME)
    duration = params.get("DurationSeconds")
    if isinstance(duration, int) and duration < 900:
        problems.append(constraint(duration, "durationSeconds", "have value greater than or equal to 900"))
    if isinstance(duration, int) and duration > 43200:
        problems.append(constraint(duration, "durationSeconds", "have value less than or equal to 43200"))
    policy_arns = params.get("PolicyArns") or []
    if len(policy_arns) > MAX_SESSION_POLICY_ARNS:
        problems.append(constraint("[...]", "policyArns",
                                    f"have length less than or equal to {MAX_SESSION_POLICY_ARNS}"))
    for index, item in enumerate(policy_arns, 1):
        _check_string(problems, item.get("arn"), f"policyArns.{index}.member.arn", 20, 2048)
    tags = params.get("Tags") or []
    if len(tags) > MAX_SESSION_TAGS:
        problems.append(constraint("[...]", "tags", f"have length less than or equal to {MAX_SESSION_TAGS}"))
    for index, tag in enumerate(tags, 1):
        key, value = tag.get("Key"), tag.get("Value")
        _check_string(problems, key, f"tags.{index}.member.key", 1, 128)
        _check_string(problems, value, f"tags.{index}.member.value", 0, 256)
        if isinstance(key, str) and key and not _tag_text(key):
            problems.append(constraint(key, f"tags.{index}.member.key", f"satisfy {_TAG_PATTERN}+"))
        if isinstance(value, str) and not _tag_text(value):
            problems.append(constraint(value, f"tags.{index}.member.value", f"satisfy {_TAG_PATTERN}*"))
    transitive = params.get("TransitiveTagKeys") or []
    if len(transitive) > MAX_SESSION_TAGS:
        problems.append(constraint("[...]", "transitiveTagKeys",
                                    f"have length less than or equal to {MAX_SESSION_TAGS}"))
    if problems:
        raise validation_errors(problems)


def _session_tags(principal: Principal, params: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """The new session's tags (inherited transitive ones first) and its transitive keys."""
    given = [(tag["Key"], tag["Value"]) for tag in params.get("Tags") or []]
    lowered = [key.lower() for key, _ in given]
    if len(set(lowered)) != len(lowered):
        raise duplicate_tag_keys()
    transitive = list(params.get("TransitiveTagKeys") or [])
    if any(key.lower() not in lowered for key in transitive):
        raise transitive_key_not_tagged()
    scope = principal.session_scope
    inherited: list[tuple[str, str]] = []
    if scope is not None and scope.transitive_tag_keys:
        passing = {key.lower() for key in scope.transitive_tag_keys}
        inherited = [(key, value) for key, value in scope.tags if key.lower() in passing]
        for key, _ in given:
            if key.lower() in passing:
                raise tag_set_by_session(key)
        transitive = [key for key, _ in inherited] + transitive
    return inherited + given, transitive


def _session_policies(ctx: RequestContext, params: dict[str, Any],
                      account: str) -> tuple[str | None, list[str]]:
    """The validated inline session policy (compact JSON) and managed session policy ARNs."""
    document = params.get("Policy")
    compact = None
    if document is not None:
        parse_policy(document)  # MalformedPolicyDocument when it is not a valid identity policy
        compact = json.dumps(json.loads(document), separators=(",", ":"))
    arns = [item["arn"] for item in params.get("PolicyArns") or []]
    for policy_arn in arns:
        parsed = parse_arn(policy_arn)
        usable = parsed is not None and parsed.service == "iam" and parsed.resource.startswith("policy/") \
            and parsed.account in ("aws", account)
        if not usable or ctx.uow.iam.default_document(policy_arn) is None:
            raise invalid_policy_arn(policy_arn)
    return compact, arns


def _packed_size(policy: str | None, tags: list[tuple[str, str]]) -> int | None:
    """Percent of the packed allowance used, or None when nothing was packed."""
    if policy is None and not tags:
        return None
    used = len(policy or "") + sum(len(key) + len(value) for key, value in tags)
    percent = -(-used * 100 // PACKED_LIMIT)
    if percent > 100:
        raise packed_policy_too_large(percent)
    return percent


@lru_cache(maxsize=1024)
def _trust_policy(document: str) -> Policy:
    return parse_policy(document, kind="trust")


def _principal_values(principal_element: Any) -> tuple[bool, list[str]]:
    """(everyone, the AWS principals named) of a statement's ``Principal``."""
    if principal_element == "*":
        return True, []
    if not isinstance(principal_element, dict):
        return False, []
    named = principal_element.get("AWS", [])
    values = [named] if isinstance(named, str) else [v for v in named if isinstance(v, str)] \
        if isinstance(named, list) else []
    return "*" in values, [v for v in values if v != "*"]


def _names_caller(values: list[str], principal: Principal, principal_arn: str) -> str | None:
    """``"direct"`` when the values name the caller itself, ``"account"`` when they name
    its account, else ``None``."""
    direct = {principal.arn, principal_arn}
    account_forms = {principal.account_id, f"arn:aws:iam::{principal.account_id}:root"}
    if any(value in direct for value in values):
        return "direct"
    if any(value in account_forms for value in values):
        return "account"
    return None


def _trusting_statements(trust: Policy, principal: Principal, principal_arn: str,
                         ) -> tuple[list[Statement], set[int]]:
    """The statements whose principal covers the caller, and which of them name it directly."""
    applying: list[Statement] = []
    direct: set[int] = set()
    for statement in trust.statements:
        negated = "NotPrincipal" in statement.source
        everyone, values = _principal_values(statement.principal)
        how = "everyone" if everyone else _names_caller(values, principal, principal_arn)
        if negated:
            if how is None and not everyone:
                applying.append(statement)
            continue
        if how is None:
            continue
        applying.append(statement)
        if how == "direct":
            direct.add(statement.index)
    return applying, direct


def _new_key_id() -> str:
    return random_id("ASIA", 16, _BASE32)


@operation("AssumeRole", refuses=("SerialNumber", "TokenCode", "ProvidedContexts"))
def assume_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    principal = ctx.principal
    assert principal is not None
    _validate(params)
    role_arn: str = params["RoleArn"]
    session_name: str = params["RoleSessionName"]
    if principal.is_root:
        raise root_cannot_assume()
    arn = parse_arn(role_arn)
    if arn is None:
        raise invalid_role_arn()
    role = None
    if arn.service == "iam" and not arn.region and _ACCOUNT.fullmatch(arn.account) \
            and arn.resource.startswith("role/"):
        role = ctx.uow.iam.get_role(arn.account, arn.resource.rsplit("/", 1)[-1])
    if role is None or role["arn"] != role_arn:
        raise assume_denied(principal.arn, role_arn, "sts:AssumeRole")
    identity = permissions.load_identity(ctx, ctx.source_ip)
    principal_arn = str(identity.keys.get("aws:PrincipalArn", principal.arn))
    keys = dict(identity.keys)
    if params.get("ExternalId"):
        keys["sts:ExternalId"] = params["ExternalId"]
    if params.get("SourceIdentity"):
        keys["sts:SourceIdentity"] = params["SourceIdentity"]
    tags, transitive = _session_tags(principal, params)
    if tags:
        keys.update({f"aws:RequestTag/{key}": value for key, value in tags})
        keys["aws:TagKeys"] = [key for key, _ in tags]
        keys["sts:TransitiveTagKeys"] = list(transitive)
    statements, direct = _trusting_statements(_trust_policy(role["trust_policy"]), principal, principal_arn)
    trust_policy = Policy(tuple(statements), "2012-10-17", role["arn"])
    same_account = arn.account == principal.account_id
    for action in ("sts:AssumeRole", "sts:TagSession") if tags else ("sts:AssumeRole",):
        mine = decide(identity.policies, action, Resource(role_arn), keys, identity.session_policies)
        trust = evaluate([trust_policy], action, role_arn, ConditionContext(keys))
        named_directly = any(m.index in direct for m in trust.matched if m.effect == "Allow")
        trusted = mine.allowed or (same_account and named_directly)
        if not (trust.allowed and not mine.explicit_deny and trusted):
            raise assume_denied(principal.arn, role_arn, action)
    session_policy, policy_arns = _session_policies(ctx, params, arn.account)
    packed = _packed_size(session_policy, tags)
    duration = params.get("DurationSeconds") or DEFAULT_MAX_SESSION
    if principal.kind == "assumed-role" and duration > CHAINED_MAX_SESSION:
        raise chained_duration()
    if duration > int(role["max_session_duration"] or DEFAULT_MAX_SESSION):
        raise duration_over_maximum()
    expires = ctx.now + dt.timedelta(seconds=duration)
    key_id = _new_key_id()
    secret = base64.b64encode(secrets.token_bytes(30)).decode()
    token = base64.b64encode(secrets.token_bytes(256)).decode()
    ctx.uow.iam.insert_session({
        "access_key_id": key_id,
        "secret_access_key": secret,
        "session_token": token,
        "account_id": arn.account,
        "role_name": role["role_name"],
        "role_arn": role["arn"],
        "role_id": role["role_id"],
        "session_name": session_name,
        "expires_at": expires.timestamp(),
        "source_identity_arn": principal.arn,
        "create_date": ctx.now_ts,
        "session_policy": session_policy,
        "session_policy_arns": json.dumps(policy_arns) if policy_arns else None,
        "session_tags": json.dumps(tags) if tags else None,
        "transitive_tag_keys": json.dumps(transitive) if transitive else None,
    })
    result: dict[str, Any] = {
        "Credentials": {"AccessKeyId": key_id, "SecretAccessKey": secret, "SessionToken": token,
                        "Expiration": expires},
        "AssumedRoleUser": {
            "AssumedRoleId": f"{role['role_id']}:{session_name}",
            "Arn": f"arn:aws:sts::{arn.account}:assumed-role/{role['role_name']}/{session_name}",
        },
    }
    if params.get("SourceIdentity"):
        result["SourceIdentity"] = params["SourceIdentity"]
    if packed is not None or policy_arns:
        result["PackedPolicySize"] = packed or 0
    return result


# --------------------------------------------------------------------------- decoding


@operation("DecodeAuthorizationMessage")
def decode_authorization_message(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    principal = ctx.principal
    assert principal is not None
    invalid = invalid_authorization_message()
    value = ctx.uow.settings.get(permissions.MESSAGE_SECRET_KEY)
    if not isinstance(value, str) or not value:
        raise invalid
    document = authorization_message.decode(bytes.fromhex(value), principal.account_id,
                                            params.get("EncodedMessage") or "")
    if document is None:
        raise invalid
    return {"DecodedMessage": json.dumps(document, separators=(",", ":"))}
