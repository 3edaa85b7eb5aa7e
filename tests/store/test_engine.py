"""Opening the database (``ec2emu.store.engine``): what JSON columns read back as, and
when a pooled PostgreSQL connection is pinged."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.store import engine as engine_module
from ec2emu.store.engine import json_loads
from ec2emu.store.repository import Store


@pytest.mark.parametrize("text", [
    "[]", "[1,2.5,-3e2]", '{"a":[1,{"b":null}],"c":"\\u00e9\\n"}', ' [1] ', '"x"', "3", "null", "true",
    '[["Name","web"],["Env","prod"]]', b'{"bytes":1}',
])
def test_json_columns_read_back_as_json_loads_reads_them(text: str | bytes) -> None:
    assert json_loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ["", "[1,", "[1] x", "nul", "{'a': 1}"])
def test_malformed_json_is_an_error_as_with_json_loads(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json_loads(text)



def test_a_busy_pool_does_not_ping_and_an_idle_connection_that_died_is_replaced(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Units of work in quick succession check their connection out without a ping (a
    round trip each); a connection whose server process ended while it lay idle is
    pinged at checkout and replaced, so the next unit of work succeeds."""
    store = Store(pg_url)
    database = sa.make_url(pg_url).database
    pings: list[bool] = []
    ping = store.engine.dialect.do_ping

    def counted(dbapi_conn: Any) -> bool:
        try:
            return bool(ping(dbapi_conn))
        finally:
            pings.append(True)

    monkeypatch.setattr(store.engine.dialect, "do_ping", counted)
    admin = sa.create_engine(sa.make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE", 60.0)  # every checkout below is within it
        for _ in range(20):
            assert store.transaction(lambda uow: uow.setting("x"), read_only=True) is None
        assert pings == []
        with admin.connect() as conn:
            killed = conn.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %(name)s",
                {"name": database}).scalar_one()
        assert killed >= 1
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE", 0.0)
        assert store.transaction(lambda uow: uow.setting("x"), read_only=True) is None
        assert pings
    finally:
        admin.dispose()
        store.close()
