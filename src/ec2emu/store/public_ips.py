"""Which public IPv4 address of Amazon's pool an instance holds for a run: each run of an
instance has its own sequence of candidates — hashes of a seed naming the instance and
the run (:func:`run_seed`) within ``3.80.0.0/12`` — and gets the first candidate that no
instance holds (``instances.public_ip``, unique across every account and region), so
addresses are spread, stable within a run, and never shared. :func:`choose` places a
whole batch at once: one look-up of the held addresses per round, each round trying the
next candidate of every instance not yet placed.

The pool has 1,040,384 addresses; a batch is placed as long as one is free. The writers
that start a run use it (through ``InstanceRepository.held_public_ips``), and migration
0016 to store the addresses shown before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable


def run_seed(instance_id: str, launch_time: float, renewed_at: float | None = None) -> str:
    """The seed of an instance's run started at ``launch_time``; ``renewed_at``: the
    moment an Elastic IP moved off it, when its address is renewed within the run."""
    return f"{instance_id}/{launch_time}" + ("" if renewed_at is None else f"/{renewed_at}")


def candidate(seed: str, attempt: int) -> str:
    """The ``attempt``-th address (from 0) of the sequence ``seed`` starts."""
    digest = hashlib.sha256((seed if attempt == 0 else f"{seed}#{attempt}").encode()).digest()
    return f"3.{80 + digest[0] % 16}.{digest[1]}.{1 + digest[2] % 254}"


def choose(seeds: dict[str, str], held: Callable[[list[str]], set[str]]) -> dict[str, str]:
    """An address for each key of ``seeds`` (instance ID → seed): the first candidate of its
    sequence that ``held`` (those of the given addresses some instance holds) does not
    name and no earlier key of the batch was given."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    waiting = list(seeds)
    attempt = 0
    while waiting:
        tries = {key: candidate(seeds[key], attempt) for key in waiting}
        busy = held(sorted(set(tries.values()) - taken))
        waiting = []
        for key, address in tries.items():
            if address in busy or address in taken:
                waiting.append(key)
            else:
                chosen[key] = address
                taken.add(address)
        attempt += 1
    return chosen
