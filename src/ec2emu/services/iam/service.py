"""The IAM service as served here: its signing name, botocore model and operation table."""

from __future__ import annotations

from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="iam",
    model="iam",
    modules=("instance_profiles", "permissions", "policies", "roles", "users"),
)
operation = SERVICE.operation
