"""Throughput of ec2emu nodes sharing one PostgreSQL database: one node, then two.

Run by hand, not by ``make test``::

    .venv/bin/python bench/multinode.py                    # a throwaway cluster of its own
    .venv/bin/python bench/multinode.py --db postgresql://user@host:5432/postgres

For each node count the script creates a fresh database (on the cluster it started, or
next to the ``--db`` URL's database), starts that many ``ec2emu serve`` processes on it,
and runs ``--workers`` client processes for ``--seconds`` each. Every worker spreads its
requests round-robin over the nodes, as a load balancer would, with a mixed workload
over its own instances: launches, describes (by ID, by filter, status), tags,
stop/start, terminations. Timed states last ``--transition-seconds`` (1 s) of wall time,
so transitions fall due and are settled throughout. Answers refused by a state rule (``IncorrectInstanceState``)
count as answered; any 5xx or transport failure is counted and shown apart. The nodes'
CPU is counted over the measured window only (not their start-up), so that one node
and two compare per request.

The load generator runs on the same machine and takes its share of the CPU: the figures
compare node counts on one machine, they are not the capacity of a node.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEIGHTS = {
    "RunInstances": 10,
    "DescribeInstances(ids)": 25,
    "DescribeInstances(filter)": 10,
    "DescribeInstanceStatus": 10,
    "CreateTags": 15,
    "StopInstances": 10,
    "StartInstances": 10,
    "TerminateInstances": 10,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("a node exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("a node did not start")


def start_nodes(url: str, count: int, state: Path, transition: float) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    procs, endpoints = [], []
    for i in range(count):
        port = _free_port()
        node_dir = state / f"node{i}"
        node_dir.mkdir(parents=True)
        env = dict(os.environ, EC2EMU_ADMIN_TOKEN="bench-token")
        proc = subprocess.Popen(
            [sys.executable, "-m", "ec2emu", "serve", "--port", str(port), "--state-dir", str(node_dir),
             "--db", url, "--pending-seconds", str(transition), "--stopping-seconds", str(transition),
             "--shutting-down-seconds", str(transition)],
            stdout=open(node_dir / "server.log", "wb"), stderr=subprocess.STDOUT, env=env,
        )
        procs.append(proc)
        endpoints.append(f"http://127.0.0.1:{port}")
    for proc, endpoint in zip(procs, endpoints):
        _wait_for(int(endpoint.rsplit(":", 1)[1]), proc)
    return procs, endpoints


def worker(endpoints: list[str], index: int, seconds: float, start_at: float) -> dict[str, Counter[str]]:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    config = Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=60)
    clients = [boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="bench",
                            aws_secret_access_key="bench", config=config) for endpoint in endpoints]
    rng = random.Random(index)
    turn = [index]

    def client() -> Any:  # round-robin over the nodes, as a load balancer would
        turn[0] += 1
        return clients[turn[0] % len(clients)]

    image = client().describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])[
        "Images"][0]["ImageId"]
    mine = [i["InstanceId"] for i in client().run_instances(
        ImageId=image, InstanceType="t3.micro", MinCount=5, MaxCount=5)["Instances"]]
    ops, weights = list(WEIGHTS), list(WEIGHTS.values())
    answered: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.time() + seconds
    while time.time() < deadline:
        op = rng.choices(ops, weights)[0]
        target = rng.choice(mine) if mine else None
        try:
            if op == "RunInstances" or target is None:
                op = "RunInstances"
                reservation = client().run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
                mine.append(reservation["Instances"][0]["InstanceId"])
            elif op == "DescribeInstances(ids)":
                client().describe_instances(InstanceIds=rng.sample(mine, min(3, len(mine))))
            elif op == "DescribeInstances(filter)":
                client().describe_instances(Filters=[{"Name": "tag:worker", "Values": [str(index)]}])
            elif op == "DescribeInstanceStatus":
                client().describe_instance_status(InstanceIds=[target])
            elif op == "CreateTags":
                client().create_tags(Resources=[target], Tags=[{"Key": "worker", "Value": str(index)}])
            elif op == "StopInstances":
                client().stop_instances(InstanceIds=[target])
            elif op == "StartInstances":
                client().start_instances(InstanceIds=[target])
            elif op == "TerminateInstances":
                client().terminate_instances(InstanceIds=[target])
                mine.remove(target)
            answered[op] += 1
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500:
                failed[f"{op} {error.response['Error']['Code']}"] += 1
            else:
                refused[op] += 1
        except Exception as error:  # transport failure
            failed[f"{op} {type(error).__name__}"] += 1
    return {"answered": answered, "refused": refused, "failed": failed}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_round(url: str, nodes: int, workers: int, seconds: float, state: Path, transition: float) -> dict[str, Any]:
    procs, endpoints = start_nodes(url, nodes, state, transition)
    try:
        start_at = time.time() + 3.0  # every worker has launched its first instances by then
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            pending = pool.starmap_async(worker, [(endpoints, i, seconds, start_at) for i in range(workers)])
            # The nodes' CPU over the measured window only: not their start-up (imports,
            # migrations), which each node pays once, nor the workers' first launches.
            time.sleep(max(0.0, start_at - time.time()))
            cpu_at_start = sum(cpu_seconds(proc.pid) for proc in procs)
            parts = pending.get()
            node_cpu = sum(cpu_seconds(proc.pid) for proc in procs) - cpu_at_start
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    total: dict[str, Counter[str]] = {"answered": Counter(), "refused": Counter(), "failed": Counter()}
    for part in parts:
        for key in total:
            total[key].update(part[key])
    answered = sum(total["answered"].values()) + sum(total["refused"].values())
    return {"nodes": nodes, "requests": answered, "per_second": answered / seconds,
            "refused": sum(total["refused"].values()), "failed": dict(total["failed"]),
            "node_cpu": node_cpu,
            "by_operation": dict(total["answered"] + total["refused"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a PostgreSQL URL whose server the benchmark may create databases on")
    parser.add_argument("--nodes", default="1,2", help="node counts to measure (default 1,2)")
    parser.add_argument("--workers", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each round (default 20)")
    parser.add_argument("--transition-seconds", type=float, default=1.0,
                        help="how long pending, stopping and shutting-down last (default 1)")
    args = parser.parse_args()

    import sqlalchemy as sa

    from tests.pgcluster import PgCluster, pg_bin_dir

    cluster = None
    if args.db:
        base = sa.make_url(args.db)
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
    else:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            sys.exit("PostgreSQL binaries are absent (apt-get install postgresql), or pass --db")
        cluster = PgCluster(bin_dir).start()
        base = sa.make_url(cluster.url())
    state = Path(tempfile.mkdtemp(prefix="ec2emu-bench-"))
    print(f"machine: {os.cpu_count()} CPUs; workers: {args.workers}; {args.seconds:g} s per round", flush=True)
    try:
        results = []
        for count in [int(n) for n in args.nodes.split(",")]:
            name = f"bench_{os.getpid()}_{count}"
            admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
            url = base.set(database=name).render_as_string(hide_password=False)
            result = run_round(url, count, args.workers, args.seconds, state / name, args.transition_seconds)
            with admin.connect() as conn:
                commits, rollbacks = conn.exec_driver_sql(
                    "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = %(name)s",
                    {"name": name}).one()
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.dispose()
            results.append(result)
            print(f"{count} node(s): {result['requests']} requests, {result['per_second']:.1f}/s "
                  f"({result['refused']} refused by a state rule, failures: {result['failed'] or 'none'}); "
                  f"node CPU {result['node_cpu']:.1f} s; transactions {commits} committed, "
                  f"{rollbacks} rolled back (conflicts retried)",
                  flush=True)
            print("    by operation: " + ", ".join(f"{k} {v}" for k, v in sorted(result["by_operation"].items())),
                  flush=True)
        if len(results) > 1:
            print(f"speed-up {results[-1]['nodes']} vs {results[0]['nodes']} node(s): "
                  f"{results[-1]['per_second'] / results[0]['per_second']:.2f}x", flush=True)
    finally:
        shutil.rmtree(state, ignore_errors=True)
        if cluster is not None:
            cluster.destroy()


if __name__ == "__main__":
    main()
