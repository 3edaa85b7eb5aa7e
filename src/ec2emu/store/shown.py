"""What readers see: each timed table as the lifecycle's table and the clock say it stands.

A row keeps the state its last writer (a handler or the settler) gave it, and ``due_at``,
the moment that state ends on its own. Between the moment a transition falls due and
the moment the settler persists it, a reader must already see it done — and readers
never write, so they never wait for the settler or conflict with it. Every read of a
timed table therefore selects its *shown* columns (:func:`shown`): the stored column,
or a ``CASE`` that gives the value the transitions due by the moment imply, built from
the lifecycle's ``"due"`` rows (:data:`~ec2emu.lifecycle.machines.DUE_TRANSITIONS`) and
their named effects — the same table the settler applies, so the two cannot drift:

* a timed state past its ``due_at`` shows the next state, with the columns its effects
  set (a ``running`` instance's state reason cleared, a ``terminated`` one's network
  released); a next state that is itself timed (``terminated``, kept for the retention
  period) shows its own due time, and when that has passed too, the next again;
* a transition to no state (``terminated`` → gone, ``deleting`` → gone) leaves the row
  out (:attr:`Shown.present`);
* across tables, as the effects say: the volumes of an instance whose ``shutting-down``
  is over show detached — ``available``, or ``deleting`` (and later gone) when marked
  DeleteOnTermination (``volumes_end_with_instance``); so do the network interfaces
  attached to it: those marked DeleteOnTermination (its primary one) are gone from that
  moment, the others ``available`` and detached (``interfaces_end_with_instance``); its
  Elastic IPs show disassociated, still allocated (``disassociate_addresses``); a
  pending image shows
  ``available`` once no snapshot of it shows ``pending`` (``complete_images``); the tags
  of a gone resource are left out (``remove_tags``, :func:`gone_ids`).

The moment is bound by name (:class:`Moment`): ``now`` and each duration as ``d_<field>``.
A unit of work's moment is :data:`STORED` until the request's context sets it: before
every due time, so stored values show as they are (what the settler and the store's
own tests read).

A look-up by ID first reads its rows as stored, with whether a due time of each has
passed (:meth:`Shown.stored_select`): where none has (nearly always, once the settler
has moved what fell due), every shown value is the stored one and the database runs the
smaller statement; only otherwise are the rows read again through the ``CASE``
expressions (:func:`~ec2emu.store.queries.get_rows`, an instance's details likewise).

A filter on a shown column tests the shown value; where the stored values that can show
as the wanted ones are known (``running`` is shown by a stored ``running`` or
``pending``), the stored column is also restricted to them, so its index still serves.
A wildcard on a state column is first matched against the resource's states (AWS's
enumeration), so that it too is an exact list an index serves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import sqlalchemy as sa

from ec2emu.lifecycle.machines import DUE_TRANSITIONS, SHUTTING_DOWN, STATES, Durations, Transition
from ec2emu.store import schema

# A resource's table and the column holding the state its transitions move.
RESOURCES: dict[str, tuple[sa.Table, str]] = {
    "instance": (schema.instances, "state"),
    "volume": (schema.volumes, "state"),
    "volume-attachment": (schema.volumes, "attachment_state"),
    "snapshot": (schema.snapshots, "state"),
    "instance-monitoring": (schema.instances, "monitoring_state"),
    "instance-metadata": (schema.instances, "metadata_state"),
    "volume-modification": (schema.volume_modifications, "state"),
    "snapshot-tier": (schema.snapshot_tiers, "status"),
}
# The column holding when a resource's timed state ends, where it is not ``due_at``: an
# instance's side machines share its row and keep their own due times.
DUE_COLUMNS: dict[str, str] = {"instance-monitoring": "monitoring_due_at", "instance-metadata": "metadata_due_at"}


def due_column(resource: str) -> str:
    """The column holding when ``resource``'s timed state ends."""
    return DUE_COLUMNS.get(resource, "due_at")


def due_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """Every due-time column of ``table`` (``due_at`` first, if it has one)."""
    names = ["due_at", *(DUE_COLUMNS[r] for r, (owner, _) in RESOURCES.items() if owner is table and r in DUE_COLUMNS)]
    return [table.c[name] for name in names if name in table.c]
ID_COLUMNS = {"instances": "instance_id", "volumes": "volume_id", "snapshots": "snapshot_id", "images": "image_id",
              "elastic_ips": "allocation_id", "network_interfaces": "network_interface_id",
              "volume_modifications": "volume_id", "snapshot_tiers": "snapshot_id"}
