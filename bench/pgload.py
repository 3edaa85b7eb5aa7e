"""What each request type asks of one PostgreSQL: statements, transactions, database
time, rows written (each one a row lock held to the commit), WAL, and how long a writer
holds the writers' turn — the figures behind the README's model of where one database
saturates.

Run by hand, not by ``make test``::

    .venv/bin/python bench/pgload.py                  # a throwaway cluster of its own
    .venv/bin/python bench/pgload.py --calls 500 --stored 5000

It starts a PostgreSQL cluster with ``pg_stat_statements`` loaded (durable commits:
``synchronous_commit`` on), one ``ec2emu serve`` node on a fresh database, launches
``--stored`` instances, and then, for each request type of ``bench/multinode.py``'s
mixed load, resets the statistics, makes ``--calls`` calls of that type one after the
other, and reads the statistics of that database alone. Database time is the
statements' execution time as PostgreSQL counts it (``total_exec_time``), not the
round trips. The writers' turn (``LOCK TABLE write_lock``, see
``ec2emu.store.repository``) is held from a writer's first statement to its commit: at
most the call's latency as a client on the same machine sees it, which the model takes
as its length. Timed states last no time (``--pending-seconds 0`` and so on): the stops
find running instances, the starts the stopped ones, and the settler's statements for
the transitions that follow are counted with the calls that caused them.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPES = ("RunInstances", "DescribeInstances(ids)", "DescribeInstances(filter)", "DescribeInstanceStatus",
         "CreateTags", "StopInstances", "StartInstances", "TerminateInstances")
WRITES = {"RunInstances", "CreateTags", "StopInstances", "StartInstances", "TerminateInstances"}


def _stats(conn: Any, database: str) -> dict[str, float]:
    row = conn.exec_driver_sql(
        "SELECT coalesce(sum(s.calls), 0), coalesce(sum(s.total_exec_time), 0),"
        " coalesce(sum(CASE WHEN s.query ~* '^\\s*(INSERT|UPDATE|DELETE)' THEN s.rows ELSE 0 END), 0),"
        " coalesce(sum(s.wal_bytes), 0), coalesce(sum(s.shared_blks_hit + s.shared_blks_read), 0)"
        " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
        " WHERE d.datname = %(name)s AND s.query !~* '^\\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|SHOW|SELECT 1$)'",
        {"name": database}).one()
    xacts = conn.exec_driver_sql("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %(name)s",
                                 {"name": database}).scalar()
    return {"statements": float(row[0]), "db_ms": float(row[1]), "rows_written": float(row[2]),
            "wal_bytes": float(row[3]), "blocks": float(row[4]), "xacts": float(xacts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls of each request type (default 300)")
    parser.add_argument("--stored", type=int, default=2000, help="instances launched first (default 2000)")
    args = parser.parse_args()

    import boto3
    import sqlalchemy as sa
    from botocore.config import Config
    from botocore.exceptions import ClientError
    from multinode import cpu_seconds, start_nodes  # beside this script

    from tests.pgcluster import PgCluster, pg_bin_dir

    bin_dir = pg_bin_dir()
    if bin_dir is None:
        sys.exit("PostgreSQL binaries are absent (apt-get install postgresql)")
    cluster = PgCluster(bin_dir, durable=True, options="-c shared_preload_libraries=pg_stat_statements "
                        "-c pg_stat_statements.track=all -c track_io_timing=on").start()
    state = Path(tempfile.mkdtemp(prefix="ec2emu-pgload-"))
    procs: list[Any] = []
    try:
        admin = sa.create_engine(sa.make_url(cluster.url()), isolation_level="AUTOCOMMIT")
        name = f"pgload_{os.getpid()}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        procs, endpoints = start_nodes(cluster.url(name), 1, state, 0.0)
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoints[0], aws_access_key_id="bench",
                           aws_secret_access_key="bench", config=Config(retries={"max_attempts": 1}))
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        stored: list[str] = []
        while len(stored) < args.stored:
            count = min(500, args.stored - len(stored))
            stored += [i["InstanceId"] for i in ec2.run_instances(
                ImageId=image, InstanceType="t3.micro", MinCount=count, MaxCount=count,
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "worker", "Value": "0"}]}],
            )["Instances"]]
        rng = random.Random(1)
        pool = list(stored)
        rng.shuffle(pool)
        rows = []
        # What the node's timers cost the database with no request coming (their checks ten
        # times a second): measured first and taken off each round's figures.
        with admin.connect() as conn:
            time.sleep(1.5)
            conn.exec_driver_sql("SELECT pg_stat_statements_reset()")
            idle_before = _stats(conn, name)
            time.sleep(5.0)
            idle = _stats(conn, name)
        background = {key: (idle[key] - (idle_before[key] if key == "xacts" else 0)) / 5.0 for key in idle}
        for kind in TYPES:
            with admin.connect() as conn:
                conn.exec_driver_sql("SELECT pg_stat_statements_reset()")
                before = _stats(conn, name)
            started_round, cpu_before = time.monotonic(), cpu_seconds(procs[0].pid)
            latencies = []
            for n in range(args.calls):
                target = pool[n % len(pool)]
                started = time.perf_counter()
                try:
                    if kind == "RunInstances":
                        ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
                    elif kind == "DescribeInstances(ids)":
                        ec2.describe_instances(InstanceIds=rng.sample(stored, 3))
                    elif kind == "DescribeInstances(filter)":
                        ec2.describe_instances(Filters=[{"Name": "tag:worker", "Values": ["0"]},
                                                        {"Name": "instance-id", "Values": [target]}])
                    elif kind == "DescribeInstanceStatus":
                        ec2.describe_instance_status(InstanceIds=[target])
                    elif kind == "CreateTags":
                        ec2.create_tags(Resources=[target], Tags=[{"Key": "k", "Value": str(n)}])
                    elif kind == "StopInstances":
                        ec2.stop_instances(InstanceIds=[target])
                    elif kind == "StartInstances":
                        ec2.start_instances(InstanceIds=[target])
                    elif kind == "TerminateInstances":
                        ec2.terminate_instances(InstanceIds=[target])
                except ClientError:
                    pass
                latencies.append((time.perf_counter() - started) * 1000)
            cpu_ms = (cpu_seconds(procs[0].pid) - cpu_before) * 1000 / args.calls
            time.sleep(1.5)  # the settler's last run and the statistics' flush (at most every second)
            with admin.connect() as conn:
                after = _stats(conn, name)
            elapsed = time.monotonic() - started_round
            per = {key: max(0.0, after[key] - (before[key] if key == "xacts" else 0) - background[key] * elapsed)
                   / args.calls for key in after}
            per["node_cpu_ms"] = cpu_ms
            rows.append((kind, per, statistics.median(latencies)))
        print(f"machine: {os.cpu_count()} CPUs; {args.stored} instances stored; {args.calls} calls of each type")
        print(f"the node's timers with no request: {background['xacts']:.1f} transactions/s, "
              f"{background['statements']:.1f} statements/s, {background['db_ms']:.2f} ms of database time/s")
        print("| request | statements | transactions | DB time, ms | rows written | WAL, bytes | "
              "buffers read | node CPU, ms | latency p50, ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for kind, per, p50 in rows:
            print(f"| {kind} | {per['statements']:.1f} | {per['xacts']:.2f} | {per['db_ms']:.3f} | "
                  f"{per['rows_written']:.1f} | {per['wal_bytes']:.0f} | {per['blocks']:.0f} | "
                  f"{per['node_cpu_ms']:.2f} | {p50:.2f} |")
        mix = {"RunInstances": 10, "DescribeInstances(ids)": 25, "DescribeInstances(filter)": 10,
               "DescribeInstanceStatus": 10, "CreateTags": 15, "StopInstances": 10, "StartInstances": 10,
               "TerminateInstances": 10}
        total = sum(mix.values())
        db_ms = sum(mix[k] * per["db_ms"] for k, per, _ in rows) / total
        write_share = sum(mix[k] for k in WRITES) / total
        writes = sum(mix[k] for k in WRITES)
        hold_ms = sum(mix[k] * (per["node_cpu_ms"] + per["db_ms"]) for k, per, _ in rows if k in WRITES) / writes
        print(f"mixed load: {db_ms:.3f} ms of database time per request -> one database core serves about "
              f"{1000 / db_ms:,.0f} requests/s; writes are {write_share:.0%} of the mix and hold the writers' "
              f"turn about {hold_ms:.2f} ms each (the node's CPU and the database's time for the call) -> "
              f"about {1000 / hold_ms:,.0f} writes/s ({1000 / hold_ms / write_share:,.0f} mixed requests/s) "
              f"on any number of nodes")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(state, ignore_errors=True)
        cluster.destroy()


if __name__ == "__main__":
    main()
