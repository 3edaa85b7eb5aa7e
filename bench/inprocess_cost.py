"""What a request costs the app itself, in-process: DescribeInstances by ID, RunInstances
of 100 a call and TerminateInstances of 1000 IDs; the CPU time of the whole ASGI
application from the request's bytes to the response's (the thread's CPU-time clock, so
that other work on the machine does not count), without a socket or a client's share,
on a SQLite file as ``ec2emu serve`` uses.

The emulator's audit trail records every call; its queue is flushed once after each
phase and the flush's time is added to the calls it stored (and shown apart, as
``*_flush``), so the figures are a call's whole cost::

    PYTHONPATH=src .venv/bin/python bench/inprocess_cost.py --rounds 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

import ec2emu.inprocess
from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.lifecycle.machines import Durations


def timing_calls(spent: list[float]) -> Any:
    """From now on, add the thread CPU time of each in-process call to the app (from the
    request's bytes to the response's) to ``spent[0]``; what to put back afterwards
    (``ec2emu.inprocess._run_to_completion``)."""
    run_to_completion = ec2emu.inprocess._run_to_completion

    def timed(coroutine: Any) -> None:
        start = time.thread_time()
        try:
            run_to_completion(coroutine)
        finally:
            spent[0] += time.thread_time() - start

    ec2emu.inprocess._run_to_completion = timed  # type: ignore[assignment]
    return run_to_completion


def measure(describes: int, runs: int, stored: int, wall_clock: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as state:
        settings = Settings(state_dir=Path(state), durations=Durations(pending=5))
        app = build_app(settings, clock=None if wall_clock else ManualClock())
        ec2 = InProcessTransport(app).attach(boto3.client(
            "ec2", region_name="us-east-1", endpoint_url="http://bench.test", aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1})))
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        ids: list[str] = []
        while len(ids) < stored:
            reply = ec2.run_instances(ImageId=image, MinCount=100, MaxCount=100)
            ids += [instance["InstanceId"] for instance in reply["Instances"]]
        app.advance(10)
        flush = getattr(app, "flush_trail", lambda: 0)
        flush()
        spent = [0.0]
        run_to_completion = timing_calls(spent)

        recorder = getattr(app, "recorder", None)
        if recorder is not None:  # one flush after the phase, timed apart
            recorder.timer_running = True
            recorder.queue = type(recorder.queue)(maxlen=describes + runs)

        def phase(calls: int, call: Any) -> tuple[float, float]:
            """The median call's CPU time (a call now and then also pays for SQLite's
            checkpoint of its write-ahead log, which the median leaves out), and the
            phase's one flush of the trail shared out over its calls."""
            each = []
            for _ in range(calls):
                spent[0] = 0.0
                call()
                each.append(spent[0])
            start = time.thread_time()
            flush()
            return statistics.median(each), (time.thread_time() - start) / calls

        describe = phase(describes, lambda: ec2.describe_instances(InstanceIds=[random.choice(ids)]))
        launched: list[str] = []

        def run_100() -> None:
            reply = ec2.run_instances(ImageId=image, MinCount=100, MaxCount=100)
            launched.extend(instance["InstanceId"] for instance in reply["Instances"])

        run = phase(runs, run_100)
        app.advance(10)
        batches = [launched[i:i + 1000] for i in range(0, len(launched) - 999, 1000)]
        terminate = phase(len(batches), lambda: ec2.terminate_instances(InstanceIds=batches.pop()))
        ec2emu.inprocess._run_to_completion = run_to_completion  # type: ignore[assignment]
        app.store.close()
        return {"describe_by_id_us": sum(describe) * 1e6, "describe_flush_us": describe[1] * 1e6,
                "run_100_ms": sum(run) * 1e3, "run_100_flush_ms": run[1] * 1e3,
                "terminate_1000_ms": sum(terminate) * 1e3, "terminate_1000_flush_ms": terminate[1] * 1e3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--describes", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--stored", type=int, default=10000)
    parser.add_argument("--wall-clock", action="store_true",
                        help="the system's clock, as `ec2emu serve` runs, rather than a manual one")
    args = parser.parse_args()
    results = [measure(args.describes, args.runs, args.stored, args.wall_clock) for _ in range(args.rounds)]
    for key in results[0]:
        values = [result[key] for result in results]
        print(f"{key}: median {statistics.median(values):.1f} (rounds: {', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
