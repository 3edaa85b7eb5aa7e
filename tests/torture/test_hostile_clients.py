"""200 slowloris connections and a 100 MiB body against a real server while a normal boto3
client calls DescribeInstances (``bench/hostile.py``, run as a user runs it): the client is
served within bounds, every slow connection is cut by the header timeout, the body is
refused early, the server's memory stays bounded and its log holds no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import fresh_state
from tests.torture import LONG

ROOT = Path(__file__).resolve().parents[2]
BODY_MIB = 100


def hostile(tmp_path: Path, migrated: Path, *args: str) -> dict[str, Any]:
    fresh_state(tmp_path / "ec2emu-state", migrated)
    results = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "hostile.py"), "--workdir", str(tmp_path),
                           "--json", str(results), "--slow", "200", "--body-mib", str(BODY_MIB), *args],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(results.read_text()))


def assert_withstood(results: dict[str, Any], header_timeout: float) -> None:
    client, slow, server = results["client"], results["slow"], results["server"]
    # The normal client: every call answered, none slow (bounds far above the figures
    # measured, which are milliseconds: the machine running the suite is shared).
    assert client["error_count"] == 0, client["errors"]
    assert client["calls"] > 10
    assert client["p50_ms"] < 500 and client["max_ms"] < 2500, client
    # Every slow connection was cut by the header timeout, answered RequestTimeout.
    assert slow["cut"] >= 200 and slow["refused"] == 0, slow
    assert slow["longest_lived_s"] < header_timeout + 2.0, slow
    assert set(slow["answers"]) == {"HTTP/1.1 400 Bad Request"}, slow
    # Each body refused early: the answer could be read long before the body was written.
    assert results["bodies"], results
    for body in results["bodies"]:
        assert body["status"] == "HTTP/1.1 413 Request Entity Too Large", body
        assert body["answer_readable_after_bytes"] < BODY_MIB * 1024 * 1024 // 4, body
    # The server never held a body, nor anything per slow connection that adds up.
    assert server["rss_peak_mib"] - server["rss_before_mib"] < 50, server
    assert server["tracebacks"] == 0


def test_slowloris_and_a_large_body_leave_a_normal_client_served(tmp_path: Path, migrated_database: Path) -> None:
    results = hostile(tmp_path, migrated_database, "--seconds", "2.5", "--header-timeout", "1", "--body-timeout", "3",
                      "--one-body")
    assert_withstood(results, 1.0)


@LONG
def test_a_long_siege(tmp_path: Path, migrated_database: Path) -> None:
    results = hostile(tmp_path, migrated_database, "--seconds", "60", "--header-timeout", "5", "--body-timeout", "10")
    assert_withstood(results, 5.0)
    assert len(results["bodies"]) > 5
    print(json.dumps(results, indent=2))
