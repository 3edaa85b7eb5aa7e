"""Protocol fuzzing of every served operation: requests drawn from botocore's shapes,
raw mutations of them, and the checks every answer must pass.

The operations fuzzed are the registry's (:func:`operations`): every operation of every
service in :data:`ec2emu.services.registry.PACKAGES`, so an operation added there is
fuzzed without being listed here. A request is drawn from the operation's input shape
(:func:`tests.protocol.shapes.strategy`, strings from :class:`Pools` — real names and
IDs of a seeded :func:`world` where they go), serialised by botocore's own serializer
for the service's protocol and signed by botocore's SigV4 signer (:func:`signed_wire`).
:func:`mutations` then damages a copy of the signed request on the wire: the body's
encoding (bad UTF-8, broken percent-encoding), repeated and deeply nested keys, huge
values and indexes, truncated bodies, malformed JSON for the JSON services, wrong or
duplicated content types and targets, garbage headers, other methods, paths and query
strings.

:class:`Checker` holds every answer to the same rules: no 5xx but a documented 503
(``ServiceUnavailable``); an error in the envelope of the protocol the request speaks
(EC2's ``<Response><Errors>``, the Query services' ``<ErrorResponse>``, the JSON
services' ``__type``); a success that botocore's parser reads; nothing in a body about
the server's insides (paths, SQL, Python's names) unless the request itself said it; and
nothing logged at error level or with a traceback on the ``ec2emu`` logger.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import re
import socket
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.credentials import Credentials
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import strategies as st

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.protocol import spec
from ec2emu.services import registry
from tests.conftest import DURATIONS
from tests.helpers import image_id, launch
from tests.protocol.shapes import junk_text, strategy

ENDPOINT = "http://ec2emu.test"
REGION = "us-east-1"

Pairs = list[tuple[str, str]]


def fuzzed_emulator(state_dir: Path, **options: Any) -> Iterator[Emulator]:
    """An emulator for a module of fuzzing (a fixture's body): a manual clock, the tests'
    durations, a known admin token and ``options`` as more settings; closed after."""
    emulator = build_app(Settings(state_dir=state_dir, durations=DURATIONS, admin_token="test-admin-token",
                                  **options), clock=ManualClock())
    yield emulator
    emulator.store.close()


def operations() -> list[tuple[str, str]]:
    """``(signing name, operation)`` for every operation every served service implements."""
    return [(name, action) for name, service in sorted(registry.load().items())
            for action in sorted(service.operations)]


def model_of(signing_name: str) -> str:
    return registry.load()[signing_name].model


def protocol_of(signing_name: str) -> str:
    return str(spec.service_model(model_of(signing_name)).metadata["protocol"])


# ----------------------------------------------------------------------------- the world

STATIC_STRINGS = [
    "i-12345678", "ami-12345678", "vol-12345678", "snap-12345678", "sg-12345678", "subnet-12345678",
    "vpc-12345678", "t3.micro", "x9.bogus", "us-east-1", "us-east-1a", "eu-west-1", "running", "default",
    "*", "?", "", "true", "16", "fuzz", "arn:aws:iam::000000000000:user/fuzz-user",
    "arn:aws:events:us-east-1:000000000000:rule/fuzz-rule", "/fuzz/param", "aws:ec2", "ENABLED",
    '{"source": ["fuzz"]}', '{"Version": "2012-10-17", "Statement": []}', "2026-01-01T00:00:00Z",
]
# Text that holds JSON nested deeper than a parser recurses, or numbers longer than Python
# converts: for every string member (policy documents, patterns, inputs, details).
NASTY_JSON = ["[" * 3000, '{"a":' * 3000, "1" * 5000, '{"Version": "2012-10-17", "Statement": ' + "[" * 3000,
              '{"source": [' + "9" * 5000 + "]}", '{"source": [{"numeric": [">", 1e999]}]}']


def _token(document: Any) -> str:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Paging tokens as a client could forge them: the server's own form around every JSON type.
FORGED_TOKENS = [_token(document) for document in (
    {"after": {"a": 1}}, {"after": [1, [2]]}, {"after": "x"}, {"after": 1e308}, {"after": True}, {"after": [None]},
    {"after": ["a", "b", "c", "d"]}, {"after": []}, {"after": 0}, {"after": [1]}, {"after": ["i-1", 5]},
    {"after": -1}, {"after": "9" * 400}, {"after": [{"a": []}]}, b"[" * 3000, b'{"after": ' + b"[" * 3000,
    b"\xff\xfe", b"null", b'{"after": null}')] + ["", "=", "!!!!", "a" * 5000]
FILTER_NAMES = ["instance-state-name", "instance-id", "tag:Name", "tag-key", "vpc-id", "name", "Name",
                "resource-id", "group-id", "owner-alias", "Type", "KeyId", "Path", "bogus"]


class Pools:
    """Strings for a member, by its name: names and IDs the world holds where they go."""

    MARKERS = (("InstanceId", "instance"), ("ImageId", "image"), ("SubnetId", "subnet"),
               ("VpcId", "vpc"), ("GroupId", "group"), ("VolumeId", "volume"), ("UserName", "user"),
               ("RoleName", "role"), ("PolicyArn", "policy"), ("Rule", "rule"), ("EventBusName", "bus"),
               ("Name", "name"))

    def __init__(self, ids: dict[str, list[str]]) -> None:
        self.ids = {key: values for key, values in ids.items() if values}
        everything = sorted({value for values in self.ids.values() for value in values})
        self.general = st.sampled_from(everything + STATIC_STRINGS + NASTY_JSON)

    def __call__(self, member: str) -> st.SearchStrategy[str]:
        if "Token" in member or "Marker" in member:
            return st.one_of(st.sampled_from(FORGED_TOKENS), self.general)
        for marker, key in self.MARKERS:
            if marker in member and key in self.ids:
                return st.one_of(st.sampled_from(self.ids[key]), self.general)
        if member in ("Key", "Value", "Values"):
            return st.one_of(st.sampled_from(["Name", "web", "env", "w*"] + FILTER_NAMES), self.general)
        return self.general


def world(make: Callable[[str], Any]) -> Pools:
    """A few resources of every service through boto3 (``make(signing name)`` gives a
    client of the app), and the pools of their names and IDs."""
    ec2, iam, ssm, events = make("ec2"), make("iam"), make("ssm"), make("events")
    instances = launch(ec2, 1, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
    instances += launch(ec2, 1, DisableApiTermination=True)
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    iam.create_user(UserName="fuzz-user")
    role = iam.create_role(RoleName="fuzz-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    policy = iam.create_policy(PolicyName="fuzz-policy", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}))
    ssm.put_parameter(Name="/fuzz/param", Value="v", Type="String")
    rule = events.put_rule(Name="fuzz-rule", EventPattern='{"source": ["fuzz"]}')["RuleArn"]
    return Pools({
        "instance": instances,
        "image": [image_id(ec2)],
        "subnet": [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2],
        "vpc": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]],
        "group": [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]],
        "volume": [volume],
        "user": ["fuzz-user"], "role": ["fuzz-role", role], "policy": [policy["Policy"]["Arn"]],
        "rule": ["fuzz-rule", rule], "bus": ["default"],
        "name": ["fuzz-user", "fuzz-role", "fuzz-rule", "/fuzz/param"] + FILTER_NAMES,
    })


# ----------------------------------------------------------------------------- requests

@dataclass(frozen=True)
class Wire:
    """A request as it goes on the wire; ``service``: the signing name it was made for,
    ``intact``: whether its routing (signature, target, method) is still as signed."""

    service: str
    action: str
    method: str
    url: str
    headers: Pairs
    body: bytes
    intact: bool = True
    notes: tuple[str, ...] = ()
    key: tuple[str, str] = ("test", "test")  # the access key and secret it is signed with

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name), None)

    def describe(self) -> str:
        return (f"{self.service}:{self.action} {self.method} {self.url} {', '.join(self.notes)}\n"
                f"headers={self.headers!r}\nbody={self.body[:600]!r}")


_SERIALIZERS = {name: create_serializer(name, include_validation=False) for name in ("ec2", "query", "json")}


def signed_wire(signing_name: str, action: str, params: dict[str, Any],
                key: tuple[str, str] = ("test", "test")) -> Wire:
    """``params`` for ``action`` as botocore serialises them, signed as botocore signs."""
    operation = spec.operation(action, model_of(signing_name))
    serialized = _SERIALIZERS[protocol_of(signing_name)].serialize_to_request(params, operation)
    prepare_request_dict(serialized, endpoint_url=ENDPOINT)
    request = create_request_object(serialized)
    SigV4Auth(Credentials(*key), signing_name, REGION).add_auth(request)
    prepared = request.prepare()
    body = prepared.body or b""
    raw = body if isinstance(body, bytes) else body.encode("utf-8")
    headers = [(key, value.decode("latin-1") if isinstance(value, bytes) else str(value))
               for key, value in prepared.headers.items()]
    return Wire(signing_name, action, prepared.method, prepared.url, headers, raw, key=key)


def resign(wire: Wire) -> Wire:
    """``wire`` signed again over what it now carries, its headers as they are (a
    repeated one signed at its last value, which is the one the server reads)."""
    request = create_request_object({"method": wire.method, "url": wire.url, "body": wire.body,
                                     "headers": {}, "context": {}})
    kept = [(k, v) for k, v in wire.headers if k.lower() not in ("authorization", "x-amz-date")]
    for key, value in kept:
        if key in request.headers:
            del request.headers[key]
        request.headers[key] = value
    SigV4Auth(Credentials(*wire.key), wire.service, REGION).add_auth(request)
    added = [(k, str(v)) for k, v in request.headers.items() if k.lower() in ("authorization", "x-amz-date")]
    return replace(wire, headers=kept + added, notes=wire.notes + ("re-signed",))


@st.composite
def requests(draw: Any, signing_name: str, action: str, pools: Pools, *, junk: bool,
             key: tuple[str, str] = ("test", "test")) -> Wire:
    """A signed request for ``action`` with params drawn from its input shape."""
    operation = spec.operation(action, model_of(signing_name))
    params: dict[str, Any] = {}
    if operation.input_shape is not None:
        params = draw(strategy(operation.input_shape, pools, junk=junk), label="params")
        if signing_name == "ec2" and "ImageId" in operation.input_shape.members and "ImageId" not in params:
            params["ImageId"] = draw(pools("ImageId"))
    try:
        return signed_wire(signing_name, action, params, key)
    except (ValueError, TypeError, OverflowError, UnicodeError):  # botocore cannot serialise it
        return signed_wire(signing_name, action, {}, key)


# ----------------------------------------------------------------------------- mutations

BAD_BYTES = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\x00", b"\xef\xbb\xbf"]
BAD_PERCENT = ["%", "%Z", "%ZZ", "%C3%28", "%00", "%ED%A0%80", "%FF", "%F4%90%80%80", "%%", "%2", "+%u00e9"]
CONTENT_TYPES = ["application/json", "text/plain", "multipart/form-data; boundary=x", "application/x-amz-json-1.0",
                 "application/x-amz-json-1.1", "application/x-www-form-urlencoded; charset=latin-1",
                 "application/x-www-form-urlencoded", "application/cbor", "", "\xff\xfe", "*/*; q=\x01"]
HEADER_NAMES = ["content-type", "x-amz-target", "authorization", "host", "x-amz-date", "x-amz-security-token",
                "x-amz-content-sha256", "content-encoding", "transfer-encoding", "expect", "user-agent",
                "accept-encoding", "x-amz-user-agent", "amz-sdk-invocation-id", "content-md5", "smithy-protocol"]
TARGETS = ["", ".", "AWSEvents.", "AmazonSSM", "AWSEvents.PutRule.Extra", "AmazonSSM.GetParameter",
           "AWSEvents.ListRules", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
           "AWSEvents.NoSuchOperation", "AWSEvents." + "X" * 5000, "\xff.\xfe"]
MALFORMED_JSON = [b"{", b"}", b"[]", b'"text"', b"1", b"null", b"true", b"{\"a\":}", b"{\"a\" 1}", b"{,}",
                  b"[" * 100_000, b"{\"a\":" * 50_000, b"1" * 5000, b"{\"Limit\": " + b"9" * 5000 + b"}",
                  b"{\"Limit\": 1e999}", b"{\"Limit\": NaN}", b"{\"Limit\": -Infinity}", b"{\"Name\": \"\\ud800\"}",
                  b"{\"Name\": \"\\u0000\"}", b"{\"Name\": \"\\x\"}", b"\xef\xbb\xbf{}", b"{} trailing",
                  b"{\"Name\": \"a\", \"Name\": 5}", b"{\"Name\": \"\xff\"}", b"\x00", b"{\"\": {\"\": []}}"]
JSON_VALUES = [{}, [], "", "x", 0, -1, 1.5, 2**70, None, True, [[[]]], {"a": {"b": {"c": {}}}}, "\ud7ff\ue000",
               "A" * 70_000, [1] * 2000]
METHODS = ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", "get", "POST"]
PATHS = ["/", "//", "/x", "/%ZZ", "/../..", "/" + "a" * 5000, "/_ec2emu", "/_ec2emu/x", "/metrics/x", "/?", "/%00"]


def _form_pairs(body: bytes) -> Pairs:
    return urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)


def _form(pairs: Pairs) -> bytes:
    return urllib.parse.urlencode(pairs).encode()


def _key_of(draw: Any, pairs: Pairs) -> str:
    keys = [key for key, _ in pairs if key not in ("Action", "Version")] or ["Filter.1.Name"]
    return str(draw(st.sampled_from(keys)))


def _set_header(wire: Wire, name: str, value: str | None, *, repeat: bool = False) -> Wire:
    kept = wire.headers if repeat else [(k, v) for k, v in wire.headers if k.lower() != name]
    headers = kept if value is None else kept + [(name, value)]
    return replace(wire, headers=headers)


def _json_path_set(document: Any, path: list[Any], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict) and head in document:
        return {**document, head: _json_path_set(document[head], rest, value)}
    if isinstance(document, list) and isinstance(head, int) and head < len(document):
        return [_json_path_set(item, rest, value) if index == head else item for index, item in enumerate(document)]
    return document


def _json_paths(document: Any, prefix: list[Any] | None = None, depth: int = 0) -> Iterator[list[Any]]:
    prefix = prefix or []
    if depth > 6:
        return
    if isinstance(document, dict):
        for key, value in document.items():
            yield prefix + [key]
            yield from _json_paths(value, prefix + [key], depth + 1)
    elif isinstance(document, list):
        for index, value in enumerate(document[:3]):
            yield prefix + [index]
            yield from _json_paths(value, prefix + [index], depth + 1)


def _body_mutation(draw: Any, wire: Wire, form: bool) -> Wire:
    body = wire.body
    kind = draw(st.sampled_from(["bad-bytes", "truncate", "empty", "huge-value", "too-large", "nul"]
                                + (["percent", "repeat", "deep-key", "many-keys", "index", "huge-number",
                                    "second-action", "junk-pair"] if form else ["json", "json-value", "json-dup"])))
    note = f"body:{kind}"
    if kind == "bad-bytes":
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(BAD_BYTES)) + body[at:]
    elif kind == "truncate":
        body = body[:draw(st.integers(0, max(len(body) - 1, 0)))]
    elif kind == "empty":
        body = b""
    elif kind == "nul":
        body = body.replace(b"=", b"=\x00", 1) if form else body.replace(b'"', b'"\x00', 1)
    elif kind == "too-large":
        body = body + b"&" + b"x" * (1024 * 1024) if form else body + b" " * (1024 * 1024)
    elif kind == "huge-value":
        size = draw(st.sampled_from([4096, 70_000, 600_000]))
        if form:
            pairs = _form_pairs(body)
            key = _key_of(draw, pairs)
            body = _form([(k, ("A" * size) if k == key else v) for k, v in pairs] + [(key, "B" * size)])
        else:
            body = _json_replace(draw, body, "A" * size)
    elif kind == "percent":
        pairs = _form_pairs(body)
        text = _form(pairs).decode()
        at = draw(st.integers(0, len(text)))
        body = (text[:at] + draw(st.sampled_from(BAD_PERCENT)) + text[at:]).encode()
    elif kind == "repeat":
        pairs = _form_pairs(body)
        key = _key_of(draw, pairs)
        body = _form(pairs + [(key, draw(st.sampled_from(["other", "", "1", "true"])))])
    elif kind == "deep-key":
        root = draw(st.sampled_from(["Filter", "TagSpecification", "BlockDeviceMapping", "Tags", "Parameters",
                                     _key_of(draw, _form_pairs(body)).split(".")[0]]))
        depth = draw(st.sampled_from([3, 20, 200, 2000, 20_000]))
        step = draw(st.sampled_from([".1.Value", ".1", ".member.1", ".Ebs", ".1.Tag.1"]))
        body = body + f"&{root}{step * depth}=x".encode()
    elif kind == "many-keys":
        count = draw(st.sampled_from([200, 5000, 40_000]))
        root = draw(st.sampled_from(["Filter.{}.Name", "InstanceId.{}", "Tag.{}.Key", "member.{}", "X{}"]))
        body = body + b"&" + "&".join(f"{root.format(i)}=v" for i in range(1, count + 1)).encode()
    elif kind == "index":
        key = _key_of(draw, _form_pairs(body)).split(".")[0]
        index = draw(st.sampled_from(["0", "-1", "99999999999999999999999", "1e3", "01", "１", "1 ", "", "+1",
                                      "9" * 5000, "0x1", "²"]))
        body = body + f"&{key}.{index}=x&{key}.{index}.Name=y".encode()
    elif kind == "huge-number":
        pairs = _form_pairs(body)
        key = _key_of(draw, pairs)
        number = draw(st.sampled_from(["9" * 5000, "-" + "9" * 5000, "1e999", "NaN", "-0", "0x10", "1_000",
                                       "١٢", "inf", "4294967296", "-9223372036854775809"]))
        body = _form([(k, number if k == key else v) for k, v in pairs])
    elif kind == "second-action":
        other = draw(st.sampled_from([a for s, a in operations() if s == wire.service] + ["", "Bogus"]))
        body = body + f"&Action={other}".encode()
    elif kind == "junk-pair":
        key, value = draw(junk_text()), draw(junk_text())
        body = body + b"&" + _form([(key, value)])
    elif kind == "json":
        body = draw(st.sampled_from(MALFORMED_JSON))
    elif kind == "json-value":
        body = _json_replace(draw, body, draw(st.sampled_from(JSON_VALUES)))
    elif kind == "json-dup":
        text = body.decode("utf-8", "replace")
        if text.startswith("{") and len(text) > 2:
            first = text[1:].split(",")[0].rstrip("}")
            body = ("{" + first + "," + text[1:]).encode()
    if wire.header("content-length") is not None:  # as a client would send the new body
        wire = _set_header(wire, "Content-Length", str(len(body)))
    return replace(wire, body=body, notes=wire.notes + (note,))


def _json_replace(draw: Any, body: bytes, value: Any) -> bytes:
    try:
        document = json.loads(body or b"{}")
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the reader goes
        return body
    paths = list(_json_paths(document))
    if not paths:
        document = {"Name": value} if isinstance(document, dict) else value
    else:
        document = _json_path_set(document, draw(st.sampled_from(paths)), value)
    return json.dumps(document).encode("utf-8", "surrogatepass")


def _header_mutation(draw: Any, wire: Wire) -> Wire:
    kind = draw(st.sampled_from(["content-type", "no-content-type", "duplicate", "garbage", "target",
                                 "content-length", "method", "path", "query", "drop", "as-query"]))
    note = f"header:{kind}"
    intact = wire.intact
    if kind == "content-type":
        wire = _set_header(wire, "Content-Type", draw(st.sampled_from(CONTENT_TYPES)))
    elif kind == "no-content-type":
        wire = _set_header(wire, "content-type", None)
    elif kind == "duplicate":
        name = draw(st.sampled_from(HEADER_NAMES))
        value = draw(st.one_of(st.sampled_from(CONTENT_TYPES + TARGETS), _latin1_text()))
        wire = _set_header(wire, name, value, repeat=True)
        intact = intact and name not in ("authorization", "x-amz-target", "content-type", "x-amz-date", "host")
    elif kind == "garbage":
        name = draw(st.one_of(st.sampled_from(HEADER_NAMES + ["x-" + "a" * 300, "x-\xff", "-", "a b"]),
                              st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20)))
        wire = _set_header(wire, name, draw(_latin1_text()), repeat=draw(st.booleans()))
        intact = intact and name.lower() not in ("authorization", "x-amz-target", "content-type", "x-amz-date", "host",
                                                 "content-length")
    elif kind == "target":
        wire = _set_header(wire, "X-Amz-Target", draw(st.sampled_from(TARGETS)))
        intact = False
    elif kind == "content-length":
        wire = _set_header(wire, "Content-Length", draw(st.sampled_from(
            [str(len(wire.body) + 10), "0", "-1", "abc", " 5", "9" * 30, "1048577", ""])))
        intact = False
    elif kind == "method":
        wire = replace(wire, method=draw(st.sampled_from(METHODS)))
        intact = False
    elif kind == "path":
        parts = urllib.parse.urlsplit(wire.url)
        wire = replace(wire, url=urllib.parse.urlunsplit(parts._replace(path=draw(st.sampled_from(PATHS)))))
        intact = False
    elif kind == "query":
        extra = draw(st.sampled_from(["Action=DescribeRegions&Version=2016-11-15", "%ZZ=1", "a=%C3%28", "&&&=",
                                      "X-Amz-Signature=00", "Action=", "Action=ListUsers", "x=" + "y" * 5000]))
        wire = replace(wire, url=f"{wire.url.split('?')[0]}?{extra}")
        intact = False
    elif kind == "as-query" and len(wire.body) < 6000:  # the form moved to a GET's query string
        form = protocol_of(wire.service) in ("ec2", "query")
        query = wire.body.decode("latin-1") if form else urllib.parse.quote_from_bytes(wire.body)
        wire = _set_header(replace(wire, method="GET", url=f"{wire.url.split('?')[0]}?{query}", body=b""),
                           "content-type", None)
        intact = intact and form
    elif kind == "drop":
        name = draw(st.sampled_from(["authorization", "x-amz-date", "host", "x-amz-target", "content-type"]))
        wire = _set_header(wire, name, None)
        intact = intact and name not in ("authorization", "x-amz-target", "content-type")
    return replace(wire, intact=intact, notes=wire.notes + (note,))


def _latin1_text() -> st.SearchStrategy[str]:
    """Header values: any Latin-1 character but those no HTTP server passes on."""
    return st.one_of(st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
                             max_size=30),
                     st.sampled_from(["a" * 9000, "ÿ", "", " ", "AWS4-HMAC-SHA256", "application/x-amz-json-1.1;;"]))


@st.composite
def mutations(draw: Any, wire: Wire) -> Wire:
    """``wire`` damaged in one to three ways, mostly signed again afterwards: the server
    reads a request's parameters only once its signature is verified, so the damage
    reaches the parser and the handler (and, unsigned again, the signature's checks)."""
    form = protocol_of(wire.service) in ("ec2", "query")
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            wire = _body_mutation(draw, wire, form)
        else:
            wire = _header_mutation(draw, wire)
    if draw(st.integers(0, 3)):
        wire = resign(wire)
    return wire


# ----------------------------------------------------------------------------- sending

Send = Callable[[Wire], tuple[int, dict[str, str], bytes]]


def in_process(transport: InProcessTransport) -> Send:
    def send(wire: Wire) -> tuple[int, dict[str, str], bytes]:
        return transport.request(wire.method, wire.url, wire.headers, wire.body)
    return send


HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH")  # what an HTTP server parses


class OverHttp:
    """Requests over a socket to a real server, written byte for byte (repeated headers
    kept). Only framing HTTP allows goes out: one ``Content-Length``, the body's own;
    no control characters in a header."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __call__(self, wire: Wire) -> tuple[int, dict[str, str], bytes]:
        path = urllib.parse.quote(wire.url.split("ec2emu.test", 1)[1] or "/", safe="/?&=%+:;,~*'()!$@[]")
        method = wire.method.upper() if wire.method.upper() in HTTP_METHODS else "PUT"
        host = wire.header("host") or "ec2emu.test"  # as signed: the server reads no more of it
        lines = [f"{method} {path} HTTP/1.1", f"Host: {''.join(ch for ch in host if ' ' < ch < chr(127))}"]
        for key, value in wire.headers:
            if key.lower() in ("host", "content-length", "transfer-encoding", "expect", "connection") \
                    or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", key):
                continue
            lines.append(f"{key}: {''.join(ch for ch in value if ch >= ' ' and ch != chr(127))}")
        lines.append(f"Content-Length: {len(wire.body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + wire.body
        for attempt in range(2):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
                self.sock.sendall(raw)
                response = http.client.HTTPResponse(self.sock, method=method)
                response.begin()
                body = response.read()
                headers = {key.lower(): value for key, value in response.getheaders()}
                if response.will_close:
                    self.close()
                return response.status, headers, body
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")


# ----------------------------------------------------------------------------- checking

# Words about the server's insides; a body may carry one only when the request did.
LEAKS = re.compile(
    r"/src/|\.py\b|sqlalchemy|sqlite|psycopg|postgres|Traceback|\bSELECT |\bINSERT INTO\b|\bUPDATE \w+ SET\b|"
    r"\b(Key|Value|Type|Attribute|Index|Recursion|UnicodeDecode|UnicodeEncode|Overflow|ZeroDivision|Assertion|"
    r"Runtime|Lookup|Name|NotImplemented|Integrity|Operational|Programming|Database)Error\b|NoneType|"
    r"object has no attribute|\bline \d+, in\b|site-packages|ec2emu\.", re.IGNORECASE)
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
XML_CONTENT_TYPE = "text/xml;charset=UTF-8"
_PARSERS = {name: create_parser(name) for name in ("ec2", "query", "json")}


class Tracebacks(logging.Handler):
    """Records what the ``ec2emu`` logger says at error level, with a traceback, or
    naming an internal error."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info or record.levelno >= logging.ERROR or "Traceback" in text or "InternalError" in text:
            self.records.append(self.format(record) if record.exc_info else text)

    def take(self) -> list[str]:
        records, self.records = self.records, []
        return records


def watch_log() -> Tracebacks:
    handler = Tracebacks()
    logging.getLogger("ec2emu").addHandler(handler)
    return handler


@dataclass
class Checker:
    """The rules every answer is held to; the failures found, and the counts."""

    tracebacks: Tracebacks
    requests: int = 0
    server_errors: int = 0
    unavailable: int = 0
    failures: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # the first failure of each kind
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)  # by status and error code

    def check(self, wire: Wire, status: int, headers: dict[str, str], body: bytes) -> None:
        self.requests += 1
        self.statuses[status] += 1
        code = re.search(rb"<Code>([^<]{1,80})</Code>|\"__type\": ?\"([^\"]{1,80})\"", body)
        self.codes[f"{status} {(code.group(1) or code.group(2)).decode() if code else '-'}"] += 1
        problems = self.problems(wire, status, {k.lower(): v for k, v in headers.items()}, body)
        logged = self.tracebacks.take()
        if logged:
            problems.append("logged: " + "\n".join(logged)[:3000])
        if status >= 500:
            if status == 503 and b"ServiceUnavailable" in body:
                self.unavailable += 1
            else:
                self.server_errors += 1
        if problems:
            failure = f"{'; '.join(problems)}\n{wire.describe()}\n→ {status} {body[:600]!r}"
            self.failures.append(failure)
            kind = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "#", f"{status} {problems[0][:160]}")
            self.kinds.setdefault(kind, failure)

    def problems(self, wire: Wire, status: int, headers: dict[str, str], body: bytes) -> list[str]:
        found: list[str] = []
        if status >= 500 and not (status == 503 and b"ServiceUnavailable" in body):
            found.append(f"status {status}")
        request_text = wire.body.decode("utf-8", "replace") + " " + urllib.parse.unquote(wire.url) + " " + \
            " ".join(v for _, v in wire.headers) + " " + urllib.parse.unquote_plus(wire.body.decode("latin-1"))
        for leak in {m.group(0) for m in LEAKS.finditer(body.decode("utf-8", "replace"))}:
            if leak.lower() not in request_text.lower():
                found.append(f"leaks {leak!r}")
        if wire.method.upper() == "HEAD":
            return found
        protocol = protocol_of(wire.service)
        try:
            if status < 300:
                self._success(wire, protocol, status, headers, body)
            elif wire.intact:
                self._own_error(protocol, headers, body)
            else:
                self._some_error(headers, body)
        except (AssertionError, ValueError, ET.ParseError, KeyError) as error:
            found.append(f"malformed answer: {error!r}"[:400])
        return found

    @staticmethod
    def _success(wire: Wire, protocol: str, status: int, headers: dict[str, str], body: bytes) -> None:
        operation = spec.operation(wire.action, model_of(wire.service))
        if not wire.intact:  # its routing damaged, it may have called another operation
            if headers.get("content-type", "").startswith("application/x-amz-json"):
                assert isinstance(json.loads(body), dict), body[:200]
            else:
                assert ET.fromstring(body).tag.endswith("Response"), body[:200]
            return
        parsed = _PARSERS[protocol].parse({"body": body, "headers": headers, "status_code": status},
                                          operation.output_shape)
        assert "Error" not in parsed, parsed

    @staticmethod
    def _own_error(protocol: str, headers: dict[str, str], body: bytes) -> None:
        if protocol == "json":
            assert headers.get("content-type") == JSON_CONTENT_TYPE, headers.get("content-type")
            document = json.loads(body)
            assert isinstance(document.get("__type"), str) and document["__type"], body[:200]
            assert headers.get("x-amzn-errortype") == document["__type"]
            return
        assert headers.get("content-type") == XML_CONTENT_TYPE, headers.get("content-type")
        root = ET.fromstring(body)
        if protocol == "ec2":
            assert root.tag == "Response" and [c.tag for c in root] == ["Errors", "RequestID"], body[:200]
            assert root.findtext("Errors/Error/Code"), body[:200]
        else:
            names = [c.tag.rsplit("}", 1)[-1] for c in root]
            assert root.tag.endswith("ErrorResponse") and names == ["Error", "RequestId"], body[:200]
            assert [c.tag.rsplit("}", 1)[-1] for c in root[0]] == ["Type", "Code", "Message"], body[:200]

    @classmethod
    def _some_error(cls, headers: dict[str, str], body: bytes) -> None:
        """An error in one of the served protocols' envelopes (the request's routing was
        damaged, so which service answers it is the router's choice)."""
        content_type = headers.get("content-type", "")
        if content_type.startswith("application/x-amz-json"):
            document = json.loads(body)
            assert isinstance(document.get("__type"), str), body[:200]
        elif content_type == XML_CONTENT_TYPE:
            root = ET.fromstring(body)
            assert root.tag == "Response" or root.tag.endswith("ErrorResponse"), body[:200]
        else:
            assert content_type == "application/json", content_type  # the admin routes' JSON
            json.loads(body)

    def report(self) -> str:
        return (f"{self.requests} requests, {self.server_errors} 5xx (besides {self.unavailable} documented 503), "
                f"{len(self.failures)} failures")
