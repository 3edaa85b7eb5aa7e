"""What EventBridge's operations share: the event bus a request names, ARNs, finding a
rule, tags, paging, and the wire views of rules.

Only each account's ``default`` event bus is served: ``EventBusName`` omitted, ``default``
or the default bus's ARN in the caller's account and region name it; any other name or
ARN is a bus that does not exist (``ResourceNotFoundException`` "Event bus NAME does not
exist."). Rules belong to an account and region: another account's rule of the same name
is not seen.

Choices AWS's documentation leaves open:

* ListRules and ListTargetsByRule give pages in name (target ID) order, 100 items when
  ``Limit`` is not given; ``NextToken`` is opaque, and one not given by them answers
  ``ValidationException`` "The NextToken provided is not valid.";
* a rule holds at most 50 tags (``LimitExceededException``), a key given again
  replacing its value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ec2emu.services.events.errors import bus_not_found, invalid_next_token, limit_exceeded, rule_not_found
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.pagination import decode_token, encode_token
from ec2emu.store.event_rules import Bus

DEFAULT_BUS = "default"
PAGE = 100
MAX_TAGS = 50


def bus_arn(ctx: RequestContext, name: str = DEFAULT_BUS) -> str:
    return f"arn:aws:events:{ctx.region}:{ctx.account_id}:event-bus/{name}"


def rule_arn(ctx: RequestContext, name: str) -> str:
    return rule_arn_in(ctx.region, ctx.account_id, name)


def rule_arn_in(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:events:{region}:{account_id}:rule/{name}"


def bus_name(given: str | None) -> str:
    """The name a bus reference gives (an ARN's part after ``event-bus/``)."""
    if given is None:
        return DEFAULT_BUS
    if given.startswith("arn:") and ":event-bus/" in given:
        return given.split(":event-bus/", 1)[1]
    return given


def is_default_bus(ctx: RequestContext, given: str | None) -> bool:
    return given in (None, DEFAULT_BUS, bus_arn(ctx))


def bus_of(ctx: RequestContext, params: dict[str, Any]) -> Bus:
    """The bus ``EventBusName`` names: this account's default bus, or none."""
    given = params.get("EventBusName")
    if not is_default_bus(ctx, given):
        raise bus_not_found(bus_name(given))
    return Bus(ctx.account_id, ctx.region, DEFAULT_BUS)


def load_rule(ctx: RequestContext, bus: Bus, name: str) -> dict[str, Any]:
    row = ctx.uow.event_rules.get(bus, name)
    if row is None:
        raise rule_not_found(name, bus.name)
    return row


def tag_pairs(tags: list[dict[str, Any]] | None, existing: list[list[str]] | None = None) -> list[list[str]]:
    """Tags as stored: ``[key, value]`` pairs, a later key replacing an earlier one."""
    pairs = {key: value for key, value in existing or []}
    pairs.update({str(tag["Key"]): str(tag.get("Value", "")) for tag in tags or []})
    if len(pairs) > MAX_TAGS:
        raise limit_exceeded()
    return [[key, value] for key, value in pairs.items()]


def page(params: dict[str, Any], fetch: Callable[[str | None, int], list[dict[str, Any]]],
         key: str) -> tuple[list[dict[str, Any]], str | None]:
    """One page of rows in ``key`` order (``fetch(after, limit)``), and the next page's
    token (``None``: the last page)."""
    after = decode_token(params.get("NextToken"), invalid_next_token)
    if after is not None and not isinstance(after, str):
        raise invalid_next_token()
    limit = params.get("Limit") or PAGE
    rows = fetch(after, limit + 1)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_token(rows[-1][key])


def rule_view(ctx: RequestContext, row: dict[str, Any]) -> dict[str, Any]:
    """A rule as ListRules answers it (DescribeRule adds ``CreatedBy``)."""
    view: dict[str, Any] = {"Name": row["name"], "Arn": rule_arn(ctx, row["name"]), "State": row["state"],
                            "EventBusName": row["event_bus"]}
    if row["event_pattern"] is not None:
        view["EventPattern"] = row["event_pattern"]
    if row["schedule_expression"] is not None:
        view["ScheduleExpression"] = row["schedule_expression"]
    if row["description"] is not None:
        view["Description"] = row["description"]
    return view
