"""SQLite's indexes of names: FTS5 tables whose documents list, as tokens, the names a
stored row is about, so that the rows about one name are found by index — the audit
trail's resources by name (:data:`ec2emu.store.trail_schema.NAME_INDEX`).

Why not a B-tree keyed by name, as PostgreSQL keeps them: a call that names a thousand
resources (TerminateInstances of 1000 IDs) puts a thousand keys at random places in it,
and SQLite writes every page so touched; FTS5 keeps each transaction's new tokens as one
small sorted segment and merges segments now and then, a few pages for the thousand.

A token is 16 hex digits of a BLAKE2b hash of a scope (an account, a region) and the
name — one token whatever characters the name has (the ``ascii`` tokenizer splits at
anything but letters and digits), and another account's or region's name of the same
spelling is another token. Two names whose tokens are alike (64 bits) are told apart by
the rows found, which every reader checks. The indexes keep their documents' text
(FTS5 needs it to delete a document), ``detail=none``: no positions, and no column
sizes. No metadata can declare an FTS5 table: the migrations create them, and the
schema's test knows them by :func:`tables`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa


def ddl(name: str) -> str:
    """The statement that creates the index ``name``."""
    return f"CREATE VIRTUAL TABLE {name} USING fts5(tokens, detail=none, columnsize=0, tokenize='ascii')"


def tables(name: str) -> tuple[str, ...]:
    """The index ``name``'s tables: the virtual one and those FTS5 keeps it in."""
    return (name, *(f"{name}_{part}" for part in ("data", "idx", "content", "config")))


def tokens(scope: str, names: Sequence[str]) -> list[str]:
    """The tokens of ``names`` in ``scope`` (the account and region, as one string)."""
    hashed_scope = hashlib.blake2b(f"{scope}\n".encode(), digest_size=8)
    found = []
    for name in names:
        hashed = hashed_scope.copy()
        hashed.update(name.encode())
        found.append(hashed.hexdigest())
    return found


def add(conn: sa.Connection, name: str, documents: Sequence[tuple[int, str]]) -> None:
    """Add ``documents`` (``rowid``, tokens joined by spaces) to the index ``name``, in
    one ``executemany``."""
    if documents:
        conn.exec_driver_sql(f"INSERT INTO {name}(rowid, tokens) VALUES (?, ?)", list(documents))


def matching(name: str, token: str) -> sa.ColumnElement[bool]:
    """The condition that a document of the index ``name`` holds ``token``."""
    return sa.literal_column(name).op("MATCH")(f'"{token}"')
