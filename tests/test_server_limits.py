"""What a client connection may take of a real ``ec2emu serve`` (ec2emu.connections):
heads and bodies past their limits answered in EC2's envelope, never a 500; heads,
bodies and idle connections cut on time; connections past the cap answered 503 while
those open are served; a 100 MB body refused without the server holding it. The server
runs with short limits so each case takes well under a second."""

from __future__ import annotations

import http.client
import random
import select
import socket
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from click.testing import CliRunner

from ec2emu.cli import main
from ec2emu.config import Limits, Settings
from tests.conftest import ServerProcess, fresh_state
from tests.helpers import error_of, image_id
from tests.protocol.wire import error_envelope, signed

LIMITS = ["--header-timeout", "0.5", "--body-timeout", "0.5", "--idle-timeout", "0.5", "--max-header-bytes", "8192",
          "--max-headers", "30", "--max-body-bytes", "65536"]
# Generous bounds on when a timeout of 0.5 s is seen to act, on a loaded machine.
SOON = 3.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, migrated_database: Path) -> Iterator[ServerProcess]:
    state = fresh_state(tmp_path_factory.mktemp("limits"), migrated_database)
    proc = ServerProcess(state, LIMITS).start()
    yield proc
    proc.stop()


def connect(server: ServerProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    data = b""
    with sock:
        while chunk := sock.recv(65536):
            data += chunk
    return data, time.monotonic() - started


def answer(data: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One whole answer (its head and its ``Content-Length`` of body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    status, headers, body = answer(data)
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
    return status, headers, body


def error(data: bytes) -> tuple[int, str, str]:
    status, headers, body = answer(data)
    assert headers["content-type"] == "text/xml;charset=UTF-8"
    envelope = error_envelope(body)
    return status, envelope["Code"], envelope["Message"]


def clean_log(server: ServerProcess) -> str:
    log = (server.state_dir / "server.log").read_text(errors="replace")
    assert "Traceback" not in log and "Exception in ASGI" not in log, log
    return log


def signed_post(server: ServerProcess, body: bytes) -> tuple[str, dict[str, str], bytes]:
    _, url, headers, body = signed("POST", f"{server.endpoint}/", body)
    return url, headers, body


def request_bytes(server: ServerProcess, body: bytes, length: int | None = None) -> bytes:
    """A signed POST of ``body`` as raw bytes (``Content-Length`` as given, else its own)."""
    _, headers, body = signed_post(server, body)
    headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
    headers["Content-Length"] = str(len(body) if length is None else length)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n{head}\r\n".encode() + body


def run_body(server: ServerProcess) -> bytes:
    ec2 = server.client()
    return (f"Action=RunInstances&Version=2016-11-15&ImageId={image_id(ec2)}&InstanceType=t3.micro"
            "&MinCount=1&MaxCount=1").encode()


def no_instances(server: ServerProcess) -> bool:
    return server.client().describe_instances()["Reservations"] == []


# --------------------------------------------------------------------------- heads


def test_a_header_past_the_head_limit_is_invalid_request(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
    assert error(until_closed(sock)[0]) == (
        400, "InvalidRequest",
        "The request received was invalid: its request line and header fields exceed 8192 bytes.")
    clean_log(server)


def test_a_header_that_never_ends_is_refused_by_its_size_not_buffered(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: " + b"a" * 8000)  # nearly the limit at once
    sent = 8000
    try:
        while not select.select([sock], [], [], 0.01)[0] and sent < 1024 * 1024:
            sock.sendall(b"a" * 1024)
            sent += 1024
    except OSError:
        pass
    # Refused by its size, not by the time it took (that would be RequestTimeout).
    assert error(until_closed(sock)[0])[:2] == (400, "InvalidRequest")


def test_too_many_header_fields_are_invalid_request(server: ServerProcess) -> None:
    sock = connect(server)
    fields = b"".join(b"X-Field-%d: v\r\n" % n for n in range(31))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + fields + b"X-More: ")  # refused at the count, unfinished
    assert error(until_closed(sock)[0]) == (
        400, "InvalidRequest", "The request received was invalid: it has more than 30 header fields.")


def test_thirty_fields_within_the_head_limit_are_served(server: ServerProcess) -> None:
    request = request_bytes(server, b"Action=DescribeRegions&Version=2016-11-15")
    head, _, body = request.partition(b"\r\n\r\n")
    present = head.count(b"\r\n")  # the fields (the request line ends the first)
    head += b"".join(b"\r\nX-Field-%d: v" % n for n in range(30 - present))
    assert head.count(b"\r\n") == 30
    sock = connect(server)
    sock.sendall(head + b"\r\n\r\n" + body)
    status, _, answered = read_answer(sock)
    sock.close()
    assert (status, b"<regionName>us-east-1</regionName>" in answered) == (200, True)


def test_pipelined_requests_are_each_answered(server: ServerProcess) -> None:
    one = request_bytes(server, b"Action=DescribeRegions&Version=2016-11-15")
    sock = connect(server)
    sock.sendall(one + one + one)  # in one write: each head begins inside a read
    data = b""
    while data.count(b"</DescribeRegionsResponse>") < 3:
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    sock.close()
    assert data.count(b"HTTP/1.1 200 OK\r\n") == 3


def test_bytes_that_are_not_http_are_invalid_request(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not HTTP at all\r\n\r\n")
    assert error(until_closed(sock)[0]) == (
        400, "InvalidRequest", "The request received was invalid: it is not well-formed HTTP/1.1.")
    clean_log(server)


# --------------------------------------------------------------------------- bodies


def test_a_declared_body_past_the_limit_is_answered_before_any_of_it_is_sent(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(request_bytes(server, b"", length=65537))
    sock.settimeout(SOON)
    status, headers, body = read_answer(sock)  # no body sent: the answer comes from Content-Length alone
    assert (status, error_envelope(body)["Code"]) == (413, "RequestEntityTooLarge")
    sock.close()


def test_a_client_expecting_100_continue_is_refused_and_the_connection_closed(server: ServerProcess) -> None:
    sock = connect(server)
    head = request_bytes(server, b"", length=65537)
    sock.sendall(head.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n", 1))
    data, took = until_closed(sock)  # no 100 Continue: the answer, and the end
    status, headers, body = answer(data)
    assert (status, headers["connection"], error_envelope(body)["Code"]) == (413, "close", "RequestEntityTooLarge")
    assert took < SOON


def test_a_body_past_the_limit_sent_whole_is_refused_and_the_connection_goes_on(server: ServerProcess) -> None:
    url, headers, body = signed_post(server, run_body(server) + b"&TagSpecification.1.Tag.1.Value=" + b"x" * 100_000)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    assert (response.status, error_envelope(response.read())["Code"]) == (413, "RequestEntityTooLarge")
    _, query_url, headers, _ = signed("GET", f"{server.endpoint}/?Action=DescribeRegions&Version=2016-11-15")
    parts = urllib.parse.urlsplit(query_url)
    connection.request("GET", f"{parts.path}?{parts.query}", headers=headers)  # the same connection
    response = connection.getresponse()
    assert (response.status, b"<regionName>us-east-1</regionName>" in response.read()) == (200, True)
    connection.close()
    assert no_instances(server)


def test_a_chunked_body_past_the_limit_is_refused_as_it_passes(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")
    sent = 0
    while not select.select([sock], [], [], 0.01)[0]:
        sock.sendall(b"4000\r\n" + b"x" * 0x4000 + b"\r\n")
        sent += 0x4000
        assert sent < 1024 * 1024, "no answer after 1 MiB"
    status, _, body = read_answer(sock)
    assert (status, error_envelope(body)["Code"]) == (413, "RequestEntityTooLarge")
    sock.close()


def test_a_malformed_chunk_is_invalid_request_and_nothing_waits_for_it(server: ServerProcess) -> None:
    body = run_body(server)
    head = request_bytes(server, body).split(b"\r\n\r\n", 1)[0].replace(
        b"Content-Length: %d" % len(body), b"Transfer-Encoding: chunked")
    for expect in (b"", b"\r\nExpect: 100-continue"):  # the refusal comes before the app asks for the body
        sock = connect(server)
        sock.sendall(head + expect + b"\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\nZZ\r\n")
        data, took = until_closed(sock)
        assert error(data) == (400, "InvalidRequest",
                               "The request received was invalid: it is not well-formed HTTP/1.1.")
        assert took < SOON
    time.sleep(0.1)
    assert no_instances(server)
    clean_log(server)


def test_a_100_mb_body_is_refused_without_the_server_holding_it(server: ServerProcess) -> None:
    assert server.proc is not None
    before = rss_mib(server.proc.pid)
    sock = connect(server)
    size = 100 * 1024 * 1024
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: %d\r\n\r\n" % size)
    chunk, sent, answered_at = b"x" * (1024 * 1024), 0, None
    while sent < size:  # the whole of it, as a client that reads only once it has written
        sock.sendall(chunk)
        sent += len(chunk)
        if answered_at is None and select.select([sock], [], [], 0)[0]:
            answered_at = sent
    status, _, body = read_answer(sock)
    sock.close()
    assert (status, error_envelope(body)["Code"]) == (413, "RequestEntityTooLarge")
    assert answered_at is not None and answered_at < size // 4  # answered early, long before the end
    assert rss_mib(server.proc.pid) - before < 30


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("needs Linux /proc")


# --------------------------------------------------------------------------- time


def test_a_head_sent_half_is_cut_with_request_timeout(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Half")
    data, took = until_closed(sock)
    assert error(data) == (400, "RequestTimeout",
                           "The request did not arrive whole in the 0.5 s allowed; the connection is closed.")
    assert 0.4 < took < SOON


def test_a_connection_that_sends_nothing_is_closed_without_a_word(server: ServerProcess) -> None:
    data, took = until_closed(connect(server))
    assert data == b"" and took < SOON


def test_a_trickling_body_is_cut_and_nothing_is_done(server: ServerProcess) -> None:
    whole = request_bytes(server, run_body(server))
    sock = connect(server)
    sock.sendall(whole[:-20])
    started = time.monotonic()
    try:
        for byte in whole[-20:-1]:  # one byte every 0.1 s: the last never comes
            if select.select([sock], [], [], 0.1)[0]:
                break
            sock.sendall(bytes([byte]))
    except OSError:
        pass
    data, _ = until_closed(sock)
    assert error(data)[:2] == (400, "RequestTimeout")
    assert time.monotonic() - started < SOON
    assert no_instances(server)


def test_a_client_leaving_before_its_body_is_whole_has_nothing_done(server: ServerProcess) -> None:
    body = run_body(server)
    sock = connect(server)
    sock.sendall(request_bytes(server, body, length=len(body) + 10))  # a whole RunInstances, ten bytes short
    time.sleep(0.1)
    sock.close()
    time.sleep(0.2)
    assert no_instances(server)
    clean_log(server)


def test_an_idle_kept_alive_connection_is_closed(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(request_bytes(server, b"Action=DescribeRegions&Version=2016-11-15"))
    data, took = until_closed(sock)
    assert answer(data)[0] == 200
    assert 0.4 < took < SOON


def test_timeouts_leave_a_normal_client_alone(server: ServerProcess) -> None:
    ec2 = server.client()
    for _ in range(2):
        assert ec2.describe_instances()["Reservations"] == []
        time.sleep(0.6)  # past the idle timeout: the client's pooled connection is gone, it opens another


# --------------------------------------------------------------------------- connections


def test_connections_past_the_cap_are_answered_503_and_served_once_there_is_room(
        tmp_path: Path, migrated_database: Path) -> None:
    state = fresh_state(tmp_path / "state", migrated_database)
    # The held connections are cut after 3 s: time enough on a busy machine for the refusals.
    capped = ServerProcess(state, ["--max-connections", "3", "--header-timeout", "3"]).start()
    try:
        def client(attempts: int) -> Any:
            return boto3.client("ec2", region_name="us-east-1", endpoint_url=capped.endpoint,
                                aws_access_key_id="test", aws_secret_access_key="test",
                                config=Config(retries={"max_attempts": attempts, "mode": "standard"}))

        refused, retrying = client(1), client(10)
        held = [connect(capped) for _ in range(3)]
        time.sleep(0.1)
        sock = connect(capped)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        data, _ = until_closed(sock)
        status, headers, _ = answer(data)
        assert (error(data)[:2], headers["retry-after"]) == ((503, "ServiceUnavailable"), "1")
        assert error_of(refused.describe_instances)["Code"] == "ServiceUnavailable"
        # Room again (two held connections leave): a client retrying as the SDKs do is served.
        held.pop().close()
        held.pop().close()
        assert retrying.describe_instances()["Reservations"] == []
        # The last one never sends a head: the header timeout cuts it, without a word.
        assert until_closed(held.pop())[0] == b""
        assert clean_log(capped).count("the most --max-connections allows") == 1  # once, not per refusal
    finally:
        capped.stop()


# --------------------------------------------------------------------------- settings


def test_each_limit_is_a_serve_option_and_a_variable() -> None:
    shown = " ".join(CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output.split())
    for name in ("max-header-bytes", "max-headers", "max-body-bytes", "header-timeout", "body-timeout",
                 "idle-timeout", "max-connections"):
        assert f"--{name}" in shown and f"EC2EMU_{name.replace('-', '_').upper()}" in shown, name
    refused = CliRunner().invoke(main, ["serve", "--header-timeout", "0"])
    assert refused.exit_code == 2 and "--header-timeout" in refused.output


def test_the_variables_set_the_limits_and_nonsense_is_refused() -> None:
    settings = Settings.from_env({"EC2EMU_MAX_HEADERS": "7", "EC2EMU_HEADER_TIMEOUT": "2.5",
                                  "EC2EMU_MAX_CONNECTIONS": "12"})
    assert settings.limits == Limits(max_headers=7, header_timeout=2.5, max_connections=12)
    for field, value in (("max_connections", 0), ("body_timeout", -1.0), ("idle_timeout", float("inf"))):
        with pytest.raises(ValueError, match=field):
            Limits(**{field: value})


# --------------------------------------------------------------------------- mutations

_NAMES = [b"Host", b"Content-Type", b"Content-Length", b"Transfer-Encoding", b"Expect", b"Connection",
          b"X-Amz-Date", b"Authorization", b"X-Amz-Target", b"Upgrade", b"X-Other"]
_VALUES = [b"", b" ", b"\xff\xfe", b"\x80", b"chunked", b"100-continue", b"close", b"-1", b"99999999999999999999",
           b"application/x-amz-json-1.1", b"AWS4-HMAC-SHA256 Credential=a/b/c/d/e", b"a" * 3000, b"websocket"]
_BODIES = [b"", b"Action=DescribeRegions&Version=2016-11-15", b"5\r\nhello\r\n0\r\n\r\n", b"ZZ\r\n", b"{",
           b"\x00" * 100]


def test_mutated_requests_get_no_5xx_and_leave_no_traceback(server: ServerProcess) -> None:
    rnd = random.Random(22)
    statuses = set()
    for _ in range(200):
        fields = [(b"Host", b"x")] + [(rnd.choice(_NAMES), rnd.choice(_VALUES)) for _ in range(rnd.randint(0, 5))]
        method = rnd.choice([b"GET", b"POST", b"PUT", b"HEAD", b"OPTIONS"])
        head = method + b" / HTTP/1.1\r\n" + b"".join(name + b": " + value + b"\r\n" for name, value in fields)
        sock = connect(server)
        sock.settimeout(SOON)
        try:
            sock.sendall(head + b"\r\n" + rnd.choice(_BODIES))
            data = sock.recv(65536)
        except OSError:  # refused and closed before all of it was sent, or cut
            data = b""
        sock.close()
        if data:
            statuses.add(answer(data)[0] if b"\r\n\r\n" in data else int(data.split()[1]))
    assert statuses and max(statuses) < 500, statuses
    clean_log(server)
