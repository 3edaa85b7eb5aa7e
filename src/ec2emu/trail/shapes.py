"""A call's ``requestParameters`` and ``responseElements`` in CloudTrail's shapes.

EC2 (its ``ec2`` protocol): the request parameters of StartInstances, StopInstances,
TerminateInstances, RunInstances and CreateTags in the shapes CloudTrail gives them
(``instancesSet.items[{instanceId}]``, ``resourcesSet``, ``tagSet``,
``tagSpecificationSet``, ``force`` always present on a stop); those of other operations
(ModifyInstanceAttribute's flat ``{"instanceId": …, "instanceType": {"value": …}}``
among them) are the parsed input with each member's name lower-camel-cased, each list
as ``{"items": […]}`` and an empty list as ``{}``. A response is written by the
operation's output shape with its XML element names (``instancesSet``, ``currentState``,
``reservationId``), each list as ``{"items": […]}`` (``{}`` when empty), times as
epoch milliseconds, ``return`` as ``_return``, led by ``requestId``; an operation without
an output shape (CreateTags, ModifyInstanceAttribute) answers
``{"requestId": …, "_return": true}``.

Other services: the parsed input and the result with each member's name
lower-camel-cased, lists as lists, times as ISO 8601 (UTC) — CloudTrail shows IAM's
times in a locale-dependent text; ISO is chosen here.

Reads (Describe, Get, List, LookupEvents) and failures have ``responseElements: null``;
a call without parameters has ``requestParameters: null``. A response larger than
CloudTrail's largest field (100 KB) is recorded as ``{"omitted": true}``, as CloudTrail
marks a field it cut (its size estimated from the first item of each long list, so that
a launch of many instances is not converted whole to learn that it is too large).

Secrets never appear: a value whose botocore shape is marked ``sensitive`` (secret access
keys, passwords, private key material, user data, SSM parameter values, EventBridge
connection secrets) and any member named in :data:`SECRET_MEMBERS` (session tokens, key
material, connection auth parameters) is replaced by :data:`REDACTED`, the text
CloudTrail puts in place of sensitive data; so is ModifyInstanceAttribute's ``Value``
when its ``Attribute`` is ``userData``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from typing import Any

from botocore.model import OperationModel, Shape

REDACTED = "<sensitiveDataRemoved>"
# CloudTrail's largest field (requestParameters, responseElements), and what stands for a
# larger one.
MAX_FIELD = 100 * 1024
OMITTED = {"omitted": True}
_SAMPLED = 8
SECRET_MEMBERS = frozenset({
    "SecretAccessKey", "SessionToken", "KeyMaterial", "PublicKeyMaterial", "PrivateKey", "Password",
    "NewPassword", "OldPassword", "UserData", "AuthParameters", "ServicePassword", "ClientSecret",
    "ApiKeyValue",
})
_STATE_CHANGES = frozenset({"StartInstances", "StopInstances", "TerminateInstances"})


@lru_cache(maxsize=4096)
def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _secret(name: str, shape: Shape | None) -> bool:
    return name in SECRET_MEMBERS or (shape is not None and bool(shape.metadata.get("sensitive")))


Convert = Callable[[Any], Any]


def plain(value: Any, shape: Shape | None, *, ec2: bool, wire: bool = False) -> Any:
    """``value`` (parsed input or a result) by ``shape``: members renamed (their XML
    names when ``wire``, else lower-camel-cased), lists in EC2's ``items`` form when
    ``ec2``, sensitive values redacted."""
    return _converter(shape, ec2, wire)(value)


@lru_cache(maxsize=4096)
def _converter(shape: Shape | None, ec2: bool, wire: bool) -> Convert:
    """The conversion of values of ``shape``, made once per shape (members' on first use,
    as shapes may be recursive)."""
    if shape is None:
        return partial(_untyped, ec2=ec2)
    if shape.metadata.get("sensitive"):
        return _redacted
    kind = shape.type_name
    if kind == "structure":
        return _Structure(shape, ec2, wire)
    if kind == "list":
        return _List(shape, ec2, wire)
    if kind == "timestamp":
        return _millis if ec2 else _iso
    if kind == "blob":
        return _base64
    return _same


def _redacted(_: Any) -> str:
    return REDACTED


def _same(value: Any) -> Any:
    return value


def _millis(value: Any) -> Any:
    return int(value.timestamp() * 1000) if isinstance(value, dt.datetime) else value


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _base64(value: Any) -> Any:
    return base64.b64encode(value).decode() if isinstance(value, bytes) else value


class _Structure:
    def __init__(self, shape: Shape, ec2: bool, wire: bool) -> None:
        self.shape, self.ec2, self.wire = shape, ec2, wire
        self.members: dict[str, tuple[str, Convert]] | None = None

    def _table(self) -> dict[str, tuple[str, Convert]]:
        table: dict[str, tuple[str, Convert]] = {}
        for name, member in self.shape.members.items():
            key = _wire_name(name, member) if self.wire else _camel(name)
            table[name] = (key, _redacted if _secret(name, member) else _converter(member, self.ec2, self.wire))
        self.members = table
        return table

    def __call__(self, value: Any) -> Any:
        if type(value) is not dict:
            return _untyped(value, ec2=self.ec2)
        table = self.members if self.members is not None else self._table()
        out: dict[str, Any] = {}
        for name, item in value.items():
            entry = table.get(name)
            if entry is None:
                out[_camel(name)] = REDACTED if name in SECRET_MEMBERS else _untyped(item, ec2=self.ec2)
            else:
                out[entry[0]] = entry[1](item)
        return out


class _List:
    def __init__(self, shape: Shape, ec2: bool, wire: bool) -> None:
        self.shape, self.ec2, self.wire = shape, ec2, wire
        self.element: Convert | None = None

    def __call__(self, value: Any) -> Any:
        if type(value) is not list:
            return _untyped(value, ec2=self.ec2)
        element = self.element
        if element is None:
            element = self.element = _converter(self.shape.member, self.ec2, self.wire)
        items = [element(item) for item in value]
        if self.ec2:
            return {"items": items} if items else {}
        return items


def _untyped(value: Any, *, ec2: bool) -> Any:
    """A value without a shape: mappings and lists converted by their members' names."""
    if isinstance(value, Mapping):
        return {_camel(name): REDACTED if name in SECRET_MEMBERS else _untyped(item, ec2=ec2)
                for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_untyped(item, ec2=ec2) for item in value]
        if ec2:
            return {"items": items} if items else {}
        return items
    if isinstance(value, bytes):
        return _base64(value)
    return _millis(value) if ec2 else _iso(value)


