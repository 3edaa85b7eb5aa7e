"""Rules on the default event bus: PutRule, DescribeRule, ListRules, EnableRule,
DisableRule and DeleteRule.

A rule matches events by its ``EventPattern`` (checked when put: a pattern not valid is
``InvalidEventPatternException``), fires on its ``ScheduleExpression``
(:mod:`ec2emu.lifecycle.schedules`; one not valid is ``ValidationException`` "Parameter
ScheduleExpression is not valid."; on a bus other than ``default``, "ScheduleExpression
is supported only on the default event bus."), or both, as AWS allows: it then gets the
events its pattern matches as well as its schedule's. A rule with neither is AWS's
``ValidationException``. ``RoleArn`` is refused by name. A rule's ``State`` is
``ENABLED`` (the default), ``DISABLED`` or
``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``: enabled, and also matched against
the ``AWS API Call via CloudTrail`` events of reads (Describe, Get, List), which
``ENABLED`` rules never see (:mod:`~ec2emu.services.events.api_calls`); EnableRule
makes a rule ``ENABLED``. PutRule on an existing rule replaces it: a member left out is
gone (``State`` back to ``ENABLED``), its tags and targets stay and ``Tags`` given again
are ignored, as AWS does.

A schedule runs on the emulated clock, in UTC, while the rule is enabled (in either
enabled state): the settler emits its ``Scheduled Event`` at each moment it falls due,
delivered to the rule's own targets only (:mod:`ec2emu.store.scheduled_rules`). A
``rate`` counts from the moment the rule was created, or enabled again after being
disabled; PutRule that changes the expression, or enables a disabled rule, starts it
again from that moment, while PutRule of an enabled rule with the same expression
keeps its next due time. A disabled rule keeps no due time, so the moments it was
disabled through are never emitted.

DeleteRule of a rule that does not exist succeeds (AWS's repeat deletes do); a rule with
targets is not deleted (``ValidationException`` "Rule can't be deleted since it has
targets."). ``Force`` is for rules AWS services manage for the account: none exist
here, so it changes nothing — it does not delete a rule that has targets either.

Choices AWS's documentation leaves open: the pattern is kept as the text given (AWS
answers DescribeRule with the text as put); the model's 4,096 characters are the limit
of a pattern's length; a bus holds at most 300 rules (AWS's default quota;
``LimitExceededException``).
"""

from __future__ import annotations

from typing import Any

from ec2emu.lifecycle.schedules import ScheduleError, parse
from ec2emu.services.events.common import bus_of, is_default_bus, load_rule, rule_arn, rule_view, tag_pairs
from ec2emu.services.events.common import page as page_of
from ec2emu.services.events.errors import (
    has_targets,
    invalid_pattern,
    invalid_schedule,
    limit_exceeded,
    pattern_or_schedule,
    schedule_on_custom_bus,
)
from ec2emu.services.events.patterns import PatternError, compile_pattern
from ec2emu.services.events.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.repository import UnitOfWork

ENABLED, DISABLED = "ENABLED", "DISABLED"
WITH_CLOUDTRAIL = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
# The states whose rules events are matched against.
MATCHING = (ENABLED, WITH_CLOUDTRAIL)
# The name of the delivery's cursor: the last event matched (or passed over).
CURSOR = "rules"
MAX_RULES = 300


def check_pattern(text: str) -> None:
    try:
        compile_pattern(text)
    except PatternError as error:
        raise invalid_pattern(str(error)) from None


def pass_over_all(uow: UnitOfWork) -> bool:
    """When no rule is enabled anywhere, move the delivery's cursor past the newest event
    (all passed over at once, nothing read of them); whether it was so."""
    if uow.event_rules.any_anywhere(MATCHING):
        return False
    newest = uow.outbox.newest()
    if newest > uow.deliveries.cursor(CURSOR):
        uow.deliveries.set_cursor(CURSOR, newest)
    return True


