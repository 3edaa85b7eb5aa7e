"""Authorization: may this principal perform this action on these resources?

:func:`authorize` decides one request. A request is an action (``ec2:TerminateInstances``)
and the resources it touches, each an ARN with its own condition keys (the instance's
tags, type and zone), plus the keys every resource shares (:func:`global_keys`: region,
principal, source address, time). Each resource is decided on its own with
:func:`ec2emu.auth.policy.evaluate` — an explicit ``Deny`` wins, then an ``Allow``, else
the implicit deny — and the request is allowed only when every resource is.

Who is asked:

* the root of an account is never asked here: it may do everything in its own account,
  and callers skip policy loading for it altogether (:func:`needs_check`);
* an IAM user: its identity policies (inline, attached managed, and those of its groups);
* an assumed role: the role's policies; a session policy passed to ``AssumeRole``
  narrows them — an action is allowed only when both the role's policies and the session
  policy allow it, and an explicit deny in either denies it.

Parsed policies are cached by (label, document text) (:func:`policy_of`): a changed
document is a different key, so a policy change is seen by the very next request, and
nothing is cached per principal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ec2emu.auth.credentials import Principal
from ec2emu.auth.policy import (
    ContextValue,
    Decision,
    Policy,
    RequestContext,
    evaluate,
    parse_policy,
)


@dataclass(frozen=True)
class Resource:
    """One resource a request touches: its ARN and the condition keys that describe it.

    ``action`` names a further action checked on this resource instead of the request's
    own (``ec2:CreateTags`` for tags given at creation).
    """

    arn: str
    keys: Mapping[str, ContextValue] = field(default_factory=dict)
    action: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The decision on every resource of one request."""

    action: str
    decisions: tuple[Decision, ...]

    @property
    def allowed(self) -> bool:
        return all(decision.allowed for decision in self.decisions)

    @property
    def denied(self) -> Decision | None:
        """The first resource refused (an explicit deny preferred), ``None`` when allowed."""
        refused = [decision for decision in self.decisions if not decision.allowed]
        explicit = [decision for decision in refused if decision.explicit_deny]
        first = explicit or refused
        return first[0] if first else None


def needs_check(principal: Principal | None) -> bool:
    """False for the root of an account (and for internal calls with no principal)."""
    return principal is not None and not principal.is_root


@lru_cache(maxsize=4096)
def policy_of(label: str, document: str) -> Policy:
    """A stored policy document, parsed once per distinct text."""
    return parse_policy(document, name=label)


def policies_of(documents: Iterable[tuple[str, str]]) -> tuple[Policy, ...]:
    return tuple(policy_of(label, document) for label, document in documents)


def format_time(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def global_keys(principal: Principal, region: str, now: dt.datetime, *, source_ip: str | None,
                principal_arn: str | None = None, principal_tags: Mapping[str, str] | None = None,
                ) -> dict[str, ContextValue]:
    """The condition keys of every request by ``principal`` (AWS's global keys)."""
    keys: dict[str, ContextValue] = {
        "aws:RequestedRegion": region,
        "aws:userid": principal.user_id,
        "aws:PrincipalArn": principal_arn or principal.arn,
        "aws:PrincipalAccount": principal.account_id,
        "aws:PrincipalType": {"root": "Account", "user": "User"}.get(principal.kind, "AssumedRole"),
        "aws:CurrentTime": format_time(now),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": "false",
    }
    if principal.kind == "user" and principal.user_name:
        keys["aws:username"] = principal.user_name
    if source_ip:
        keys["aws:SourceIp"] = source_ip
    for key, value in (principal_tags or {}).items():
        keys[f"aws:PrincipalTag/{key}"] = value
    return keys


def decide(policies: Sequence[Policy], action: str, resource: Resource,
           context: Mapping[str, ContextValue], session_policies: Sequence[Policy] | None = None,
           ) -> Decision:
    """One resource: the identity policies, narrowed by session policies when there are any."""
    keys = dict(context)
    keys.update(resource.keys)
    request = RequestContext(keys)
    decision = evaluate(policies, action, resource.arn, request)
    if session_policies is None:
        return decision
    session = evaluate(session_policies, action, resource.arn, request)
    explicit = decision.explicit_deny or session.explicit_deny
    return Decision(action, resource.arn, decision.allowed and session.allowed and not explicit, explicit,
                    decision.matched + session.matched, decision.context)


def authorize(policies: Sequence[Policy], action: str, resources: Sequence[Resource],
              context: Mapping[str, ContextValue], session_policies: Sequence[Policy] | None = None,
              ) -> Verdict:
    """Decide ``action`` on every resource; the request is allowed only if all are."""
    return Verdict(action, tuple(decide(policies, resource.action or action, resource, context,
                                        session_policies) for resource in resources))
