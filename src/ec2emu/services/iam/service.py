"""The IAM service as served here: its signing name, botocore model and operation table.

A member IAM is sent that this endpoint does not honour is refused by name with
``InvalidInput`` (400) "The parameter NAME is not supported by this endpoint.": IAM's
model names ``InvalidInputException`` (code ``InvalidInput``) as its error for input it
refuses, and IAM answers it for values it does not accept.
"""

from __future__ import annotations

from ec2emu.services.iam.errors import unsupported_member
from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="iam",
    model="iam",
    modules=("instance_profiles", "permissions", "policies", "roles", "users"),
    unsupported=unsupported_member,
)
operation = SERVICE.operation
