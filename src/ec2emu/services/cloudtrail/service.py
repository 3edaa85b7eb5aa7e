"""The CloudTrail service as served here: its signing name, botocore model, operation
table, and its error for a member not honoured (``UnsupportedOperationException``).
LookupEvents only reads: it runs in a reader's transaction; it checks its ``MaxResults``
itself (``InvalidMaxResultsException``, not the protocol's ``ValidationException``)."""

from __future__ import annotations

from ec2emu.services.cloudtrail.errors import unhonoured
from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="cloudtrail",
    model="cloudtrail",
    modules=("events", "permissions"),
    unsupported=unhonoured,
    also_reads=frozenset({"LookupEvents"}),
    own_checks={"LookupEvents": frozenset({"MaxResults"})},
)
operation = SERVICE.operation
