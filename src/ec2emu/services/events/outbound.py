"""The outbound HTTP request of an API destination target: where it may go, how it is
authorised, and what its answer means for the delivery.

The request (the wave-2 fact sheet, D.4): the destination's ``HttpMethod`` to its
``InvocationEndpoint``, each ``*`` path segment filled in order from the target's
``PathParameterValues``; query and headers from the target's ``HttpParameters``, then
the connection's ``InvocationHttpParameters`` (which win on a clash, as AWS says);
``Content-Type: application/json; charset=utf-8``, ``User-Agent:
Amazon/EventBridge/ApiDestinations``, ``Connection: close``; the body the target's input
gives (none for ``GET`` and ``HEAD``), with the connection's ``BodyParameters`` added as
keys when it is a JSON object. Authorisation from the connection's secret values (read
only through ``EventConnectionRepository.credentials``): ``API_KEY`` → a header named by
``ApiKeyName``; ``BASIC`` → ``Authorization: Basic base64(user:password)``;
``OAUTH_CLIENT_CREDENTIALS`` → a token fetched from ``AuthorizationEndpoint`` with the
connection's ``HttpMethod`` (``grant_type=client_credentials`` in the query, the client
ID and secret as Basic authorisation, the ``OAuthHttpParameters`` added), kept until
its ``expires_in`` (less a minute; an hour when the endpoint gives none) or until a 401
or 407 answer, and sent as ``Authorization: <token_type> <access_token>`` (``Bearer``
when no type is given).

Where it may go: to a loopback address only, unless the operator allowed the host
(``ec2emu serve --events-allow-host HOST``, ``mock(events_allow_hosts=...)``): an IP
literal, or ``localhost``, whose addresses must all be loopback; any other name not
allowed is refused without a look-up. The host's name is resolved once and the
connection made to the address checked (for
``https`` the name is used again, for the certificate's sake). A refused host is a
failed delivery that makes no request. Redirects are not followed: a 3xx is a failure.
The timeout is 5 s, as AWS's. Retried (AWS's rule): a timeout, a connection that fails,
429 and 5xx (with ``Retry-After`` in seconds, when given); every other answer fails for
good. ``InvocationRateLimitPerSecond`` is kept by each process for itself (a delivery
waits until the destination's last second has room): nodes sharing a database may
together send more.

Errors are recorded with the scheme, host, port and path only: never a query string,
header or body, which may hold a connection's secret values.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

TIMEOUT = 5.0
USER_AGENT = "Amazon/EventBridge/ApiDestinations"
DEFAULT_TOKEN_SECONDS = 3600.0
MAX_ANSWER = 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """An attempt's result: ``ok``, else whether to retry, an error code (AWS's DLQ
    ``ERROR_CODE`` names where one fits) and a message without secrets."""

    ok: bool
    retriable: bool = False
    code: str = ""
    message: str = ""
    retry_after: float | None = None


DELIVERED = Outcome(True)


class Refused(Exception):
    """A host delivery may not reach."""


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def resolve(host: str, port: int, allowed: Collection[str]) -> str:
    """The address to connect to for ``host``: one it resolves to, which must be loopback
    unless ``host`` is allowed (else :class:`Refused`). A name other than ``localhost``
    that is not allowed is refused without being looked up."""
    name = host.lower()
    if name not in allowed and not _loopback(name) and name != "localhost" and not name.endswith(".localhost"):
        raise Refused(f"host {host} is not a loopback address and not allowed (ec2emu serve --events-allow-host)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise Refused(f"host {host} does not resolve") from error
    addresses = [str(info[4][0]) for info in infos]
    if name in allowed or (addresses and all(_loopback(address) for address in addresses)):
        return addresses[0]
    raise Refused(f"host {host} is not a loopback address and not allowed (ec2emu serve --events-allow-host)")


def _shown(url: str) -> str:
    """A URL fit for an error message: no query, no credentials."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


