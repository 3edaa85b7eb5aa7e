"""What each request asks permission for, and the verdict before its handler acts.

The authorize stage, for every service: each service describes its own actions in its
``permissions`` module (``@describes("ec2", "TerminateInstances")``), and this module
loads the principal's policies and decides.

:func:`guarded` wraps an operation's handler: inside the request's transaction it
describes the request — the resources it touches, each an ARN with its condition keys —
loads the principal's policies, and lets the handler run only when every resource is
allowed (:mod:`ec2emu.auth.authorization`). The root of an account never gets here (the
app does not wrap its handlers), so its requests load no policy at all.

What each action checks is its service's business (``@describes`` in
``services/<service>/permissions.py``; ``@describes_by_default`` for a service's
unlisted actions; otherwise ``*``).

An ID that does not exist in the caller's account and region (another account's
included) is left out of the check, so the handler answers its ``NotFound`` (or
``Malformed``) exactly as it would for anyone; when a request names nothing that exists
there is nothing to check and the handler answers. Other parameter errors come after
the verdict: a caller without permission gets ``UnauthorizedOperation`` for a request
that would also have failed validation; a permitted ``DryRun`` is validated by its
handler and then answers ``DryRunOperation`` (412).

Denials: EC2 answers ``UnauthorizedOperation`` (403) "You are not authorized to perform
this operation. Encoded authorization failure message: …" (``Describe*``: the first
sentence alone), IAM and STS ``AccessDenied`` (403) "User: ARN is not authorized to
perform: ACTION on resource: ARN because no identity-based policy allows the ACTION
action" (or "… with an explicit deny in an identity-based policy"), a service that
registers its own (``denies_with``: SSM's ``AccessDeniedException``) that; the "on resource"
part is left out for ``*``, as AWS does for actions without resources (wording as AWS
reports it in error messages; not a documented contract). The message encodes the
first refused resource (an explicit deny first).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ec2emu.auth import authorization_message
from ec2emu.auth.arn import iam_arn
from ec2emu.auth.authorization import (
    Resource,
    Verdict,
    authorize,
    global_keys,
    policies_of,
)
from ec2emu.auth.policy import ContextValue, Policy
from ec2emu.errors import Ec2Error, access_denied, unauthorized_encoded, unauthorized_operation
from ec2emu.services.shared.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], Any]
Describer = Callable[[RequestContext, dict[str, Any]], "list[Resource] | None"]

MESSAGE_SECRET_KEY = "authorization_message_secret"

_DESCRIBERS: dict[tuple[str, str], Describer] = {}
_DEFAULTS: dict[str, Callable[[str], Describer]] = {}
# Service -> its denial of a policy decision, when not IAM's and STS's ``AccessDenied``.
_DENIALS: dict[str, Callable[[str, str, str, bool], Ec2Error]] = {}


def describes(service: str, *actions: str) -> Callable[[Describer], Describer]:
    def register(describer: Describer) -> Describer:
        for action in actions:
            _DESCRIBERS[(service, action)] = describer
        return describer

    return register


def describes_by_default(service: str) -> Callable[[Callable[[str], Describer]], Callable[[str], Describer]]:
    """Register how ``service`` describes an action no ``@describes`` names (given the
    action's name); without one, such an action checks ``*``."""

    def register(factory: Callable[[str], Describer]) -> Callable[[str], Describer]:
        _DEFAULTS[service] = factory
        return factory

    return register


def denies_with(service: str, denial: Callable[[str, str, str, bool], Ec2Error]) -> None:
    """Register ``service``'s denial (principal ARN, action, resource, explicit deny)."""
    _DENIALS[service] = denial


def guarded(service: str, action: str, handler: Handler, source_ip: str | None = None) -> Handler:
    """``handler``, run only after the request's principal is allowed ``service:action``."""

    def run(ctx: RequestContext, params: dict[str, Any]) -> Any:
        ctx.source_ip = source_ip
        check(ctx, service, action, params, source_ip)
        return handler(ctx, params)

    return run


# --------------------------------------------------------------------------- the identity


@dataclass(frozen=True)
class Identity:
    """What a request's principal is allowed by, and the condition keys about it."""

    policies: tuple[Policy, ...]
    session_policies: tuple[Policy, ...] | None
    keys: dict[str, ContextValue]


def load_identity(ctx: RequestContext, source_ip: str | None) -> Identity:
    """The principal's policies and global keys, read in the request's transaction."""
    principal = ctx.principal
    assert principal is not None
    iam = ctx.uow.iam
    account = principal.account_id
    documents: list[tuple[str, str]] = []
    tags: dict[str, str] = {}
    principal_arn = principal.arn
    session_policies: tuple[Policy, ...] | None = None
    if principal.kind == "user" and principal.user_name:
        documents = iam.identity_policies(account, "user", principal.user_name)
        tags = iam.principal_tags(account, "user", principal.user_name)
    elif principal.kind == "assumed-role":
        role_name = getattr(principal, "role_name", None) or ""
        role = iam.get_role(account, role_name) if role_name else None
        principal_arn = role["arn"] if role else iam_arn(account, "role", role_name)
        if role is not None:
            documents = iam.identity_policies(account, "role", role_name)
            tags = iam.principal_tags(account, "role", role_name)
        scope = principal.session_scope
        if scope is not None:
            # Session tags replace the role's tags of the same key (compared case-insensitively).
            given = {key.lower() for key, _ in scope.tags}
            tags = {key: value for key, value in tags.items() if key.lower() not in given}
            tags.update(scope.tags)
            if scope.narrows:
                session_documents = [("session-policy", scope.policy)] if scope.policy is not None else []
                for arn in scope.policy_arns:
                    document = iam.default_document(arn)
                    if document is not None:
                        session_documents.append((arn, document))
                session_policies = policies_of(session_documents)
    keys = global_keys(principal, ctx.region, ctx.now, source_ip=source_ip, principal_arn=principal_arn,
                       principal_tags=tags)
    return Identity(policies_of(documents), session_policies, keys)


def verdict_for(ctx: RequestContext, identity: Identity, action: str,
                resources: Sequence[Resource]) -> Verdict:
    return authorize(identity.policies, action, resources, identity.keys, identity.session_policies)


def check(ctx: RequestContext, service: str, action: str, params: dict[str, Any],
          source_ip: str | None = None) -> None:
    """Raise the service's denial unless the principal may perform this request."""
    resources = describer_for(service, action)(ctx, params)
    if not resources:
        return
    identity = load_identity(ctx, source_ip)
    full_action = f"{service}:{action}"
    verdict = verdict_for(ctx, identity, full_action, resources)
    if verdict.allowed:
        return
    raise denial(ctx, service, action, verdict, resources, identity)


def denial(ctx: RequestContext, service: str, action: str, verdict: Verdict, resources: Sequence[Resource],
           identity: Identity) -> Ec2Error:
    decision = verdict.denied
    assert decision is not None
    principal = ctx.principal
    assert principal is not None
    if service != "ec2":
        deny = _DENIALS.get(service, access_denied)
        return deny(principal.arn, decision.action, decision.resource, decision.explicit_deny)
    if action.startswith("Describe"):
        return unauthorized_operation()
    resource = resources[verdict.decisions.index(decision)]
    keys = {**identity.keys, **resource.keys}
    document = authorization_message.document(decision, principal, keys)
    secret, created = message_secret(ctx)
    token = authorization_message.encode(secret, principal.account_id, document)
    # A secret made by this request is kept although the request answers an error.
    return unauthorized_encoded(token, commit=created)


def message_secret(ctx: RequestContext) -> tuple[bytes, bool]:
    """The key that signs encoded messages (made on first use); and whether it was just made."""
    value = ctx.uow.settings.get(MESSAGE_SECRET_KEY)
    if isinstance(value, str) and value:
        return bytes.fromhex(value), False
    ctx.writing()
    value = secrets.token_hex(32)
    ctx.uow.settings.set(MESSAGE_SECRET_KEY, value)
    return bytes.fromhex(value), True


# --------------------------------------------------------------------------- shared helpers


def everything(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return [Resource("*", {"ec2:Region": ctx.region})]


def tag_keys(prefixes: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, ContextValue]:
    keys: dict[str, ContextValue] = {}
    for key, value in pairs:
        for prefix in prefixes:
            keys[f"{prefix}/{key}"] = value
    return keys


def request_tags(tags: Iterable[Mapping[str, Any]] | None) -> dict[str, ContextValue]:
    """``aws:RequestTag/k`` and ``aws:TagKeys`` of the tags a request gives."""
    pairs = [(str(tag.get("Key", "")), str(tag.get("Value", "")))
             for tag in tags or [] if isinstance(tag, Mapping)]
    if not pairs:
        return {}
    keys = tag_keys(("aws:RequestTag",), pairs)
    keys["aws:TagKeys"] = [key for key, _ in pairs]
    return keys


def describer_for(service: str, action: str) -> Describer:
    """The action's describer; otherwise the service's default, otherwise ``*``."""
    found = _DESCRIBERS.get((service, action))
    if found is not None:
        return found
    default = _DEFAULTS.get(service)
    return default(action) if default is not None else everything
