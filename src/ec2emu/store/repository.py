"""Repositories behind one unit of work: one API request is one transaction.

``Store.unit_of_work()`` opens a transaction (``BEGIN IMMEDIATE`` on SQLite) and yields a
:class:`UnitOfWork` whose repositories all share its connection; it commits when the
block ends and rolls back on an exception. Callers ask with snake_case domain names and
:class:`Match` criteria; SQL and indexes stay here.

The repositories, one module per aggregate: :mod:`~ec2emu.store.instances`,
:mod:`~ec2emu.store.volumes`, :mod:`~ec2emu.store.snapshots`, :mod:`~ec2emu.store.tags`,
:mod:`~ec2emu.store.images`, :mod:`~ec2emu.store.key_pairs`,
:mod:`~ec2emu.store.launch_templates`, :mod:`~ec2emu.store.vpcs`,
:mod:`~ec2emu.store.subnets`, :mod:`~ec2emu.store.internet_gateways`,
:mod:`~ec2emu.store.route_tables`, :mod:`~ec2emu.store.security_groups`,
:mod:`~ec2emu.store.elastic_ips`, :mod:`~ec2emu.store.network_interfaces`,
:mod:`~ec2emu.store.settings`, :mod:`~ec2emu.store.iam`,
:mod:`~ec2emu.store.instance_profiles` (IAM's instance profiles and the instances'
associations with them), :mod:`~ec2emu.store.ssm_parameters` (Systems Manager's
parameters), :mod:`~ec2emu.store.event_rules` (EventBridge's rules and their targets),
:mod:`~ec2emu.store.event_connections` (its connections and API destinations),
:mod:`~ec2emu.store.outbox` (the events emitted),
:mod:`~ec2emu.store.trail` (CloudTrail's event history),
:mod:`~ec2emu.store.deliveries` (their delivery to rules' targets) and
:mod:`~ec2emu.store.settlement`; what their queries share
(criteria, index hints, look-ups by ID) is :mod:`~ec2emu.store.queries`.

Concurrency: :meth:`Store.transaction` is how a request's work runs, as a reader or as a
writer. Readers write nothing and never wait: on SQLite a deferred ``BEGIN`` (WAL lets it
read beside a writer; a reader that changed a row is rolled back and fails, seen by the
connection's change count — ``PRAGMA query_only`` would do it too, but switching it
makes SQLite prepare every cached statement again), on PostgreSQL ``REPEATABLE READ,
READ ONLY`` — one snapshot, which never fails to serialize and makes no writer
fail. Writers take turns, one at a time across every node: on SQLite ``BEGIN
IMMEDIATE`` (the database lock); on PostgreSQL each writer's first statement locks the
empty ``write_lock`` table, which, unlike an advisory lock taken by a ``SELECT``, comes
before the transaction's snapshot, so a writer that waited reads everything the one
before it committed. Turns rather than optimistic concurrency because PostgreSQL's
serializable checks lock index pages, not rows: concurrent writers of unrelated rows
failed each other in one request of seven; a writer holds its turn for a few statements.
The writers' transactions are still ``SERIALIZABLE`` and the whole of the work is run
again when PostgreSQL reports a serialization failure (SQLSTATE 40001), a deadlock
(40P01) or a lock timeout (55P03) — a conflict with a writer outside the turns, another
program on the database — up to :data:`MAX_ATTEMPTS` times with a short random
back-off; past that the error propagates (the app answers ``ServiceUnavailable``).
:attr:`Store.conflict_retries` counts the tries run again, and :attr:`Store.events_emitted`
the outbox's events of the transactions that committed, by source and detail-type (the
unit of work's :attr:`UnitOfWork.emitted`, added once it commits; the metrics read both).
``work`` must therefore be safe to run again: it touches nothing but the database. When
``work`` raises an ordinary exception (an API error) its writes are rolled back to a
savepoint and the transaction still commits, so PostgreSQL validates the reads the
error was based on.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from ec2emu.store import scheduled_rules, schema
from ec2emu.store.deliveries import DeliveryRepository
from ec2emu.store.elastic_ips import ElasticIpRepository
from ec2emu.store.engine import change_mark, create_engine, is_postgresql, migrate
from ec2emu.store.errors import is_conflict, is_database_error
from ec2emu.store.event_connections import EventConnectionRepository
from ec2emu.store.event_rules import EventRuleRepository
from ec2emu.store.iam import IamRepository
from ec2emu.store.images import ImageRepository
from ec2emu.store.instance_profiles import ProfileAssociationRepository
from ec2emu.store.instances import ATTACHMENT_COLUMNS, InstanceRepository
from ec2emu.store.internet_gateways import InternetGatewayRepository
from ec2emu.store.key_pairs import KeyPairRepository
from ec2emu.store.launch_templates import LaunchTemplateRepository
from ec2emu.store.network_interfaces import NetworkInterfaceRepository
from ec2emu.store.outbox import EmittedCounts, OutboxRepository
from ec2emu.store.prepared import Prepared
from ec2emu.store.queries import Match, OrderingOnly, Row
from ec2emu.store.route_tables import RouteTableRepository
from ec2emu.store.security_groups import SecurityGroupRepository
from ec2emu.store.settings import SettingsRepository
from ec2emu.store.settlement import SettlementRepository
from ec2emu.store.shown import STORED, DueFirst, Moment, due_columns
from ec2emu.store.snapshot_tiers import SnapshotTierRepository
from ec2emu.store.snapshots import SnapshotRepository
from ec2emu.store.ssm_parameters import SsmParameterRepository
from ec2emu.store.subnets import SubnetRepository
from ec2emu.store.tags import TagRepository
from ec2emu.store.trail import TrailRepository
from ec2emu.store.volume_modifications import VolumeModificationRepository
from ec2emu.store.volumes import VolumeRepository
from ec2emu.store.vpcs import VpcRepository
from ec2emu.store.zone_groups import ZoneGroupRepository

__all__ = ["ATTACHMENT_COLUMNS", "Due", "DueFirst", "Match", "Moment", "Row", "Store", "UnitOfWork", "OrderingOnly"]

T = TypeVar("T")

# PostgreSQL: how often a transaction is tried when it conflicts with another.
MAX_ATTEMPTS = 25

# The kinds of transaction: a request that writes, a reader's, the settler's; and each
# one's PostgreSQL isolation.
WRITE, READ, SETTLE = "write", "read", "settle"
# A writer's first statement on PostgreSQL (see the module's note).
_WRITER_TURN = "LOCK TABLE write_lock IN EXCLUSIVE MODE"
_PG_MODES: dict[str, dict[str, Any]] = {
    WRITE: {"isolation_level": "SERIALIZABLE", "postgresql_readonly": False},
    READ: {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True},
    SETTLE: {"isolation_level": "REPEATABLE READ", "postgresql_readonly": False},
}


@dataclass(frozen=True)
class Due:
    """When the earliest timed transition of each kind falls due (``None``: none pending)."""

    instances: float | None
    volumes: float | None
    snapshots: float | None
    volume_modifications: float | None = None
    snapshot_tiers: float | None = None
    # The first scheduled EventBridge rule's (:mod:`ec2emu.store.scheduled_rules`).
    schedules: float | None = None

    def any_by(self, now: float) -> bool:
        return any(due is not None and due <= now for due in self._all())

    def earliest(self) -> float | None:
        return _first(self._all())

    def _all(self) -> tuple[float | None, ...]:
        return (self.instances, self.volumes, self.snapshots, self.volume_modifications, self.snapshot_tiers,
                self.schedules)


def _earliest(table: sa.Table) -> list[sa.ScalarSelect[Any]]:
    return [sa.select(sa.func.min(column)).scalar_subquery() for column in due_columns(table)]


def _first(values: tuple[Any, ...]) -> float | None:
    due = [value for value in values if value is not None]
    return min(due) if due else None


_TIMED_TABLES = (schema.instances, schema.volumes, schema.snapshots, schema.volume_modifications, schema.snapshot_tiers)
# What a request reads first, in one round trip: a setting (the clock offset) and the
# earliest due time of each table with timed states (each an indexed MIN per due column),
# then the first scheduled rule's.
_REQUEST_START = Prepared(lambda _: sa.select(
    sa.select(schema.settings.c.value).where(schema.settings.c.key == sa.bindparam("key")).scalar_subquery(),
    *(earliest for table in _TIMED_TABLES for earliest in _earliest(table)),
    scheduled_rules.earliest_query(),
))


class ReaderWrote(Exception):
    """A reader's transaction changed rows (a fault: its changes are rolled back)."""