def enabling(ctx: RequestContext, state: str) -> None:
    """Before a rule is put in ``state``: when it is the first rule enabled anywhere,
    move the delivery's cursor past every event stored, which it must never be matched
    against (while no rule is enabled, delivery's thread leaves the cursor where it is:
    :meth:`ec2emu.services.events.delivery.Deliverer.idle`)."""
    if state in MATCHING:
        pass_over_all(ctx.uow)


def first_fire(ctx: RequestContext, schedule: str | None, state: str) -> float | None:
    """When a schedule enabled now first falls due (``None``: no schedule, or disabled)."""
    if schedule is None or state not in MATCHING:
        return None
    return parse(schedule).first_after(ctx.now_ts)


@operation("PutRule", refuses=("RoleArn",))
def put_rule(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    schedule = params.get("ScheduleExpression")
    if schedule is not None and not is_default_bus(ctx, params.get("EventBusName")):
        raise schedule_on_custom_bus()
    bus = bus_of(ctx, params)
    name = params["Name"]
    pattern = params.get("EventPattern")
    if pattern is None and schedule is None:
        raise pattern_or_schedule()
    if schedule is not None:
        try:
            parse(schedule)
        except ScheduleError:
            raise invalid_schedule() from None
    if pattern is not None:
        check_pattern(pattern)
    state = params.get("State", ENABLED)
    repository = ctx.uow.event_rules
    existing = repository.get(bus, name)
    if existing is None:
        tags = tag_pairs(params.get("Tags"))
        if repository.count(bus) >= MAX_RULES:
            raise limit_exceeded()
    else:
        tags = existing["tags"]
    if (existing is not None and existing["next_fire_at"] is not None and state in MATCHING
            and existing["schedule_expression"] == schedule):
        next_fire_at = existing["next_fire_at"]
    else:
        next_fire_at = first_fire(ctx, schedule, state)
    enabling(ctx, state)
    repository.put({
        "account_id": ctx.account_id, "region": ctx.region, "event_bus": bus.name, "name": name,
        "event_pattern": pattern, "state": state, "description": params.get("Description"), "tags": tags,
        "created_at": existing["created_at"] if existing is not None else ctx.now_ts,
        "schedule_expression": schedule, "next_fire_at": next_fire_at,
    })
    return {"RuleArn": rule_arn(ctx, name)}


@operation("DescribeRule")
def describe_rule(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load_rule(ctx, bus_of(ctx, params), params["Name"])
    return {**rule_view(ctx, row), "CreatedBy": row["account_id"]}


@operation("ListRules")
def list_rules(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus = bus_of(ctx, params)
    prefix = params.get("NamePrefix", "")
    rows, token = page_of(params, lambda after, limit: ctx.uow.event_rules.listing(bus, prefix, after, limit), "name")
    result: dict[str, Any] = {"Rules": [rule_view(ctx, row) for row in rows]}
    if token is not None:
        result["NextToken"] = token
    return result


def _set_state(ctx: RequestContext, params: dict[str, Any], state: str) -> dict[str, Any]:
    bus = bus_of(ctx, params)
    row = load_rule(ctx, bus, params["Name"])
    if row["state"] == state:
        return {}
    enabling(ctx, state)
    ctx.uow.event_rules.set_state(bus, row["name"], state, first_fire(ctx, row["schedule_expression"], state))
    return {}


@operation("EnableRule")
def enable_rule(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _set_state(ctx, params, ENABLED)


@operation("DisableRule")
def disable_rule(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _set_state(ctx, params, DISABLED)


@operation("DeleteRule")
def delete_rule(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus = bus_of(ctx, params)
    repository = ctx.uow.event_rules
    row = repository.get(bus, params["Name"])
    if row is None:
        return {}
    if repository.target_ids(bus, row["name"]):
        raise has_targets()
    repository.delete(bus, row["name"])
    return {}
