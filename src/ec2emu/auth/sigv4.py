"""Signature Version 4 verification of a received request, on its raw bytes.

:func:`read_signature` finds what the request claims (access key, scope, signed headers,
signature) in an ``Authorization: AWS4-HMAC-SHA256 …`` header or in the query string of
a presigned URL (``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``,
``X-Amz-Expires``, ``X-Amz-SignedHeaders``, ``X-Amz-Signature``).
:func:`authenticate` turns that into a :class:`Principal`: it looks the key up, applies
the auth mode, checks the date, the session token and the signature. The signature is
recomputed as SigV4 defines it over the request as received — the canonical request
(:func:`canonical_request`: method, path, query, exactly the headers the client listed
in ``SignedHeaders`` and the body's SHA-256), the string to sign dated by the request's
``X-Amz-Date``, and the HMAC with the scope's signing key, kept per secret, date,
region and service since it changes once a day — and compared in constant time. Tests
hold every step equal to botocore's signer (``SigV4Auth``), the clients' own, on
generated requests.

Modes: ``permissive`` lets a key we do not know act as the root of ``000000000000``
without any check (its date and signature are not looked at); ``strict`` refuses it.
A key we know is always verified, in both modes.

Errors, as EC2 answers them (codes and statuses from the EC2 error list; messages marked
* are AWS's wording as other AWS Query services give it, not confirmed for EC2); a Query
or JSON service answers each with its own code (:func:`ec2emu.auth.errors.in_protocol`):

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
  ``X-Amz-Expires``, or temporary credentials past their expiry → 400
  ``RequestExpired`` "Request has expired." (IAM and STS answer the last 403
  ``ExpiredToken``). EC2's error list has no ``ExpiredToken`` and documents
  ``RequestExpired`` for a request "past the expiration date", which is what SDKs see
  from EC2 with lapsed session credentials, so EC2 answers that.

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
* Every date and number is read by :mod:`ec2emu.protocol.scalars`: a date that is not
  one answers ``IncompleteSignature``; a well-formed date outside years 2 to 9998 (the
  year 9999, or a ``Date`` whose offset carries it past 9999) cannot be within fifteen
  minutes of now and answers ``RequestExpired`` — for an unknown key in permissive mode
  too, since such a date cannot even be written as an ``X-Amz-Date``.
* Repeated headers arrive joined into one value, so a header sent twice canonicalises
  as its last value.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple
from urllib.parse import quote, unquote

from botocore.utils import normalize_url_path

from ec2emu.auth.credentials import Credential, CredentialSource, Principal, root_principal
from ec2emu.auth.errors import (
    SKEW,
    auth_failure,
    expired_token,
    incomplete,
    request_expired,
    scope_date_mismatch,
    signature_mismatch,
    sigv2_unsupported,
)
from ec2emu.auth.errors import missing_credentials as missing_credentials  # the pipeline's import
from ec2emu.config import DEFAULT_ACCOUNT
from ec2emu.errors import Ec2Error
from ec2emu.protocol.scalars import ScalarError, parse_amz_date, parse_http_date, parse_integer

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = SKEW
MAX_EXPIRES = 604800
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

AuthMode = Literal["permissive", "strict"]
AUTH_MODES: tuple[str, ...] = ("permissive", "strict")

class RawRequest(NamedTuple):
    """A request as received, before any parsing of its parameters (immutable, and made
    on every request: a named tuple is built several times faster than a frozen
    dataclass)."""

    method: str
    host: str
    path: str
    query_string: bytes
    headers: Mapping[str, str]  # lower-case names
    body: bytes


class Signature(NamedTuple):
    """What a request claims about its signer (a named tuple, as :class:`RawRequest`)."""

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
    if authorization:
        return _read_header(authorization, headers)
    params = dict(query)
    if "X-Amz-Algorithm" in params or "X-Amz-Credential" in params or "X-Amz-Signature" in params:
        return _read_query(params)
    legacy = params.get("AWSAccessKeyId")
    if legacy:
        return Signature("v2", legacy, default_region, "ec2")
    return None


def claimed_service(headers: Mapping[str, str], query: list[tuple[str, str]]) -> str | None:
    """The service a signature's credential scope names, read leniently from a signature
    that may be malformed elsewhere (so its error is answered in that service's
    protocol); ``None`` when the scope cannot be read."""
    authorization = headers.get("authorization", "")
    if authorization:
        marker = authorization.find("Credential=")
        credential = authorization[marker + 11:].split(",")[0].strip() if marker >= 0 else ""
    else:
        credential = dict(query).get("X-Amz-Credential", "")
    parts = credential.split("/")
    return parts[3] if len(parts) == 5 and parts[3] else None


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
    try:
        expires = parse_integer(text, 1, MAX_EXPIRES)
    except ScalarError:
        raise incomplete(f"X-Amz-Expires must be a whole number of seconds from 1 to {MAX_EXPIRES}; "
                         f"got '{text}'.") from None
    return Signature("query", key, region, service, scope_date, params["X-Amz-Date"],
                     _signed_header_names(params["X-Amz-SignedHeaders"]), params["X-Amz-Signature"],
                     expires, params.get("X-Amz-Security-Token"))


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


def _date_error(error: ScalarError) -> Ec2Error:
    """A date too far away to judge is expired; one that is not a date is malformed."""
    if error.out_of_range:
        return request_expired()
    return incomplete(f"Date must be in ISO-8601 'basic format'. Got '{error.text}'. "
                      "See http://en.wikipedia.org/wiki/ISO_8601")


@functools.lru_cache(maxsize=256)
def _parse_amz_date(text: str) -> dt.datetime:
    """``YYYYMMDDTHHMMSSZ`` exactly (a request is signed at one of few seconds, so the
    parse is kept)."""
    try:
        return parse_amz_date(text)
    except ScalarError as error:
        raise _date_error(error) from None


def _from_http_date(text: str) -> str:
    try:
        return parse_http_date(text).strftime(AMZ_DATE_FORMAT)
    except ScalarError as error:
        raise _date_error(error) from None


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
        raise sigv2_unsupported()
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
        raise expired_token()


def _check_date(signature: Signature, wall_now: dt.datetime) -> None:
    signed_at = _parse_amz_date(signature.amz_date)
    if signature.scope_date != signature.amz_date[:8]:
        raise scope_date_mismatch(signature.scope_date, signature.amz_date)
    if signature.form == "query":
        assert signature.expires is not None
        if signed_at - MAX_SKEW > wall_now:
            raise request_expired(signed_at, wall_now)
        if wall_now > signed_at + dt.timedelta(seconds=signature.expires):
            raise request_expired()
    elif abs(wall_now - signed_at) > MAX_SKEW:
        raise request_expired(signed_at, wall_now)


@functools.lru_cache(maxsize=256)
def _header_plan(signed: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], str]:
    """For the names a client listed in ``SignedHeaders``: each distinct name in sorted
    order with how many times it was listed, and the canonical request's signed-headers
    line (``a;b;c``). Clients send the same list on every request, so this is kept."""
    names = sorted(set(signed))
    return tuple((name, signed.count(name)) for name in names), ";".join(names)


@functools.lru_cache(maxsize=256)
def _canonical_path(path: str) -> str:
    """SigV4's canonical URI of a request path: dot segments resolved (botocore's
    ``normalize_url_path``), then percent-encoded but for ``/`` and ``~``. Clients send
    few distinct paths, so this is kept."""
    return quote(normalize_url_path(path), safe="/~")


def _canonical_query(query: str) -> str:
    """A query string's canonical form: its ``name=value`` pairs sorted (by name, then
    value) as they are written in ``query``, which is already encoded."""
    if not query:
        return ""
    pairs = sorted((name, value) for name, _, value in (part.partition("=") for part in query.split("&")))
    return "&".join(f"{name}={value}" for name, value in pairs)


def canonical_request(request: RawRequest, signature: Signature, query: str, body_hash: str) -> str:
    """The canonical request of SigV4 for ``request`` as received, with ``query`` (encoded,
    without ``?``) as its query string: method, canonical path and query, every header
    listed in ``SignedHeaders`` with its received value (spaces trimmed and runs of
    them collapsed; ``host`` is the request's host; a name listed twice carries its value
    twice, comma-joined, as botocore signs it), the signed-headers line and the body's
    SHA-256. Tests hold it equal to botocore's ``SigV4Auth.canonical_request``."""
    plan, signed_line = _header_plan(signature.signed_headers)
    received = request.headers
    lines = []
    for name, times in plan:
        value = " ".join((request.host if name == "host" else received.get(name, "")).split())
        lines.append(f"{name}:{value}\n" if times == 1 else f"{name}:{','.join([value] * times)}\n")
    return (f"{request.method.upper()}\n{_canonical_path(request.path or '/')}\n{_canonical_query(query)}\n"
            f"{''.join(lines)}\n{signed_line}\n{body_hash}")


