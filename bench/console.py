"""The console's instances page at scale: the server time of its first screen.

Fills one account and region in-process (``ec2emu.mock``'s app on a SQLite file) with
``--scale`` instances (RunInstances of 1000 a call into /16 subnets of its own, each
call's tagged ``Name=pop-N``, one instance then ``Name=needle``), signs in as the admin, then times, as the console answers them
(the app's own handling, no socket): the first page of the table, its second page (by
``NextToken``), the page filtered by ``tag:Name`` (``needle``, one match) and by
``instance-state-name``, and the states route the page polls (50 IDs). Each is the median
of ``--repeat`` runs::

    .venv/bin/python bench/console.py --scale 100000
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ec2emu.app import build_app  # noqa: E402
from ec2emu.config import Settings  # noqa: E402
from ec2emu.inprocess import InProcessTransport  # noqa: E402
from tests.console.client import ConsoleClient  # noqa: E402
from tests.helpers import image_id  # noqa: E402


def populate(ec2: object, scale: int) -> list[str]:
    ami = image_id(ec2)
    ids: list[str] = []
    vpc_n = 0
    room = 0
    subnet = ""
    while len(ids) < scale:
        count = min(1000, scale - len(ids))
        if room < count:
            block = f"10.{vpc_n}.0.0/16"
            vpc = ec2.create_vpc(CidrBlock=block)["Vpc"]["VpcId"]  # type: ignore[attr-defined]
            subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=block)["Subnet"]["SubnetId"]  # type: ignore[attr-defined]
            vpc_n, room = vpc_n + 1, 65_000
        launched = ec2.run_instances(  # type: ignore[attr-defined]
            ImageId=ami, InstanceType="t3.micro", MinCount=count, MaxCount=count, SubnetId=subnet,
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": f"pop-{len(ids)}"}]}])
        ids += [i["InstanceId"] for i in launched["Instances"]]
        room -= count
    return ids


def timed(client: ConsoleClient, path: str, repeat: int, rows: int | None, **headers: str) -> float:
    """The median milliseconds of ``path``, checked to answer ``rows`` table rows."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        page = client.get(path, **headers)
        times.append(time.perf_counter() - started)
        assert page.status == 200, (path, page.status, page.text[:300])
        assert rows is None or page.text.count("<tr data-id=") == rows, (path, page.text[-2000:])
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    state = Path(tempfile.mkdtemp(prefix="ec2emu-console-bench-"))
    app = build_app(Settings(state_dir=state, admin_token="bench"))
    ec2 = InProcessTransport(app).attach(boto3.client(
        "ec2", region_name="us-east-1", endpoint_url="http://bench.test", aws_access_key_id="test",
        aws_secret_access_key="test"))
    started = time.perf_counter()
    ids = populate(ec2, args.scale)
    print(f"populated {len(ids)} instances in {time.perf_counter() - started:.1f} s")
    ec2.create_tags(Resources=[ids[len(ids) // 2]], Tags=[{"Key": "Name", "Value": "needle"}])
    admin = ConsoleClient(app)
    admin.sign_in(token="bench")
    first = admin.get("instances")
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert following and first.text.count("<tr data-id=") == 50
    polled = "instances/states?" + "&".join(f"id={i}" for i in ids[-50:])
    rows = [
        ("first page (50 rows)", timed(admin, "instances", args.repeat, 50)),
        ("second page (NextToken)", timed(admin, following.group(1).replace("&amp;", "&"), args.repeat, 50)),
        ("filter tag:Name=needle (1 match)", timed(admin, "instances?filters=tag%3AName%3Dneedle", args.repeat, 1)),
        ("filter instance-state-name=running (50 rows)",
         timed(admin, "instances?filters=instance-state-name%3Drunning", args.repeat, 50)),
        ("states poll (50 IDs)", timed(admin, polled, args.repeat, None, accept="application/json")),
    ]
    print(f"{'console request at ' + str(args.scale) + ' instances':45} median ms")
    for name, ms in rows:
        print(f"{name:45} {ms:9.1f}")
    app.store.close()


if __name__ == "__main__":
    main()
