"""The tables from AWS operation names to handlers, one per service.

``@operation("TerminateInstances")`` registers an EC2 handler,
``@operation("GetCallerIdentity", service="sts")`` one of another service. The app looks
operations up here; an operation in a service's model but not in its table answers a
400 naming it.
"""

from __future__ import annotations

from typing import Any, Callable

from ec2emu.service.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {}
SERVICES: dict[str, dict[str, Handler]] = {"ec2": OPERATIONS, "sts": {}, "iam": {}}


def operation(name: str, service: str = "ec2") -> Callable[[Handler], Handler]:
    table = SERVICES[service]

    def register(handler: Handler) -> Handler:
        if name in table:
            raise ValueError(f"operation {service}:{name} registered twice")
        table[name] = handler
        return handler

    return register
