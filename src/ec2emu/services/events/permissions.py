"""What each EventBridge action asks permission for (its describer, see
:mod:`ec2emu.services.shared.permissions`), and EventBridge's denial.

Rule actions (PutRule, DescribeRule, EnableRule, DisableRule, DeleteRule, PutTargets,
RemoveTargets, ListTargetsByRule) check the rule they name —
``arn:aws:events:REGION:ACCOUNT:rule/NAME`` — with its tags (``aws:ResourceTag/k``)
when it exists, and PutRule the request's tags (``aws:RequestTag/k``, ``aws:TagKeys``);
TagResource, UntagResource and ListTagsForResource check the ARN they are given (a rule's
with its tags; TagResource with the request's tags, UntagResource with ``aws:TagKeys``);
PutEvents checks the event bus, ``arn:aws:events:REGION:ACCOUNT:event-bus/default``;
the connection actions (CreateConnection, DescribeConnection, UpdateConnection,
DeleteConnection, DeauthorizeConnection) check the connection they name and the API
destination actions (CreateApiDestination, DescribeApiDestination, UpdateApiDestination,
DeleteApiDestination) the destination — its ARN, ``…:connection/NAME/UUID`` or
``…:api-destination/NAME/UUID``, when it exists, else ``…:connection/NAME`` or
``…:api-destination/NAME`` (the form AWS's service authorization reference gives; a
policy's ``connection/NAME*`` matches both); ListRules, ListConnections,
ListApiDestinations and TestEventPattern check ``*`` (AWS's service authorization
reference lists no resource for them).

A denial is ``AccessDeniedException`` (400) "User: ARN is not authorized to perform:
events:ACTION on resource: ARN because no identity-based policy allows the events:ACTION
action".
"""

from __future__ import annotations

from typing import Any

from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.events.common import DEFAULT_BUS, bus_arn, rule_arn
from ec2emu.services.events.connections import plain_arn, scope
from ec2emu.services.events.errors import access_denied
from ec2emu.services.events.tags import rule_name
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import Describer, denies_with, describes_by_default, request_tags, tag_keys
from ec2emu.store.event_rules import Bus

denies_with("events", access_denied)

CONNECTION_ACTIONS = frozenset({"CreateConnection", "DescribeConnection", "UpdateConnection", "DeleteConnection",
                                "DeauthorizeConnection"})
DESTINATION_ACTIONS = frozenset({"CreateApiDestination", "DescribeApiDestination", "UpdateApiDestination",
                                 "DeleteApiDestination"})


def _rule(ctx: RequestContext, name: str, extra: dict[str, ContextValue]) -> Resource:
    keys = dict(extra)
    row = ctx.uow.event_rules.get(Bus(ctx.account_id, ctx.region, DEFAULT_BUS), name)
    if row is not None:
        keys.update(tag_keys(("aws:ResourceTag",), [(k, v) for k, v in row["tags"]]))
    return Resource(rule_arn(ctx, name), keys)


def _named(ctx: RequestContext, kind: str, name: Any) -> list[Resource]:
    """A connection or API destination: its ARN when it exists, else the ARN without the
    UUID it would be given; ``*`` when no name is given."""
    if not isinstance(name, str):
        return [Resource("*")]
    repository = ctx.uow.event_connections
    row = repository.get(scope(ctx), name) if kind == "connection" else repository.destination(scope(ctx), name)
    return [Resource(row["arn"] if row is not None else plain_arn(ctx, kind, name))]


@describes_by_default("events")
def _events(action: str) -> Describer:
    def describe(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
        if action == "PutEvents":
            return [Resource(bus_arn(ctx))]
        if action in CONNECTION_ACTIONS:
            return _named(ctx, "connection", params.get("Name"))
        if action in DESTINATION_ACTIONS:
            return _named(ctx, "api-destination", params.get("Name"))
        extra = request_tags(params.get("Tags")) if action in ("PutRule", "TagResource") else {}
        if action == "UntagResource" and isinstance(params.get("TagKeys"), list):
            extra = {"aws:TagKeys": [str(key) for key in params["TagKeys"]]}
        if isinstance(params.get("ResourceARN"), str):
            name = rule_name(ctx, params["ResourceARN"])
            return [Resource(params["ResourceARN"], extra) if name is None else _rule(ctx, name, extra)]
        name = params.get("Name", params.get("Rule"))
        if not isinstance(name, str):
            return [Resource("*")]
        return [_rule(ctx, name, extra)]

    return describe
