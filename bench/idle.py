"""What an idle ``ec2emu serve`` costs: the CPU time of each of the server's threads over
``--seconds`` of no requests at all, after ``--settle`` seconds from start-up, in
milliseconds per second — the settler's timer and the audit trail's on the event loop's
thread, event delivery on a thread of its own. Linux only (each thread's
``/proc/PID/task/TID/schedstat``, its time on a CPU in nanoseconds)::

    PYTHONPATH=src .venv/bin/python bench/idle.py --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench import start_ec2emu  # this script's neighbour in bench/


def thread_times(pid: int) -> dict[int, int]:
    """Each live thread's time on a CPU so far, in nanoseconds, by thread ID."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found[int(task.name)] = int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
    return found


def measure(seconds: float, settle: float) -> dict[str, float]:
    """One server's idle CPU per thread (ms/s), the threads in the order they started."""
    with tempfile.TemporaryDirectory() as workdir:
        server = start_ec2emu(Path(workdir), [])
        try:
            time.sleep(settle)
            before = thread_times(server.proc.pid)
            time.sleep(seconds)
            after = thread_times(server.proc.pid)
        finally:
            server.stop()
    spent = {tid: (after[tid] - before.get(tid, 0)) / seconds / 1e6 for tid in sorted(after)}
    figures = {f"thread {n}": ms for n, ms in enumerate(spent.values(), 1)}
    figures["all"] = sum(spent.values())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the server is watched, idle")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after start-up before watching")
    parser.add_argument("--rounds", type=int, default=1, help="servers started one after the other")
    args = parser.parse_args()
    rounds = [measure(args.seconds, args.settle) for _ in range(args.rounds)]
    for n, figures in enumerate(rounds, 1):
        print(f"round {n}: " + ", ".join(f"{name} {ms:.2f} ms/s" for name, ms in figures.items()))
    print(f"median of all threads: {statistics.median(r['all'] for r in rounds):.2f} ms/s")


if __name__ == "__main__":
    main()
