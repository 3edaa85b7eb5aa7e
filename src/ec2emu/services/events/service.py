"""The EventBridge service as served here: its signing name, botocore model (``events``,
JSON 1.1, ``X-Amz-Target: AWSEvents.<Op>``), operation table, and its error for a member
not honoured (``ValidationException`` naming it)."""

from __future__ import annotations

from ec2emu.services.events.errors import unhonoured
from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="events",
    model="events",
    modules=("rules", "targets", "publishing", "tags", "connections", "api_destinations", "permissions"),
    unsupported=unhonoured,
)
operation = SERVICE.operation
