"""Security-group rules: AuthorizeSecurityGroupIngress / Egress, RevokeSecurityGroupIngress
/ Egress, ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptionsIngress / Egress
and DescribeSecurityGroupRules.

What a request may give is read by :mod:`~ec2emu.services.ec2.networking.rule_specs`.
Authorize answers every new rule with its ``sgr-`` ID; a rule the group has already, or
one asked for twice, answers ``InvalidPermission.Duplicate`` naming it, and nothing is
added. The quota ``rules-per-security-group`` (60) counts inbound and outbound rules
apart, one per peer (:mod:`ec2emu.quotas`). Ingress calls name the group by ``GroupId``
or, in the default VPC, ``GroupName``; egress calls by ``GroupId``.

Revoke takes rule IDs (``SecurityGroupRuleIds``, of the group and the call's direction)
or the rules' properties, the description not counting. As AWS documents: in a VPC other
than the default one, a rule the group does not have answers
``InvalidPermission.NotFound`` and nothing is revoked; in the default VPC the rules that
match are revoked and the others are answered as ``UnknownIpPermissions``.

ModifySecurityGroupRules replaces each named rule whole (AWS's reference: the rule is
given anew); the result may not duplicate another rule of the group.
UpdateSecurityGroupRuleDescriptions sets the descriptions of rules named by ID or by
properties (each must exist: ``InvalidPermission.NotFound``).

DescribeSecurityGroupRules filters ``group-id``, ``security-group-rule-id`` and the tag
filters, through the rules' indexes; MaxResults 5–1000.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import invalid_parameter_combination, missing_parameter
from ec2emu.services.ec2.networking import groups, network, rule_specs
from ec2emu.services.ec2.networking.errors import (
    malformed_rule_id,
    permission_duplicate,
    permission_not_found,
    rule_not_found,
    rules_limit_exceeded,
)
from ec2emu.services.ec2.networking.groups import GROUPS, Row, permissions
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match


def _group(ctx: RequestContext, params: dict[str, Any], *, egress: bool) -> Row:
    if egress:
        if not params.get("GroupId"):
            raise missing_parameter("groupId")
        return GROUPS.one(ctx, params["GroupId"])
    return groups.addressed(ctx, params)


def _own(group: Row, egress: bool) -> dict[str, Row]:
    """The group's rules of one direction, by ID."""
    return {rule["rule_id"]: rule for rule in group["rules"] if rule["is_egress"] == egress}


def _rule_ids(values: list[str], own: dict[str, Row]) -> list[Row]:
    """The rules named by ID, each one of ``own``."""
    unique = list(dict.fromkeys(values))
    for value in unique:
        if not ids.is_well_formed("sgr", value):
            raise malformed_rule_id(value)
    for value in unique:
        if value not in own:
            raise rule_not_found(value)
    return [own[value] for value in unique]


def _no_duplicates(rules: list[Row], new: list[Row]) -> None:
    """No new rule the same as one of ``rules`` or an earlier new one."""
    seen = {rule_specs.identity(rule) for rule in rules}
    for rule in new:
        key = rule_specs.identity(rule)
        if key in seen:
            raise permission_duplicate(rule_specs.described(rule))
        seen.add(key)


def _matched(group: Row, asked: list[Row], egress: bool) -> list[tuple[Row, Row | None]]:
    """Each rule asked for, with the group's rule of that direction that is the same (or
    None)."""
    by_identity = {rule_specs.identity(rule): rule for rule in _own(group, egress).values()}
    return [(rule, by_identity.get(rule_specs.identity(rule))) for rule in asked]


def _check_new(group: Row, new: list[Row], egress: bool, ctx: RequestContext) -> None:
    """No duplicate among the group's rules and the new ones; the quota kept."""
    _no_duplicates(group["rules"], new)
    if len(_own(group, egress)) + len(new) > ctx.quota("rules-per-security-group"):
        raise rules_limit_exceeded()


# --------------------------------------------------------------------------- Authorize


def _authorize(ctx: RequestContext, params: dict[str, Any], *, egress: bool) -> dict[str, Any]:
    group = _group(ctx, params, egress=egress)
    new = rule_specs.requested(ctx, group, params, egress=egress)
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("security-group-rule",))
    _check_new(group, new, egress, ctx)
    ctx.dry_run(params)
    groups.ensure_stored(ctx)
    ctx.uow.security_groups.add_rules(new)
    ctx.uow.tags.put_many(ctx.account_id, ctx.region, [rule["rule_id"] for rule in new], "security-group-rule",
                          tags)
    return {"Return": True, "SecurityGroupRules": rule_views(ctx, new)}


