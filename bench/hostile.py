"""Hostile clients against one server, while a normal client is served.

Run by hand::

    .venv/bin/python bench/hostile.py                        # 200 slow clients, 30 s
    .venv/bin/python bench/hostile.py --seconds 5 --json out.json

``ec2emu serve`` runs as a subprocess on a fresh SQLite state directory (with
``--header-timeout``, ``--body-timeout`` as given). One instance is launched; then, for
``--seconds``:

* ``--slow`` slowloris connections: each sends a request line and then one more byte of
  a header every ``--drip`` seconds, never finishing its head; when the server cuts one,
  its lifetime is noted and a new one opens in its place;
* a body of ``--body-mib`` MiB streamed at full speed (``Content-Length`` declared), the
  whole of it, by a client that reads the answer only once it has written everything (as
  the SDKs do), again and again; the bytes it had written when the answer could first be
  read are noted;
* a normal boto3 client (standard retries, its connection kept alive) calls
  DescribeInstances in a loop, each call timed.

With ``--slow`` past ``--max-connections`` the connections past the cap are answered 503
at once (and reopen at once: a flood); the normal client's open connection is served as
before.

Printed (and written to ``--json``): the normal client's latency (p50, p99, max) and its
errors; the slow connections opened, cut by the server, and the longest any lived; each
body's answer; the server's RSS before and at its largest (sampled every 50 ms).
"""

from __future__ import annotations

import argparse
import json
import select
import selectors
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import Server, machine, percentile, start_ec2emu  # noqa: E402  (bench/bench.py)

MIB = 1024 * 1024


def readable(sock: socket.socket) -> bool:
    """Whether ``sock`` has something to read now (poll: its number may be past select's)."""
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


class Slowloris(threading.Thread):
    """``count`` connections that never finish their heads, reopened as the server cuts them."""

    def __init__(self, port: int, count: int, drip: float, until: float) -> None:
        super().__init__(daemon=True)
        self.port, self.count, self.drip, self.until = port, count, drip, until
        self.opened = 0
        self.lifetimes: list[float] = []  # seconds from opening to the server's close
        self.refused = 0  # connections the server would not take at all
        self.answers: dict[str, int] = {}  # the status line each cut one was answered, if any
        self.received: dict[socket.socket, bytes] = {}

    def open(self) -> tuple[socket.socket, float] | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        except OSError:
            self.refused += 1
            return None
        sock.setblocking(False)
        self.opened += 1
        return sock, time.monotonic()

    def run(self) -> None:
        live: dict[socket.socket, float] = {}
        events = selectors.DefaultSelector()

        def fill() -> None:
            while len(live) < self.count and time.monotonic() < self.until:
                opened = self.open()
                if not opened:
                    return
                live[opened[0]] = opened[1]
                events.register(opened[0], selectors.EVENT_READ)

        fill()
        next_drip = time.monotonic() + self.drip
        while time.monotonic() < self.until:
            for key, _ in events.select(max(0.0, min(next_drip - time.monotonic(), 0.05))):
                self.cut(key.fileobj, live, events)  # type: ignore[arg-type]
            if time.monotonic() >= next_drip:
                next_drip += self.drip
                for sock in list(live):
                    try:
                        sock.send(b"a")
                    except OSError:
                        self.cut(sock, live, events)
            fill()
        for sock in live:
            sock.close()

    def cut(self, sock: socket.socket, live: dict[socket.socket, float], events: selectors.BaseSelector) -> None:
        if sock not in live:
            return
        data = self.received.pop(sock, b"")
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except BlockingIOError:
            self.received[sock] = data  # an answer arrived; the close follows
            return
        except OSError:
            pass
        self.lifetimes.append(time.monotonic() - live.pop(sock))
        status = data.split(b"\r\n", 1)[0].decode(errors="replace") or "(closed without an answer)"
        self.answers[status] = self.answers.get(status, 0) + 1
        events.unregister(sock)
        sock.close()


class BigBody(threading.Thread):
    """``mib`` MiB bodies, each written whole at full speed before its answer is read."""

    def __init__(self, port: int, mib: int, until: float, once: bool) -> None:
        super().__init__(daemon=True)
        self.port, self.size, self.until, self.once = port, mib * MIB, until, once
        self.bodies: list[dict[str, Any]] = []

    def run(self) -> None:
        while time.monotonic() < self.until:
            self.bodies.append(self.one())
            if self.once:
                return

    def one(self) -> dict[str, Any]:
        started = time.monotonic()
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n" % self.size)
        chunk = b"x" * MIB
        sent, answer_seen_at = 0, None
        try:
            while sent < self.size:
                sent += sock.send(chunk[: self.size - sent])
                if answer_seen_at is None and readable(sock):
                    answer_seen_at = sent
            answer = b""
            while b"\r\n\r\n" not in answer:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except OSError as error:
            return {"error": repr(error), "sent": sent, "seconds": time.monotonic() - started}
        finally:
            sock.close()
        return {"status": answer.split(b"\r\n", 1)[0].decode(errors="replace"), "sent": sent,
                "answer_readable_after_bytes": answer_seen_at, "seconds": round(time.monotonic() - started, 3)}


