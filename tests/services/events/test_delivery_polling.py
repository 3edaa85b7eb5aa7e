"""The server's delivery thread: it looks for work when a writer's transaction of its
process commits, not ten times a second while nothing happens — and what such a write
brings is delivered at once."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.services.events.delivery import QUIET_LOOK
from tests.helpers import image_id


def _client(app: Any, service: str) -> Any:
    return InProcessTransport(app).attach(boto3.client(
        service, region_name="us-east-1", endpoint_url="http://polling.test", aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"max_attempts": 1})))


def _until(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return bool(condition())


def test_an_idle_thread_looks_after_a_commit_and_delivers_what_it_brought(tmp_path: Path) -> None:
    app = build_app(Settings(state_dir=tmp_path), clock=ManualClock())
    ec2, events = _client(app, "ec2"), _client(app, "events")
    got: list[dict[str, Any]] = []
    app.delivery.functions["record"] = got.append
    looks: list[float] = []
    look = app.delivery._look

    def counted() -> tuple[bool, bool]:
        looks.append(time.monotonic())
        return look()

    app.delivery._look = counted  # type: ignore[method-assign]
    stop = threading.Event()
    thread = threading.Thread(target=app.delivery.run, args=(stop,), kwargs={"interval": 0.01})
    thread.start()
    try:
        assert _until(lambda: len(looks) >= 1, 2.0)
        # The first look, and one more after the first retention pass's writes; then none.
        first = 0
        while len(looks) != first:
            first = len(looks)
            time.sleep(0.2)
        assert first <= 2
        time.sleep(QUIET_LOOK / 2)  # fifty intervals with nothing written: no look
        assert len(looks) == first
        events.put_rule(Name="states", EventPattern=json.dumps({"source": ["aws.ec2"]}))
        events.put_targets(Rule="states", Targets=[
            {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:record"}])
        assert _until(lambda: len(looks) > first, QUIET_LOOK / 4)  # the rule's commit is news
        asked = time.monotonic()
        instance = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        assert _until(lambda: [e["detail"].get("instance-id") for e in got] == [instance], QUIET_LOOK / 2)
        assert time.monotonic() - asked < QUIET_LOOK  # woken by the launch, not by the quiet look
        assert got[0]["detail"]["state"] == "pending"
    finally:
        stop.set()
        app.store.news.set()
        thread.join()
        app.store.close()