@operation("AuthorizeSecurityGroupIngress")
def authorize_security_group_ingress(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _authorize(ctx, params, egress=False)


@operation("AuthorizeSecurityGroupEgress", refuses=rule_specs.FLAT)
def authorize_security_group_egress(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _authorize(ctx, params, egress=True)


# --------------------------------------------------------------------------- Revoke


def _revoke(ctx: RequestContext, params: dict[str, Any], *, egress: bool) -> dict[str, Any]:
    group = _group(ctx, params, egress=egress)
    own = _own(group, egress)
    unknown: list[Row] = []
    if params.get("SecurityGroupRuleIds"):
        if params.get("IpPermissions"):
            raise invalid_parameter_combination(
                "The parameter SecurityGroupRuleIds cannot be used with the parameter IpPermissions")
        chosen = _rule_ids(params["SecurityGroupRuleIds"], own)
    else:
        chosen = []
        for rule, match in _matched(group, rule_specs.requested(ctx, group, params, egress=egress), egress):
            if match is None:
                unknown.append(rule)
            elif match not in chosen:
                chosen.append(match)
        default = network.default_vpc(ctx)
        if unknown and (default is None or default["vpc_id"] != group["vpc_id"]):
            raise permission_not_found()
    ctx.dry_run(params)
    groups.ensure_stored(ctx)
    ctx.uow.security_groups.remove_rules([rule["rule_id"] for rule in chosen])
    result: dict[str, Any] = {"Return": True,
                              "RevokedSecurityGroupRules": [rule_specs.revoked_view(rule) for rule in chosen]}
    if unknown:
        result["UnknownIpPermissions"] = permissions(unknown)
    return result


@operation("RevokeSecurityGroupIngress")
def revoke_security_group_ingress(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _revoke(ctx, params, egress=False)


@operation("RevokeSecurityGroupEgress", refuses=rule_specs.FLAT)
def revoke_security_group_egress(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _revoke(ctx, params, egress=True)


# --------------------------------------------------------------------------- Modify, descriptions


@operation("ModifySecurityGroupRules")
def modify_security_group_rules(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = GROUPS.one(ctx, params["GroupId"])
    every = {rule["rule_id"]: rule for rule in group["rules"]}
    updates = params.get("SecurityGroupRules") or []
    if not updates:
        raise missing_parameter("SecurityGroupRules")
    named = _rule_ids([update["SecurityGroupRuleId"] for update in updates], every)
    if len(named) != len(updates):
        raise invalid_parameter_combination("A security group rule may be named once per request.")
    changed = [rule_specs.from_request(ctx, group, every[update["SecurityGroupRuleId"]],
                                       update.get("SecurityGroupRule") or {}) for update in updates]
    kept = [rule for rule in group["rules"] if rule["rule_id"] not in {change["rule_id"] for change in changed}]
    _no_duplicates(kept, changed)
    ctx.dry_run(params)
    groups.ensure_stored(ctx)
    for rule in changed:
        values = {key: value for key, value in rule.items() if key not in ("rule_id", "group_id", "account_id",
                                                                         "region", "is_egress")}
        ctx.uow.security_groups.update_rule(rule["rule_id"], values)
    return {"Return": True}


def _update_descriptions(ctx: RequestContext, params: dict[str, Any], *, egress: bool) -> dict[str, Any]:
    group = groups.addressed(ctx, params)
    own = _own(group, egress)
    changes: list[tuple[str, str | None]] = []
    if params.get("SecurityGroupRuleDescriptions"):
        given = params["SecurityGroupRuleDescriptions"]
        rules = _rule_ids([item.get("SecurityGroupRuleId") or "" for item in given], own)
        changes = [(rule["rule_id"], item.get("Description")) for rule, item in zip(rules, given)]
    else:
        asked = rule_specs.rules_of(ctx, group, params.get("IpPermissions") or [], egress=egress)
        for rule, match in _matched(group, asked, egress):
            if match is None:
                raise permission_not_found()
            changes.append((match["rule_id"], rule["description"]))
        if not changes:
            raise missing_parameter("IpPermissions")
    ctx.dry_run(params)
    groups.ensure_stored(ctx)
    for rule_id, description in changes:
        ctx.uow.security_groups.update_rule(rule_id, {"description": description})
    return {"Return": True}


@operation("UpdateSecurityGroupRuleDescriptionsIngress")
def update_security_group_rule_descriptions_ingress(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _update_descriptions(ctx, params, egress=False)


@operation("UpdateSecurityGroupRuleDescriptionsEgress")
def update_security_group_rule_descriptions_egress(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _update_descriptions(ctx, params, egress=True)


# --------------------------------------------------------------------------- DescribeSecurityGroupRules


def rule_views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    return with_tags(ctx, [rule_specs.rule_view(ctx, row) for row in rows], "SecurityGroupRuleId")


def _rules_by_id(ctx: RequestContext, wanted: list[str], **_: Any) -> dict[str, Row]:
    return {row["rule_id"]: row for row in groups.find_rules(ctx, [Match("rule_id", tuple(wanted))])} if wanted else {}


RULES = ResourceKind("sgr", malformed_rule_id, lambda missing: rule_not_found(missing[0]), _rules_by_id)


def _named_rules(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], dict[str, Row]]:
    return RULES.load(ctx, params["SecurityGroupRuleIds"])


DESCRIBE_SECURITY_GROUP_RULES = Describe(
    result="SecurityGroupRules",
    key="rule_id",
    find=groups.find_rules,
    view=rule_views,
    filters={"group-id": "group_id", "security-group-rule-id": "rule_id"},
    named=Naming(("SecurityGroupRuleIds",), _named_rules, "securityGroupRuleIds"),
)


@operation("DescribeSecurityGroupRules")
def describe_security_group_rules(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_SECURITY_GROUP_RULES)
