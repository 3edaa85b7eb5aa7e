"""Which wire protocol a request speaks, and one interface over them all.

botocore's model of a service says which protocol its clients speak (``metadata
["protocol"]``, or the list ``metadata["protocols"]``); a :class:`WireProtocol` knows
one of them end to end, for any model that speaks it:

* ``ec2`` and ``query`` — a form (``Action=…`` and flat parameters):
  :mod:`ec2emu.protocol.parser` and :mod:`ec2emu.protocol.serializer`;
* ``json`` — ``X-Amz-Target`` and a JSON body: :mod:`ec2emu.protocol.json_rpc`;
* ``rest-json`` — a method and a path, parameters in the path, query, headers and a
  JSON body: :mod:`ec2emu.protocol.rest_json`.

The pipeline asks :func:`protocol_for` (the model and the request's headers) and then,
whatever the protocol: :meth:`~WireProtocol.receive` (read what must be read before
the caller is known: a form's pairs), :meth:`~WireProtocol.operation_name`,
:meth:`~WireProtocol.params` (by the operation's input shape),
:meth:`~WireProtocol.result` (by its output shape) and :meth:`~WireProtocol.error`.
:meth:`~WireProtocol.claims` says whether an unsigned request is addressed to a model
(its ``X-Amz-Target`` or its path); the form protocols claim none, so an unsigned form
is answered as EC2 answers it.

A model listing several protocols is spoken in the one the request used (a CBOR body,
an ``X-Amz-Target`` header, a form: :func:`used_protocol`), else its first; the
protocols not served here are those :mod:`ec2emu.protocol.foreign` answers errors in.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from botocore.model import OperationModel

from ec2emu.errors import Ec2Error, invalid_action, missing_action
from ec2emu.protocol import parser, serializer, spec
from ec2emu.protocol.http import Headers, Message, Reply
from ec2emu.protocol.json_rpc import JsonRpc
from ec2emu.protocol.rest_json import RestJson


class WireProtocol(Protocol):
    """One botocore protocol, for any model that speaks it."""

    name: str

    def receive(self, message: Message) -> Message:
        """``message`` with what must be read at once (the form protocols' pairs; their
        error is answered in EC2's envelope before the signature is checked)."""

    def claims(self, model: str, message: Message) -> bool:
        """Whether an unsigned ``message`` is addressed to ``model``."""

    def operation_name(self, model: str, message: Message) -> str:
        """The operation ``message`` calls (an error if it names none of ``model``'s)."""

    def params(self, operation: OperationModel, message: Message,
               unchecked: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The operation's params, botocore-named and typed; the top-level members
        ``unchecked`` names are typed but their model constraints (range, length,
        pattern, enum) left to the handler, which answers its service's own error."""

    def result(self, operation: OperationModel, result: Any, request_id: str) -> Reply:
        """The success answer for ``result``."""

    def error(self, model: str, error: Ec2Error, request_id: str) -> Reply:
        """``error`` in this protocol's envelope."""


class FormProtocol:
    """``ec2`` (EC2's flattened lists, ``<Response><Errors>``) and ``query`` (IAM's and
    STS's ``member`` lists, ``<ErrorResponse>``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def receive(self, message: Message) -> Message:
        body = parser.decode_form(message.body) if message.method == "POST" and message.body else []
        return Message(message.method, message.path, message.query, message.headers, message.body,
                       message.query + body)

    def claims(self, model: str, message: Message) -> bool:
        """A Query service claims a form whose ``Version`` is its API version (IAM's
        ``2010-05-08``, STS's ``2011-06-15``); EC2 claims none (it answers what no
        service claims)."""
        if self.name != "query":
            return False
        try:
            pairs = message.query + (parser.decode_form(message.body) if message.method == "POST" else [])
        except Ec2Error:
            return False
        versions = [value for key, value in pairs if key == "Version"]
        return bool(versions) and versions[0] == spec.service_model(model).api_version

    def operation_name(self, model: str, message: Message) -> str:
        actions = [value for key, value in message.form if key == "Action"]
        if not actions or not actions[0]:
            raise missing_action()
        if actions[0] not in spec.operation_names(model):
            raise invalid_action(actions[0])
        return actions[0]

    def params(self, operation: OperationModel, message: Message,
               unchecked: frozenset[str] = frozenset()) -> dict[str, Any]:
        # The form protocols check no member's range, length, pattern or enum: nothing to leave.
        return parser.parse_params(operation, parser.split_tree(message.form))

    def result(self, operation: OperationModel, result: Any, request_id: str) -> Reply:
        return Reply(200, serializer.serialize_result(operation, result, request_id), _xml())

    def error(self, model: str, error: Ec2Error, request_id: str) -> Reply:
        if self.name == "ec2":
            return Reply(error.status, serializer.serialize_error(error, request_id), _xml())
        namespace = spec.service_model(model).metadata.get("xmlNamespace", "")
        return Reply(error.status, serializer.serialize_query_error(error, request_id, namespace), _xml())


_XML: Headers = {"content-type": serializer.CONTENT_TYPE}  # shared: never changed


def _xml() -> Headers:
    return _XML


SERVED: dict[str, WireProtocol] = {
    "ec2": FormProtocol("ec2"), "query": FormProtocol("query"), "json": JsonRpc(), "rest-json": RestJson(),
}


def model_protocols(model: str) -> list[str]:
    metadata = spec.service_model(model).metadata
    return list(metadata.get("protocols") or [metadata.get("protocol", "query")])


def used_protocol(protocols: list[str], headers: Headers) -> str:
    """Of a model's ``protocols``, the one a request with ``headers`` used, else the first."""
    content_type = headers.get("content-type", "")
    for protocol, used in (
        ("smithy-rpc-v2-cbor", headers.get("smithy-protocol") == "rpc-v2-cbor" or "cbor" in content_type),
        ("json", "x-amz-target" in headers or "x-amz-json" in content_type),
        ("query", "x-www-form-urlencoded" in content_type),
    ):
        if used and protocol in protocols:
            return protocol
    return protocols[0]


def protocol_for(model: str, headers: Headers | None = None) -> WireProtocol:
    """The protocol a request to ``model`` speaks (``KeyError`` if none is served here)."""
    protocols = _served_protocols(model)
    if len(protocols) == 1:
        return SERVED[protocols[0]]
    if not protocols:
        raise KeyError(f"no protocol of {model} is served: {model_protocols(model)}")
    return SERVED[used_protocol(list(protocols), headers or {})]


@cache
def _served_protocols(model: str) -> tuple[str, ...]:
    return tuple(name for name in model_protocols(model) if name in SERVED)
