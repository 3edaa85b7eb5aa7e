"""Tags on rules: TagResource, UntagResource and ListTagsForResource with a rule's ARN
(``arn:aws:events:REGION:ACCOUNT:rule/NAME``) as ``ResourceARN``; PutRule's ``Tags``
are a new rule's first.

A rule ARN of the caller's account and region naming no rule is
``ResourceNotFoundException`` "Rule NAME does not exist on EventBus default."; any other
ARN of the caller's — the default bus's included: tags on event buses are not served —
is refused by value, and an ARN of another account or region names nothing here
(``ResourceNotFoundException`` "Resource ARN does not exist.", worded here). A rule holds
at most 50 tags (``LimitExceededException``); a key given again replaces its value.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.events.common import DEFAULT_BUS, load_rule, tag_pairs
from ec2emu.services.events.errors import resource_not_found, unhonoured_value
from ec2emu.services.events.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.event_rules import Bus


def rule_name(ctx: RequestContext, arn: str) -> str | None:
    """The rule a rule ARN of the caller's account and region names (``None``: no such ARN)."""
    prefix = f"arn:aws:events:{ctx.region}:{ctx.account_id}:rule/"
    if not arn.startswith(prefix) or "/" in arn[len(prefix):]:
        return None
    return arn[len(prefix):]


def _rule(ctx: RequestContext, arn: str) -> tuple[Bus, dict[str, Any]]:
    name = rule_name(ctx, arn)
    if name is None:
        if arn.startswith(f"arn:aws:events:{ctx.region}:{ctx.account_id}:"):
            raise unhonoured_value("ResourceARN", arn)
        raise resource_not_found(arn)
    bus = Bus(ctx.account_id, ctx.region, DEFAULT_BUS)
    return bus, load_rule(ctx, bus, name)


@operation("TagResource")
def tag_resource(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus, row = _rule(ctx, params["ResourceARN"])
    ctx.uow.event_rules.set_tags(bus, row["name"], tag_pairs(params["Tags"], row["tags"]))
    return {}


@operation("UntagResource")
def untag_resource(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus, row = _rule(ctx, params["ResourceARN"])
    removed = set(params["TagKeys"])
    ctx.uow.event_rules.set_tags(bus, row["name"], [[k, v] for k, v in row["tags"] if k not in removed])
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _, row = _rule(ctx, params["ResourceARN"])
    return {"Tags": [{"Key": key, "Value": value} for key, value in row["tags"]]}
