"""Results and errors to XML, driven by each operation's output shape: EC2's ``ec2``
protocol and the ``query`` protocol of IAM and STS.

A result is a dict keyed by botocore member names (``TerminatingInstances``), exactly
the shape a boto3 user gets back. Each output shape is compiled once into an emitter
function, so a request walks no model. Rules (see the facts sheet, A.3 and A.4):

* root ``<{Op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`` with
  ``<requestId>`` first, then members by ``locationName``;
* lists are ``<wrapper><item>…</item></wrapper>``; an empty list is ``<wrapper/>``;
* a member absent from the dict (or ``None``) is absent from the XML, so an untagged
  instance has no ``tagSet``;
* operations with no output shape answer ``<return>true</return>``;
* text is escaped so that it parses back to the same string (``&``, ``<``, ``>`` and the
  carriage return as references; characters XML cannot carry at all become U+FFFD); blobs are
  base64;
* a key the shape does not know is a programming error and raises ``KeyError``.

The ``query`` protocol wraps the members in ``<{Op}Result>`` (the output's
``resultWrapper``) and ends with ``<ResponseMetadata><RequestId>``; its list items are
``<member>`` unless the model names them, maps are ``<entry><key/><value/></entry>``,
and errors are ``<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>``.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Callable

from botocore.model import OperationModel, Shape

from ec2emu.errors import Ec2Error
from ec2emu.protocol.spec import NOT_XML_CHAR, XML_NAMESPACE, output_wire_name

CONTENT_TYPE = "text/xml;charset=UTF-8"
_PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n'

Emitter = Callable[[Any, list[str]], None]

# ``\r`` is a character reference: a literal one would be read back as ``\n``.
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


# Any character that escaping changes: the entities above or one XML cannot carry. Most
# text has none, and one search finds that out faster than rewriting it.
_NEEDS_ESCAPE = re.compile("[&<>\r]|" + NOT_XML_CHAR.pattern)


def _plain(text: str) -> bool:
    """True when ``text`` certainly needs no escaping: printable ASCII (every character
    XML carries as is) with none of ``&<>`` — most text, told by a few C-level checks."""
    return text.isascii() and text.isprintable() and "&" not in text and "<" not in text and ">" not in text


def escape(text: str) -> str:
    """``text`` as XML character data that parses back to the same string."""
    if _plain(text) or _NEEDS_ESCAPE.search(text) is None:
        return text
    return NOT_XML_CHAR.sub("\ufffd", text).translate(_ENTITIES)


def serialize_result(operation: OperationModel, result: dict[str, Any], request_id: str) -> bytes:
    """The success document for ``operation``."""
    if operation.metadata.get("protocol") == "query":
        return _serialize_query_result(operation, result, request_id)
    name = operation.name
    out = [_PROLOGUE, f'<{name}Response xmlns="{XML_NAMESPACE}">', f"<requestId>{escape(request_id)}</requestId>"]
    shape = operation.output_shape
    if shape is None:
        out.append("<return>true</return>")
    else:
        _members_emitter(shape, "item")(result, out)
    out.append(f"</{name}Response>")
    return "".join(out).encode("utf-8")


def _serialize_query_result(operation: OperationModel, result: dict[str, Any], request_id: str) -> bytes:
    name = operation.name
    namespace = operation.metadata.get("xmlNamespace", "")
    out = [_PROLOGUE, f'<{name}Response xmlns="{namespace}">']
    shape = operation.output_shape
    if shape is not None:
        wrapper = shape.serialization.get("resultWrapper") or f"{name}Result"
        out.append(f"<{wrapper}>")
        _members_emitter(shape, "member")(result, out)
        out.append(f"</{wrapper}>")
    out.append(f"<ResponseMetadata><RequestId>{escape(request_id)}</RequestId></ResponseMetadata>")
    out.append(f"</{name}Response>")
    return "".join(out).encode("utf-8")


def serialize_query_error(error: Ec2Error, request_id: str, namespace: str) -> bytes:
    """The ``query`` protocol's error envelope (IAM, STS)."""
    kind = "Receiver" if error.status >= 500 else "Sender"
    return (
        f'{_PROLOGUE}<ErrorResponse xmlns="{namespace}"><Error><Type>{kind}</Type>'
        f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
    ).encode("utf-8")


def serialize_error(error: Ec2Error, request_id: str) -> bytes:
    """EC2's error envelope (no namespace, capital ``RequestID``)."""
    return (
        f"{_PROLOGUE}<Response><Errors><Error><Code>{escape(error.code)}</Code>"
        f"<Message>{escape(error.message)}</Message></Error></Errors>"
        f"<RequestID>{escape(request_id)}</RequestID></Response>"
    ).encode("utf-8")


