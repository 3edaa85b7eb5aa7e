"""``ec2emu serve`` binds loopback unless told otherwise, and warns on standard error
when told to bind another address without ``--auth strict``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ec2emu.config import Settings
from ec2emu.server import exposure_warning


def serve(state_dir: Path, *args: str) -> tuple[str, str]:
    """Start a real server with ``args``, wait for its announcement, stop it: its
    standard output and standard error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EC2EMU_")}
    proc = subprocess.Popen([sys.executable, "-m", "ec2emu", "serve", "--port", "0", "--state-dir", str(state_dir),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("export AWS_ENDPOINT_URL_EC2="):
                break
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    return "".join(lines), err


def test_the_default_bind_is_loopback(tmp_path: Path) -> None:
    assert Settings().host == "127.0.0.1"
    out, err = serve(tmp_path)
    assert out.startswith("ec2emu listening on http://127.0.0.1:"), out
    assert "warning" not in err


def test_another_address_without_strict_mode_warns(tmp_path: Path) -> None:
    out, err = serve(tmp_path, "--host", "0.0.0.0")
    assert "export AWS_ENDPOINT_URL_EC2=http://127.0.0.1:" in out
    assert "warning: ec2emu listens on 0.0.0.0 with --auth permissive" in err
    assert "--auth strict" in err


@pytest.mark.parametrize(("host", "mode", "warns"), [
    ("127.0.0.1", "permissive", False), ("127.0.0.2", "permissive", False), ("::1", "permissive", False),
    ("localhost", "permissive", False), ("0.0.0.0", "strict", False), ("::", "strict", False),
    ("0.0.0.0", "permissive", True), ("::", "permissive", True), ("192.0.2.10", "permissive", True),
    ("ci-runner.internal", "permissive", True), ("", "permissive", True),
])
def test_which_binds_warn(host: str, mode: str, warns: bool) -> None:
    warning = exposure_warning(replace(Settings(), host=host, auth_mode=mode))
    assert (warning is not None) == warns
