"""Which node runs the background duties: the settler's timer and event delivery.

Several nodes may share one PostgreSQL database. Every one of them answers requests,
settles on demand (when a request that writes meets a due row, and when the clock is
advanced), but only one at a time runs the duties that poll: the settler's timer and
the delivery of events to rules' targets. Both are correct when several nodes run them
at once (writers take turns, and each finds what the one before it did), but each poll
costs every node transactions of its own (the settler's ten a second), and when
something is due both nodes open a writer's transaction for it and the second finds
nothing left to do. With
one node on duty, a second node adds requests served and nothing else.

On PostgreSQL the node on duty holds a session-level advisory lock
(:data:`DUTY_LOCK_KEY`) on a connection of its own, kept open (in autocommit, outside
the pool). The lock is the database's, so exactly one node holds it, and it goes with
the connection: when that node stops, is killed, or loses its connection, PostgreSQL
releases it and another node takes it up at its next try. A node that holds it checks
the connection every :data:`CHECK_EVERY` seconds (one ``SELECT 1``); one that does not
tries to take it as often. So a node that dies hands the duties over within about
:data:`CHECK_EVERY` seconds, plus the time the database takes to notice a lost
connection (the keepalives of :mod:`ec2emu.store.engine`). The lock is taken outside
any transaction, so it has no bearing on what a transaction's snapshot sees.

On SQLite every node is on duty: the database is one file on one machine, usually
served by one node, and its writers already take turns on the file's lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa

from ec2emu.store.engine import is_postgresql

log = logging.getLogger(__name__)

# Any constant other than the migrations' (ec2emu.store.engine.MIGRATION_LOCK_KEY).
DUTY_LOCK_KEY = 0x6563_3265_6D76

# Seconds between a holder's checks of its connection, and between the others' tries.
CHECK_EVERY = 1.0


class Leadership:
    """Whether this node is the one on duty (:meth:`held`); safe to ask from any thread."""

    def __init__(self, engine: sa.Engine, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._shared = is_postgresql(engine)
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._conn: sa.Connection | None = None
        self._held = False
        self._checked_at = -CHECK_EVERY

    def held(self) -> bool:
        """Whether this node is on duty now: on PostgreSQL, whether it holds the lock
        (taking it, or checking that it still has it, when :data:`CHECK_EVERY` seconds
        have passed since the last look); on SQLite, always."""
        if not self._shared:
            return True
        with self._lock:
            now = self._monotonic()
            if now - self._checked_at >= CHECK_EVERY:
                self._checked_at = now
                self._held = self._check()
            return self._held

    def _check(self) -> bool:
        try:
            if self._conn is None:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if self._held:
                self._conn.exec_driver_sql("SELECT 1")
                return True
            taken = self._conn.execute(sa.select(sa.func.pg_try_advisory_lock(DUTY_LOCK_KEY))).scalar()
            return bool(taken)
        except Exception:
            if self._held:
                log.warning("lost the connection that held the duty lock; trying again in %s s", CHECK_EVERY)
            self._drop()
            return False

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:
                log.debug("closing the duty lock's connection failed", exc_info=True)

    def release(self) -> None:
        """Give the duties up: the lock is released before its connection is closed (the
        database would release it too, but only once it has noticed the connection
        gone)."""
        with self._lock:
            if self._held and self._conn is not None:
                try:
                    self._conn.execute(sa.select(sa.func.pg_advisory_unlock(DUTY_LOCK_KEY)))
                except Exception:
                    log.debug("releasing the duty lock failed; closing its connection", exc_info=True)
            self._held = False
            self._checked_at = -CHECK_EVERY
            self._drop()
