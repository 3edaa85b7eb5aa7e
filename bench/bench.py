"""The same EC2 workload against ec2emu and against moto server, side by side.

Run by hand or with ``make bench`` (which first builds ``bench/.venv-moto`` with the
pinned ``moto[server]``; moto is never a dependency of ec2emu or of its tests)::

    .venv/bin/python bench/bench.py --moto-server bench/.venv-moto/bin/moto_server
    .venv/bin/python bench/bench.py --scales 1000,10000 --no-moto     # ec2emu alone

Both servers run as subprocesses on this machine (``ec2emu serve`` on a fresh SQLite
state directory, ``moto_server``) and are driven by the same small client: requests are
signed with botocore's SigV4 signer and sent over one kept-alive ``http.client``
connection per thread, so client-side cost is the same for both and small. For each
scale (instances stored: 1k, 10k, 100k by default) the phases run one after the other,
and within a phase ec2emu and moto take turns, so both see the same machine noise:

* populate: RunInstances of up to 1000 a call (each instance tagged ``Name=pop-N``)
  until the scale is reached, into subnets of the benchmark's own (a /16 VPC and subnet
  each, made when the last is full: the default subnets hold too few addresses); one
  instance is then re-tagged ``Name=needle-<scale>``;
* describe-id: DescribeInstances naming one random stored instance;
* tag-filter: DescribeInstances with ``tag:Name=needle-<scale>`` (matches one);
* listing: every instance, paginated with ``MaxResults=1000``;
* threads: eight client threads describing by ID;
* run: RunInstances of 100 a call;
* terminate: TerminateInstances naming 1000 of the instances the run phase launched.

The run and terminate phases each begin after ``--aftermath`` seconds of quiet, so that
what the phase before set off in the background (the settler's transitions, the audit
trail's flush, event delivery) is not counted in theirs; their CPU per call is also
given whole (``server_cpu_ms_per_call_whole``): read once the same seconds have passed
after the last call, so it holds what the calls set off as well (the instances leaving
``pending`` or ``shutting-down``, root volumes deleted, the trail's records stored), and
the server's idle ticks of those seconds.

Measured: client-side latency of each call (p50, p99), the server process's CPU time
(Linux's CPU-time clock of the process, to the nanosecond) divided by the calls of a
phase, and the server's resident set (``VmRSS``) after the scale's phases. Describe by
ID runs in blocks, the targets taking turns block by block, and its CPU per call is the
median of the blocks' (the whole phase's figure is kept in the JSON as well). moto runs up to
``--moto-max-scale`` and each of its phases is capped at ``--moto-phase-seconds``
(the first call of a phase always completes); a capped phase reports what it finished.
The table goes to stdout, the full results to JSON (``bench/results/`` by default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT = Path(__file__).resolve().parent.parent
API_VERSION = "2016-11-15"
REGION = "us-east-1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

INSTANCE_ID = re.compile(rb"<instanceId>(i-[0-9a-f]+)</instanceId>")
VPC_ID = re.compile(rb"<vpcId>(vpc-[0-9a-f]+)</vpcId>")
SUBNET_ID = re.compile(rb"<subnetId>(subnet-[0-9a-f]+)</subnetId>")
SUBNET_ADDRESSES = 2**16 - 5  # a /16 subnet, less the five addresses AWS keeps
IMAGE_ID = re.compile(rb"<imageId>(ami-[0-9a-f]+)</imageId>")
NEXT_TOKEN = re.compile(rb"<nextToken>([^<]+)</nextToken>")


# --------------------------------------------------------------------------- client


class ApiError(RuntimeError):
    pass


class Client:
    """One kept-alive connection, requests signed as the ``test``/``test`` root."""

    def __init__(self, port: int, timeout: float = 600) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.signer = SigV4Auth(Credentials("test", "test"), "ec2", REGION)

    def call(self, action: str, params: list[tuple[str, Any]] | None = None) -> tuple[bytes, float]:
        """The response body and the seconds from sending the request to reading all of it."""
        body = urlencode([("Action", action), ("Version", API_VERSION), *(params or [])]).encode()
        request = AWSRequest("POST", f"http://{self.host}/", data=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        self.signer.add_auth(request)
        headers = dict(request.headers.items())
        started = time.perf_counter()
        try:
            self.conn.request("POST", "/", body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # a server that closed a kept-alive connection: once more
            started = time.perf_counter()
            self.conn.request("POST", "/", body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise ApiError(f"{action}: HTTP {response.status}: {data[:500]!r}")
        return data, elapsed

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _process_cpu_clock(pid: int) -> int:
    """Linux's clock ID for the CPU time of process ``pid`` (``clock_getcpuclockid``:
    the process's ``CPUCLOCK_SCHED`` clock, the sum of its threads' run time)."""
    return (~pid << 3) | 2


class Server:
    """A server subprocess whose CPU time and memory are read from the kernel."""

    def __init__(self, name: str, command: list[str], port: int, log: Path,
                 env: dict[str, str] | None = None) -> None:
        self.name = name
        self.port = port
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited: see {log}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{name} did not start")

    def cpu_seconds(self) -> float:
        """The process's CPU time (every thread's, exited ones included): Linux's CPU-time
        clock of the process, to the nanosecond; else ``utime + stime`` from ``/proc``, in
        ticks of 1/``SC_CLK_TCK`` s (10 ms), too coarse for a few hundred short calls."""
        try:
            return time.clock_gettime(_process_cpu_clock(self.proc.pid))
        except OSError:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def start_ec2emu(workdir: Path, extra: list[str]) -> Server:
    port = free_port()
    state = workdir / "ec2emu-state"
    command = [sys.executable, "-m", "ec2emu", "serve", "--port", str(port), "--state-dir", str(state), *extra]
    return Server("ec2emu", command, port, workdir / "ec2emu.log")


def start_moto(workdir: Path, executable: str) -> Server:
    port = free_port()
    return Server("moto", [executable, "-H", "127.0.0.1", "-p", str(port)], port, workdir / "moto.log")


# --------------------------------------------------------------------------- one target


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Target:
    """One server under test and what the benchmark knows about its contents."""

    def __init__(self, server: Server, phase_seconds: float) -> None:
        self.server = server
        self.name = server.name
        self.client = Client(server.port)
        self.phase_seconds = phase_seconds
        self.ids: list[str] = []          # every instance launched (terminated ones included)
        self.live: list[str] = []         # instances never terminated: the ones described
        self.launched_for_terminate: list[str] = []
        self.subnets: list[list[Any]] = []  # [subnet ID, addresses still free], the last in use
        body, _ = self.client.call("DescribeImages", [
            ("Owner.1", "amazon"),
            ("Filter.1.Name", "architecture"), ("Filter.1.Value.1", "x86_64"),
            ("Filter.2.Name", "root-device-type"), ("Filter.2.Value.1", "ebs"),
            ("Filter.3.Name", "virtualization-type"), ("Filter.3.Value.1", "hvm"),
        ])
        found = IMAGE_ID.findall(body)
        if not found:
            raise RuntimeError(f"{self.name}: no x86_64 EBS HVM image from amazon")
        self.image_id = found[0].decode()

    def measured(self, calls: Callable[[float], tuple[int, list[float]]],
                 seconds: float | None = None, aftermath: float = 0.0) -> dict[str, Any]:
        """Run ``calls(deadline)`` (for the phase's seconds unless ``seconds`` is given);
        the calls made, latencies and server CPU per call. With ``aftermath`` seconds:
        that long a wait first, and the CPU per call read again that long after the last
        call (``server_cpu_ms_per_call_whole``)."""
        time.sleep(aftermath)
        cpu_before = self.server.cpu_seconds()
        started = time.perf_counter()
        count, latencies = calls(started + (self.phase_seconds if seconds is None else seconds))
        wall = time.perf_counter() - started
        cpu = self.server.cpu_seconds() - cpu_before
        result = {
            "calls": count,
            "wall_s": wall,
            "server_cpu_ms_per_call": 1000 * cpu / count if count else None,
            "p50_ms": 1000 * percentile(latencies, 0.5),
            "p99_ms": 1000 * percentile(latencies, 0.99),
        }
        if aftermath:
            time.sleep(aftermath)
            whole = self.server.cpu_seconds() - cpu_before
            result["server_cpu_ms_per_call_whole"] = 1000 * whole / count if count else None
        return result

    def subnet_for(self, count: int) -> str:
        """A subnet with room for ``count`` more instances: a VPC ``10.N.0.0/16`` with one
        subnet spanning it, made when the last is full (the default subnets, a /20 per
        zone, hold some 24,000 instances in all, as on AWS)."""
        if not self.subnets or self.subnets[-1][1] < count:
            block = f"10.{len(self.subnets)}.0.0/16"
            body, _ = self.client.call("CreateVpc", [("CidrBlock", block)])
            vpc_id = VPC_ID.findall(body)[0].decode()
            body, _ = self.client.call("CreateSubnet", [("VpcId", vpc_id), ("CidrBlock", block)])
            self.subnets.append([SUBNET_ID.findall(body)[0].decode(), SUBNET_ADDRESSES])
        self.subnets[-1][1] -= count
        return str(self.subnets[-1][0])

    def run(self, count: int, tags: list[tuple[str, str]] | None = None) -> tuple[list[str], float]:
        params: list[tuple[str, Any]] = [("ImageId", self.image_id), ("InstanceType", "t3.micro"),
                                         ("MinCount", count), ("MaxCount", count),
                                         ("SubnetId", self.subnet_for(count))]
        if tags:
            params.append(("TagSpecification.1.ResourceType", "instance"))
            for n, (key, value) in enumerate(tags, 1):
                params += [(f"TagSpecification.1.Tag.{n}.Key", key), (f"TagSpecification.1.Tag.{n}.Value", value)]
        body, elapsed = self.client.call("RunInstances", params)
        launched = [value.decode() for value in INSTANCE_ID.findall(body)]
        if len(launched) != count:
            raise RuntimeError(f"{self.name}: RunInstances gave {len(launched)} of {count}")
        self.ids += launched
        return launched, elapsed

    # ------------------------------------------------------------------ phases
    def populate(self, scale: int, batch: int) -> dict[str, Any]:
        started = time.perf_counter()
        cpu_before = self.server.cpu_seconds()
        added = 0
        while len(self.ids) < scale:
            launched, _ = self.run(min(batch, scale - len(self.ids)), [("Name", f"pop-{len(self.ids)}")])
            self.live += launched
            added += len(launched)
        needle = random.choice(self.live)
        self.client.call("CreateTags", [("ResourceId.1", needle), ("Tag.1.Key", "Name"),
                                        ("Tag.1.Value", f"needle-{scale}")])
        self.needle = (needle, f"needle-{scale}")
        wall = time.perf_counter() - started
        cpu = self.server.cpu_seconds() - cpu_before
        return {"added": added, "wall_s": wall, "instances_per_s": added / wall if wall else None,
                "server_cpu_s": cpu}

    def describe_by_id(self, max_calls: int, seconds: float | None = None) -> dict[str, Any]:
        """One block of describe-by-ID calls (see :func:`_describe_phase`), with its
        calls' latencies."""
        latencies: list[float] = []

        def calls(deadline: float) -> tuple[int, list[float]]:
            for _ in range(max_calls):
                _, elapsed = self.client.call("DescribeInstances", [("InstanceId.1", random.choice(self.live))])
                latencies.append(elapsed)
                if time.perf_counter() > deadline:
                    break
            return len(latencies), latencies
        return {**self.measured(calls, seconds), "latencies": latencies}

    def tag_filter(self, max_calls: int) -> dict[str, Any]:
        needle_id, value = self.needle

        def calls(deadline: float) -> tuple[int, list[float]]:
            latencies = []
            for _ in range(max_calls):
                body, elapsed = self.client.call("DescribeInstances", [
                    ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", value)])
                found = [v.decode() for v in INSTANCE_ID.findall(body)]
                if found != [needle_id]:
                    raise RuntimeError(f"{self.name}: tag filter found {found[:5]}, not {needle_id}")
                latencies.append(elapsed)
                if time.perf_counter() > deadline:
                    break
            return len(latencies), latencies
        return self.measured(calls)

    def listing(self) -> dict[str, Any]:
        seen: list[int] = [0]
        complete: list[bool] = [False]

        def calls(deadline: float) -> tuple[int, list[float]]:
            latencies = []
            token: bytes | None = None
            while True:
                params: list[tuple[str, Any]] = [("MaxResults", 1000)]
                if token:
                    params.append(("NextToken", token.decode()))
                body, elapsed = self.client.call("DescribeInstances", params)
                latencies.append(elapsed)
                seen[0] += len(INSTANCE_ID.findall(body))
                match = NEXT_TOKEN.search(body)
                token = match.group(1) if match else None
                if token is None:
                    complete[0] = True
                    break
                if time.perf_counter() > deadline:
                    break
            return len(latencies), latencies
        result = self.measured(calls)
        result.update(instances=seen[0], complete=complete[0])
        return result

    def threads(self, workers: int) -> dict[str, Any]:
        latencies: list[float] = []
        counts: list[int] = []
        lock = threading.Lock()
        errors: list[BaseException] = []

        def worker(deadline: float) -> None:
            client = Client(self.server.port)
            mine: list[float] = []
            try:
                while time.perf_counter() < deadline:
                    _, elapsed = client.call("DescribeInstances", [("InstanceId.1", random.choice(self.live))])
                    mine.append(elapsed)
            except BaseException as error:
                errors.append(error)
            finally:
                client.close()
            with lock:
                latencies.extend(mine)
                counts.append(len(mine))

        def calls(deadline: float) -> tuple[int, list[float]]:
            pool = [threading.Thread(target=worker, args=(deadline,)) for _ in range(workers)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            if errors:
                raise errors[0]
            return sum(counts), latencies
        result = self.measured(calls)
        result["calls_per_s"] = result["calls"] / result["wall_s"]
        return result

    def run_instances(self, calls_wanted: int, per_call: int, aftermath: float = 0.0) -> dict[str, Any]:
        launched_total: list[str] = []

        def calls(deadline: float) -> tuple[int, list[float]]:
            latencies = []
            for _ in range(calls_wanted):
                launched, elapsed = self.run(per_call)
                launched_total.extend(launched)
                latencies.append(elapsed)
                if time.perf_counter() > deadline:
                    break
            return len(latencies), latencies
        result = self.measured(calls, aftermath=aftermath)
        self.launched_for_terminate = launched_total
        result["instances"] = len(launched_total)
        result["instances_per_s"] = len(launched_total) / result["wall_s"]
        return result

    def terminate(self, per_call: int, aftermath: float = 0.0) -> dict[str, Any]:
        pending = list(self.launched_for_terminate)
        sizes: list[int] = []

        def calls(deadline: float) -> tuple[int, list[float]]:
            latencies = []
            while len(pending) >= per_call or (pending and not latencies):
                chunk = [pending.pop() for _ in range(min(per_call, len(pending)))]
                params = [(f"InstanceId.{n}", value) for n, value in enumerate(chunk, 1)]
                _, elapsed = self.client.call("TerminateInstances", params)
                latencies.append(elapsed)
                sizes.append(len(chunk))
                if time.perf_counter() > deadline:
                    break
            return len(latencies), latencies
        result = self.measured(calls, aftermath=aftermath)
        result["ids_per_call"] = min(sizes) if sizes else 0
        return result

    def close(self) -> None:
        self.client.close()
        self.server.stop()


# --------------------------------------------------------------------------- report

# (phase, metric key, label, higher is better)
ROWS = [
    ("populate", "instances_per_s", "populate, instances/s (RunInstances ≤1000/call)", True),
    ("describe_id", "server_cpu_ms_per_call", "describe by ID, server CPU ms/call", False),
    ("describe_id", "p50_ms", "describe by ID, p50 ms", False),
    ("describe_id", "p99_ms", "describe by ID, p99 ms", False),
    ("tag_filter", "p50_ms", "tag filter (1 match), p50 ms", False),
    ("tag_filter", "server_cpu_ms_per_call", "tag filter, server CPU ms/call", False),
    ("listing", "wall_s", "full listing (1000/page), s", False),
    ("terminate", "p50_ms", "TerminateInstances 1000 IDs, ms", False),
    ("terminate", "server_cpu_ms_per_call", "TerminateInstances 1000 IDs, server CPU ms/call", False),
    ("terminate", "server_cpu_ms_per_call_whole", "… with what it sets off, server CPU ms/call", False),
    ("run", "instances_per_s", "RunInstances 100/call, instances/s", True),
    ("run", "server_cpu_ms_per_call", "RunInstances 100/call, server CPU ms/call", False),
    ("run", "server_cpu_ms_per_call_whole", "… with what it sets off, server CPU ms/call", False),
    ("threads", "calls_per_s", "8 threads describe by ID, calls/s", True),
    ("threads", "p99_ms", "8 threads describe by ID, p99 ms", False),
    ("memory", "rss_mib", "server RSS, MiB", False),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"
    return str(value)


def _note(phase: dict[str, Any] | None) -> str:
    if not phase:
        return ""
    if phase.get("complete") is False:
        return f" (capped: {phase.get('instances')} listed)"
    if "calls" in phase and phase.get("capped"):
        return f" (capped: {phase['calls']} calls)"
    return ""


def table(results: dict[str, Any]) -> str:
    lines = ["| scale | measure | ec2emu | moto | ec2emu vs moto |", "| ---: | --- | ---: | ---: | ---: |"]
    for scale_entry in results["scales"]:
        scale = scale_entry["scale"]
        for phase, key, label, higher in ROWS:
            ours = scale_entry["ec2emu"].get(phase, {}).get(key)
            theirs_phase = scale_entry.get("moto", {}).get(phase)
            theirs = theirs_phase.get(key) if theirs_phase else None
            ratio = ""
            if ours and theirs:
                factor = ours / theirs if higher else theirs / ours
                ratio = f"{factor:,.1f}×"
            lines.append(f"| {scale:,} | {label} | {_fmt(ours)} | {_fmt(theirs)}{_note(theirs_phase)} | {ratio} |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform()}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1000,10000,100000", help="instances stored, comma-separated")
    parser.add_argument("--moto-server", default=str(ROOT / "bench/.venv-moto/bin/moto_server"),
                        help="the moto_server executable")
    parser.add_argument("--no-moto", action="store_true", help="benchmark ec2emu alone")
    parser.add_argument("--moto-max-scale", type=int, default=10000)
    parser.add_argument("--moto-phase-seconds", type=float, default=45.0,
                        help="cap on each of moto's phases (the first call always completes)")
    parser.add_argument("--phase-seconds", type=float, default=60.0, help="cap on each of ec2emu's phases")
    parser.add_argument("--describe-calls", type=int, default=2000)
    parser.add_argument("--describe-blocks", type=int, default=5,
                        help="blocks the describe-by-ID calls are made in, the targets taking turns")
    parser.add_argument("--filter-calls", type=int, default=200)
    parser.add_argument("--run-calls", type=int, default=30, help="RunInstances calls of 100 per scale")
    parser.add_argument("--thread-seconds", type=float, default=8.0)
    parser.add_argument("--populate-batch", type=int, default=1000)
    parser.add_argument("--aftermath", type=float, default=4.0,
                        help="seconds of quiet before the run and terminate phases, and after them for their whole CPU")
    parser.add_argument("--json", dest="json_path", default=None, help="where to write the results")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    scales = [int(value) for value in args.scales.split(",")]
    use_moto = not args.no_moto
    if use_moto and not Path(args.moto_server).exists():
        parser.error(f"{args.moto_server} not found (make bench builds it), or pass --no-moto")

    workdir = Path(tempfile.mkdtemp(prefix="ec2emu-bench-"))
    targets: dict[str, Target] = {}
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "scales": [],
    }
    try:
        targets["ec2emu"] = Target(start_ec2emu(workdir, []), args.phase_seconds)
        if use_moto:
            targets["moto"] = Target(start_moto(workdir, args.moto_server), args.moto_phase_seconds)
        for scale in scales:
            active = {name: t for name, t in targets.items() if name == "ec2emu" or scale <= args.moto_max_scale}
            entry: dict[str, Any] = {"scale": scale, **{name: {} for name in active}}
            results["scales"].append(entry)

            populate_batch = args.populate_batch
            _phase(scale, entry, active, "populate", lambda t, n=scale, b=populate_batch: t.populate(n, b))
            # The launched instances leave pending on the server's clock: let them settle.
            time.sleep(2)
            for target in active.values():
                target.client.call("DescribeInstances", [("InstanceId.1", target.live[0])])
            _describe_phase(scale, entry, active, args.describe_calls, args.describe_blocks)
            _phase(scale, entry, active, "tag_filter", lambda t: t.tag_filter(args.filter_calls))
            _phase(scale, entry, active, "listing", lambda t: t.listing())
            _phase(scale, entry, active, "threads", lambda t: _threads(t, args.thread_seconds))
            _phase(scale, entry, active, "run", lambda t: t.run_instances(args.run_calls, 100, args.aftermath))
            _phase(scale, entry, active, "terminate", lambda t: t.terminate(1000, args.aftermath))
            for target_name, target in active.items():
                entry[target_name]["memory"] = {"rss_mib": target.server.rss_mib()}
            entry["stored"] = {name: len(t.ids) for name, t in active.items()}
    finally:
        for target in targets.values():
            target.close()
    rendered = table(results)
    header = (f"{results['date']} · {results['machine']['cores']} cores ({results['machine']['cpu']}) · "
              f"Python {results['machine']['python']}")
    print(header)
    print(rendered)
    json_path = Path(args.json_path) if args.json_path else ROOT / "bench/results" / f"bench-{results['date']}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    results["table"] = rendered
    json_path.write_text(json.dumps(results, indent=2))
    print(f"results: {json_path}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _phase(scale: int, entry: dict[str, Any], active: dict[str, Target], name: str,
           action: Callable[[Target], dict[str, Any]]) -> None:
    """One phase, run against each target in turn (ec2emu first, then moto)."""
    for target_name, target in active.items():
        outcome = action(target)
        if name != "threads" and outcome.get("wall_s", 0) > target.phase_seconds:
            outcome["capped"] = True
        entry[target_name][name] = outcome
        shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in outcome.items()}
        print(f"[{scale:>7,}] {target_name:<6} {name:<12} {shown}", file=sys.stderr, flush=True)


def _describe_phase(scale: int, entry: dict[str, Any], active: dict[str, Target], calls: int,
                    blocks: int) -> None:
    """Describe by ID in ``blocks`` blocks of ``calls / blocks`` calls, the targets taking
    turns block by block, so a passing slowdown of the machine (a second or two) falls on
    one block of each rather than on one target's whole phase. A target's CPU per call is
    the median of its blocks' (each block's own total CPU over its calls), and
    ``server_cpu_ms_per_call_all`` the whole phase's; latencies are over every call. A
    capped target's blocks share its phase cap."""
    per_block = max(1, calls // blocks)
    done: dict[str, list[dict[str, Any]]] = {name: [] for name in active}
    latencies: dict[str, list[float]] = {name: [] for name in active}
    for _ in range(blocks):
        for name, target in active.items():
            block = target.describe_by_id(per_block, target.phase_seconds / blocks)
            done[name].append(block)
            latencies[name] += block.pop("latencies")
    for name in active:
        count = sum(block["calls"] for block in done[name])
        wall = sum(block["wall_s"] for block in done[name])
        cpu = sum(block["server_cpu_ms_per_call"] * block["calls"] for block in done[name])
        outcome = {
            "calls": count,
            "wall_s": wall,
            "server_cpu_ms_per_call": statistics.median(
                block["server_cpu_ms_per_call"] for block in done[name]),
            "server_cpu_ms_per_call_all": cpu / count,
            "server_cpu_ms_per_call_blocks": [block["server_cpu_ms_per_call"] for block in done[name]],
            "p50_ms": 1000 * percentile(latencies[name], 0.5),
            "p99_ms": 1000 * percentile(latencies[name], 0.99),
        }
        if any(block["calls"] < per_block for block in done[name]):  # a block stopped at its cap
            outcome["capped"] = True
        entry[name]["describe_id"] = outcome
        shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in outcome.items()}
        print(f"[{scale:>7,}] {name:<6} {'describe_id':<12} {shown}", file=sys.stderr, flush=True)


def _threads(target: Target, seconds: float) -> dict[str, Any]:
    saved = target.phase_seconds
    target.phase_seconds = seconds
    try:
        return target.threads(8)
    finally:
        target.phase_seconds = saved


if __name__ == "__main__":
    sys.exit(main())
