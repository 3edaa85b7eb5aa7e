"""The ``json`` protocol (AWS JSON 1.0 and 1.1): EventBridge, CloudTrail, CloudWatch Logs.

A request is a ``POST /`` whose ``X-Amz-Target`` header names the operation as
``<targetPrefix>.<Operation>`` (``AWSEvents.PutRule``; the prefix is the model's
``targetPrefix``) and whose body is a JSON object of the input shape's members, sent as
``application/x-amz-json-1.1`` (or ``1.0``: the model's ``jsonVersion``); the body is
read by :mod:`ec2emu.protocol.json_values`. The answer is the output shape's members as
a JSON object with that content type, ``{}`` for an operation without output. An error
is ``{"__type": code, "message": …}`` with the code also in ``x-amzn-ErrorType``;
botocore reads ``__type`` and takes the request ID from ``x-amzn-RequestId``, which the
ASGI shell sends with every answer (wave-2 fact sheet, C.1).

Choices where AWS's documents are silent:

* no ``X-Amz-Target``, or one that is not ``<the model's prefix>.<an operation of the
  model>``, answers ``UnknownOperationException`` (400, the status CloudWatch Logs gives
  one it does not know);
* the method, path and ``Content-Type`` are not checked, and an empty body is an empty
  object;
* an unsigned request is this service's when its ``X-Amz-Target`` carries the model's
  prefix (:meth:`JsonRpc.claims`), so its error is answered in this protocol.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.model import OperationModel

from ec2emu.errors import Ec2Error, json_validation_errors, missing_target, serialization_error, unknown_operation
from ec2emu.protocol import json_values, spec
from ec2emu.protocol.http import Message, Reply


def content_type(model: str) -> str:
    """``application/x-amz-json-<the model's jsonVersion>``."""
    return f"application/x-amz-json-{spec.service_model(model).metadata.get('jsonVersion', '1.0')}"


class JsonRpc:
    """The ``json`` protocol, for any model that speaks it."""

    name = "json"

    def receive(self, message: Message) -> Message:
        return message

    def claims(self, model: str, message: Message) -> bool:
        prefix = spec.service_model(model).metadata.get("targetPrefix")
        return bool(prefix) and message.headers.get("x-amz-target", "").rpartition(".")[0] == prefix

    def operation_name(self, model: str, message: Message) -> str:
        target = message.headers.get("x-amz-target")
        if not target:
            raise missing_target()
        prefix, _, name = target.rpartition(".")
        if prefix != spec.service_model(model).metadata.get("targetPrefix") or name not in spec.operation_names(model):
            raise unknown_operation(target)
        return name

    def params(self, operation: OperationModel, message: Message,
               unchecked: frozenset[str] = frozenset()) -> dict[str, Any]:
        document = json_values.loads(message.body, empty={})
        shape = operation.input_shape
        if shape is None:
            if not isinstance(document, dict):
                raise serialization_error("Expected an object at the request body.")
            return {}
        problems: list[str] = []
        params = json_values.read_structure(shape, document, "", problems, unchecked=unchecked)
        if problems:
            raise json_validation_errors(problems)
        return params

    def result(self, operation: OperationModel, result: Any, request_id: str) -> Reply:
        shape = operation.output_shape
        document = {} if shape is None else json_values.write_structure(shape, result)
        headers = {"content-type": content_type(operation.service_model.service_name)}
        return Reply(200, json_values.dumps(document), headers)

    def error(self, model: str, error: Ec2Error, request_id: str) -> Reply:
        body = json.dumps({"__type": error.code, "message": error.message}).encode()
        return Reply(error.status, body, {"content-type": content_type(model), "x-amzn-errortype": error.code})