def _wire_name(name: str, shape: Shape | None) -> str:
    wire = shape.serialization.get("name") if shape is not None else None
    key = str(wire) if wire else _camel(name)
    return "_return" if key == "return" else key


def request_parameters(model: str, operation: OperationModel | None, action: str,
                       params: Mapping[str, Any] | None) -> Any:
    """The call's ``requestParameters`` (``None`` when it has none)."""
    if not params:
        return None
    if model == "ec2":
        shaped = _ec2_request(action, params)
        if shaped is not None:
            return shaped
    shape = operation.input_shape if operation is not None else None
    return plain(params, shape, ec2=model == "ec2")


def response_elements(model: str, operation: OperationModel | None, result: Any, request_id: str) -> Any:
    """A successful write's ``responseElements`` (:data:`OMITTED` past :data:`MAX_FIELD`)."""
    shape = operation.output_shape if operation is not None else None
    if shape is not None and _estimated_size(result, shape, model == "ec2") > MAX_FIELD:
        return dict(OMITTED)
    if model != "ec2":
        return plain(result, shape, ec2=False) if result else None
    if shape is None or not isinstance(result, Mapping):
        return {"requestId": request_id, "_return": True}
    return {"requestId": request_id, **plain(result, shape, ec2=True, wire=True)}


