"""``bench/bench.py`` runs end to end at a tiny scale against ec2emu alone (moto is never
needed by the tests). Only that every phase ran and the results were written is
checked: the figures themselves are the benchmark's business, not the suite's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_runs_against_ec2emu_alone(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), "--no-moto", "--scales", "30",
         "--populate-batch", "10", "--describe-calls", "5", "--filter-calls", "2", "--run-calls", "2",
         "--thread-seconds", "0.3", "--aftermath", "0.5", "--json", str(results)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text())
    [scale] = data["scales"]
    assert scale["scale"] == 30 and "moto" not in scale
    phases = scale["ec2emu"]
    assert set(phases) == {"populate", "describe_id", "tag_filter", "listing", "threads", "run", "terminate",
                           "memory"}
    assert phases["populate"]["added"] == 30
    assert phases["describe_id"]["calls"] == 5 and phases["tag_filter"]["calls"] == 2
    assert phases["listing"]["complete"] and phases["listing"]["instances"] == 30
    assert phases["run"]["instances"] == 200
    assert (phases["terminate"]["calls"], phases["terminate"]["ids_per_call"]) == (1, 200)
    for phase in ("run", "terminate"):  # the whole CPU holds the window's and the aftermath's
        assert phases[phase]["server_cpu_ms_per_call_whole"] >= phases[phase]["server_cpu_ms_per_call"] > 0
    assert phases["threads"]["calls"] > 0 and phases["memory"]["rss_mib"] > 0
    assert "| 30 | describe by ID, server CPU ms/call |" in done.stdout
    assert data["table"] in done.stdout


def test_the_network_benchmark_runs(tmp_path: Path) -> None:
    results = tmp_path / "network.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "network.py"), "--instances", "20", "--batch", "10", "--groups", "2",
         "--calls", "3", "--json", str(results)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text())
    assert data["launch"]["instances"] == 20 and data["launch"]["calls"] == 2
    assert {phase["calls"] for phase in data["describe"].values()} == {3}
    assert data["describe"]["DescribeSubnets(id)"]["available_ip_address_count"] == 2**16 - 5 - 20