_SETTING = Prepared(lambda _: sa.select(schema.settings.c.value).where(schema.settings.c.key == sa.bindparam("key")))


class UnitOfWork:
    """The repositories of one transaction, each made on first use (a request uses a few)."""

    instances: InstanceRepository
    volumes: VolumeRepository
    volume_modifications: VolumeModificationRepository
    snapshots: SnapshotRepository
    snapshot_tiers: SnapshotTierRepository
    tags: TagRepository
    images: ImageRepository
    key_pairs: KeyPairRepository
    launch_templates: LaunchTemplateRepository
    vpcs: VpcRepository
    subnets: SubnetRepository
    internet_gateways: InternetGatewayRepository
    route_tables: RouteTableRepository
    security_groups: SecurityGroupRepository
    elastic_ips: ElasticIpRepository
    network_interfaces: NetworkInterfaceRepository
    settings: SettingsRepository
    iam: IamRepository
    profile_associations: ProfileAssociationRepository
    settlement: SettlementRepository
    ssm_parameters: SsmParameterRepository
    event_rules: EventRuleRepository
    event_connections: EventConnectionRepository
    zone_groups: ZoneGroupRepository
    outbox: OutboxRepository
    trail: TrailRepository
    deliveries: DeliveryRepository
    # The events this transaction wrote to the outbox, by (source, detail-type); made by
    # the first repository that may write one (:meth:`emitted_counts`).
    emitted: EmittedCounts | None = None

    def __init__(self, conn: sa.Connection, managed_policies: Mapping[str, str] | None = None, *,
                 read_only: bool = False) -> None:
        self.conn = conn
        self.managed_policies = managed_policies
        self.read_only = read_only
        # The moment reads show rows at (:mod:`ec2emu.store.shown`): stored values until
        # the request's context sets it.
        self.moment: Moment = STORED

    def at(self) -> Moment:
        return self.moment

    def emitted_counts(self) -> EmittedCounts:
        if self.emitted is None:
            self.emitted = EmittedCounts()
        return self.emitted

    def __getattr__(self, name: str) -> Any:
        repository = _REPOSITORIES.get(name)
        if repository is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        made = repository(self)
        setattr(self, name, made)
        return made

    def clear_everything(self) -> None:
        """Forget every row of every table (the admin reset)."""
        for table in reversed(schema.metadata.sorted_tables):
            self.conn.execute(table.delete())

    def request_start(self, setting_key: str) -> tuple[Any, Due]:
        """The setting ``setting_key`` (``None`` if unset) and the earliest due times, read
        in one statement inside this transaction, so every node sharing the database
        sees the transitions any of them scheduled."""
        [(value, *mins)] = _REQUEST_START.tuples(self.conn, {"key": setting_key})
        earliest: list[float | None] = []
        for table in _TIMED_TABLES:
            count = len(due_columns(table))
            earliest.append(_first(tuple(mins[:count])))
            mins = mins[count:]
        [schedules] = mins
        instances, volumes, snapshots, modifications, tiers = earliest
        due = Due(instances, volumes, snapshots, modifications, tiers,
                  None if schedules is None else float(schedules))
        return (None if value is None else json.loads(value)), due

    def setting(self, key: str) -> Any:
        """The setting ``key`` (``None`` if unset), read in one prepared statement."""
        rows = _SETTING.tuples(self.conn, {"key": key})
        return json.loads(rows[0][0]) if rows and rows[0][0] is not None else None