DETACHED: dict[str, Any] = {"instance_id": None, "device": None, "attach_time": None, "attachment_state": None,
                            "delete_on_termination": False}
# A network interface's attachment columns once detached.
INTERFACE_DETACHED: dict[str, Any] = {"attachment_id": None, "instance_id": None, "device_index": None,
                                      "attach_time": None, "delete_on_termination": False,
                                      "attachment_status": None}
# An Elastic IP's columns once it is disassociated.
UNASSOCIATED: dict[str, Any] = {"association_id": None, "instance_id": None, "network_interface_id": None,
                                "network_interface_owner_id": None, "private_ip": None}
# Columns an effect sets along with the state.
EFFECT_COLUMNS: dict[str, dict[str, Any]] = {
    "clear_state_reason": {"state_reason_code": None, "state_reason_message": None},
    "release_network": {"vpc_id": None, "subnet_id": None, "private_ip": None},
    "end_profile_association": {"iam_association_id": None, "iam_instance_profile_arn": None,
                                "iam_instance_profile_id": None, "iam_association_time": None},
    "volume_available": {"state": "available", **DETACHED},
}
EXTENDS = "extend_by_retention"  # the effect that keeps ``due_at`` for the next state

# State columns of tables that have no timed states of their own, with their vocabulary.
VOCABULARIES: dict[str, tuple[sa.Table, str]] = {"network-interface": (schema.network_interfaces, "status")}

NOW = sa.bindparam("now", type_=sa.Float())
GONE = object()  # the value of a step's state column when the row is removed
IN_USE = "in-use"
# The stored state a resource's machine runs in, where it is another machine's: a volume's
# attachment comes and goes while the volume is ``in-use``.
_WHILE: dict[str, tuple[tuple[str, str], ...]] = {"volume-attachment": (("state", IN_USE),)}


def duration(field: str) -> sa.BindParameter[float]:
    """The bound duration of a :class:`Durations` field."""
    return sa.bindparam(f"d_{field}", type_=sa.Float())


class DueFirst(Exception):
    """A writer read a row whose transition has fallen due: the settler applies it
    before the write goes on (the request's transaction starts again)."""


@dataclass(frozen=True)
class Moment:
    """The time a read is made at, and the durations that place the due times.
    ``settles``: a writer's, which must not build on a row whose transition has fallen
    due (:func:`rows_shown` raises :class:`DueFirst`)."""

    now: float = -1e300  # before every due time: stored values shown as they are
    durations: Durations = Durations()
    settles: bool = False

    def binds(self) -> dict[str, float]:
        """The statements' parameters for this moment (made once; do not change them)."""
        made: dict[str, float] | None = self.__dict__.get("_binds")
        if made is None:
            made = {"now": self.now, **_duration_binds(self.durations)}
            object.__setattr__(self, "_binds", made)
        return made


_DURATION_FIELDS = fields(Durations)


@cache
def _duration_binds(durations: Durations) -> dict[str, float]:
    """The bound durations of ``durations`` (the same for every moment of a process)."""
    return {f"d_{f.name}": float(getattr(durations, f.name)) for f in _DURATION_FIELDS}


STORED = Moment()


def _plus(due_at: sa.ColumnElement[Any], timings: list[str]) -> sa.ColumnElement[Any]:
    for timing in timings:
        due_at = due_at + duration(timing)
    return due_at


def _value(value: Any) -> sa.ColumnElement[Any]:
    """A step's value as SQL: constants are written into the text (they come from the
    lifecycle's table), so the statements take no parameters but the moment's."""
    if isinstance(value, sa.ColumnElement):
        return value
    if value is None:
        return sa.null()
    if isinstance(value, bool):
        return sa.true() if value else sa.false()
    assert isinstance(value, str) and "'" not in value
    return sa.literal_column(f"'{value}'", sa.String())


@dataclass(frozen=True)
class _Step:
    """Rows meeting ``condition`` have reached a transition by now and show ``values``
    (``GONE`` in the state column: the row is left out). ``requires``: the stored
    (column, value) pairs the condition demands."""

    condition: sa.ColumnElement[bool]
    values: dict[str, Any]
    requires: tuple[tuple[str, str], ...]
    ended: bool = False  # the condition reads the row's instance (:data:`ENDED`)

    @property
    def removes(self) -> bool:
        """Whether rows meeting the condition are left out (gone)."""
        return any(value is GONE for value in self.values.values())


def due_after(resource: str, state: str | None) -> Transition | None:
    """The ``"due"`` transition that leaves ``state``, if that state is timed."""
    return next((t for t in DUE_TRANSITIONS if t.resource == resource and t.state == state), None)


