"""Results and errors to XML, driven by each operation's output shape: EC2's ``ec2``
protocol and the ``query`` protocol of IAM and STS.

A result is a dict keyed by botocore member names (``TerminatingInstances``), exactly
the shape a boto3 user gets back. A request walks no model: each structure shape is
turned, at first use, into Python source that is compiled once (see ``_Generator``) —
one straight-line function per layout of keys its result dicts arrive with, writing
every scalar, list and map member inline and calling out only for nested structures;
consecutive scalar members with plain values (the usual case) go out in one string.
Members come out in the order of the result dict's keys. Rules (see the facts sheet,
A.3 and A.4):

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
import itertools
import re
import threading
from collections.abc import Callable
from typing import Any

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
    document = _DOCUMENTS.get(operation)
    if document is None:
        document = _document(operation)
    before_id, emit, after_id, id_first = document
    # escape(request_id), inline: the id is nearly always plain text.
    if not (request_id.isascii() and request_id.isprintable()) or "&" in request_id \
            or "<" in request_id or ">" in request_id:
        request_id = escape(request_id)
    if id_first:  # ec2: <requestId> opens the document
        out = [before_id, request_id, after_id]
        if emit is not None:
            emit(result, out)
            out.append(f"</{operation.name}Response>")
    else:  # query: <ResponseMetadata> closes it
        out = [before_id]
        if emit is not None:
            emit(result, out)
        out += (after_id, request_id, _QUERY_TAIL.format(operation.name))
    return "".join(out).encode("utf-8")


_QUERY_TAIL = "</RequestId></ResponseMetadata></{}Response>"
# Per operation: (text before the request id, structure emitter or None, text after the
# request id when it comes first, whether it does).
_DOCUMENTS: dict[OperationModel, tuple[str, Emitter | None, str, bool]] = {}
_GENERATORS: dict[tuple[Any, str], _Generator] = {}
_LOCK = threading.Lock()


def _document(operation: OperationModel) -> tuple[str, Emitter | None, str, bool]:
    name = operation.name
    shape = operation.output_shape
    with _LOCK:
        if operation.metadata.get("protocol") == "query":
            namespace = operation.metadata.get("xmlNamespace", "")
            before = f'{_PROLOGUE}<{name}Response xmlns="{namespace}">'
            after = "<ResponseMetadata><RequestId>"
            emit = None
            if shape is not None:
                wrapper = shape.serialization.get("resultWrapper") or f"{name}Result"
                before += f"<{wrapper}>"
                after = f"</{wrapper}>{after}"
                emit = _generator(operation, "member").entry(shape)
            document = (before, emit, after, False)
        else:
            before = f'{_PROLOGUE}<{name}Response xmlns="{XML_NAMESPACE}"><requestId>'
            if shape is None:
                document = (before, None, f"</requestId><return>true</return></{name}Response>", True)
            else:
                document = (before, _generator(operation, "item").entry(shape), "</requestId>", True)
        _DOCUMENTS[operation] = document
    return document


def _generator(operation: OperationModel, item_tag: str) -> _Generator:
    key = (operation.service_model, item_tag)
    generator = _GENERATORS.get(key)
    if generator is None:
        generator = _GENERATORS[key] = _Generator(item_tag)
    return generator


def serialize_query_error(error: Ec2Error, request_id: str, namespace: str) -> bytes:
    """The ``query`` protocol's error envelope (IAM, STS)."""
    kind = "Receiver" if error.status >= 500 else "Sender"
    return (
        f'{_PROLOGUE}<ErrorResponse xmlns="{namespace}"><Error><Type>{kind}</Type>'
        f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
    ).encode()


def serialize_error(error: Ec2Error, request_id: str) -> bytes:
    """EC2's error envelope (no namespace, capital ``RequestID``)."""
    return (
        f"{_PROLOGUE}<Response><Errors><Error><Code>{escape(error.code)}</Code>"
        f"<Message>{escape(error.message)}</Message></Error></Errors>"
        f"<RequestID>{escape(request_id)}</RequestID></Response>"
    ).encode()