_REPOSITORIES: dict[str, Callable[[UnitOfWork], Any]] = {
    "instances": lambda uow: InstanceRepository(uow.conn, uow.at),
    "volumes": lambda uow: VolumeRepository(uow.conn, uow.at),
    "volume_modifications": lambda uow: VolumeModificationRepository(uow.conn, uow.at),
    "snapshot_tiers": lambda uow: SnapshotTierRepository(uow.conn, uow.at),
    "snapshots": lambda uow: SnapshotRepository(uow.conn, uow.at), "tags": lambda uow: TagRepository(uow.conn, uow.at),
    "images": lambda uow: ImageRepository(uow.conn, uow.at), "settings": lambda uow: SettingsRepository(uow.conn),
    "key_pairs": lambda uow: KeyPairRepository(uow.conn, uow.at),
    "launch_templates": lambda uow: LaunchTemplateRepository(uow.conn, uow.at),
    "vpcs": lambda uow: VpcRepository(uow.conn, uow.at), "subnets": lambda uow: SubnetRepository(uow.conn, uow.at),
    "internet_gateways": lambda uow: InternetGatewayRepository(uow.conn, uow.at),
    "route_tables": lambda uow: RouteTableRepository(uow.conn, uow.at),
    "security_groups": lambda uow: SecurityGroupRepository(uow.conn, uow.at),
    "elastic_ips": lambda uow: ElasticIpRepository(uow.conn, uow.at),
    "network_interfaces": lambda uow: NetworkInterfaceRepository(uow.conn, uow.at),
    "iam": lambda uow: IamRepository(uow.conn, uow.managed_policies),
    "profile_associations": lambda uow: ProfileAssociationRepository(uow.conn, uow.at),
    "settlement": lambda uow: SettlementRepository(uow.conn, uow.emitted_counts()),
    "ssm_parameters": lambda uow: SsmParameterRepository(uow.conn),
    "event_rules": lambda uow: EventRuleRepository(uow.conn),
    "event_connections": lambda uow: EventConnectionRepository(uow.conn),
    "zone_groups": lambda uow: ZoneGroupRepository(uow.conn),
    "outbox": lambda uow: OutboxRepository(uow.conn, uow.emitted_counts()),
    "trail": lambda uow: TrailRepository(uow.conn),
    "deliveries": lambda uow: DeliveryRepository(uow.conn),
}


