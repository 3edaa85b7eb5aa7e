"""EC2 operations: one module per resource, each handler ``handler(ctx, params) -> result``.

Handlers take botocore-named params and return botocore-named results; they raise
:class:`ec2emu.errors.Ec2Error`, read time only from ``ctx.now`` and touch storage only
through ``ctx.uow``. Importing this package registers every implemented operation.
"""

from ec2emu.service import (  # noqa: F401
    iam,
    iam_policies,
    iam_roles,
    images,
    instance_attributes,
    instance_states,
    instances,
    networking,
    regions,
    snapshots,
    sts,
    tags,
    volumes,
)
