"""The whole cost of TerminateInstances of 1000 IDs, in-process, part by part: the call
(the ASGI application, from the request's bytes to the response's), the audit trail's
flush of its record, the settler an hour of emulated time later (the instances
terminated, their root volumes deleted: every transition the call set off) and one pass
of event delivery (no rules). Thread CPU time, the median of ``--calls`` calls, on a
SQLite file as ``ec2emu serve`` uses; it runs on commits without a trail or delivery too
(those parts then read 0; ``bench/inprocess_cost.py`` beside it). ``--operation run``
times RunInstances of 100 the same way (its settler's part: the launches leaving
``pending``)::

    PYTHONPATH=src .venv/bin/python bench/terminate_cost.py --stored 20000
    PYTHONPATH=src .venv/bin/python bench/terminate_cost.py --operation run --calls 20
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from inprocess_cost import timing_calls  # this script's neighbour in bench/

import ec2emu.inprocess
from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.lifecycle.machines import Durations


def measure(stored: int, calls: int, operation: str = "terminate") -> dict[str, float]:
    with tempfile.TemporaryDirectory() as state:
        app = build_app(Settings(state_dir=Path(state), durations=Durations(pending=5)), clock=ManualClock())
        ec2 = InProcessTransport(app).attach(boto3.client(
            "ec2", region_name="us-east-1", endpoint_url="http://bench.test", aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1})))
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        ids: list[str] = []
        while len(ids) < max(stored, 1000 * calls):
            ids += [i["InstanceId"] for i in ec2.run_instances(ImageId=image, MinCount=100, MaxCount=100)["Instances"]]
        app.advance(10)
        recorder = getattr(app, "recorder", None)
        delivery = getattr(app, "delivery", None)
        if recorder is not None:  # flushed when this script says, not as calls queue up
            recorder.flush()
            recorder.timer_running = True
        if delivery is not None:
            delivery.pump()
        spent = [0.0]
        def later() -> None:
            app.clock.advance(3600)
            app.settle()

        def cpu(step: Any) -> float:
            start = time.thread_time()
            step()
            return time.thread_time() - start

        run_to_completion = timing_calls(spent)
        parts: dict[str, list[float]] = {"call": [], "flush": [], "settle": [], "deliver": []}
        try:
            for n in range(calls):
                spent[0] = 0.0
                if operation == "run":
                    ec2.run_instances(ImageId=image, MinCount=100, MaxCount=100)
                else:
                    ec2.terminate_instances(InstanceIds=ids[n * 1000:(n + 1) * 1000])
                parts["call"].append(spent[0])
                parts["flush"].append(cpu(lambda: recorder and recorder.flush()))
                parts["settle"].append(cpu(later))
                parts["deliver"].append(cpu(lambda: delivery and delivery.pump()))
        finally:
            ec2emu.inprocess._run_to_completion = run_to_completion  # type: ignore[assignment]
            app.store.close()
        return {name: statistics.median(values) * 1e3 for name, values in parts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=20000, help="instances launched first")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--operation", choices=("terminate", "run"), default="terminate",
                        help="TerminateInstances of 1000 IDs, or RunInstances of 100")
    args = parser.parse_args()
    found = measure(args.stored, args.calls, args.operation)
    print(" ".join(f"{name}_ms: {value:.2f}" for name, value in found.items()),
          f"total_ms: {sum(found.values()):.2f}")


if __name__ == "__main__":
    main()
