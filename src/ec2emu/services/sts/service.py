"""The STS service as served here: its signing name, botocore model and operation table."""

from __future__ import annotations

from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="sts",
    model="sts",
    modules=("operations", "permissions"),
)
operation = SERVICE.operation