def _chain(transition: Transition) -> list[Transition]:
    """The transitions a row in ``transition.state`` goes through on its own, in turn:
    while a transition keeps ``due_at`` for a timed next state, that state's too."""
    chain = [transition]
    while EXTENDS in chain[-1].effects:
        following = due_after(transition.resource, chain[-1].next_state)
        if following is None:
            break
        chain.append(following)
    return chain


def _after(due_at: sa.ColumnElement[Any], timings: list[str]) -> sa.ColumnElement[bool]:
    """``due_at`` plus the durations of ``timings`` is by now (written so that an index
    on ``due_at`` serves it)."""
    bound: sa.ColumnElement[Any] = NOW
    for timing in timings:
        bound = bound - duration(timing)
    return due_at <= bound


def _machine_steps(table: sa.Table, resource: str, column: str) -> list[_Step]:
    """The steps of one state machine, the longest chain of each first."""
    steps: list[_Step] = []
    due_name = due_column(resource)
    due_at = table.c[due_name]
    for transition in (t for t in DUE_TRANSITIONS if t.resource == resource):
        chain = _chain(transition)
        for k in range(len(chain), 0, -1):
            reached = chain[:k]
            timings = [t.timing for t in reached[1:] if t.timing]
            values: dict[str, Any] = {}
            for t in reached:
                for effect in t.effects:
                    values.update(EFFECT_COLUMNS.get(effect, {}))
            last = reached[-1]
            if last.next_state is None and column == "state":
                values[column] = GONE
            else:
                values[column] = last.next_state
                values[due_name] = None
                if EXTENDS in last.effects:
                    following = due_after(resource, last.next_state)
                    if following is not None and following.timing:
                        values[due_name] = _plus(due_at, [*timings, following.timing])
            requires = ((column, transition.state), *_WHILE.get(resource, ()))
            condition = sa.and_(*(table.c[c] == _value(v) for c, v in requires), _after(due_at, timings))
            steps.append(_Step(condition, values, requires))
    return steps


# The instances whose ``shutting-down`` a volume's, an interface's or an Elastic IP's row
# is joined to (volumes_end_with_instance, interfaces_end_with_instance,
# disassociate_addresses).
ENDED = schema.instances.alias("ended")
ATTACHED_TABLES = (schema.volumes, schema.network_interfaces, schema.elastic_ips)


def ended_join(table: sa.Table) -> sa.ColumnElement[bool]:
    """How a row of ``table`` (an :data:`ATTACHED_TABLES` one) is joined to its instance's
    ``shutting-down``."""
    return sa.and_(ENDED.c.instance_id == table.c.instance_id, ENDED.c.state == _value(SHUTTING_DOWN))


def _ended_steps(v: sa.Table, ended: sa.FromClause) -> list[_Step]:
    """Volumes of an instance (``ended``: the instances, joined or correlated) whose
    termination is due: detached, and those marked DeleteOnTermination ``deleting`` from
    that moment, then gone."""
    ending = next(t for t in DUE_TRANSITIONS if "volumes_end_with_instance" in t.effects)
    deleting = due_after("volume", "deleting")
    assert ending.state == SHUTTING_DOWN and deleting is not None and deleting.timing
    ended_at = ended.c.due_at
    attached = sa.and_(v.c.state == _value(IN_USE),  # as every attached volume is
                       ended.c.state == _value(SHUTTING_DOWN), ended.c.instance_id == v.c.instance_id)
    deleted = sa.and_(attached, v.c.delete_on_termination.is_(True))
    requires = (("state", IN_USE),)
    return [
        _Step(sa.and_(deleted, _after(ended_at, [deleting.timing])), {"state": GONE}, requires, True),
        _Step(sa.and_(deleted, _after(ended_at, [])),
              {**DETACHED, "state": "deleting", "due_at": _plus(ended_at, [deleting.timing])}, requires, True),
        _Step(sa.and_(attached, _after(ended_at, [])), {**DETACHED, "state": "available", "due_at": None},
              requires, True),
    ]


_SURVIVING = schema.network_interfaces.alias("surviving")


def surviving_interface(a: sa.Table) -> sa.ColumnElement[bool]:
    """The Elastic IP's interface outlives its instance's termination (it is not marked
    DeleteOnTermination): the address stays associated with it."""
    n = _SURVIVING
    return sa.exists().where(n.c.network_interface_id == a.c.network_interface_id,
                             n.c.delete_on_termination.is_(False))


