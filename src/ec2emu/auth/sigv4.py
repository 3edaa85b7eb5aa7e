"""Signature Version 4 verification of a received request, on its raw bytes.

:func:`read_signature` finds what the request claims (access key, scope, signed headers,
signature) in an ``Authorization: AWS4-HMAC-SHA256 …`` header or in the query string of
a presigned URL (``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``,
``X-Amz-Expires``, ``X-Amz-SignedHeaders``, ``X-Amz-Signature``).
:func:`authenticate` turns that into a :class:`Principal`: it looks the key up, applies
the auth mode, checks the date, the session token and the signature. The signature is
recomputed with botocore's own pieces (``SigV4Auth.canonical_request``,
``string_to_sign``, and ``_sign`` with the signing key derived as ``signature`` derives
it, kept per secret, date, region and service since it changes once a day) over the
request as received: the method, a URL of ``Host``, path and query, exactly the headers
the client listed in ``SignedHeaders``, and the body's hash, dated by the request's
``X-Amz-Date``; it is compared in constant time. botocore reads that request through the
attributes an ``AWSRequest`` has (:class:`_Received`) without one being built: its
headers are an ``email.message.Message`` whose every assignment and read goes through
the email policy, which cost more than the hashing. One signer serves every request of a
key, service and region; what differs per request travels with the request.

Modes: ``permissive`` lets a key we do not know act as the root of ``000000000000``
without any check (its date and signature are not looked at); ``strict`` refuses it.
A key we know is always verified, in both modes.

Errors (codes and statuses from the EC2 error list; messages marked * are AWS's wording
as other AWS Query services give it, not confirmed for EC2):

* no credentials → 400 ``MissingParameter`` "The request must contain the parameter
  AWSAccessKeyId";
* malformed ``Authorization`` or presigned parameters → 400 ``IncompleteSignature``
  ("Authorization header requires 'Signature' parameter. … Authorization=…"*,
  "Date must be in ISO-8601 'basic format'. …"*; messages for a credential with the
  wrong number of parts, an unsupported algorithm or a bad ``X-Amz-Expires`` are ours);
* unknown key (strict), inactive key, a session token on a key that needs none, a
  missing or different token on a key that needs one → 401 ``AuthFailure`` "AWS was not
  able to validate the provided access credentials";
* wrong signature → 403 ``SignatureDoesNotMatch`` with AWS's message; a credential scope
  dated differently from ``X-Amz-Date`` → 403 ``SignatureDoesNotMatch`` "Date in
  Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: …"*;
  a signed ``X-Amz-Content-SHA256`` that is not the body's hash → ``SignatureDoesNotMatch``;
* ``X-Amz-Date`` more than 15 minutes from the server's wall clock, a presigned URL past
  ``X-Amz-Expires``, or (for EC2) temporary credentials past their expiry → 400
  ``RequestExpired`` "Request has expired."; temporary credentials past their expiry on
  IAM or STS → 403 ``ExpiredToken`` "The security token included in the request is
  expired" (the Query services' code for it). EC2's error list has no ``ExpiredToken``
  and documents ``RequestExpired`` for a request "past the expiration date", which is
  what SDKs see from EC2 with lapsed session credentials, so EC2 answers that.

Choices where AWS's documentation is silent:

* Dates are judged against :meth:`Clock.wall_now` — the clock clients sign with — not the
  emulated time, which the admin route moves forward for the lifecycle. The expiry of
  temporary credentials, which the emulator itself issued in its own time, is judged
  against the emulated time, so a test advances the clock past it instead of waiting.
* The query is canonicalised the way SigV4 specifies (decoded, then every byte but
  ``A-Za-z0-9-_.~`` percent-encoded, sorted); a ``+`` is a literal plus. A signature
  over the query exactly as sent is also accepted, for clients that sign their own
  (not re-encoded) query string.
* The payload hash is SHA-256 of the received body; for a presigned GET that is the
  empty-string hash EC2 uses.
* A request signed with Signature Version 2 (``AWSAccessKeyId`` only) cannot be checked:
  with an unknown key in permissive mode it acts as the default root; otherwise it
  answers ``AuthFailure`` saying that only Signature Version 4 is supported.
* ``X-Amz-Expires`` must be a whole number of seconds from 1 to 604800 (seven days).
* Repeated headers arrive joined into one value, so a header sent twice canonicalises
  as its last value.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Iterator, Literal, Mapping, Sequence
from urllib.parse import quote, unquote

from botocore.auth import SigV4Auth
from botocore.credentials import Credentials

from ec2emu.auth.credentials import Credential, CredentialSource, Principal, root_principal
from ec2emu.config import DEFAULT_ACCOUNT, DEFAULT_REGION
from ec2emu.errors import Ec2Error

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = dt.timedelta(minutes=15)
MAX_EXPIRES = 604800
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

AuthMode = Literal["permissive", "strict"]
AUTH_MODES: tuple[str, ...] = ("permissive", "strict")

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)
AUTH_FAILURE = "AWS was not able to validate the provided access credentials"


def missing_credentials() -> Ec2Error:
    return Ec2Error("MissingParameter", "The request must contain the parameter AWSAccessKeyId")


def auth_failure(message: str = AUTH_FAILURE) -> Ec2Error:
    return Ec2Error("AuthFailure", message, 401)


def incomplete(message: str) -> Ec2Error:
    return Ec2Error("IncompleteSignature", message)


def signature_mismatch(message: str = SIGNATURE_MISMATCH) -> Ec2Error:
    return Ec2Error("SignatureDoesNotMatch", message, 403)


def request_expired() -> Ec2Error:
    return Ec2Error("RequestExpired", "Request has expired.")


def expired_token() -> Ec2Error:
    """IAM's and STS's answer to temporary credentials past their expiry."""
    return Ec2Error("ExpiredToken", "The security token included in the request is expired", 403)


@dataclass(frozen=True)
class RawRequest:
    """A request as received, before any parsing of its parameters."""

    method: str
    host: str
    path: str
    query_string: bytes
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class Signature:
    """What a request claims about its signer."""

    form: Literal["header", "query", "v2"]
    access_key_id: str
    region: str
    service: str
    scope_date: str = ""
    amz_date: str = ""  # the X-Amz-Date (or Date header) in ISO-8601 basic format
    signed_headers: tuple[str, ...] = ()
    signature: str = ""
    expires: int | None = None
    security_token: str | None = None


def read_signature(headers: Mapping[str, str], query: list[tuple[str, str]],
                   default_region: str) -> Signature | None:
    """The signature a request carries, ``None`` when it carries no credentials at all.

    Raises ``IncompleteSignature`` when the signature is there but malformed.
    """
    authorization = headers.get("authorization", "").strip()
    params = dict(query)
    if authorization:
        return _read_header(authorization, headers)
    if "X-Amz-Algorithm" in params or "X-Amz-Credential" in params or "X-Amz-Signature" in params:
        return _read_query(params)
    legacy = params.get("AWSAccessKeyId")
    if legacy:
        return Signature("v2", legacy, default_region, "ec2")
    return None


def _read_header(authorization: str, headers: Mapping[str, str]) -> Signature:
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != ALGORITHM:
        raise incomplete(f"Unsupported AWS 'algorithm': '{algorithm}'. "
                         f"Only '{ALGORITHM}' is supported. Authorization={authorization}")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            fields[name] = value.strip()
    credential = fields.get("Credential")
    names = fields.get("SignedHeaders")
    claimed = fields.get("Signature")
    amz_date = headers.get("x-amz-date", "").strip()
    if not (credential and names and claimed and (amz_date or headers.get("date", "").strip())):
        problems = [f"Authorization header requires '{name}' parameter."
                    for name in ("Credential", "Signature", "SignedHeaders") if not fields.get(name)]
        if not amz_date and not headers.get("date", "").strip():
            problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        raise incomplete(" ".join(problems) + f" Authorization={authorization}")
    key, scope_date, region, service = _credential(credential)
    if amz_date:
        _parse_amz_date(amz_date)
    else:
        amz_date = _from_http_date(headers["date"].strip())
    return Signature("header", key, region, service, scope_date, amz_date,
                     _signed_header_names(names), claimed,
                     security_token=headers.get("x-amz-security-token"))


def _read_query(params: Mapping[str, str]) -> Signature:
    required = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
                "X-Amz-SignedHeaders", "X-Amz-Expires")
    missing = [name for name in required if not params.get(name)]
    if missing:
        raise incomplete("AWS query-string parameters must include " + ", ".join(f"'{n}'" for n in required)
                         + ". Re-examine the query-string parameters.")
    if params["X-Amz-Algorithm"] != ALGORITHM:
        raise incomplete(f"X-Amz-Algorithm only supports \"{ALGORITHM}\"")
    key, scope_date, region, service = _credential(params["X-Amz-Credential"])
    _parse_amz_date(params["X-Amz-Date"])
    text = params["X-Amz-Expires"]
    if not text.isdigit() or not 1 <= int(text) <= MAX_EXPIRES:
        raise incomplete(f"X-Amz-Expires must be a whole number of seconds from 1 to {MAX_EXPIRES}; "
                         f"got '{text}'.")
    return Signature("query", key, region, service, scope_date, params["X-Amz-Date"],
                     _signed_header_names(params["X-Amz-SignedHeaders"]), params["X-Amz-Signature"],
                     int(text), params.get("X-Amz-Security-Token"))


@functools.lru_cache(maxsize=256)
def _credential(text: str) -> tuple[str, str, str, str]:
    """The parts of a ``Credential`` (a client sends the same one all day, so the split is
    kept; a malformed one raises, which is not kept)."""
    parts = text.split("/")
    if len(parts) != 5 or not all(parts):
        raise incomplete(f"Credential must have five slash-separated parts "
                         f"(access key/date/region/service/aws4_request), got '{text}'.")
    if parts[4] != "aws4_request":
        raise incomplete(f"Credential should be scoped with a valid terminator: 'aws4_request', not '{parts[4]}'.")
    return parts[0], parts[1], parts[2], parts[3]


@functools.lru_cache(maxsize=256)
def _signed_header_names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip().lower() for name in text.split(";") if name.strip())
    if "host" not in names:
        raise incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    return names


_AMZ_DATE = re.compile(r"[0-9]{8}T[0-9]{6}Z")


@functools.lru_cache(maxsize=256)
def _parse_amz_date(text: str) -> dt.datetime:
    """``YYYYMMDDTHHMMSSZ`` exactly (a request is signed at one of few seconds, so the
    parse is kept)."""
    try:
        if not _AMZ_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[9:11]),
                           int(text[11:13]), int(text[13:15]), tzinfo=dt.timezone.utc)
    except ValueError:
        raise incomplete(f"Date must be in ISO-8601 'basic format'. Got '{text}'. "
                         "See http://en.wikipedia.org/wiki/ISO_8601") from None


def _from_http_date(text: str) -> str:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        raise incomplete(f"Date must be in ISO-8601 'basic format'. Got '{text}'. "
                         "See http://en.wikipedia.org/wiki/ISO_8601") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime(AMZ_DATE_FORMAT)


def authenticate(request: RawRequest, signature: Signature, credentials: CredentialSource,
                 mode: str, wall_now: dt.datetime, now: dt.datetime | None = None) -> Principal:
    """The principal a request acts as, or the error AWS would answer.

    ``wall_now`` judges ``X-Amz-Date`` (clients sign with the real time); ``now`` — the
    emulator's time, which tests move forward — judges when temporary credentials lapse,
    so a test can advance the clock past a session's expiry (``wall_now`` if not given).
    """
    credential = credentials.find(signature.access_key_id)
    if credential is None:
        if mode == "permissive":
            return root_principal(DEFAULT_ACCOUNT)
        raise auth_failure()
    if signature.form == "v2":
        raise auth_failure("Signature Version 2 is not supported by this endpoint; "
                           "sign requests with Signature Version 4.")
    if not credential.active:
        raise auth_failure()
    _check_session_token(signature, credential, wall_now if now is None else now)
    _check_date(signature, wall_now)
    verify_signature(request, signature, credential)
    return credential.principal


def _check_session_token(signature: Signature, credential: Credential, now: dt.datetime) -> None:
    supplied = signature.security_token
    if credential.session_token is None:
        if supplied:
            raise auth_failure()
        return
    if not supplied or not hmac.compare_digest(supplied.encode(), credential.session_token.encode()):
        raise auth_failure()
    if credential.expires_at is not None and now >= credential.expires_at:
        raise expired_token() if signature.service in ("iam", "sts") else request_expired()


def _check_date(signature: Signature, wall_now: dt.datetime) -> None:
    signed_at = _parse_amz_date(signature.amz_date)
    if signature.scope_date != signature.amz_date[:8]:
        raise signature_mismatch(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{signature.scope_date}' != '{signature.amz_date[:8]}', from '{signature.amz_date}'."
        )
    if signature.form == "query":
        assert signature.expires is not None
        if signed_at - MAX_SKEW > wall_now or wall_now > signed_at + dt.timedelta(seconds=signature.expires):
            raise request_expired()
    elif abs(wall_now - signed_at) > MAX_SKEW:
        raise request_expired()


class _SignedHeaders:
    """The headers a client listed in ``SignedHeaders``, with their received values, in the
    shape botocore's ``SigV4Auth`` reads from ``headers_to_sign`` (iteration over the
    names, ``get_all``) and from a request's headers (``in``, ``[]``, case-insensitive).

    A name listed twice carries its value twice, as botocore's ``HTTPHeaders`` would
    after one assignment per listed name; ``host`` is the request's host."""

    __slots__ = ("_values",)

    def __init__(self, request: RawRequest, names: tuple[str, ...]) -> None:
        values: dict[str, list[str]] = {}
        received = request.headers
        for name in names:
            value = request.host if name == "host" else received.get(name, "")
            listed = values.get(name)
            if listed is None:
                values[name] = [value]
            else:
                listed.append(value)
        self._values = values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def get_all(self, name: str, failobj: list[str] | None = None) -> list[str] | None:
        return self._values.get(name.lower(), failobj)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()][0]


