"""What a target receives: :func:`render` makes the body of one event for one target from
its input members, as AWS documents them (the wave-2 fact sheet, D.1; the EventBridge
user guide's "input transformation" page and the ``InputTransformer`` API reference);
and the grammar PutTargets checks those members by (:data:`JSON_PATH`,
:data:`PLACEHOLDER`, :data:`RESERVED`), so that every target PutTargets accepts renders.

* No input member: the event, as JSON.
* ``Input``: that constant JSON text, as given.
* ``InputPath``: the JSON of the value the path selects (a string arrives quoted,
  ``"baz"``).
* ``InputTransformer``: ``InputTemplate`` with each ``<name>`` replaced — ``name`` a key
  of ``InputPathsMap`` (the value its path selects) or a reserved variable:
  ``aws.events.rule-arn`` and ``aws.events.rule-name`` (of the ``rule`` given, a mapping
  with DescribeRule's ``Arn`` and ``Name``), ``aws.events.event.ingestion-time`` (when
  the bus received the event, ISO 8601), ``aws.events.event`` (the event without its
  ``detail``) and ``aws.events.event.json`` (the whole event). A template whose first
  character (after white space) is ``{`` or ``[`` is a JSON template: a placeholder
  outside a string literal becomes the value's JSON (a string quoted, an object as an
  object); inside a string literal — in any template — it becomes the value's text:
  a string as it is, a number or ``true``/``false``/``null`` as written in JSON, an
  object or list bare, as AWS renders them in a string (``{acc_id:x,sf_id:y}``,
  ``[ACTIVE,INACTIVE]``). A JSON template may not use a placeholder as an object key
(:func:`key_placeholders`: PutTargets refuses it, as AWS documents); inside a key's
quotes it is text, as in any string. A JSON template's result, when it is valid JSON, is sent
  minified, as AWS does; any other template's text is sent as it comes (a template
  that is a quoted string keeps its quotes).

JSON paths are AWS's subset: ``$`` followed by ``.name`` steps (letters, digits, ``-``,
``_``, ``/`` and the other characters a key holds, but no ``.``, brackets or white
space) and ``[index]`` steps; a ``.*`` step takes every member of an object or item of
a list, and the path then selects the list of what the following steps find.

Choices AWS's documentation leaves open or where it is not followed: a path that selects
nothing — AWS's guide says the variable "isn't created" — gives ``null`` where a JSON
value stands and nothing (the empty text) inside a string or a text template; an
``InputPath`` that selects nothing gives an empty body. AWS's guide says values are
inserted unescaped; here a value inside a string literal is escaped as JSON string
content (``"`` → ``\\"``), so a template that is JSON stays JSON — the same text for any
value without a quote, backslash or control character. ``aws.events.event`` and
``aws.events.event.json`` (which AWS allows only as JSON values) give their JSON text
anywhere, escaped inside a string. The ingestion time is the moment given, else the
event's ``time``, in whole seconds of UTC with ``Z``; without a ``rule`` the rule's
variables select nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ec2emu.services.events.envelope import event_time

JSON_PATH = re.compile(r"\$(\.[^.\[\]\s]+|\[[0-9]+\])*")
PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")
RULE_ARN = "aws.events.rule-arn"
RULE_NAME = "aws.events.rule-name"
INGESTION_TIME = "aws.events.event.ingestion-time"
EVENT = "aws.events.event"
EVENT_JSON = "aws.events.event.json"
RESERVED = frozenset({RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON})

_STEP = re.compile(r"\.([^.\[\]\s]+)|\[([0-9]+)\]")
_MISSING = object()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def select(event: Any, path: str) -> Any:
    """The value ``path`` selects in ``event`` (``_MISSING`` when none)."""
    found: list[Any] = [event]
    many = False
    for match in _STEP.finditer(path, 1):
        name, index = match.groups()
        following: list[Any] = []
        for value in found:
            if name == "*":
                many = True
                following.extend(value.values() if isinstance(value, dict) else
                                 value if isinstance(value, list) else [])
            elif name is not None:
                if isinstance(value, dict) and name in value:
                    following.append(value[name])
            elif isinstance(value, list) and int(index) < len(value):
                following.append(value[int(index)])
        found = following
    if many:
        return found
    return found[0] if found else _MISSING


def _bare(value: Any) -> str:
    """A value as AWS writes it inside a string: strings unquoted, objects and lists
    bare."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ",".join(f"{key}:{_bare(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_bare(item) for item in value) + "]"
    return _json(value)


def _variables(event: Mapping[str, Any], paths: Mapping[str, str], rule: Mapping[str, Any] | None,
               ingestion_time: dt.datetime | None) -> dict[str, tuple[Any, bool]]:
    """Each placeholder's value, and whether it is given as JSON text in a string."""
    values: dict[str, tuple[Any, bool]] = {name: (select(event, path), False) for name, path in paths.items()}
    rule = rule or {}
    values[RULE_ARN] = (rule.get("Arn", _MISSING), False)
    values[RULE_NAME] = (rule.get("Name", _MISSING), False)
    received = event_time(ingestion_time) if ingestion_time is not None else event.get("time", _MISSING)
    values[INGESTION_TIME] = (received, False)
    values[EVENT] = ({key: value for key, value in event.items() if key != "detail"}, True)
    values[EVENT_JSON] = (dict(event), True)
    return values


def _placeholders(template: str) -> Iterator[tuple[re.Match[str], bool]]:
    """Each ``<name>`` of the template, and whether it stands inside a string literal
    (between quotes, a backslash escaping the next character)."""
    in_string = False
    position = 0
    while position < len(template):
        char = template[position]
        if in_string and char == "\\":
            position += 2
            continue
        if char == '"':
            in_string = not in_string
        elif char == "<":
            match = PLACEHOLDER.match(template, position)
            if match is not None:
                yield match, in_string
                position = match.end()
                continue
        position += 1


def is_json_template(template: str) -> bool:
    return template.lstrip()[:1] in ("{", "[")


def key_placeholders(template: str) -> list[str]:
    """The placeholders a JSON template uses as object keys (AWS allows none)."""
    if not is_json_template(template):
        return []
    return [match.group(1) for match, in_string in _placeholders(template)
            if not in_string and template[match.end():].lstrip()[:1] == ":"]


def _fill(template: str, values: Mapping[str, tuple[Any, bool]]) -> str:
    """The template with its placeholders replaced (see the module's docstring)."""
    is_json = is_json_template(template)
    out: list[str] = []
    position = 0
    for match, in_string in _placeholders(template):
        if match.group(1) not in values:
            continue
        value, as_json = values[match.group(1)]
        out.append(template[position:match.start()])
        out.append(_placed(value, as_json, in_string, is_json))
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def _placed(value: Any, as_json: bool, in_string: bool, is_json: bool) -> str:
    if is_json and not in_string:
        return "null" if value is _MISSING else _json(value)
    text = "" if value is _MISSING else _json(value) if as_json else _bare(value)
    return json.dumps(text, ensure_ascii=False)[1:-1] if in_string else text


def render(event: Mapping[str, Any], target: Mapping[str, Any], rule: Mapping[str, Any] | None = None,
           ingestion_time: dt.datetime | None = None) -> str:
    """The body ``target`` (PutTargets' members: ``Input``, ``InputPath``,
    ``InputTransformer``) receives for ``event``, matched by ``rule`` (DescribeRule's
    ``Name`` and ``Arn``) and received at ``ingestion_time``."""
    if target.get("Input") is not None:
        return str(target["Input"])
    if target.get("InputPath") is not None:
        found = select(event, target["InputPath"])
        return "" if found is _MISSING else _json(found)
    transformer = target.get("InputTransformer")
    if transformer is None:
        return _json(event)
    template = transformer["InputTemplate"]
    text = _fill(template, _variables(event, transformer.get("InputPathsMap") or {}, rule, ingestion_time))
    if is_json_template(template):
        try:
            return _json(json.loads(text))
        except (ValueError, RecursionError):
            return text
    return text
