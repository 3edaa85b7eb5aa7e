"""The README's examples, run as a user would: a script against a real server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ServerProcess

ROOT = Path(__file__).resolve().parents[2]


def test_terminate_abcd_example(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path, ["--pending-seconds", "0.2", "--shutting-down-seconds", "0.2"]
    ).start()
    try:
        env = dict(os.environ, AWS_ENDPOINT_URL_EC2=server.endpoint)
        out = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "terminate_abcd.py")],
            env=env, capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    finally:
        server.stop()
    lines = out.strip().splitlines()
    assert lines[0] == "TerminateInstances: OperationNotPermitted"
    final = {line.split()[0]: line.split()[2] for line in lines[1:]}
    assert final == {"A": "terminated", "B": "terminated", "C": "running", "D": "running"}


def test_get_started_example(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path, ["--pending-seconds", "0.2", "--stopping-seconds", "0.2", "--shutting-down-seconds", "2"]
    ).start()
    try:
        env = dict(os.environ, AWS_ENDPOINT_URL_EC2=server.endpoint)
        out = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "get_started.py")],
            env=env, capture_output=True, text=True, timeout=180, check=True,
        ).stdout
        ec2 = server.client()
        left = (ec2.describe_key_pairs()["KeyPairs"], ec2.describe_addresses()["Addresses"],
                [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]])
    finally:
        server.stop()
    lines = out.strip().splitlines()
    assert lines[0].startswith("key pair: get-started ") and lines[0].endswith("=")  # ED25519: base64 SHA-256
    assert lines[1].startswith("security group: sg-")
    assert lines[2].startswith("running: i-")
    assert lines[3:] == ["elastic IP: True", "stopped, elastic IP kept: True", "started, elastic IP kept: True",
                         "terminated, elastic IP still allocated: True",
                         "security group deleted, after DependencyViolation: True", "key pair deleted"]
    assert left == ([], [], ["default"])
