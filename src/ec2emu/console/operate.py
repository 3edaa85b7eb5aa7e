"""Running an AWS operation for the console's signed-in principal, as any client's call runs.

:func:`invoke` is the request pipeline (:mod:`ec2emu.pipeline`) from its third stage on,
with the parameters given as botocore's member names and the principal the console's
sign-in proved instead of a signature. The parameters go the way a client's go: botocore
checks them against the operation's input shape and writes them in the service's wire
form, which the service's protocol then reads back (:func:`on_the_wire`), so the model's
constraints and the parser's checks hold for them as for any request; then the
operation's declared refusals (``Service.screen``), one transaction (a reader's for a describe; a writer's that lets
the settler run first when it reads a due row), IAM's check of the principal's policies,
the handler and its commit rule (TerminateInstances' zones that went ahead are kept),
then the ``finished`` hooks (the audit trail, with ``User-Agent`` :data:`USER_AGENT`) and
the observer (metrics, access log). An admin acts as the root of the account chosen, with
no access key (``accessKeyId`` empty in the trail).
"""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ParamValidationError
from botocore.model import OperationModel
from botocore.serialize import create_serializer
from botocore.validate import validate_parameters

from ec2emu.auth.credentials import Principal
from ec2emu.config import DEFAULT_REGION
from ec2emu.errors import Ec2Error, internal_error, invalid_parameter_value
from ec2emu.pipeline import Call, Finished, Pipeline, Seen
from ec2emu.protocol import spec
from ec2emu.protocol.http import Message
from ec2emu.protocol.protocols import protocol_for
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.repository import UnitOfWork

USER_AGENT = "ec2emu-console"


def invoke(pipeline: Pipeline, principal: Principal, access_key_id: str, action: str, params: dict[str, Any],
           region: str, request_id: str, source_ip: str | None, service: str = "ec2") -> Any:
    """The result of ``action`` called with ``params`` by ``principal`` in ``region``;
    the operation's :class:`Ec2Error` raised when refused."""
    started = time.perf_counter()
    served = pipeline.services[service]
    seen = Seen(request_id, source_ip, service, action, principal.account_id, principal.arn)
    reads = served.reads(action)
    operation = spec.operation(action, served.model)
    call = Call(service, action, operation, served.operations[action], params)
    outcome: Any = None
    try:
        call = Call(service, action, operation, call.handler, on_the_wire(served.model, operation, params))
        served.screen(action, call.params)

        def work(uow: UnitOfWork, settles: bool) -> Any:
            ctx: RequestContext = pipeline.context(uow, request_id, DEFAULT_REGION, settles=settles)
            seen.principal, seen.now = principal, ctx.now
            ctx.account_id, ctx.region, ctx.principal = principal.account_id, region, principal
            return pipeline.call(ctx, call, lambda: pipeline.authorize(ctx, call, principal, source_ip))

        outcome = pipeline.unit_of_work(work, reads=reads)
    except Ec2Error as error:
        outcome = error
    except Exception:
        outcome = internal_error()
        raise
    finally:
        seen.code = outcome.code if isinstance(outcome, Ec2Error) else ""
        seen.status = outcome.status if isinstance(outcome, Ec2Error) else 200
        seen.seconds = time.perf_counter() - started
        _finish(pipeline, seen, call, outcome, access_key_id, region, reads)
    if isinstance(outcome, Ec2Error):
        raise outcome
    return outcome


def on_the_wire(model: str, operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as the service's parser reads them once botocore has validated them and
    written them as a client would (``InvalidParameterValue`` for what botocore refuses)."""
    try:
        validate_parameters(params, operation.input_shape)
    except ParamValidationError as refused:
        raise invalid_parameter_value(str(refused).strip()) from None
    body = create_serializer(operation.metadata["protocol"]).serialize_to_request(params, operation)["body"]
    pairs = [(key, str(value)) for key, value in body.items()]
    return protocol_for(model).params(operation, Message("POST", "/", [], {}, b"", pairs))


def _finish(pipeline: Pipeline, seen: Seen, call: Call, outcome: Any, access_key_id: str, region: str,
            reads: bool) -> None:
    pipeline.observe(seen)
    if seen.principal is None or seen.now is None:
        return
    finished = Finished(seen.request_id, seen.remote_address, USER_AGENT, call.service,
                        pipeline.services[call.service].model, call.action, call.params, outcome,
                        seen.principal, access_key_id, region, seen.now, reads)
    for hook in pipeline.hooks.finished:
        hook(finished)