def format_timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as EC2 emits (``2013-05-08T18:44:16.000Z``)."""
    if value.tzinfo is not None and value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:"
            f"{value.second:02d}.{value.microsecond // 1000:03d}Z")


def _scalar_text(kind: str) -> Callable[[Any], str]:
    if kind == "boolean":
        return lambda v: "true" if v else "false"
    if kind in ("integer", "long"):
        return lambda v: str(int(v))
    if kind in ("double", "float"):
        return lambda v: repr(float(v))
    if kind == "timestamp":
        return lambda v: format_timestamp(v) if isinstance(v, dt.datetime) else escape(str(v))
    if kind == "blob":
        return _blob_text
    return lambda v: escape(str(v))


def _blob_text(value: Any) -> str:
    """Blobs travel base64-encoded; ``str`` values are taken as UTF-8 text."""
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


@lru_cache(maxsize=None)
def _members_emitter(shape: Shape, item_tag: str) -> Emitter:
    """An emitter for the members of a structure (without an enclosing element);
    ``item_tag`` names list items the model leaves unnamed (``item`` or ``member``)."""
    emitters: dict[str, Emitter] = {}
    for member_name, member_shape in shape.members.items():
        tag = output_wire_name(member_name, member_shape)
        emitters[member_name] = _value_emitter(member_shape, tag, item_tag)
    shape_name = shape.name

    def emit(value: dict[str, Any], out: list[str]) -> None:
        for key, item in value.items():
            if item is None:
                continue
            emitter = emitters.get(key)
            if emitter is None:
                raise KeyError(f"{shape_name} has no member {key!r}")
            emitter(item, out)

    return emit


def _value_emitter(shape: Shape, tag: str, default_item: str) -> Emitter:
    open_tag, close_tag, empty_tag = f"<{tag}>", f"</{tag}>", f"<{tag}/>"
    kind = shape.type_name
    if kind == "structure":
        inner = _lazy_members(shape, default_item)
        members: Emitter | None = None

        def emit_structure(value: Any, out: list[str]) -> None:
            nonlocal members
            if members is None:
                members = inner()
            out.append(open_tag)
            members(value, out)
            out.append(close_tag)

        return emit_structure
    if kind == "list":
        member = shape.member
        flattened = bool(shape.serialization.get("flattened"))
        item_tag = member.serialization.get("name") or (tag if flattened else default_item)
        item_emitter = _lazy_value(member, item_tag, default_item)

        emit_item: Emitter | None = None

        def emit_list(value: Any, out: list[str]) -> None:
            nonlocal emit_item
            if not value:
                if not flattened:
                    out.append(empty_tag)
                return
            if not flattened:
                out.append(open_tag)
            if emit_item is None:
                emit_item = item_emitter()
            for item in value:
                emit_item(item, out)
            if not flattened:
                out.append(close_tag)

        return emit_list
    if kind == "map":
        key_tag = shape.key.serialization.get("name") or "key"
        value_tag = shape.value.serialization.get("name") or "value"
        key_emitter = _lazy_value(shape.key, key_tag, default_item)
        value_emitter = _lazy_value(shape.value, value_tag, default_item)

        def emit_map(value: Any, out: list[str]) -> None:
            if not value:
                out.append(empty_tag)
                return
            out.append(open_tag)
            for key, item in value.items():
                out.append("<entry>")
                key_emitter()(key, out)
                value_emitter()(item, out)
                out.append("</entry>")
            out.append(close_tag)

        return emit_map
    if kind == "boolean":
        true_xml, false_xml = f"{open_tag}true{close_tag}", f"{open_tag}false{close_tag}"

        def emit_boolean(value: Any, out: list[str]) -> None:
            out.append(true_xml if value else false_xml)

        return emit_boolean
    if kind == "string":
        # The commonest scalar, without a call per value when there is nothing to escape.
        def emit_string(value: Any, out: list[str]) -> None:
            rendered = value if type(value) is str else str(value)
            if not rendered:
                out.append(empty_tag)
                return
            # _plain(rendered), inline: this runs for most values of a response.
            if not (rendered.isascii() and rendered.isprintable()) or "&" in rendered or "<" in rendered \
                    or ">" in rendered:
                rendered = escape(rendered)
            out.append(f"{open_tag}{rendered}{close_tag}")

        return emit_string
    text = _scalar_text(kind)

    def emit_scalar(value: Any, out: list[str]) -> None:
        rendered = text(value)
        out.append(f"{open_tag}{rendered}{close_tag}" if rendered else empty_tag)

    return emit_scalar


def _lazy_members(shape: Shape, default_item: str) -> Callable[[], Emitter]:
    """Defer compiling a nested structure until first use (shapes can be recursive)."""
    cache: list[Emitter] = []

    def get() -> Emitter:
        if not cache:
            cache.append(_members_emitter(shape, default_item))
        return cache[0]

    return get


def _lazy_value(shape: Shape, tag: str, default_item: str) -> Callable[[], Emitter]:
    cache: list[Emitter] = []

    def get() -> Emitter:
        if not cache:
            cache.append(_value_emitter(shape, tag, default_item))
        return cache[0]

    return get