class Rss(threading.Thread):
    """The server's largest RSS, sampled every 50 ms until stopped."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.stopped = threading.Event()
        self.peak = 0.0

    def run(self) -> None:
        while not self.stopped.wait(0.05):
            self.peak = max(self.peak, self.server.rss_mib())


def normal_client(ec2: Any, until: float) -> tuple[list[float], list[str]]:
    """DescribeInstances in a loop until ``until``: each call's seconds, and the errors."""
    latencies: list[float] = []
    errors: list[str] = []
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            ec2.describe_instances()
        except Exception as error:  # counted; the run goes on
            errors.append(repr(error))
        latencies.append(time.monotonic() - started)
        time.sleep(0.01)
    return latencies, errors


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    server = start_ec2emu(workdir, ["--header-timeout", str(args.header_timeout),
                                    "--body-timeout", str(args.body_timeout),
                                    "--max-connections", str(args.max_connections)])
    try:
        endpoint = f"http://127.0.0.1:{server.port}"
        # The normal client: the SDK's standard retries, one kept-alive connection.
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                           aws_secret_access_key="test", config=Config(retries={"mode": "standard"}))
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
        baseline, _ = normal_client(ec2, time.monotonic() + 0.5)  # warm, and unhindered
        rss_before = server.rss_mib()
        until = time.monotonic() + args.seconds
        slow = Slowloris(server.port, args.slow, args.drip, until)
        body = BigBody(server.port, args.body_mib, until, once=args.one_body)
        rss = Rss(server)
        for thread in (rss, slow, body):
            thread.start()
        time.sleep(min(0.5, args.seconds / 4))  # the slow connections are open first
        latencies, errors = normal_client(ec2, until)
        slow.join()
        body.join(timeout=60)
        rss.stopped.set()
        rss.join()
        log = (workdir / "ec2emu.log").read_text(errors="replace")
    finally:
        server.stop()
    return {
        "machine": machine(),
        "settings": {"slow": args.slow, "drip": args.drip, "body_mib": args.body_mib, "seconds": args.seconds,
                     "header_timeout": args.header_timeout, "body_timeout": args.body_timeout,
                     "max_connections": args.max_connections},
        "client": {"calls": len(latencies), "errors": errors[:5], "error_count": len(errors),
                   "p50_ms": percentile(latencies, 0.5) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
                   "max_ms": max(latencies, default=float("nan")) * 1000,
                   "unhindered_p50_ms": percentile(baseline, 0.5) * 1000},
        "slow": {"opened": slow.opened, "cut": len(slow.lifetimes), "refused": slow.refused,
                 "longest_lived_s": max(slow.lifetimes, default=0.0), "answers": slow.answers},
        "bodies": body.bodies,
        "server": {"rss_before_mib": rss_before, "rss_peak_mib": max(rss.peak, rss_before),
                   "tracebacks": log.count("Traceback")},
    }


def report(results: dict[str, Any]) -> str:
    client, slow, server = results["client"], results["slow"], results["server"]
    lines = [
        f"normal client: {client['calls']} DescribeInstances calls, {client['error_count']} errors; "
        f"latency p50 {client['p50_ms']:.1f} ms, p99 {client['p99_ms']:.1f} ms, max {client['max_ms']:.1f} ms "
        f"(unhindered p50 {client['unhindered_p50_ms']:.1f} ms)",
        f"slow connections: {slow['opened']} opened, {slow['cut']} cut by the server, longest lived "
        f"{slow['longest_lived_s']:.2f} s (header timeout {results['settings']['header_timeout']} s); "
        f"answers {slow['answers']}",
    ]
    bodies = results["bodies"]
    statuses = sorted({body.get("status", body.get("error", "")) for body in bodies})
    early = [body["answer_readable_after_bytes"] for body in bodies if body.get("answer_readable_after_bytes")]
    seconds = sorted(body["seconds"] for body in bodies)
    lines.append(f"{results['settings']['body_mib']} MiB bodies: {len(bodies)} written whole, answered {statuses}; "
                 f"the answer readable after at most {max(early, default=0) / MIB:.0f} MiB written; "
                 f"each took {percentile(seconds, 0.5):.2f} s (median), {max(seconds, default=0):.2f} s at most")
    lines.append(f"server RSS: {server['rss_before_mib']:.1f} MiB before, {server['rss_peak_mib']:.1f} MiB at most; "
                 f"tracebacks in its log: {server['tracebacks']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=200, help="slowloris connections held open")
    parser.add_argument("--drip", type=float, default=0.5, help="seconds between a slow connection's bytes")
    parser.add_argument("--body-mib", type=int, default=100, help="size of the streamed body")
    parser.add_argument("--one-body", action="store_true", help="stream one body, not one after another")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the attack lasts")
    parser.add_argument("--header-timeout", type=float, default=2.0)
    parser.add_argument("--body-timeout", type=float, default=5.0)
    parser.add_argument("--max-connections", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="where the server's state and log go (default: a new "
                        "temporary directory; an ec2emu-state/ there already migrated saves the migration)")
    args = parser.parse_args(argv)
    if args.workdir:
        results = run(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="ec2emu-hostile-") as workdir:
            results = run(args, Path(workdir))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