def _address_steps(a: sa.Table, ended: sa.FromClause) -> list[_Step]:
    """Elastic IPs associated with an instance whose termination is due: disassociated,
    unless their interface outlives it (then they no longer name the instance)."""
    ending = next(t for t in DUE_TRANSITIONS if "disassociate_addresses" in t.effects)
    assert ending.state == SHUTTING_DOWN
    associated = sa.and_(ended.c.state == _value(SHUTTING_DOWN), ended.c.instance_id == a.c.instance_id,
                         _after(ended.c.due_at, []))
    survives = surviving_interface(a)
    return [_Step(sa.and_(associated, sa.not_(survives)), dict(UNASSOCIATED), (), True),
            _Step(sa.and_(associated, survives), {"instance_id": None}, (), True)]


def _interface_steps(n: sa.Table, ended: sa.FromClause) -> list[_Step]:
    """Interfaces attached to an instance (``ended``) whose termination is due: gone from
    that moment when marked DeleteOnTermination, else ``available`` and detached."""
    ending = next(t for t in DUE_TRANSITIONS if "interfaces_end_with_instance" in t.effects)
    assert ending.state == SHUTTING_DOWN
    attached = sa.and_(n.c.status == _value(IN_USE), ended.c.state == _value(SHUTTING_DOWN),
                       ended.c.instance_id == n.c.instance_id, _after(ended.c.due_at, []))
    requires = (("status", IN_USE),)
    return [
        _Step(sa.and_(attached, n.c.delete_on_termination.is_(True)), {"status": GONE}, requires, True),
        _Step(attached, {**INTERFACE_DETACHED, "status": "available"}, requires, True),
    ]


_ENDED_STEPS = {schema.volumes: _ended_steps, schema.elastic_ips: _address_steps,
                schema.network_interfaces: _interface_steps}


def _steps(table: sa.Table, ended: sa.FromClause) -> list[_Step]:
    steps = _ENDED_STEPS[table](table, ended) if table in _ENDED_STEPS else []
    for resource, (owner, column) in RESOURCES.items():
        if owner is table:
            steps += _machine_steps(table, resource, column)
    return steps


class Shown:
    """A timed table as readers see it at the bound moment. A volume's or an Elastic IP's
    row is shown with its instance's: joined (``ended`` :data:`ENDED`), or (a volume's) the
    instance a correlated subquery reads the volumes of."""

    def __init__(self, table: sa.Table, ended: sa.FromClause = ENDED) -> None:
        self.table = table
        self.id_column = table.c[ID_COLUMNS[table.name]]
        self.steps = _steps(table, ended)
        self.from_: sa.FromClause = table
        if table in ATTACHED_TABLES and ended is ENDED:
            self.from_ = table.outerjoin(ENDED, ended_join(table))
        # Every step's condition implies a due time passed: tested first, it spares the
        # rows with none (nearly all) the steps' comparisons.
        due_times = [*due_columns(table),
                     *([ended.c.due_at] if table in ATTACHED_TABLES else [])]
        self.passed = sa.or_(*(due_at <= NOW for due_at in due_times)) if due_times else sa.false()
        self.c: dict[str, sa.ColumnElement[Any]] = {}
        for column in table.columns:
            whens = [(step.condition, _value(step.values[column.key])) for step in self.steps
                     if column.key in step.values and step.values[column.key] is not GONE]
            self.c[column.key] = (column if not whens else sa.type_coerce(
                sa.case((self.passed, sa.case(*whens, else_=column)), else_=column), column.type))
        if table is schema.images:
            self.c["state"] = sa.type_coerce(_image_state(), table.c.state.type)
        # Whether the row has a transition due by now (a writer must not build on it).
        self.due: sa.ColumnElement[Any] = sa.func.coalesce(
            sa.and_(self.passed, sa.or_(*(step.condition for step in self.steps))), sa.false()
        ) if self.steps else sa.false()
        if table is schema.images:
            self.due = self.c["state"] != table.c.state
        gone = [step.condition for step in self.steps if step.removes]
        self.gone = sa.or_(*gone) if gone else sa.false()
        self.present: sa.ColumnElement[bool] = (
            sa.not_(sa.func.coalesce(sa.and_(self.passed, self.gone), sa.false())) if gone else sa.true())
        # (a column marked ``info={"shown": False}`` is the store's own bookkeeping)
        self.columns = [self.c[column.key].label(column.key) for column in table.columns
                        if column.info.get("shown", True)]
        # The same columns as stored: what they show wherever :attr:`passed` is false
        # (``gated``: every shown value is guarded so; an image's state is not).
        self.stored_columns = [column.label(column.key) for column in table.columns if column.info.get("shown", True)]
        self.gated = table is not schema.images

    def select(self, *extra: Any, due: bool = True) -> sa.Select[Any]:
        """The shown rows, their columns named as the table's, then ``extra``, then (for
        a writer, ``due``) :data:`DUE_COLUMN` (see :func:`rows_shown`)."""
        columns = [*self.columns, *extra, self.due.label(DUE_COLUMN)] if due else [*self.columns, *extra]
        query = sa.select(*columns).select_from(self.from_)
        return query if not self.gone_possible else query.where(self.present)

    def stored_select(self, *extra: Any, passed: sa.ColumnElement[Any] | None = None) -> sa.Select[Any]:
        """The rows as stored, their columns named as :meth:`select` names them, then
        ``extra``, then :data:`PASSED`: whether a due time of the row has passed (for a
        volume's, an Elastic IP's or an interface's row, its instance's too; ``passed``
        when ``extra`` shows rows of its own, which it must cover as well). Where it has
        not, :meth:`select` gives the same row (with a writer's due column false), for a
        ``gated`` view; a reader of rows by ID reads them so first, and through
        :meth:`select` only when one has (:func:`~ec2emu.store.queries.stored_first`)."""
        assert self.gated, "an image's state is not the stored one while no due time of it passes"
        flag = self.passed if passed is None else passed
        return sa.select(*self.stored_columns, *extra, flag.label(PASSED)).select_from(self.from_)

    @property
    def gone_possible(self) -> bool:
        return any(step.removes for step in self.steps)

    def sources(self, field: str, wanted: Callable[[Any], bool]) -> set[str] | None:
        """The stored values of ``field`` other than wanted ones that can show as a
        wanted value by now (``None``: not known, any can)."""
        found: set[str] = set()
        for step in self.steps:
            value = step.values.get(field, GONE)
            if value is GONE:
                continue
            if isinstance(value, sa.ColumnElement):
                return None
            if wanted(value):
                stored = [value for column, value in step.requires if column == field]
                if not stored:
                    return None
                found.update(stored)
        return found

    def vocabulary(self, field: str) -> tuple[str, ...] | None:
        """Every value ``field`` can hold, if it is a state column."""
        for resource, (owner, column) in {**RESOURCES, **VOCABULARIES}.items():
            if owner is self.table and column == field:
                return STATES[resource]
        return None

    def is_shown(self, field: str) -> bool:
        return self.c[field] is not self.table.c[field]


