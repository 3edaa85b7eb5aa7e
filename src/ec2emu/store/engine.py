"""Opening the database: engine creation, connection settings and migrations.

SQLite runs in WAL mode with ``synchronous=FULL`` (an acknowledged request survives
``kill -9`` and power loss), a busy timeout for other processes, and case-sensitive
``LIKE`` so wildcard filters match as EC2 does, and a 44 MiB page cache. Every
transaction on SQLite starts with ``BEGIN IMMEDIATE``: a request takes the write lock up
front, so it never fails half-way when it first writes. JSON columns read back through
:func:`json_loads`. Migrations run at start through Alembic.

PostgreSQL (``postgresql://`` URLs, driven by psycopg 3) is for several stateless nodes
sharing one database. Its engine is pooled; a connection that has lain in the pool for
:data:`PING_AFTER_IDLE` seconds or more is pinged when it is checked out, and replaced
if it died (with a restart of the database) — one that was in use a moment ago is not,
which spares a busy node a round trip per request. A connection that dies under load
fails its request (``ServiceUnavailable``) and has the pool replace every connection
older than the failure, so the requests after it reconnect. Transactions are
``SERIALIZABLE`` unless a unit of work asks for another level (readers and the
settler, see :mod:`ec2emu.store.repository`), and each connection carries bounds so
that nothing waits for ever on an unreachable or stuck database:
``connect_timeout`` (5 s), ``statement_timeout`` (15 s), ``lock_timeout``
(10 s), ``idle_in_transaction_session_timeout`` (60 s) and TCP keepalives. A value given
in the URL's query (``?connect_timeout=2``, ``?options=...``) wins over these defaults.
Migrations run in ``READ COMMITTED`` under a transaction-scoped advisory lock, so nodes
starting at the same moment migrate one after another and the later ones find the
schema at head.
"""

from __future__ import annotations

import json
import json.scanner
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


# The page cache of each SQLite connection, in KiB.
SQLITE_CACHE_KIB = 44 * 1024

_SCAN_JSON = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # the stub types the class


def json_loads(text: str | bytes) -> object:
    """``json.loads`` for JSON columns read from SQLite: the documents the store wrote, or
    the database built, go straight to the JSON module's scanner, without the layers of
    ``json.loads`` around it (a row holds several, a request reads a few rows); anything
    else (bytes, surrounding whitespace, trailing text, malformed) is ``json.loads``'s."""
    if type(text) is str:
        try:
            value, end = _SCAN_JSON(text, 0)
        except StopIteration:
            pass
        else:
            if end == len(text):
                return value
    return json.loads(text)


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the connection settings this store relies on."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql_engine(parsed)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, future=True)
    database = parsed.database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"future": True, "json_deserializer": json_loads}
    if not database or database == ":memory:":
        kwargs["poolclass"] = sa.StaticPool
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = sa.create_engine(url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA case_sensitive_like=ON")
        # A page cache that holds the hot index pages of ~100k instances and most of the pages
        # a look-up of one with its details walks (SQLite's default is 2 MiB, so inserts into
        # the ID and scope indexes would mostly miss it).
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Straight to the driver: nothing of SQLAlchemy's statement execution is needed. A
        # unit of work may have begun the transaction on the driver already: it is joined.
        driver = conn.connection.driver_connection
        if not driver.in_transaction:  # type: ignore[union-attr]
            driver.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]

    return engine


# Per-connection bounds on PostgreSQL (libpq parameters; ``options`` sets server settings).
PG_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "options": "-c statement_timeout=15000 -c lock_timeout=10000 "
               "-c idle_in_transaction_session_timeout=60000",
}

# PostgreSQL: how long a connection may lie in the pool before its checkout pings it.
PING_AFTER_IDLE = 1.0

# Any constant: the key of the advisory lock that migrations hold on PostgreSQL.
MIGRATION_LOCK_KEY = 0x6563_3265_6D75  # "ec2emu"


def _postgresql_engine(parsed: sa.URL) -> sa.Engine:
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args = {key: value for key, value in PG_CONNECT_ARGS.items() if key not in parsed.query}
    engine = sa.create_engine(
        parsed,
        future=True,
        pool_size=5,
        max_overflow=10,
        pool_timeout=10,
        isolation_level="SERIALIZABLE",
        connect_args=connect_args,
    )

    @sa.event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # the pool then connects afresh
            raise sa.exc.DisconnectionError("a pooled connection died while idle") from error

    return engine


def is_postgresql(engine: sa.Engine) -> bool:
    return engine.dialect.name == "postgresql"


class ChangeMark:
    """A number that changes whenever any connection commits to a SQLite file: its
    ``PRAGMA data_version``, read on a connection of its own that never writes (so every
    commit is another connection's, this process's or another's)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def read(self) -> int:
        with self._lock:
            if self._conn is None:
                self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            version: int = self._conn.execute("PRAGMA data_version").fetchone()[0]
            return version

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def change_mark(engine: sa.Engine) -> ChangeMark | None:
    """The engine's :class:`ChangeMark`: ``None`` for PostgreSQL (whose other nodes'
    commits a connection cannot see so) and for an in-memory SQLite database."""
    database = engine.url.database
    if is_postgresql(engine) or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return ChangeMark(database)


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision (one node at a time on PostgreSQL)."""
    if not is_postgresql(engine):
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        return
    # READ COMMITTED: each statement sees what committed before it, so a node that waited
    # for the lock sees the tables that the node before it created.
    with engine.connect().execution_options(isolation_level="READ COMMITTED") as connection:
        with connection.begin():
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            command.upgrade(alembic_config(connection), "head")