def _estimated_size(result: Any, shape: Shape, ec2: bool) -> int:
    """About how many bytes of JSON ``result``'s long lists make (each list's first item
    converted, times its length): what decides a field too large without building it."""
    if type(result) is not dict:
        return 0
    size = 0
    for name, value in result.items():
        if type(value) is list and len(value) > _SAMPLED:
            member = shape.members.get(name)
            element = getattr(member, "member", None)
            first = _converter(element, ec2, ec2)(value[0])
            size += len(json.dumps(first, default=str)) * len(value)
    return size


def _ec2_request(action: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The request shapes CloudTrail gives these EC2 operations (``None``: the generic one)."""
    if action in _STATE_CHANGES:
        shaped: dict[str, Any] = {"instancesSet": _items({"instanceId": i} for i in params.get("InstanceIds", []))}
        if action == "StopInstances":
            shaped["force"] = bool(params.get("Force", False))
        for name in ("Hibernate", "SkipOsShutdown", "AdditionalInfo"):
            if name in params:
                shaped[_camel(name)] = params[name]
        return shaped
    if action == "CreateTags":
        return {"resourcesSet": _items({"resourceId": r} for r in params.get("Resources", [])),
                "tagSet": _items(_tag(tag) for tag in params.get("Tags", []))}
    if action == "RunInstances":
        return _run_instances(params)
    if action == "ModifyInstanceAttribute" and params.get("Attribute") == "userData" and "Value" in params:
        shaped = plain(params, None, ec2=True)
        shaped["value"] = REDACTED
        return shaped
    return None


def _items(values: Any) -> dict[str, Any]:
    items = list(values)
    return {"items": items} if items else {}


def _tag(tag: Mapping[str, Any]) -> dict[str, Any]:
    return {"key": tag.get("Key"), "value": tag.get("Value", "")}


# RunInstances' members shaped apart (the rest are lower-camel-cased as given).
_RUN_SHAPED = frozenset({"ImageId", "MinCount", "MaxCount", "KeyName", "UserData", "BlockDeviceMappings",
                         "Monitoring", "DisableApiTermination", "DisableApiStop", "Placement", "LaunchTemplate",
                         "TagSpecifications", "SecurityGroupIds", "SecurityGroups", "DryRun"})


def _run_instances(params: Mapping[str, Any]) -> dict[str, Any]:
    launch: dict[str, Any] = {"imageId": params.get("ImageId"), "minCount": params.get("MinCount"),
                              "maxCount": params.get("MaxCount")}
    if "KeyName" in params:
        launch["keyName"] = params["KeyName"]
    shaped: dict[str, Any] = {"instancesSet": {"items": [{k: v for k, v in launch.items() if v is not None}]}}
    if "UserData" in params:
        shaped["userData"] = REDACTED
    groups = [{"groupId": g} for g in params.get("SecurityGroupIds", [])]
    groups += [{"groupName": g} for g in params.get("SecurityGroups", [])]
    if groups:
        shaped["groupSet"] = {"items": groups}
    shaped["blockDeviceMapping"] = plain(params.get("BlockDeviceMappings", []), None, ec2=True)
    shaped["monitoring"] = {"enabled": bool((params.get("Monitoring") or {}).get("Enabled", False))}
    shaped["disableApiTermination"] = bool(params.get("DisableApiTermination", False))
    shaped["disableApiStop"] = bool(params.get("DisableApiStop", False))
    for name, value in params.items():
        if name not in _RUN_SHAPED:
            shaped[_camel(name)] = REDACTED if _secret(name, None) else plain(value, None, ec2=True)
    zone = (params.get("Placement") or {}).get("AvailabilityZone")
    if zone:
        shaped["availabilityZone"] = zone
    if params.get("LaunchTemplate"):
        shaped["launchTemplate"] = plain(params["LaunchTemplate"], None, ec2=True)
    if params.get("TagSpecifications"):
        shaped["tagSpecificationSet"] = {"items": [
            {"resourceType": spec.get("ResourceType"), "tags": [_tag(tag) for tag in spec.get("Tags", [])]}
            for spec in params["TagSpecifications"]]}
    if params.get("DryRun"):
        shaped["dryRun"] = True
    return shaped
