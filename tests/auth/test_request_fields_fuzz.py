"""Every header and signature field the server reads before the body, driven to extremes.

Requests go through the ASGI app in-process, signed with keys the emulator knows (in
the header and as presigned URLs) or carrying no valid signature at all, with one or
more of these fields replaced by far-past and far-future dates, huge and negative
numbers, non-ASCII text, empty values and repeats: ``Authorization`` whole and each of
its parts, ``X-Amz-Date``, ``Date``, ``X-Amz-Security-Token``, ``X-Amz-Content-SHA256``,
``Content-Type``, ``Content-Length``, ``Host``, ``X-Amz-Target``, and the presigned
query's ``X-Amz-Date``, ``X-Amz-Expires``, ``X-Amz-Credential``,
``X-Amz-SignedHeaders``, ``X-Amz-Signature``. The body always carries a parameter no
operation has, so a request whose fields all pass is still refused
(``UnknownParameter``) and every answer must be a 4xx: in EC2's envelope, or the Query
envelope when the request was signed for IAM or STS, and never a logged traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from tests.protocol.fuzzing import fuzzed_emulator
from tests.protocol.wire import error_envelope

ROOT = Path(__file__).resolve().parents[2]
ENDPOINT = "http://ec2emu.test"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
KEYS = [("test", "test"), ("AKIADEVALICE00000001", "alice-secret"), ("AKIADEVROOT000000001", "dev-root-secret")]
BODIES = {"ec2": "Action=DescribeRegions&Version=2016-11-15&NoSuchMember=1",
          "sts": "Action=GetCallerIdentity&Version=2011-06-15&NoSuchMember=1",
          "iam": "Action=ListUsers&Version=2010-05-08&NoSuchMember=1"}
HEADER_FIELDS = ["authorization", "x-amz-date", "date", "x-amz-security-token", "x-amz-content-sha256",
                 "content-type", "content-length", "host", "x-amz-target"]
AUTH_PARTS = ["algorithm", "Credential", "SignedHeaders", "Signature",
              "Credential.key", "Credential.date", "Credential.region", "Credential.service",
              "Credential.terminator"]
QUERY_FIELDS = ["X-Amz-Date", "X-Amz-Expires", "X-Amz-Credential", "X-Amz-SignedHeaders",
                "X-Amz-Signature", "X-Amz-Algorithm", "X-Amz-Security-Token"]
FUZZ = settings(max_examples=250, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# ----------------------------------------------------------------------------- values

def _amz_dates() -> st.SearchStrategy[str]:
    stamp = st.builds(lambda y, mo, d, h, mi, s: f"{y:04d}{mo:02d}{d:02d}T{h:02d}{mi:02d}{s:02d}Z",
                      st.sampled_from([0, 1, 2, 1969, 1970, 2026, 9998, 9999]), st.integers(0, 13),
                      st.integers(0, 32), st.integers(0, 25), st.integers(0, 61), st.integers(0, 61))
    return st.one_of(stamp, st.sampled_from(["99991231T235959Z", "00010101T000000Z", "00000000T000000Z",
                                             "20261203T120000", "2026-12-03T12:00:00Z", "1" * 40]))


def _http_dates() -> st.SearchStrategy[str]:
    offsets = st.sampled_from(["GMT", "UTC", "-2359", "+2359", "-9999", "+0000", "Z", "EST", ""])
    years = st.sampled_from(["9999", "0001", "0000", "1", "99", "2026", "99999999999999999999", "-5", "1e9"])
    return st.one_of(
        st.builds(lambda y, o: f"Fri, 31 Dec {y} 23:59:59 {o}".strip(), years, offsets),
        st.builds(lambda y, o: f"Mon, 01 Jan {y} 00:00:00 {o}".strip(), years, offsets),
        st.sampled_from(["Fri, 31 Dec 9999 23:59:59 -2359", "Sun, 06 Nov 1994 08:49:37 GMT",
                         "Fri, 99 Foo 2026 99:99:99 GMT", "Fri, 31 Dec 9999 23:59:60 +2400"]),
    )


def _numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.sampled_from(["9" * 400, "-" + "9" * 400, "-1", "0", "604801", "1e400", "-0", "²", "١٢",
                         "5_000", " 7", "0x10", "NaN", "Infinity", "1.5"]),
    )


def _texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["", " ", ",", "=", "/", ";", "ÿ", "é", "日本", "\t", "a" * 10_000, "AWS4-HMAC-SHA256"]),
        st.text(max_size=40),
    )


VALUES = st.one_of(_amz_dates(), _http_dates(), _numbers(), _texts())


def _wire(text: str) -> str:
    """A header value as a client puts it on the wire: its UTF-8 bytes, which the app
    reads as Latin-1; control characters no HTTP server passes on are dropped."""
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f").encode("utf-8").decode("latin-1")


# ----------------------------------------------------------------------------- app

class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


@pytest.fixture(scope="module", params=["permissive", "strict"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    yield from fuzzed_emulator(tmp_path_factory.mktemp("fuzz"), auth_mode=request.param,
                               accounts_file=ROOT / "examples" / "accounts.toml")


@pytest.fixture(scope="module")
def transport(app: Emulator) -> InProcessTransport:
    return InProcessTransport(app)


@pytest.fixture(scope="module")
def tracebacks() -> Iterator[_Tracebacks]:
    handler = _Tracebacks()
    logger = logging.getLogger("ec2emu")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _signed_headers(service: str, key: tuple[str, str], token: str | None) -> tuple[str, list[tuple[str, str]], bytes]:
    body = BODIES[service].encode()
    request = AWSRequest(method="POST", url=f"{ENDPOINT}/", data=body, headers={"Content-Type": FORM})
    SigV4Auth(Credentials(key[0], key[1], token), service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    return prepared.url, [(k, str(v)) for k, v in prepared.headers.items()], body


def _set(pairs: list[tuple[str, str]], name: str, value: str | None, repeat: bool = False) -> list[tuple[str, str]]:
    kept = pairs if repeat else [(k, v) for k, v in pairs if k.lower() != name]
    return kept if value is None else kept + [(name, value)]


def _authorization_with(header: str, part: str, value: str) -> str:
    algorithm, _, rest = header.partition(" ")
    fields = [field.strip().partition("=") for field in rest.split(",")]
    if part == "algorithm":
        return f"{value} {rest}"
    name, _, piece = part.partition(".")
    out = []
    for key, sep, current in fields:
        if key == name and piece:
            scope = current.split("/")
            scope += [""] * (5 - len(scope))
            scope[["key", "date", "region", "service", "terminator"].index(piece)] = value
            current = "/".join(scope)
        elif key == name:
            current = value
        out.append(f"{key}{sep}{current}")
    return f"{algorithm} " + ", ".join(out)


def _assert_refused(status: int, body: bytes, service: str, tracebacks: _Tracebacks) -> None:
    assert 400 <= status < 500, (status, body[:300])
    root = ET.fromstring(body)
    if root.tag == "Response":
        error_envelope(body)
    else:  # the Query envelope, only for a request signed for IAM or STS
        assert service in ("iam", "sts"), body[:300]
        assert root.tag.endswith("ErrorResponse"), body[:300]
        names = [child.tag.rsplit("}", 1)[-1] for child in root]
        assert names == ["Error", "RequestId"], body[:300]
        error = root[0]
        assert [child.tag.rsplit("}", 1)[-1] for child in error] == ["Type", "Code", "Message"], body[:300]
    assert not tracebacks.records, [r.getMessage() for r in tracebacks.records]


# ----------------------------------------------------------------------------- fuzz

@FUZZ
@given(service=st.sampled_from(sorted(BODIES)), key=st.sampled_from(KEYS), signed=st.booleans(),
       token=st.none() | VALUES,
       changes=st.lists(st.tuples(st.sampled_from(HEADER_FIELDS + [f"auth:{p}" for p in AUTH_PARTS]), VALUES,
                                  st.booleans()), min_size=1, max_size=4),
       drop_amz_date=st.booleans())
def test_header_fields_at_extremes(transport: InProcessTransport, tracebacks: _Tracebacks, service: str,
                                   key: tuple[str, str], signed: bool, token: str | None,
                                   changes: list[tuple[str, str, bool]], drop_amz_date: bool) -> None:
    url, pairs, body = _signed_headers(service, key, _wire(token) if token is not None else None)
    if not signed:  # no signature at all: the fields alone
        pairs = [(k, v) for k, v in pairs if k.lower() not in ("authorization", "x-amz-date")]
    if drop_amz_date:  # the Date header is read instead
        pairs = _set(pairs, "x-amz-date", None)
    for field, value, repeat in changes:
        wire = _wire(value)
        if field.startswith("auth:"):
            current = next((v for k, v in pairs if k.lower() == "authorization"), "AWS4-HMAC-SHA256 "
                           "Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00")
            pairs = _set(pairs, "authorization", _authorization_with(current, field[5:], wire))
        else:
            pairs = _set(pairs, field, wire, repeat)
    status, _, reply = transport.request("POST", url, pairs, body)
    _assert_refused(status, reply, service, tracebacks)


@FUZZ
@given(key=st.sampled_from(KEYS), expires=st.integers(1, 604800),
       changes=st.lists(st.tuples(st.sampled_from(QUERY_FIELDS), VALUES, st.booleans()), min_size=1, max_size=4))
def test_presigned_fields_at_extremes(transport: InProcessTransport, tracebacks: _Tracebacks,
                                      key: tuple[str, str], expires: int,
                                      changes: list[tuple[str, str, bool]]) -> None:
    request = AWSRequest(method="GET", url=f"{ENDPOINT}/?{BODIES['ec2']}")
    SigV4QueryAuth(Credentials(*key), "ec2", "us-east-1", expires=expires).add_auth(request)
    url = urlsplit(str(request.url))
    query = parse_qsl(url.query, keep_blank_values=True)
    for field, value, repeat in changes:
        if not repeat:
            query = [(k, v) for k, v in query if k != field]
        query.append((field, value))
    status, _, reply = transport.request("GET", f"{ENDPOINT}/?{urlencode(query)}", {}, b"")
    _assert_refused(status, reply, "ec2", tracebacks)


# ----------------------------------------------------------------------------- the cases found

def _post_with(transport: InProcessTransport, headers: dict[str, str], drop: tuple[str, ...] = ()) -> tuple[int, dict[str, str]]:
    url, pairs, body = _signed_headers("ec2", ("test", "test"), None)
    auth = next(v for k, v in pairs if k.lower() == "authorization")
    signed_names = auth.split("SignedHeaders=")[1].split(",")[0]
    pairs = [(k, v) for k, v in pairs if k.lower() not in drop]
    pairs = [(k, v.replace(f"SignedHeaders={signed_names}", f"SignedHeaders={signed_names};date")
              if k.lower() == "authorization" else v) for k, v in pairs]
    status, _, reply = transport.request("POST", url, pairs + list(headers.items()), body)
    return status, error_envelope(reply)


@pytest.mark.parametrize("date", ["Fri, 31 Dec 9999 23:59:59 -2359", "Fri, 31 Dec 99999999999999999999 23:59:59 GMT",
                                  "Mon, 01 Jan 10000 00:00:00 +2359"])
def test_a_date_header_out_of_every_range_is_expired(transport: InProcessTransport, tracebacks: _Tracebacks,
                                                      date: str) -> None:
    status, error = _post_with(transport, {"Date": date}, drop=("x-amz-date",))
    assert (status, error["Code"], error["Message"]) == (400, "RequestExpired", "Request has expired.")
    assert not tracebacks.records


@pytest.mark.parametrize("amz_date", ["99991231T235959Z", "00010101T000000Z"])
def test_an_amz_date_at_the_ends_of_time_is_expired(transport: InProcessTransport, tracebacks: _Tracebacks,
                                                     amz_date: str) -> None:
    status, error = _post_with(transport, {"X-Amz-Date": amz_date}, drop=("x-amz-date",))
    assert (status, error["Code"]) == (400, "RequestExpired")
    assert not tracebacks.records


@pytest.mark.parametrize("expires", ["²", "9" * 400, "-1", "0", "604801", "1e3"])
def test_presigned_expiry_that_is_no_whole_number_in_range_is_incomplete(
        transport: InProcessTransport, tracebacks: _Tracebacks, expires: str) -> None:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    query = {"Action": "DescribeRegions", "Version": "2016-11-15", "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
             "X-Amz-Credential": f"test/{now[:8]}/us-east-1/ec2/aws4_request", "X-Amz-Date": now,
             "X-Amz-Expires": expires, "X-Amz-SignedHeaders": "host", "X-Amz-Signature": "00"}
    status, _, reply = transport.request("GET", f"{ENDPOINT}/?{urlencode(query)}", {}, b"")
    error = error_envelope(reply)
    assert (status, error["Code"]) == (400, "IncompleteSignature")
    assert "X-Amz-Expires" in error["Message"]
    assert not tracebacks.records


@pytest.mark.parametrize(("length", "code", "status"), [("abc", "InvalidRequest", 400), ("-1", "InvalidRequest", 400),
                                                        ("9" * 400, "RequestEntityTooLarge", 413)])
def test_a_content_length_that_cannot_be_is_refused(transport: InProcessTransport, length: str,
                                                    code: str, status: int) -> None:
    url, pairs, body = _signed_headers("ec2", ("test", "test"), None)
    got, _, reply = transport.request("POST", url, _set(pairs, "content-length", length), body)
    assert (got, error_envelope(reply)["Code"]) == (status, code)


def test_a_content_length_error_is_answered_in_the_signing_service_protocol(transport: InProcessTransport) -> None:
    url, pairs, body = _signed_headers("sts", ("test", "test"), None)
    status, _, reply = transport.request("POST", url, _set(pairs, "content-length", "-5"), body)
    root = ET.fromstring(reply)
    assert status == 400 and root.tag.endswith("ErrorResponse")
    assert root[0][1].text == "InvalidRequest"

