"""The table from AWS operation names to handlers.

``@operation("TerminateInstances")`` registers a handler. The app looks operations up
here; an operation in the EC2 model but not in the table answers a 400 naming it.
"""

from __future__ import annotations

from typing import Any, Callable

from ec2emu.service.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if name in OPERATIONS:
            raise ValueError(f"operation {name} registered twice")
        OPERATIONS[name] = handler
        return handler

    return register
