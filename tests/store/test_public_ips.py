"""The public addresses of Amazon's pool instances hold, in the store: a batch is placed
with one look-up of its candidates through the unique index on ``public_ip`` (never a
``SCAN`` of the instances), an address held by any instance — of another account or
region, or one earlier in the batch — is passed over for the next candidate of the
sequence, and the index refuses a second holder."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ec2emu.store.public_ips import candidate, choose, run_seed
from ec2emu.store.repository import Store
from tests.store.conftest import make_instance_row
from tests.store.test_query_plans import captured, plans


def _colliding_seeds() -> tuple[str, str]:
    """Two seeds whose sequences start with the same address."""
    first: dict[str, str] = {}
    n = 0
    while True:
        seed = run_seed(f"i-{n:017x}", 1_000.0)
        address = candidate(seed, 0)
        if address in first:
            return first[address], seed
        first[address] = seed
        n += 1


def test_a_batch_is_placed_with_one_look_up_through_the_unique_index(store: Store) -> None:
    seeds = {f"i-{n:017x}": run_seed(f"i-{n:017x}", 5.0) for n in range(50)}
    if store.engine.dialect.name == "sqlite":
        [plan] = plans(store, lambda uow: choose(seeds, uow.instances.held_public_ips))
        text = "\n".join(plan)
        assert "SCAN instances" not in text and "ux_instances_public_ip" in text, text
    with captured(store) as statements, store.unit_of_work() as uow:
        chosen = choose(seeds, uow.instances.held_public_ips)
    assert len(statements) == 1
    assert chosen == {key: candidate(seed, 0) for key, seed in seeds.items()}


def test_an_address_held_anywhere_or_earlier_in_the_batch_is_passed_over(store: Store) -> None:
    held_seed, other_seed = _colliding_seeds()
    with store.unit_of_work() as uow:
        uow.instances.insert([make_instance_row(account_id="210987654321", region="eu-west-1",
                                                public_ip=candidate(held_seed, 0))])
    with store.unit_of_work() as uow:
        chosen = choose({"i-a": held_seed, "i-b": other_seed}, uow.instances.held_public_ips)
    assert chosen["i-a"] == candidate(held_seed, 1) != candidate(held_seed, 0)
    assert chosen["i-b"] == candidate(other_seed, 1)
    within_batch = choose({"i-a": held_seed, "i-b": other_seed}, lambda _: set())
    assert within_batch == {"i-a": candidate(held_seed, 0), "i-b": candidate(other_seed, 1)}


def test_two_instances_cannot_hold_one_address(store: Store) -> None:
    with store.unit_of_work() as uow:
        first, second = make_instance_row(public_ip="3.80.0.1"), make_instance_row()
        uow.instances.insert([first, second])
        uow.instances.hold_public_ips({second["instance_id"]: "3.80.0.2"})
        assert uow.instances.held_public_ips(["3.80.0.1", "3.80.0.2", "3.80.0.3"]) == {"3.80.0.1", "3.80.0.2"}
    with pytest.raises(sa.exc.IntegrityError), store.unit_of_work() as uow:
        uow.instances.hold_public_ips({second["instance_id"]: "3.80.0.1"})