class Store:
    """A database holding ec2emu's state."""

    def __init__(self, url: str) -> None:
        self.url = url
        # Documents of the policies AWS manages, by ARN: not rows, handed in by the owner
        # of the set (the application sets it; the store never imports it).
        self.managed_policies: Mapping[str, str] = {}
        self.engine = create_engine(url)
        migrate(self.engine)
        # SQLite: connections kept open between units of work (see _sqlite_work), the one
        # each thread gave back last (its preference), and the lock taking one.
        self._idle: list[tuple[sa.Connection, Any]] | None = None if is_postgresql(self.engine) else []
        self._last_given = threading.local()
        self._idle_lock = threading.Lock()
        # How many transactions were run again after a conflict (PostgreSQL's 40001, …).
        self.conflict_retries = 0
        # The events committed to the outbox, by (source, detail-type).
        self.events_emitted = EmittedCounts()
        self.emitted_lock = threading.Lock()
        # Set when a writer's transaction of this process commits: what a poller of the
        # database (event delivery) waits on, rather than waking to look.
        self.news = threading.Event()
        self._mark = change_mark(self.engine)

    def change_mark(self) -> int | None:
        """A number that changes whenever a transaction that wrote commits, on any
        connection (:class:`~ec2emu.store.engine.ChangeMark`); ``None`` on PostgreSQL."""
        return None if self._mark is None else self._mark.read()

    def _committed(self, uow: UnitOfWork) -> None:
        """Add a committed transaction's event counts to :attr:`events_emitted`; after a
        writer's, set :attr:`news`."""
        if not uow.read_only:
            self.news.set()
        if uow.emitted:
            with self.emitted_lock:
                self.events_emitted.update(uow.emitted)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction, committed when the block ends and rolled back on an exception.

        On PostgreSQL each unit of work checks a connection out of the pool, which pings
        one that has lain idle, so that one broken by a restart of the database is
        replaced (:mod:`ec2emu.store.engine`). On SQLite
        see :meth:`_sqlite_work`."""
        if self._idle is None:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(_WRITER_TURN)
                uow = UnitOfWork(conn, self.managed_policies)
                yield uow
            self._committed(uow)
            return
        conn, driver = self._checkout(WRITE)
        uow = UnitOfWork(conn, self.managed_policies)
        try:
            yield uow
        except BaseException:
            self._finish(conn, driver, commit=False)
            raise
        self._finish(conn, driver, commit=True)
        self._committed(uow)

    def transaction(self, work: Callable[[UnitOfWork], T], *, read_only: bool = False) -> T:
        """``work(uow)`` in one transaction; on PostgreSQL retried whole on a conflict.

        ``read_only``: a reader's transaction, which must not write (on SQLite a write
        is rolled back and :class:`ReaderWrote` raised; PostgreSQL's ``READ ONLY``). It takes no lock on
        SQLite (a deferred ``BEGIN``: it reads the snapshot of its first read, WAL letting
        it run beside a writer), and on PostgreSQL reads one snapshot at ``REPEATABLE
        READ``, which never fails to serialize and makes no writer fail either."""
        return self._run(work, READ if read_only else WRITE)

    def settling_transaction(self, work: Callable[[UnitOfWork], T]) -> T:
        """``work(uow)`` in the settler's transaction: a writer's, taking its turn like
        any other, at ``REPEATABLE READ`` on PostgreSQL (every statement of a transition
        reads the one snapshot, which already holds every earlier writer's changes)."""
        return self._run(work, SETTLE)

    def _run(self, work: Callable[[UnitOfWork], T], mode: str) -> T:
        if self._idle is not None:
            return self._sqlite_work(work, mode)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self._validated(work, mode)
            except Exception as error:
                if not is_conflict(error) or attempt == MAX_ATTEMPTS:
                    raise
            self.conflict_retries += 1
            time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))
        raise AssertionError("unreachable")

    def _sqlite_work(self, work: Callable[[UnitOfWork], T], mode: str) -> T:
        """On SQLite a unit of work runs on a connection kept open rather than returned to
        the pool and checked out again, which costs more than a read of a few rows: the
        one its thread gave back last, if idle, else the one given back longest ago (see
        :meth:`_checkout`). Its transaction is begun and ended on
        the driver's connection (``BEGIN IMMEDIATE`` … ``COMMIT``, a reader's ``BEGIN``):
        the prepared hot statements run there directly, and a statement run through
        SQLAlchemy joins it (the engine's ``begin`` listener sees the driver already in a
        transaction and starts none), SQLAlchemy's own transaction then being ended with
        it."""
        conn, driver = self._checkout(mode)
        changes = driver.total_changes
        uow = UnitOfWork(conn, self.managed_policies, read_only=mode == READ)
        try:
            result = work(uow)
            if mode == READ and driver.total_changes != changes:
                raise ReaderWrote("a reader's transaction changed rows")
        except BaseException:
            self._finish(conn, driver, commit=False)
            raise
        self._finish(conn, driver, commit=True)
        self._committed(uow)
        return result

    def _checkout(self, mode: str) -> tuple[sa.Connection, Any]:
        """An idle SQLite connection (or a new one) and its driver connection, in a new
        transaction (``BEGIN IMMEDIATE``; a reader's ``BEGIN``).

        Each thread keeps to its own connection where it can: the one it gave back last
        if that is idle, else the idle one given back longest ago (not another thread's
        latest). A connection's page cache is wholly dropped whenever another connection
        has written since its last transaction (SQLite cannot tell which pages changed),
        so a server's request thread, which also writes the audit trail and settles,
        keeps its cache warm while the event delivery thread polls on a connection of its
        own — rather than taking the request thread's and leaving it a cold one."""
        assert self._idle is not None
        preferred = getattr(self._last_given, "pair", None)
        pair: tuple[sa.Connection, Any] | None
        driver: Any
        with self._idle_lock:
            idle = self._idle
            if preferred is not None and any(given is preferred for given in idle):
                pair = preferred
                idle.remove(preferred)
            else:
                pair = idle.pop(0) if idle else None
        if pair is None:
            conn = self.engine.connect()
            driver = conn.connection.driver_connection
        else:
            conn, driver = pair
        try:
            driver.execute("BEGIN" if mode == READ else "BEGIN IMMEDIATE")
        except BaseException:
            conn.close()
            raise
        return conn, driver

    def _finish(self, conn: sa.Connection, driver: Any, *, commit: bool) -> None:
        """End the transaction :meth:`_checkout` began; keep the connection for the next
        unit of work unless something left it in doubt."""
        assert self._idle is not None
        try:
            if conn.in_transaction():
                if commit:
                    conn.commit()
                else:
                    conn.rollback()
            elif commit:
                driver.commit()
            else:
                driver.rollback()
        finally:
            if conn.invalidated or conn.closed or conn.in_transaction() or driver.in_transaction:
                conn.close()
            else:
                pair = (conn, driver)
                self._last_given.pair = pair
                with self._idle_lock:
                    self._idle.append(pair)

    def _validated(self, work: Callable[[UnitOfWork], T], mode: str) -> T:
        failure: Exception | None = None
        with self.engine.connect().execution_options(**_PG_MODES[mode]) as conn, conn.begin():
            if mode != READ:
                conn.exec_driver_sql(_WRITER_TURN)
            savepoint = conn.begin_nested() if mode != READ else None
            uow = UnitOfWork(conn, self.managed_policies, read_only=mode == READ)
            try:
                result = work(uow)
            except Exception as error:
                if is_database_error(error) or savepoint is None:
                    raise
                savepoint.rollback()
                failure = error
            else:
                if savepoint is not None:
                    savepoint.commit()
        if failure is not None:
            raise failure  # its writes, and their events, rolled back to the savepoint
        self._committed(uow)
        return result

    def close(self) -> None:
        if self._mark is not None:
            self._mark.close()
        while self._idle:
            self._idle.pop()[0].close()
        self.engine.dispose()
