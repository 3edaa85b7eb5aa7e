"""SigV4 verification held to botocore's signer, the clients' own, on generated requests.

Requests with random methods, paths (dot segments included), query strings (strictly
encoded, unsorted, with bare names and empty pairs), headers (runs of spaces and tabs,
names signed twice) and bodies are signed by botocore in both forms (``Authorization``
header and presigned query). The canonical request :func:`canonical_request` builds from
the request as received must be the very text botocore signed; every such request must
verify; and changing any signed part of it must not.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from ec2emu.auth.credentials import Credential, root_principal
from ec2emu.auth.sigv4 import RawRequest, Signature, canonical_request, read_signature, verify_signature
from ec2emu.errors import Ec2Error

HOST = "ec2emu.test:4747"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CREDENTIAL = Credential("AKIDEXAMPLE", SECRET, root_principal("000000000000"))
PATHS = ["/", "/a", "/a/b/", "/a/./b", "/a/../b", "/x~y/z", "/a//b", "/-_.~/"]
TEXT = "abcXYZ019-_.~ +/=&?%*:@!$'()[],;é\u20ac"


def _text(rng: random.Random, low: int = 0, high: int = 6) -> str:
    return "".join(rng.choice(TEXT) for _ in range(rng.randint(low, high)))


def _query(rng: random.Random) -> str:
    pairs = [(_text(rng, 1), _text(rng)) for _ in range(rng.randint(0, 4))]
    kind = rng.random()
    if kind < 0.5:  # strictly encoded, in any order
        return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)
    if kind < 0.8:  # as a client might write it: bare names, empty values, an empty pair
        parts = [quote(k, safe="-_.~") if rng.random() < 0.3 else f"{quote(k, safe='-_.~')}=" for k, _ in pairs]
        return "&".join(parts + ([""] if parts and rng.random() < 0.3 else []))
    return ""


def _headers(rng: random.Random) -> dict[str, str]:
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    for n in range(rng.randint(0, 3)):
        spaced = rng.choice(["", " ", "  ", "\t", " \t "])
        headers[f"X-Extra-{n}"] = f"{spaced}v{n}{spaced}{_text(rng, 0, 3).strip()}{spaced}x{spaced}"
    return headers


def _signed(rng: random.Random, presign: bool) -> tuple[AWSRequest, str]:
    """A request botocore signed, and the canonical request it signed."""
    method = "GET" if presign else rng.choice(["GET", "POST"])  # a presigned URL is fetched
    path = rng.choice(PATHS)
    query = _query(rng)
    body = b"" if method == "GET" else _text(rng, 0, 40).encode()
    request = AWSRequest(method=method, url=f"http://{HOST}{path}" + (f"?{query}" if query else ""),
                         data=body, headers=_headers(rng))
    seen: list[str] = []
    signer_class: Any = SigV4QueryAuth if presign else SigV4Auth

    class Recording(signer_class):  # type: ignore[misc, valid-type]
        def canonical_request(self, request: AWSRequest) -> str:
            text = str(super().canonical_request(request))
            seen.append(text)
            return text

    credentials = Credentials(CREDENTIAL.access_key_id, SECRET)
    signer = (Recording(credentials, "ec2", "us-east-1", expires=300) if presign
              else Recording(credentials, "ec2", "us-east-1"))
    signer.add_auth(request)
    return request, seen[-1]


def _received(request: AWSRequest, **changes: Any) -> tuple[RawRequest, Signature]:
    """The request as the server receives it (header names in lower case, ``Host`` from
    the URL), and the signature read from it."""
    prepared = request.prepare()
    url = urlsplit(str(prepared.url))
    headers = {name.lower(): value for name, value in prepared.headers.items()}
    body = prepared.body or b""
    raw = RawRequest(prepared.method, url.netloc, url.path, url.query.encode(), headers,
                     body.encode() if isinstance(body, str) else body)
    if changes:
        raw = raw._replace(**changes)
    pairs = (part.partition("=") for part in raw.query_string.decode().split("&"))
    decoded = [(unquote(name), unquote(value)) for name, _, value in pairs if name]
    signature = read_signature(raw.headers, decoded, "us-east-1")
    assert signature is not None
    return raw, signature


def _verifies(raw: RawRequest, signature: Signature) -> bool:
    try:
        verify_signature(raw, signature, CREDENTIAL)
    except Ec2Error as error:
        assert error.code == "SignatureDoesNotMatch"
        return False
    return True


@pytest.mark.parametrize("presign", [False, True], ids=["header", "presigned"])
def test_generated_requests_canonicalise_and_verify_as_botocore_signs_them(presign: bool) -> None:
    rng = random.Random(20261127 + presign)
    for _ in range(1500):
        request, botocore_canonical = _signed(rng, presign)
        raw, signature = _received(request)
        query = raw.query_string.decode()
        if presign:  # botocore signed the query before it added X-Amz-Signature
            query = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-Signature="))
        body_hash = hashlib.sha256(raw.body).hexdigest()
        if not presign:
            assert canonical_request(raw, signature, query, body_hash) == botocore_canonical
        assert _verifies(raw, signature), botocore_canonical


def test_changing_any_signed_part_breaks_the_signature() -> None:
    rng = random.Random(7)
    for _ in range(300):
        request, _ = _signed(rng, presign=False)
        raw, signature = _received(request)
        assert _verifies(raw, signature)
        extra = next((name for name in signature.signed_headers if name.startswith("x-extra-")), None)
        changes: list[dict[str, Any]] = [
            {"method": "PUT"},
            {"path": raw.path + "x"},
            {"query_string": raw.query_string + b"&z=1"},
            {"host": "other.test:4747"},
            {"body": raw.body + b"&x=1"},
            {"headers": {**raw.headers, "content-type": "text/plain"}},
        ]
        if extra:
            changes.append({"headers": {**raw.headers, extra: raw.headers[extra] + "!"}})
        for change in changes:
            assert not _verifies(*_received(request, **change)), change
        # an unsigned header may change, and spaces inside a signed value may be re-run
        assert _verifies(*_received(request, headers={**raw.headers, "x-unsigned": "anything"}))
        if extra:
            respaced = {**raw.headers, extra: "  " + raw.headers[extra].replace(" ", "   ") + " "}
            assert _verifies(*_received(request, headers=respaced))