@functools.lru_cache(maxsize=1024)
def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """SigV4's signing key of a secret for a day, region and service (four HMAC-SHA256s);
    it changes once a day, so it is kept."""
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def expected_signature(signature: Signature, secret: str, canonical: str) -> str:
    """The signature of ``canonical`` for the scope of ``signature``, dated by its
    ``X-Amz-Date``, as hex."""
    date = signature.amz_date[0:8]
    string_to_sign = (f"{ALGORITHM}\n{signature.amz_date}\n{date}/{signature.region}/{signature.service}"
                      f"/aws4_request\n{hashlib.sha256(canonical.encode()).hexdigest()}")
    key = _signing_key(secret, date, signature.region, signature.service)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


_NO_QUERY = ("",)


def verify_signature(request: RawRequest, signature: Signature, credential: Credential) -> None:
    """Recompute the signature and compare it in constant time."""
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
    supplied = signature.signature.encode()
    matched = False
    for query in queries:
        expected = expected_signature(signature, credential.secret_access_key,
                                      canonical_request(request, signature, query, body_hash))
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
    """The query strings (without ``?``) to canonicalise: strictly re-encoded, then as sent."""
    strict = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)
    forms = [strict]
    raw = query_string.decode("latin-1")
    if form == "query":
        raw = "&".join(p for p in raw.split("&") if p.partition("=")[0] != "X-Amz-Signature")
    if raw and raw != strict:
        forms.append(raw)
    return forms