def _image_state() -> sa.ColumnElement[Any]:
    """A pending image is shown ``available`` once a snapshot of it has completed by now
    and none still shows ``pending`` (the ``complete_images`` effect)."""
    images, link, s = schema.images, schema.image_snapshots, schema.snapshots
    completing = next(t for t in DUE_TRANSITIONS if "complete_images" in t.effects)
    due = sa.and_(s.c.state == _value(completing.state), _after(s.c.due_at, []))
    linked: sa.Select[Any] = sa.select(sa.literal_column("1")).select_from(
        link.join(s, s.c.snapshot_id == link.c.snapshot_id)).where(
        link.c.image_id == images.c.image_id)
    return sa.case(
        (sa.and_(images.c.state == _value("pending"), linked.where(due).exists(),
                 ~linked.where(s.c.state == _value(completing.state), sa.not_(due)).exists()),
         _value("available")),
        else_=images.c.state,
    )


DUE_COLUMN = "_due"
PASSED = "_passed"


def rows_shown(rows: list[dict[str, Any]], moment: Moment) -> list[dict[str, Any]]:
    """Rows read through :meth:`Shown.select`, without their :data:`DUE_COLUMN`; for a
    writer's moment, :class:`DueFirst` if any has a transition due."""
    due = False
    for row in rows:
        due = bool(row.pop(DUE_COLUMN, False)) or due
    if due and moment.settles:
        raise DueFirst()
    return rows


@cache
def shown(table: sa.Table, ended: sa.FromClause = ENDED) -> Shown:
    """``table`` as readers see it (instances, volumes, snapshots, images, Elastic IPs); for volumes,
    ``ended`` may be the instances a correlated subquery reads the volumes of."""
    return Shown(table, ended)


def gone_ids() -> sa.Select[Any]:
    """The IDs of every row that is gone by now but not yet removed (their tags are gone
    with them): read through the ``due_at`` indexes."""
    selects = []
    for table in (schema.instances, schema.volumes, schema.network_interfaces):
        view = shown(table)
        for step in view.steps:
            if step.removes:
                source = table.join(ENDED, ended_join(table)) if step.ended else table
                selects.append(sa.select(view.id_column.label("resource_id")).select_from(source)
                               .where(step.condition))
    return sa.union_all(*selects).subquery().select()
