"""The services this endpoint serves, each a package under :mod:`ec2emu.services`.

A service package declares one :class:`Service` in its ``service`` module — its signing
name (the SigV4 credential scope's service, which requests are routed by), the name of
its botocore model, the modules that register its handlers, and its table of
operations, filled by ``@operation("Name")`` on each handler as those modules are
imported. :data:`PACKAGES` is the one line per service that makes it served;
:func:`load` imports them (once) and answers the tables. Package ``__init__`` modules
import nothing, so importing one module of a service never drags in the others.

An operation in a service's model but not in its table answers a 400 naming it; a
service not listed here answers that it is not served.

No member of an operation's input is silently dropped. A handler honours a member, or the
operation's registration declares it ``refuses`` (any value is refused, naming the
member) or honours it only at AWS's default (``defaults``: the member may be sent with
that value — infrastructure tools send defaults — and any other value is refused).
:meth:`Service.screen` applies the declarations once the input is parsed, before the
handler runs, with the service's ``unsupported`` error (EC2's ``UnsupportedOperation``;
``InvalidParameterValue`` elsewhere). ``tests/members/`` holds the table that accounts
for every member of every served operation.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ec2emu.errors import Ec2Error, unhonoured_parameter
from ec2emu.services.shared.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], Any]


@dataclass(frozen=True)
class Members:
    """What an operation declares of the members of its input that it does not honour."""

    refuses: tuple[str, ...] = ()  # refused with any value
    defaults: Mapping[str, object] = field(default_factory=dict)  # accepted at this value only

# Signing name -> the package that serves it: adding a service is adding its line.
PACKAGES: dict[str, str] = {
    "ec2": "ec2emu.services.ec2",
    "iam": "ec2emu.services.iam",
    "sts": "ec2emu.services.sts",
    "ssm": "ec2emu.services.ssm",
    "events": "ec2emu.services.events",
    "cloudtrail": "ec2emu.services.cloudtrail",
}


@dataclass
class Service:
    """One AWS service as served here."""

    signing_name: str
    model: str  # botocore's name for its service model
    modules: tuple[str, ...]  # relative to the package: those that register handlers
    operations: dict[str, Handler] = field(default_factory=dict)
    # Operations named like reads that write (none yet): they run as writers.
    writes: frozenset[str] = frozenset()
    # Operations named otherwise that only read (CloudTrail's LookupEvents): they run as readers.
    also_reads: frozenset[str] = frozenset()
    # The error refusing a member the service does not honour, given the member's name.
    unsupported: Callable[[str], Ec2Error] = unhonoured_parameter
    members: dict[str, Members] = field(default_factory=dict)
    # Per operation, the members whose model constraints (range, length, pattern, enum) its
    # handler checks itself, answering the service's own error rather than the protocol's
    # ValidationException (CloudTrail's LookupEvents: MaxResults, InvalidMaxResultsException).
    own_checks: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def reads(self, action: str) -> bool:
        """Whether ``action`` only reads — it describes, gets or lists — and so runs in a
        reader's transaction, which refuses writes."""
        if action in self.also_reads:
            return True
        return action.startswith(("Describe", "Get", "List")) and action not in self.writes

    def operation(self, name: str, *, refuses: tuple[str, ...] = (),
                  defaults: Mapping[str, object] | None = None) -> Callable[[Handler], Handler]:
        """Register ``handler`` as this service's operation ``name`` (an AWS spelling);
        ``refuses`` and ``defaults`` name the input members it does not honour."""

        def register(handler: Handler) -> Handler:
            if name in self.operations:
                raise ValueError(f"operation {self.signing_name}:{name} registered twice")
            self.operations[name] = handler
            if refuses or defaults:
                self.members[name] = Members(tuple(refuses), dict(defaults or {}))
            return handler

        return register

    def screen(self, action: str, params: Mapping[str, Any]) -> None:
        """Refuse, by name, the first member of ``params`` that ``action`` does not honour
        at the value given."""
        members = self.members.get(action)
        if members is None:
            return
        for name in members.refuses:
            if name in params:
                raise self.unsupported(name)
        for name, default in members.defaults.items():
            if name in params and params[name] != default:
                raise self.unsupported(name)


_LOADED: dict[str, Service] = {}


def load() -> dict[str, Service]:
    """Every served service by signing name, its package imported (and its operations
    registered) on the first call."""
    if len(_LOADED) != len(PACKAGES):
        for name, package in PACKAGES.items():
            service = importlib.import_module(f"{package}.service").SERVICE
            for module in service.modules:
                importlib.import_module(f"{package}.{module}")
            if service.signing_name != name:
                raise ValueError(f"{package} declares {service.signing_name}, listed as {name}")
            _LOADED[name] = service
    return _LOADED