class _Received:
    """A received request as botocore's ``SigV4Auth.canonical_request``,
    ``string_to_sign`` and ``signature`` read it: ``method``, ``url`` (the query in it,
    no ``params``), the signed ``headers``, ``context["timestamp"]`` — plus the hash of
    the received body, which :meth:`_ReceivedRequestSigner.payload` answers."""

    __slots__ = ("body_hash", "context", "headers", "method", "params", "url")

    def __init__(self, method: str, url: str, headers: _SignedHeaders, timestamp: str, body_hash: str) -> None:
        self.method = method
        self.url = url
        self.params = None
        self.headers = headers
        self.context = {"timestamp": timestamp}
        self.body_hash = body_hash


class _ReceivedRequestSigner(SigV4Auth):
    """botocore's SigV4 signer for one key, service and region, shared by the requests
    signed with them (from any thread): what differs per request — the signed headers and
    the body's hash, computed once for the ``X-Amz-Content-SHA256`` check too — comes in
    the :class:`_Received` it is given. The signing key is derived as ``signature``
    derives it (four HMACs with botocore's ``_sign``) and kept for the scope's date."""

    def __init__(self, credentials: Credentials, service: str, region: str) -> None:
        super().__init__(credentials, service, region)
        self._day_key: tuple[str, bytes] = ("", b"")

    def _normalize_url_path(self, path: str) -> str:
        return _normalized_path(path)

    def headers_to_sign(self, request: _Received) -> _SignedHeaders:  # type: ignore[override]
        return request.headers

    def payload(self, request: _Received) -> str:  # type: ignore[override]
        return request.body_hash

    def signature(self, string_to_sign: str, request: _Received) -> str:  # type: ignore[override]
        date = request.context["timestamp"][0:8]
        day, key = self._day_key
        if day != date:
            key = self._sign(f"AWS4{self.credentials.secret_key}".encode(), date)
            for part in (self._region_name, self._service_name, "aws4_request"):
                key = self._sign(key, part)
            self._day_key = (date, key)
        return self._sign(key, string_to_sign, hex=True)  # type: ignore[no-any-return]


