"""A finished call made into a CloudTrail management event: the record (its JSON, keys
in the order CloudTrail emits them), the attributes LookupEvents finds it by, and the
resources it names.

The record: ``eventVersion`` ``1.08``; ``userIdentity`` — ``Root`` (principal ID the
account), ``IAMUser`` (with ``userName``) or ``AssumedRole`` (``sessionContext``: the
role as ``sessionIssuer``, the session's creation time and ``mfaAuthenticated``
``"false"``), each with the access key the request was signed with; ``eventTime`` the
emulated time (``YYYY-MM-DDTHH:MM:SSZ``); ``eventSource`` ``<signing name>.amazonaws.com``;
``awsRegion`` the signature's region; ``sourceIPAddress`` the client's address;
``userAgent`` its ``User-Agent`` (at most 1 KB); a failure's ``errorCode`` and
``errorMessage`` (at most 1 KB) — EC2's with ``Client.`` (``Server.`` for a 5xx status)
before the code (``Client.UnauthorizedOperation``, ``Client.DryRunOperation``), other
services' bare (``AccessDenied``); the parameters and response (:mod:`.shapes`);
``requestID``, ``eventID`` (a version 4 UUID), ``readOnly``, ``eventType``
``AwsApiCall``, ``managementEvent`` true, ``recipientAccountId`` (the caller's account),
``eventCategory`` ``Management``. No ``tlsDetails``: the emulator is reached without TLS.
Stored, the record keeps only its ``userIdentity`` and the parts from
``sourceIPAddress`` to ``requestID``; the rest are the row's columns or the same for
every record (:mod:`ec2emu.services.cloudtrail.record_text` makes it whole).

LookupEvents' ``Username``: ``root`` for a root, the user's name, an assumed role's
session name. Resources (choices where AWS is silent): those a write names — EC2 IDs
found in its parameters (``i-`` an ``AWS::EC2::Instance``, ``vol-`` an
``AWS::EC2::Volume``, …) and the instances a RunInstances launched; IAM's users, roles,
groups, policies and access keys, and SSM's parameters, by the members that name them. A
read (Describe, Get, List) names none, as CloudTrail's event history shows reads.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from typing import Any

from botocore.model import OperationModel

from ec2emu.auth.credentials import Principal
from ec2emu.errors import Ec2Error
from ec2emu.pipeline import Finished
from ec2emu.protocol import spec
from ec2emu.services.cloudtrail.record_text import ENCODE, full_text, iso
from ec2emu.trail.shapes import request_parameters, response_elements

MAX_TEXT = 1024
_EC2_ID = re.compile(r"(i|vol|snap|ami|sg|vpc|subnet|eni|igw|rtb|eipalloc|lt|key)-[0-9a-f]{8,17}")
_EC2_TYPES = {prefix: f"AWS::EC2::{kind}" for prefix, kind in (
    ("i", "Instance"), ("vol", "Volume"), ("snap", "Snapshot"), ("ami", "Ami"), ("sg", "SecurityGroup"),
    ("vpc", "VPC"), ("subnet", "Subnet"), ("eni", "NetworkInterface"), ("igw", "InternetGateway"),
    ("rtb", "RouteTable"), ("eipalloc", "EIP"), ("lt", "LaunchTemplate"), ("key", "KeyPair"))}
# Members naming a resource of IAM and SSM: member -> resource type.
_NAMED = {
    "iam": {"UserName": "AWS::IAM::User", "RoleName": "AWS::IAM::Role", "GroupName": "AWS::IAM::Group",
            "PolicyArn": "AWS::IAM::Policy", "AccessKeyId": "AWS::IAM::AccessKey",
            "InstanceProfileName": "AWS::IAM::InstanceProfile"},
    "sts": {"RoleArn": "AWS::IAM::Role"},
    "ssm": {"Name": "AWS::SSM::Parameter", "Names": "AWS::SSM::Parameter"},
}
MAX_RESOURCES = 1000

# Event IDs: version 4 UUIDs from a generator of their own (reseeded in a forked child),
# which costs no system call per event as ``uuid.uuid4`` does.
_EVENT_IDS = random.Random()
os.register_at_fork(after_in_child=_EVENT_IDS.seed)
_UUID4_CLEAR = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID4_SET = (0x4 << 76) | (0x2 << 62)


def new_event_id() -> str:
    text = f"{_EVENT_IDS.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

# A session's role ARN and creation time (epoch seconds), by access key, or None.
SessionOf = Callable[[str], tuple[str, float] | None]


def username(principal: Principal) -> str:
    if principal.kind == "root":
        return "root"
    if principal.kind == "assumed-role":
        return principal.session_name or ""
    return principal.user_name or ""


def user_identity(principal: Principal, access_key_id: str, session_of: SessionOf) -> dict[str, Any]:
    account = principal.account_id
    if principal.kind == "root":
        return {"type": "Root", "principalId": account, "arn": principal.arn, "accountId": account,
                "accessKeyId": access_key_id}
    if principal.kind == "user":
        return {"type": "IAMUser", "principalId": principal.user_id, "arn": principal.arn, "accountId": account,
                "accessKeyId": access_key_id, "userName": principal.user_name}
    session = session_of(access_key_id)
    role_arn = session[0] if session else f"arn:aws:iam::{account}:role/{principal.role_name}"
    issuer = {"type": "Role", "principalId": principal.user_id.split(":", 1)[0], "arn": role_arn,
              "accountId": account, "userName": principal.role_name}
    attributes = {"mfaAuthenticated": "false"}
    if session:
        attributes = {"creationDate": iso(session[1]), **attributes}
    return {"type": "AssumedRole", "principalId": principal.user_id, "arn": principal.arn, "accountId": account,
            "accessKeyId": access_key_id,
            "sessionContext": {"sessionIssuer": issuer, "webIdFederationData": {}, "attributes": attributes}}


def _identity(finished: Finished, session_of: SessionOf, identities: dict[tuple[str, str], str]) -> str:
    """The caller's ``userIdentity`` as JSON text (made once per caller and key in a batch)."""
    key = (finished.principal.arn, finished.access_key_id)
    found = identities.get(key)
    if found is None:
        found = identities[key] = ENCODE(user_identity(finished.principal, finished.access_key_id, session_of))
    return found


