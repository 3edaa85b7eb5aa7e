"""``GET /_ec2emu/events/stream`` on a real server, read with a raw HTTP client: the
events already written, then each new one as it is written (EC2's and PutEvents', on
SQLite and PostgreSQL), resuming after ``Last-Event-ID``; refused without the admin token; a server shutting
down ends the stream and exits; a request refused is answered before any stream."""

from __future__ import annotations

import http.client
import json
import signal
import time
import urllib.request
from typing import Any

import pytest

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from tests.conftest import ServerProcess
from tests.helpers import launch
from tests.two_accounts import strict_app  # noqa: F401

TOKEN = "test-admin-token"
PATH = "/_ec2emu/events/stream"


class Stream:
    """One server-sent events answer, read event by event."""

    def __init__(self, server: ServerProcess, headers: dict[str, str], query: str = "") -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        self.connection.request("GET", PATH + query, headers=headers)
        self.response = self.connection.getresponse()

    def next(self) -> tuple[int, dict[str, Any]]:
        """The next event but the calls' own (written whenever the trail is flushed)."""
        while True:
            found = self.next_any()
            if found[1]["detail-type"] != "AWS API Call via CloudTrail":
                return found

    def next_any(self) -> tuple[int, dict[str, Any]]:
        fields: dict[str, str] = {}
        while True:
            raw = self.response.readline()
            if not raw:
                raise EOFError("the stream ended")
            line = raw.decode().rstrip("\n")
            if not line:
                if "data" in fields:
                    return int(fields["id"]), json.loads(fields["data"])
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(": ")
                fields[name] = value

    def close(self) -> None:
        self.connection.close()


def advance(server: ServerProcess, seconds: float) -> None:
    request = urllib.request.Request(f"{server.endpoint}/_ec2emu/clock", method="POST",
                                     data=json.dumps({"advance_seconds": seconds}).encode(),
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_the_stream_sends_written_events_then_new_ones_and_resumes_after_the_last_id(server: ServerProcess) -> None:
    [instance] = launch(server.client())
    stream = Stream(server, {"Authorization": f"Bearer {TOKEN}"})
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("content-type") == "text/event-stream; charset=utf-8"
        first, pending = stream.next()
        assert (pending["detail"], pending["account"]) == ({"instance-id": instance, "state": "pending"},
                                                           "000000000000")
        advance(server, 30)  # emitted while the stream is open
        second, running = stream.next()
        assert second > first and running["detail"]["state"] == "running"
        [entry] = server.client(service="events").put_events(
            Entries=[{"Source": "my.app", "DetailType": "Ping", "Detail": '{"n": 1}'}])["Entries"]
        third, custom = stream.next()
        assert third > second and (custom["id"], custom["detail"]) == (entry["EventId"], {"n": 1})
    finally:
        stream.close()
    resumed = Stream(server, {"Authorization": f"Bearer {TOKEN}", "Last-Event-ID": str(first)})
    try:
        assert [resumed.next(), resumed.next()] == [(second, running), (third, custom)]
    finally:
        resumed.close()
    server_side = Stream(server, {"Authorization": f"Bearer {TOKEN}"}, f"?after={second}")
    try:
        assert server_side.next() == (third, custom)
    finally:
        server_side.close()


def test_the_stream_needs_the_admin_token_and_a_whole_last_event_id(server: ServerProcess) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        refused = Stream(server, headers)
        assert refused.response.status == 401
        assert json.loads(refused.response.read())["error"] == "admin token required"
        refused.close()
    bad = Stream(server, {"Authorization": f"Bearer {TOKEN}", "Last-Event-ID": "x1"})
    assert bad.response.status == 400
    bad.close()


def test_a_server_shutting_down_ends_the_stream_and_exits(server: ServerProcess) -> None:
    stream = Stream(server, {"Authorization": f"Bearer {TOKEN}"})
    assert stream.response.status == 200
    assert server.proc is not None
    started = time.monotonic()
    server.proc.terminate()
    # uvicorn shuts down gracefully, then ends by the signal it caught (-SIGTERM); it
    # would wait for the stream's answer to finish if the stream did not end itself.
    assert server.proc.wait(timeout=8) in (0, -signal.SIGTERM)
    assert time.monotonic() - started < 5
    assert "graceful shutdown exceeded" not in (server.state_dir / "server.log").read_text()
    try:
        stream.next()
        raise AssertionError("an event after shutdown")
    except (EOFError, http.client.IncompleteRead, ConnectionError):
        pass
    stream.close()



def test_in_process_refusals_come_before_any_stream(strict_app: Emulator) -> None:  # noqa: F811
    transport = InProcessTransport(strict_app)
    try:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert transport.request("POST", f"http://ec2emu.test{PATH}", auth, b"")[0] == 405
        assert transport.request("GET", f"http://ec2emu.test{PATH}", {}, b"")[0] == 401
        for query in ("?after=-1", "?after=1.5", "?after=%EF%BC%91"):
            assert transport.request("GET", f"http://ec2emu.test{PATH}{query}", auth, b"")[0] == 400, query
    finally:
        transport.close()