def request(method: str, url: str, headers: dict[str, str], body: bytes | None,
            allowed: Collection[str]) -> Answer:
    """One HTTP exchange, no redirect followed (:class:`Refused`, ``OSError`` on failure)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = resolve(host, port, allowed)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn: http.client.HTTPConnection
    if secure:
        conn = http.client.HTTPSConnection(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(address, port, timeout=TIMEOUT)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host if parts.port is None else f"{host}:{parts.port}")
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body or b"")))
        conn.endheaders(body or None)
        answer = conn.getresponse()
        return Answer(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read(MAX_ANSWER))
    finally:
        conn.close()


def _pairs(items: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    return [(str(item.get("Key", "")), str(item.get("Value", ""))) for item in items or []]


def _with_query(url: str, query: Mapping[str, str]) -> str:
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(list(query.items()))


class Tokens:
    """OAuth tokens of connections, kept until they expire (per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[tuple[str, ...], tuple[str, float]] = {}

    def forget(self, key: tuple[str, ...]) -> None:
        with self.lock:
            self.kept.pop(key, None)

    def header(self, key: tuple[str, ...], oauth: Mapping[str, Any], allowed: Collection[str]) -> str:
        with self.lock:
            found = self.kept.get(key)
        if found is not None and found[1] > time.monotonic():
            return found[0]
        client = oauth.get("ClientParameters") or {}
        given = oauth.get("OAuthHttpParameters") or {}
        basic = base64.b64encode(f"{client.get('ClientID', '')}:{client.get('ClientSecret', '')}".encode()).decode()
        headers = {"Authorization": f"Basic {basic}", "Accept": "application/json", "User-Agent": USER_AGENT,
                   **dict(_pairs(given.get("HeaderParameters")))}
        query = {"grant_type": "client_credentials", **dict(_pairs(given.get("QueryStringParameters")))}
        method = str(oauth.get("HttpMethod") or "POST")
        body = None
        if method != "GET":
            body = urlencode({**query, **dict(_pairs(given.get("BodyParameters")))}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            url = str(oauth["AuthorizationEndpoint"])
        else:
            url = _with_query(str(oauth["AuthorizationEndpoint"]), query)
        answer = request(method, url, headers, body, allowed)
        if not 200 <= answer.status < 300:
            raise TokenError(f"the authorization endpoint {_shown(url)} answered {answer.status}",
                             answer.status == 429 or answer.status >= 500)
        try:
            parsed = json.loads(answer.body)
            token = str(parsed["access_token"])
            kind = str(parsed.get("token_type") or "Bearer")
            lasts = _seconds(parsed.get("expires_in"))
        except (ValueError, KeyError, TypeError) as error:
            raise TokenError(f"the authorization endpoint {_shown(url)} gave no access_token", False) from error
        value = f"{kind[:1].upper()}{kind[1:]} {token}"
        with self.lock:
            self.kept[key] = (value, time.monotonic() + max(0.0, lasts - 60.0))
        return value


class TokenError(Exception):
    def __init__(self, message: str, retriable: bool) -> None:
        super().__init__(message)
        self.retriable = retriable


def _url(endpoint: str, path_values: list[str]) -> str:
    values = iter(path_values)
    parts = urlsplit(endpoint)
    segments = [quote(next(values, ""), safe="") if segment == "*" else segment
                for segment in parts.path.split("/")]
    return parts._replace(path="/".join(segments)).geturl()


def _body(method: str, body: str, extra: list[tuple[str, str]]) -> bytes | None:
    if method in ("GET", "HEAD"):
        return None
    if extra:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            parsed.update(dict(extra))
            body = json.dumps(parsed)
    return body.encode()


def invoke(destination: Mapping[str, Any], connection_key: tuple[str, ...], auth: Mapping[str, Any],
           http_parameters: Mapping[str, Any] | None, body: str, tokens: Tokens,
           allowed: Collection[str]) -> Outcome:
    """Send ``body`` to the API destination ``destination`` (its row) authorised by
    ``auth`` (the connection's parameters with their secret values)."""
    target = dict(http_parameters or {})
    invocation = auth.get("InvocationHttpParameters") or {}
    method = str(destination["http_method"])
    url = _url(str(destination["invocation_endpoint"]), [str(v) for v in target.get("PathParameterValues") or []])
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "Range": "bytes=0-1048575", "Accept-Encoding": "gzip,deflate", "Connection": "close"}
    headers.update({str(k): str(v) for k, v in (target.get("HeaderParameters") or {}).items()})
    headers.update(dict(_pairs(invocation.get("HeaderParameters"))))
    query = {str(k): str(v) for k, v in (target.get("QueryStringParameters") or {}).items()}
    query.update(dict(_pairs(invocation.get("QueryStringParameters"))))
    try:
        if "ApiKeyAuthParameters" in auth:
            key = auth["ApiKeyAuthParameters"]
            headers[str(key.get("ApiKeyName"))] = str(key.get("ApiKeyValue", ""))
        elif "BasicAuthParameters" in auth:
            basic = auth["BasicAuthParameters"]
            pair = f"{basic.get('Username', '')}:{basic.get('Password', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        elif "OAuthParameters" in auth:
            headers["Authorization"] = tokens.header(connection_key, auth["OAuthParameters"], allowed)
        answer = request(method, _with_query(url, query), headers,
                         _body(method, body, _pairs(invocation.get("BodyParameters"))), allowed)
    except Refused as error:
        return Outcome(False, False, "NO_PERMISSIONS", str(error))
    except TokenError as error:
        return Outcome(False, error.retriable, "OAUTH_FAILED", str(error))
    except TimeoutError:
        return Outcome(False, True, "TIMEOUT", f"{_shown(url)} did not answer within {TIMEOUT:g} s")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(False, True, "CONNECTION_FAILURE", f"{_shown(url)}: {type(error).__name__}")
    if 200 <= answer.status < 300:
        return DELIVERED
    message = f"{_shown(url)} answered {answer.status}"
    if answer.status in (401, 407) and "OAuthParameters" in auth:
        tokens.forget(connection_key)
        return Outcome(False, True, "UNAUTHORIZED", message)
    if answer.status == 429 or answer.status >= 500:
        return Outcome(False, True, "THROTTLING" if answer.status == 429 else "SERVER_ERROR", message,
                       _retry_after(answer.headers.get("retry-after")))
    if 300 <= answer.status < 400:
        message += " (a redirect, not followed)"
    return Outcome(False, False, "CLIENT_ERROR" if answer.status >= 400 else "REDIRECT", message)


def _seconds(given: Any) -> float:
    """A token's ``expires_in``: a JSON number of seconds, else the default."""
    if isinstance(given, int | float) and not isinstance(given, bool) and 0 < given < 10**9:
        return float(given)
    return DEFAULT_TOKEN_SECONDS


def _retry_after(value: str | None) -> float | None:
    """A ``Retry-After`` of delay seconds in ASCII digits (an HTTP date is not used)."""
    if value is None or not re.fullmatch(r"[0-9]{1,9}(\.[0-9]{1,6})?", value.strip()):
        return None
    return float(value.strip())