def format_timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as EC2 emits (``2013-05-08T18:44:16.000Z``)."""
    if value.tzinfo is not None and value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return _TIMESTAMP % (value.year, value.month, value.day, value.hour, value.minute, value.second,
                         value.microsecond // 1000)


_TIMESTAMP = "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ"


def _blob_text(value: Any) -> str:
    """Blobs travel base64-encoded; ``str`` values are taken as UTF-8 text."""
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


# An element name that can sit inside a generated f-string literal as it is.
_SIMPLE_TAG = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
# Key layouts compiled per structure; dicts in further layouts take the general emitter.
_LAYOUTS_PER_SHAPE = 16


# Member types a run of consecutive scalars (``_Generator.run_lines``) can hold.
_RUN_KINDS = frozenset({"string", "boolean", "integer", "long", "timestamp"})
# Two- and three-digit fields of timestamps written in runs, by value.
_D2 = [f"{n:02d}" for n in range(100)]
_D3 = [f"{n:03d}" for n in range(1000)]


def _in_run(shape: Shape, tag: str) -> bool:
    """Whether a member can join a run of scalars written with one f-string."""
    return shape.type_name in _RUN_KINDS and _SIMPLE_TAG.fullmatch(tag) is not None


def _wrapped(open_tag: str, expression: str, close_tag: str) -> str:
    """Source for ``open_tag + <expression> + close_tag`` as one string build."""
    if _SIMPLE_TAG.fullmatch(open_tag[1:-1]) and _SIMPLE_TAG.fullmatch(close_tag[2:-1]):
        return f'f"{open_tag}{{{expression}}}{close_tag}"'
    return f"{open_tag!r} + {expression} + {close_tag!r}"


class _Generator:
    """The emitters of one service model's structures, generated as Python source.

    Each structure shape (by name, so recursive shapes reach themselves) has a table of
    *layout* emitters, one per tuple of keys seen in its result dicts: straight-line code
    that unpacks ``value.values()`` and writes every member inline (escaping, number and
    timestamp formatting, lists and maps as loops), calling out only for a nested
    structure. The first dict of a new layout compiles it (``learn``); a layout with a key
    the shape does not know, or beyond ``_LAYOUTS_PER_SHAPE``, takes the shape's general
    emitter, which walks the dict's items and finds each member's code by its position in
    the model. Both write members in the dict's order. Code is compiled once per shape and
    layout, under a lock; emitting needs none.
    """

    def __init__(self, item_tag: str) -> None:
        self.item_tag = item_tag
        self.namespace: dict[str, Any] = {
            "escape": escape, "_blob_text": _blob_text, "format_timestamp": format_timestamp,
            "datetime": dt.datetime, "UTC": dt.UTC, "KeyError": KeyError, "_D2": _D2, "_D3": _D3,
        }
        self.names: dict[str, str] = {}
        self.pending: list[tuple[str, Shape]] = []
        self.lock = threading.Lock()

    def entry(self, shape: Shape) -> Emitter:
        """The emitter for the members of ``shape`` (called once per document)."""
        with self.lock:
            name = self.function_name(shape)
            self.compile([f"def {name}_entry(value, out):",
                          f"    ({name}_layouts.get(tuple(value)) or {name}_learn(value))(value, out)"],
                         shape.name)
            entry: Emitter = self.namespace[f"{name}_entry"]
            return entry

    def compile(self, lines: list[str], label: str) -> None:
        """Compile ``lines`` with every structure they reach that has no emitter yet."""
        known = dict(self.names)
        sources = ["\n".join(lines)]
        try:
            while self.pending:
                sources.append(self.structure_source(*self.pending.pop()))
            code = compile("\n\n".join(sources), f"<emitters: {label}>", "exec")
        except BaseException:
            self.names, self.pending = known, []
            raise
        exec(code, self.namespace)

    def function_name(self, shape: Shape) -> str:
        """The general emitter of ``shape`` (queued for compiling); its layout table and
        ``learn`` hook are ``<name>_layouts`` and ``<name>_learn``."""
        name = self.names.get(shape.name)
        if name is None:
            name = self.names[shape.name] = f"emit_{len(self.names)}"
            self.pending.append((name, shape))
            self.namespace[f"{name}_layouts"] = {}
            self.namespace[f"{name}_learn"] = lambda value: self.learn(name, shape, value)
        return name

    def learn(self, name: str, shape: Shape, value: Any) -> Emitter:
        """The emitter for dicts with the keys of ``value``, in their order."""
        keys = tuple(value)
        with self.lock:
            layouts = self.namespace[f"{name}_layouts"]
            found: Emitter | None = layouts.get(keys)
            if found is not None:
                return found
            members = shape.members
            if len(layouts) >= _LAYOUTS_PER_SHAPE or not all(type(key) is str and key in members
                                                             for key in keys):
                generic: Emitter = self.namespace[name]
                return generic
            function = f"{name}_{len(layouts)}"
            lines = [f"def {function}(value, out):  # {shape.name}", "    append = out.append"]
            if keys:
                lines.append(f"    {''.join(f'm{i}, ' for i in range(len(keys)))}= value.values()")
            fields = [(members[key], output_wire_name(key, members[key]), f"m{i}")
                      for i, key in enumerate(keys)]
            for in_run, group in itertools.groupby(fields, key=lambda field: _in_run(*field[:2])):
                run = list(group)
                if in_run and len(run) > 1:
                    lines += self.run_lines(run)
                    continue
                for member, tag, var in run:
                    lines.append(f"    if {var} is not None:")
                    lines += self.value_lines(member, tag, var, 8)
            self.compile(lines, shape.name)
            made: Emitter = self.namespace[function]
            layouts[keys] = made
            return made

    def run_lines(self, fields: list[tuple[Shape, str, str]]) -> list[str]:
        """Source writing a run of consecutive scalar members with one ``append`` when every
        value has its usual type (``str``, ``bool``, ``int``, a UTC ``datetime`` of a four-digit
        year) and none of the text needs escaping (one check on all of it at once); otherwise,
        and for any ``None``, each member is written on its own as usual."""
        guards, texts, parts = [], [], []
        for shape, tag, var in fields:
            kind = shape.type_name
            if kind == "string":
                guards.append(f"type({var}) is str")
                texts.append(var)
                parts.append(f"{{f'<{tag}>{{{var}}}</{tag}>' if {var} else '<{tag}/>'}}")
            elif kind == "boolean":
                guards.append(f"{var} is not None")
                parts.append(f"<{tag}>{{'true' if {var} else 'false'}}</{tag}>")
            elif kind == "timestamp":
                guards.append(f"type({var}) is datetime and {var}.tzinfo is UTC and {var}.year >= 1000")
                parts.append(f"<{tag}>{{{var}.year}}-{{_D2[{var}.month]}}-{{_D2[{var}.day]}}"
                             f"T{{_D2[{var}.hour]}}:{{_D2[{var}.minute]}}:{{_D2[{var}.second]}}"
                             f".{{_D3[{var}.microsecond // 1000]}}Z</{tag}>")
            else:  # integer, long
                guards.append(f"type({var}) is int")
                parts.append(f"<{tag}>{{{var}}}</{tag}>")
        if texts:  # all the text, checked at once as escape() would
            joined = texts[0] if len(texts) == 1 else 'f"' + "".join(f"{{{v}}}" for v in texts) + '"'
            guards.append(f"(t := {joined}).isascii() and t.isprintable() "
                          "and '&' not in t and '<' not in t and '>' not in t")
        lines = [f"    if {' and '.join(guards)}:", f'        append(f"{"".join(parts)}")', "    else:"]
        for shape, tag, var in fields:
            lines.append(f"        if {var} is not None:")
            lines += self.value_lines(shape, tag, var, 12)
        return lines

    def structure_source(self, function: str, shape: Shape) -> str:
        """The general emitter of ``shape``, for dicts of any layout."""
        lines = [f"def {function}(value, out):  # {shape.name}",
                 "    append = out.append",
                 "    for key, v in value.items():",
                 "        if v is None:",
                 "            continue"]
        members = list(shape.members.items())
        table = f"{function}_index"
        self.namespace[table] = {name: i for i, (name, _) in enumerate(members)}
        lines.append(f"        i = {table}.get(key)")
        lines.append("        if i is None:")
        lines.append(f"            raise KeyError({shape.name!r} + ' has no member ' + repr(key))")
        if members:
            lines += self.tree(members, 0, len(members), 8)
        return "\n".join(lines)

    def tree(self, members: list[tuple[str, Shape]], low: int, high: int, indent: int) -> list[str]:
        """Source running the code of member ``i`` (``low <= i < high``): a binary search."""
        pad = " " * indent
        if high - low <= 3:
            lines = []
            for i in range(low, high):
                name, shape = members[i]
                if i == high - 1:
                    lines.append(f"{pad}{'else' if i > low else 'if True'}:")
                else:
                    lines.append(f"{pad}{'elif' if i > low else 'if'} i == {i}:")
                lines += self.value_lines(shape, output_wire_name(name, shape), "v", indent + 4)
            return lines
        middle = (low + high) // 2
        return ([f"{pad}if i < {middle}:"] + self.tree(members, low, middle, indent + 4)
                + [f"{pad}else:"] + self.tree(members, middle, high, indent + 4))

    def value_lines(self, shape: Shape, tag: str, var: str, indent: int) -> list[str]:
        """Source appending ``var`` (a value of ``shape``) as the element ``tag``."""
        pad = " " * indent
        open_tag, close_tag, empty_tag = f"<{tag}>", f"</{tag}>", f"<{tag}/>"
        kind = shape.type_name
        if kind == "structure":
            function = self.function_name(shape)
            return [f"{pad}append({open_tag!r})",
                    f"{pad}({function}_layouts.get(tuple({var})) or {function}_learn({var}))({var}, out)",
                    f"{pad}append({close_tag!r})"]
        if kind == "list":
            return self.list_lines(shape, tag, var, indent)
        if kind == "map":
            return self.map_lines(shape, tag, var, indent)
        if kind == "boolean":
            return [(f"{pad}append({open_tag + 'true' + close_tag!r} if {var} else "
                     f"{open_tag + 'false' + close_tag!r})")]
        if kind == "string":
            return [f"{pad}if type({var}) is not str:",
                    f"{pad}    {var} = str({var})",
                    f"{pad}if not {var}:",
                    f"{pad}    append({empty_tag!r})",
                    (f"{pad}elif {var}.isascii() and {var}.isprintable() and '&' not in {var} "
                     f"and '<' not in {var} and '>' not in {var}:"),
                    f"{pad}    append({_wrapped(open_tag, var, close_tag)})",
                    f"{pad}else:",
                    f"{pad}    append({_wrapped(open_tag, f'escape({var})', close_tag)})"]
        if kind in ("integer", "long"):
            return [f"{pad}append({_wrapped(open_tag, f'int({var})', close_tag)})"]
        if kind in ("double", "float"):
            return [f"{pad}append({_wrapped(open_tag, f'float({var})!r', close_tag)})"]
        if kind == "timestamp":
            # format_timestamp, inline.
            pattern = open_tag.replace("%", "%%") + _TIMESTAMP + close_tag.replace("%", "%%")
            return [f"{pad}if isinstance({var}, datetime):",
                    f"{pad}    if {var}.tzinfo is not None and {var}.tzinfo is not UTC:",
                    f"{pad}        {var} = {var}.astimezone(UTC)",
                    (f"{pad}    append({pattern!r} % ({var}.year, {var}.month, {var}.day, {var}.hour, "
                     f"{var}.minute, {var}.second, {var}.microsecond // 1000))"),
                    f"{pad}else:",
                    f"{pad}    {var} = escape(str({var}))",
                    f"{pad}    append({_wrapped(open_tag, var, close_tag)} if {var} else {empty_tag!r})"]
        if kind == "blob":
            rendered = f"_blob_text({var})"
        else:
            rendered = f"escape(str({var}))"
        return [f"{pad}{var} = {rendered}",
                f"{pad}append({_wrapped(open_tag, var, close_tag)} if {var} else {empty_tag!r})"]

    def list_lines(self, shape: Shape, tag: str, var: str, indent: int) -> list[str]:
        pad = " " * indent
        member = shape.member
        flattened = bool(shape.serialization.get("flattened"))
        item_tag = member.serialization.get("name") or (tag if flattened else self.item_tag)
        item = f"x{indent}"
        body = self.value_lines(member, item_tag, item, indent + 8)
        if flattened:
            return [f"{pad}if {var}:", f"{pad}    for {item} in {var}:", *body]
        return [f"{pad}if not {var}:",
                f"{pad}    append({f'<{tag}/>'!r})",
                f"{pad}else:",
                f"{pad}    append({f'<{tag}>'!r})",
                f"{pad}    for {item} in {var}:",
                *body,
                f"{pad}    append({f'</{tag}>'!r})"]

    def map_lines(self, shape: Shape, tag: str, var: str, indent: int) -> list[str]:
        pad = " " * indent
        key_tag = shape.key.serialization.get("name") or "key"
        value_tag = shape.value.serialization.get("name") or "value"
        key, item = f"k{indent}", f"x{indent}"
        return [f"{pad}if not {var}:",
                f"{pad}    append({f'<{tag}/>'!r})",
                f"{pad}else:",
                f"{pad}    append({f'<{tag}>'!r})",
                f"{pad}    for {key}, {item} in {var}.items():",
                f"{pad}        append('<entry>')",
                *self.value_lines(shape.key, key_tag, key, indent + 8),
                *self.value_lines(shape.value, value_tag, item, indent + 8),
                f"{pad}        append('</entry>')",
                f"{pad}    append({f'</{tag}>'!r})"]
