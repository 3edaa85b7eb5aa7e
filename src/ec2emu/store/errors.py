"""What a database error means for the request that met it, told by the driver's error
class, its SQLite result code or its PostgreSQL SQLSTATE — never by the text of its
message, which drivers word as they please and translate. An error may come wrapped by
SQLAlchemy (``DBAPIError.orig``) or straight from the driver (the prepared statements of
:mod:`ec2emu.store.prepared` run on the driver's connection): both are read alike.

* :func:`is_conflict`: a serialization failure, a deadlock or a lock not granted in
  time (PostgreSQL ``40001``, ``40P01``, ``55P03``): the transaction is tried again.
* :func:`is_unavailable`: the database cannot be reached, is restarting, shutting down,
  overloaded or busy (SQLSTATE classes ``08`` and ``53``, ``57P01``–``57P03``,
  ``57014``; a conflict still unresolved after every retry; a connection the pool
  invalidated; psycopg's connection-level ``OperationalError``, which carries no
  SQLSTATE; SQLite ``BUSY``, ``LOCKED``, ``IOERR``, ``CANTOPEN``, ``FULL`` and
  ``PROTOCOL``): the request answers ``ServiceUnavailable`` (503) rather than a fault.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
UNAVAILABLE_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03", "57014", *RETRYABLE_SQLSTATES)
UNAVAILABLE_SQLITE_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR,
                                      sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL, sqlite3.SQLITE_PROTOCOL})


def _driver_error(error: BaseException) -> BaseException | None:
    """The driver's own exception: ``error`` itself, or the one SQLAlchemy wrapped."""
    if isinstance(error, sa.exc.DBAPIError):
        orig = error.orig
        return orig if isinstance(orig, BaseException) else None
    return error if is_database_error(error) else None


def is_database_error(error: BaseException) -> bool:
    """True for an error raised by the database or its driver (wrapped or not)."""
    if isinstance(error, (sa.exc.DBAPIError, sqlite3.Error)):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.Error)


def _sqlstate(error: BaseException) -> str | None:
    value = getattr(_driver_error(error), "sqlstate", None)
    return value if isinstance(value, str) else None


def is_conflict(error: BaseException) -> bool:
    """True for a serialization failure, deadlock or lock timeout: retry the transaction."""
    return _sqlstate(error) in RETRYABLE_SQLSTATES


def is_unavailable(error: BaseException) -> bool:
    """True when the database cannot be reached or is busy (a 503), not a fault of the
    query itself (a 500)."""
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    sqlstate = _sqlstate(error)
    if sqlstate is not None:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    orig = _driver_error(error)
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return isinstance(code, int) and code & 0xFF in UNAVAILABLE_SQLITE_CODES
    return _is_psycopg_connection_error(orig)


def _is_psycopg_connection_error(orig: object) -> bool:
    """psycopg's ``OperationalError`` without a SQLSTATE: the connection itself failed
    (refused, closed by the server, timed out)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(orig, psycopg.OperationalError)