_PATH_SIGNER = SigV4Auth(None, "ec2", DEFAULT_REGION)


@functools.lru_cache(maxsize=256)
def _normalized_path(path: str) -> str:
    """botocore's canonical form of a URL path (``SigV4Auth._normalize_url_path``), kept:
    clients send few distinct paths, and the dot-segment walk and percent-encoding are a
    noticeable part of a request's verification when they run cold."""
    return _PATH_SIGNER._normalize_url_path(path)  # type: ignore[no-any-return]


_SIGNERS: dict[tuple[str, str, str, str], _ReceivedRequestSigner] = {}
_SIGNERS_MAX = 1024


def _signer(credential: Credential, service: str, region: str) -> _ReceivedRequestSigner:
    """The signer of a key for a service and region, made on the first request that needs it."""
    cache_key = (credential.access_key_id, credential.secret_access_key, service, region)
    signer = _SIGNERS.get(cache_key)
    if signer is None:
        if len(_SIGNERS) >= _SIGNERS_MAX:
            _SIGNERS.clear()
        signer = _ReceivedRequestSigner(Credentials(credential.access_key_id, credential.secret_access_key),
                                        service, region)
        _SIGNERS[cache_key] = signer
    return signer


_NO_QUERY = ("",)


def verify_signature(request: RawRequest, signature: Signature, credential: Credential) -> None:
    """Recompute the signature with botocore and compare it in constant time."""
    body_hash = hashlib.sha256(request.body).hexdigest()
    claimed_hash = request.headers.get("x-amz-content-sha256")
    if claimed_hash is not None and claimed_hash != body_hash:
        raise signature_mismatch()
    if request.query_string:
        pairs = _query_pairs(request.query_string)
        if signature.form == "query":
            pairs = [(k, v) for k, v in pairs if k != "X-Amz-Signature"]
        queries: Sequence[str] = _query_forms(pairs, request.query_string, signature.form)
    else:
        queries = _NO_QUERY
    headers = _SignedHeaders(request, signature.signed_headers)
    signer = _signer(credential, signature.service, signature.region)
    base = f"http://{request.host}{request.path or '/'}"
    supplied = signature.signature.encode()
    matched = False
    for query in queries:
        received = _Received(request.method, base + query, headers, signature.amz_date, body_hash)
        try:
            canonical = signer.canonical_request(received)
        except ValueError:  # a Host no URL can carry (``[``): nothing it could have signed
            raise signature_mismatch() from None
        expected = signer.signature(signer.string_to_sign(received, canonical), received)
        matched |= hmac.compare_digest(expected.encode(), supplied)
    if not matched:
        raise signature_mismatch()


def _query_pairs(query_string: bytes) -> list[tuple[str, str]]:
    text = query_string.decode("latin-1")
    pairs = []
    for part in text.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key, errors="replace"), unquote(value, errors="replace")))
    return pairs


def _query_forms(pairs: list[tuple[str, str]], query_string: bytes, form: str) -> list[str]:
    """The URL query suffixes to canonicalise: strictly re-encoded, then as sent."""
    strict = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)
    forms = [f"?{strict}" if strict else ""]
    raw = query_string.decode("latin-1")
    if form == "query":
        raw = "&".join(p for p in raw.split("&") if p.partition("=")[0] != "X-Amz-Signature")
    if raw and raw != strict:
        forms.append(f"?{raw}")
    return forms
