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
