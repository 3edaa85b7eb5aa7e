"""The STS service as served here: its signing name, botocore model and operation table.

A member STS is sent that this endpoint does not honour is refused by name with
``ValidationError`` (400) "The parameter NAME is not supported by this endpoint.": STS's
model declares no error for invalid input of its own, and ``ValidationError`` is what
STS answers for a request its checks refuse.
"""

from __future__ import annotations

from ec2emu.services.registry import Service
from ec2emu.services.sts.errors import unsupported_member

SERVICE = Service(
    signing_name="sts",
    model="sts",
    modules=("operations", "permissions"),
    unsupported=unsupported_member,
)
operation = SERVICE.operation
