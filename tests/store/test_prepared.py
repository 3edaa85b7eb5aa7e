"""The statements the store runs on the driver's cursor (``ec2emu.store.prepared``), on
SQLite and PostgreSQL: look-ups by any number of IDs, inserts of rows with differing
keys and column defaults, and a unit of work after a failed one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION

RowFactory = Callable[..., dict[str, Any]]


class Boom(Exception):
    pass


@pytest.mark.parametrize("count", [1, 3, 5, 17, 130, 499, 500, 501])
def test_get_by_any_number_of_ids_returns_exactly_those_rows(
    store: Store, instance_row: RowFactory, count: int
) -> None:
    rows = [instance_row() for _ in range(count + 2)]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)
    wanted = [row["instance_id"] for row in rows[:count]]
    with store.unit_of_work() as uow:
        found = uow.instances.get(ACCOUNT, REGION, [*wanted, wanted[0]])
        tags = uow.tags.for_resources(ACCOUNT, REGION, wanted)
    assert sorted(found) == sorted(wanted)
    assert all(found[row["instance_id"]] == row for row in rows[:count])
    assert tags == {}


def test_rows_with_different_keys_keep_their_own_values_and_defaults(
    store: Store, volume_row: RowFactory
) -> None:
    plain = volume_row(None)
    attached = volume_row("i-0123456789abcdef0", attachment_state="attached", multi_attach=True,
                          kms_key_id="arn:aws:kms:us-east-1:000000000000:key/k", encrypted=True)
    other_plain = volume_row(None, size=20)
    with store.unit_of_work() as uow:
        uow.volumes.insert([plain, attached, other_plain])
    with store.unit_of_work() as uow:
        found = uow.volumes.get(ACCOUNT, REGION, [plain["volume_id"], attached["volume_id"],
                                                  other_plain["volume_id"]])
        by_instance = uow.volumes.attached_to(["i-0123456789abcdef0"])
    assert found[attached["volume_id"]] == {**found[attached["volume_id"]], **attached}
    assert found[attached["volume_id"]]["multi_attach"] is True
    for row in (plain, other_plain):
        stored = found[row["volume_id"]]
        assert stored == {**stored, **row}
        # Left out of the row: the column's default, not NULL.
        assert stored["multi_attach"] is False and stored["attachment_state"] is None
    assert [volume["volume_id"] for volume in by_instance["i-0123456789abcdef0"]] == [attached["volume_id"]]


def test_a_unit_of_work_after_a_failed_one_commits(
    store_url: str, store: Store, instance_row: RowFactory
) -> None:
    first, second = instance_row(), instance_row()
    with pytest.raises(Boom), store.unit_of_work() as uow:
        uow.instances.insert([first])
        raise Boom()
    with store.unit_of_work() as uow:
        uow.instances.insert([second])
        uow.settings.set("counter", 3)
    other = Store(store_url)
    try:
        with other.unit_of_work() as uow:
            assert list(uow.instances.get(ACCOUNT, REGION, [first["instance_id"], second["instance_id"]])) == [
                second["instance_id"]]
            assert uow.settings.get("counter") == 3
            assert uow.conn.execute(sa.select(sa.func.count()).select_from(schema.instances)).scalar() == 1
    finally:
        other.close()


def test_a_value_the_statement_binds_itself_is_sent_with_the_ones_given(
    store: Store, instance_row: RowFactory
) -> None:
    """A constant compared with (``state == "running"``) needs no parameter of the caller's."""
    rows = [instance_row(state=state) for state in ("running", "stopped", "running")]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)
    i = schema.instances
    by_state = Prepared(lambda n: sa.select(i.c.instance_id).where(
        i.c.state == "running", i.c.instance_id.in_(Prepared.id_list(n))))
    with store.unit_of_work() as uow:
        found = by_state.tuples(uow.conn, {}, [row["instance_id"] for row in rows])
    assert sorted(found) == sorted((row["instance_id"],) for row in rows if row["state"] == "running")