def error_code(model: str, error: Ec2Error) -> str:
    if model != "ec2":
        return error.code
    return f"{'Server' if error.status >= 500 else 'Client'}.{error.code}"


@lru_cache(maxsize=1024)
def _operation(model: str, action: str) -> OperationModel | None:
    try:
        return spec.operation(action, model)
    except Exception:  # an action the model does not have: recorded without shapes
        return None


def _body(finished: Finished) -> dict[str, Any]:
    """What of the record only the call knows, after its ``userIdentity``: from
    ``sourceIPAddress`` to ``requestID``, in the record's order."""
    model, action, outcome = finished.model, finished.action, finished.outcome
    operation = _operation(model, action)
    failed = isinstance(outcome, Ec2Error)
    body: dict[str, Any] = {
        "sourceIPAddress": finished.source_ip or "127.0.0.1",
        "userAgent": finished.user_agent[:MAX_TEXT],
    }
    if failed:
        body["errorCode"] = error_code(model, outcome)
        body["errorMessage"] = outcome.message[:MAX_TEXT]
    body["requestParameters"] = request_parameters(model, operation, action, finished.params)
    body["responseElements"] = (None if failed or finished.reads
                                else response_elements(model, operation, outcome, finished.request_id))
    body["requestID"] = finished.request_id
    return body


def resources(finished: Finished) -> list[tuple[str, str]]:
    """The ``(type, name)`` of each resource the call names, at most :data:`MAX_RESOURCES`."""
    found: dict[tuple[str, str], None] = {}
    params = finished.params or {}
    if finished.reads:
        return []
    if finished.model == "ec2":
        matches = map(_EC2_ID.fullmatch, _texts(params))
        found = dict.fromkeys((_EC2_TYPES[match[1]], match[0]) for match in matches if match)
        outcome = finished.outcome
        if finished.action == "RunInstances" and isinstance(outcome, Mapping):
            for instance in outcome.get("Instances", []):
                found[("AWS::EC2::Instance", instance["InstanceId"])] = None
    else:
        for member, kind in _NAMED.get(finished.model, {}).items():
            value = params.get(member)
            for name in value if isinstance(value, list) else [value]:
                if isinstance(name, str) and name:
                    found[(kind, name)] = None
    return list(found)[:MAX_RESOURCES]


def _texts(value: Any, depth: int = 0, found: list[str] | None = None) -> list[str]:
    """The strings in ``value``, down to four levels of mappings and lists (a list of a
    thousand IDs is gathered in one loop, not a generator per item)."""
    found = [] if found is None else found
    if isinstance(value, str):
        found.append(value)
        return found
    if depth < 4 and isinstance(value, Mapping | list | tuple):
        for item in value.values() if isinstance(value, Mapping) else value:
            if item.__class__ is str:
                found.append(item)
            elif isinstance(item, Mapping | list | tuple | str):
                _texts(item, depth + 1, found)
    return found


def rows(finished: Finished, session_of: SessionOf,
         identities: dict[tuple[str, str], str] | None = None,
         ) -> tuple[dict[str, Any], list[tuple[Any, ...]], Callable[[], str]]:
    """The ``trail_events`` row of ``finished`` (but its ``seq``, which the store gives
    it), the resources it names, each as ``(event_id, type, name)`` (what
    :meth:`ec2emu.store.trail.TrailRepository.add` takes), and what
    makes its record as CloudTrail shows it (called only for a call that gets an ``AWS
    API Call via CloudTrail`` event, which carries it).

    The row's ``record`` keeps what its columns do not: the ``userIdentity`` and the
    :func:`_body` (the event's time, source, name, region, ID, read-only flag and account
    are columns of their own; the rest is the same for every event): a record is stored
    in about half the bytes, and made whole
    (:func:`ec2emu.services.cloudtrail.record_text.shown_record`) for the few a look-up
    shows."""
    event_id = new_event_id()
    principal = finished.principal
    account, region, moment = principal.account_id, finished.region, float(int(finished.now.timestamp()))
    identity = _identity(finished, session_of, identities if identities is not None else {})
    body = ENCODE(_body(finished))
    event = {
        "event_id": event_id, "account_id": account, "region": region, "event_time": moment,
        "event_name": finished.action, "event_source": f"{finished.service}.amazonaws.com",
        "username": username(principal)[:128], "access_key_id": finished.access_key_id[:128],
        "read_only": finished.reads, "record": f'{{"userIdentity":{identity},{body[1:]}', "resources": None,
    }
    named: list[tuple[Any, ...]] = []
    if not finished.reads:
        # Names are kept to 2,048 characters: two longer names alike up to there are one.
        pairs = list(dict.fromkeys((kind, name[:2048]) for kind, name in resources(finished)))
        if pairs:
            event["resources"] = ENCODE(pairs)  # each pair an array
            named = [(event_id, kind, name) for kind, name in pairs]
    return event, named, partial(full_text, event, identity, body)
