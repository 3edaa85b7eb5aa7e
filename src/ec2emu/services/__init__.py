"""The AWS services served here, a package each (:mod:`ec2emu.services.registry` lists
them), and what their operations share (:mod:`ec2emu.services.shared`).

Handlers take botocore-named params and return botocore-named results
(``handler(ctx, params) -> result``); they raise :class:`ec2emu.errors.Ec2Error`, read
time only from ``ctx.now`` and touch storage only through ``ctx.uow``.
"""
