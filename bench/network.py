"""Launching many instances into one subnet, and describing their network.

Run by hand::

    .venv/bin/python bench/network.py                        # 10,000 instances
    .venv/bin/python bench/network.py --instances 1000 --json out.json

``ec2emu serve`` runs as a subprocess on a fresh SQLite state directory, driven by the
same signed, kept-alive client as ``bench/bench.py``. The benchmark makes a VPC
``10.0.0.0/16`` with one subnet spanning it and ``--groups`` security groups, then:

* launch: RunInstances of ``--batch`` instances a call into that subnet, each call with
  one of the groups, until ``--instances`` are running there; figures: instances per
  second, the server's CPU per instance, and the RunInstances latency;
* then, each for ``--calls`` calls naming random instances or groups:
  DescribeInstances by ID (the reference the other figures stand next to),
  DescribeNetworkInterfaces by interface ID, by ``attachment.instance-id`` and by
  ``private-ip-address``, the first page (``MaxResults=100``) of the subnet's
  interfaces by ``subnet-id``, DescribeSecurityGroups by ID and by ``group-name``, and
  DescribeSubnets of the subnet (its ``AvailableIpAddressCount`` counts what the
  instances hold).

Measured per phase: client-side latency (p50, p99) and the server process's CPU per call
(Linux's CPU-time clock of the process). The table goes to stdout, the results to JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import SUBNET_ID, VPC_ID, Target, machine, start_ec2emu  # noqa: E402  (bench/bench.py)

GROUP_ID = re.compile(rb"<groupId>(sg-[0-9a-f]+)</groupId>")
INTERFACE_ID = re.compile(rb"<networkInterfaceId>(eni-[0-9a-f]+)</networkInterfaceId>")
PRIVATE_IP = re.compile(rb"<privateIpAddress>([0-9.]+)</privateIpAddress>")
AVAILABLE = re.compile(rb"<availableIpAddressCount>(\d+)</availableIpAddressCount>")


def filter_params(name: str, value: str) -> list[tuple[str, Any]]:
    return [("Filter.1.Name", name), ("Filter.1.Value.1", value)]


class NetworkBench:
    def __init__(self, target: Target, groups: int) -> None:
        self.target = target
        self.call = target.client.call
        body, _ = self.call("CreateVpc", [("CidrBlock", "10.0.0.0/16")])
        self.vpc_id = VPC_ID.findall(body)[0].decode()
        body, _ = self.call("CreateSubnet", [("VpcId", self.vpc_id), ("CidrBlock", "10.0.0.0/16")])
        self.subnet_id = SUBNET_ID.findall(body)[0].decode()
        self.groups: list[tuple[str, str]] = []
        for n in range(groups):
            name = f"bench-{n}"
            body, _ = self.call("CreateSecurityGroup", [("GroupName", name), ("GroupDescription", name),
                                                        ("VpcId", self.vpc_id)])
            self.groups.append((GROUP_ID.findall(body)[0].decode(), name))
        self.instances: list[str] = []
        self.interfaces: list[str] = []
        self.addresses: list[str] = []

    def launch(self, count: int, batch: int) -> dict[str, Any]:
        latencies: list[float] = []

        def calls(_: float) -> tuple[int, list[float]]:
            made = 0
            while made < count:
                n = min(batch, count - made)
                group_id, _ = random.choice(self.groups)
                body, elapsed = self.call("RunInstances", [
                    ("ImageId", self.target.image_id), ("InstanceType", "t3.micro"), ("MinCount", n),
                    ("MaxCount", n), ("SubnetId", self.subnet_id), ("SecurityGroupId.1", group_id)])
                latencies.append(elapsed)
                self.instances += [value.decode() for value in re.findall(rb"<instanceId>(i-[0-9a-f]+)</instanceId>",
                                                                         body)]
                self.interfaces += [value.decode() for value in INTERFACE_ID.findall(body)]
                made += n
            return len(latencies), latencies

        outcome = self.target.measured(calls, seconds=1e9)
        outcome["instances"] = count
        outcome["instances_per_s"] = count / outcome["wall_s"]
        outcome["server_cpu_ms_per_instance"] = outcome["server_cpu_ms_per_call"] * outcome["calls"] / count
        return outcome

    def sample(self) -> None:
        """Interface IDs and private addresses of a sample of the instances."""
        chosen = random.sample(self.instances, min(200, len(self.instances)))
        for start in range(0, len(chosen), 50):
            params = [(f"Filter.1.Value.{i}", instance_id) for i, instance_id in enumerate(chosen[start:start + 50], 1)]
            body, _ = self.call("DescribeNetworkInterfaces", [("Filter.1.Name", "attachment.instance-id"), *params])
            self.interfaces += [value.decode() for value in INTERFACE_ID.findall(body)]
            self.addresses += [value.decode() for value in PRIVATE_IP.findall(body)]
        self.interfaces = sorted(set(self.interfaces))
        self.addresses = sorted(set(self.addresses))

    def phase(self, calls: int, request: Callable[[], tuple[str, list[tuple[str, Any]]]]) -> dict[str, Any]:
        latencies: list[float] = []

        def run(_: float) -> tuple[int, list[float]]:
            for _ in range(calls):
                action, params = request()
                _, elapsed = self.call(action, params)
                latencies.append(elapsed)
            return calls, latencies

        return self.target.measured(run, seconds=1e9)

    def phases(self, calls: int) -> dict[str, dict[str, Any]]:
        self.sample()
        group = lambda: random.choice(self.groups)  # noqa: E731
        requests: dict[str, Callable[[], tuple[str, list[tuple[str, Any]]]]] = {
            "DescribeInstances(id)": lambda: ("DescribeInstances", [("InstanceId.1", random.choice(self.instances))]),
            "DescribeNetworkInterfaces(id)": lambda: (
                "DescribeNetworkInterfaces", [("NetworkInterfaceId.1", random.choice(self.interfaces))]),
            "DescribeNetworkInterfaces(attachment.instance-id)": lambda: (
                "DescribeNetworkInterfaces", filter_params("attachment.instance-id", random.choice(self.instances))),
            "DescribeNetworkInterfaces(private-ip-address)": lambda: (
                "DescribeNetworkInterfaces", filter_params("private-ip-address", random.choice(self.addresses))),
            "DescribeNetworkInterfaces(subnet-id, 100)": lambda: (
                "DescribeNetworkInterfaces", [*filter_params("subnet-id", self.subnet_id), ("MaxResults", 100)]),
            "DescribeSecurityGroups(id)": lambda: ("DescribeSecurityGroups", [("GroupId.1", group()[0])]),
            "DescribeSecurityGroups(group-name)": lambda: (
                "DescribeSecurityGroups", filter_params("group-name", group()[1])),
            "DescribeSubnets(id)": lambda: ("DescribeSubnets", [("SubnetId.1", self.subnet_id)]),
        }
        results = {name: self.phase(calls, request) for name, request in requests.items()}
        body, _ = self.call("DescribeSubnets", [("SubnetId.1", self.subnet_id)])
        results["DescribeSubnets(id)"]["available_ip_address_count"] = int(AVAILABLE.findall(body)[0])
        return results


def table(results: dict[str, Any]) -> str:
    launch = results["launch"]
    lines = [f"{results['instances']:,} instances into one subnet: {launch['instances_per_s']:.0f} instances/s, "
             f"{launch['server_cpu_ms_per_instance']:.3f} ms server CPU per instance, "
             f"RunInstances of {results['batch']}: p50 {launch['p50_ms']:.1f} ms",
             "", "| call | p50 ms | p99 ms | server CPU ms/call |", "|---|---:|---:|---:|"]
    for name, phase in results["describe"].items():
        lines.append(f"| {name} | {phase['p50_ms']:.2f} | {phase['p99_ms']:.2f} | "
                     f"{phase['server_cpu_ms_per_call']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100, help="instances per RunInstances call")
    parser.add_argument("--groups", type=int, default=20, help="security groups made in the VPC")
    parser.add_argument("--calls", type=int, default=500, help="calls per describe phase")
    parser.add_argument("--json", dest="json_path", default=None, help="where to write the results")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    with tempfile.TemporaryDirectory(prefix="ec2emu-netbench-") as workdir:
        server = start_ec2emu(Path(workdir), ["--pending-seconds", "0"])
        try:
            target = Target(server, phase_seconds=1e9)
            bench = NetworkBench(target, args.groups)
            results: dict[str, Any] = {"machine": machine(), "instances": args.instances, "batch": args.batch,
                                       "groups": args.groups, "launch": bench.launch(args.instances, args.batch)}
            print(f"launch {results['launch']}", file=sys.stderr, flush=True)
            results["describe"] = bench.phases(args.calls)
            results["rss_mib"] = server.rss_mib()
        finally:
            target.client.close()
            server.stop()
    print(table(results))
    path = Path(args.json_path) if args.json_path else (
        ROOT / "bench" / "results" / f"network-{time.strftime('%Y%m%dT%H%M%S')}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
