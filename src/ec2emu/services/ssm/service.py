"""The Systems Manager service as served here: its signing name, botocore model, operation
table, and its error for a member not honoured (``ValidationException``, SSM's answer to
a parameter it does not take)."""

from __future__ import annotations

from ec2emu.services.registry import Service
from ec2emu.services.ssm.errors import unhonoured

SERVICE = Service(
    signing_name="ssm",
    model="ssm",
    modules=("parameters", "reads", "tags", "permissions"),
    unsupported=unhonoured,
)
operation = SERVICE.operation
