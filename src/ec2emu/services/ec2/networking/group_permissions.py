"""What the security-group actions ask permission for (describers, see
:mod:`ec2emu.services.shared.permissions`), as AWS's service authorization reference
lists their resources:

* ``CreateSecurityGroup``: the VPC (``vpc/…``; the default VPC when none is named) and
  ``security-group/*`` with ``ec2:Vpc`` and the request's tags (and ``ec2:CreateTags`` on
  it when tagged at creation);
* ``DeleteSecurityGroup``, Authorize/Revoke SecurityGroupIngress/Egress,
  ``ModifySecurityGroupRules`` and UpdateSecurityGroupRuleDescriptionsIngress/Egress:
  the group, ``security-group/sg-…`` (``ec2:Vpc``, ``ec2:SecurityGroupID``, its tags),
  named by ID or, where the call takes one, by name in the default VPC; an unknown group
  is left to the handler's NotFound;
* ``DescribeSecurityGroups`` and ``DescribeSecurityGroupRules``: ``*``.
"""

from __future__ import annotations

from typing import Any

from ec2emu.auth.arn import ec2_arn, vpc_arn
from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.ec2.networking import groups, network
from ec2emu.services.ec2.permissions import created, group_resource, spec_tags, vpc_resources
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes
from ec2emu.store.repository import Match


@describes("ec2", "CreateSecurityGroup")
def _create_security_group(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    given = params.get("VpcId")
    vpc = network.default_vpc(ctx) if not isinstance(given, str) else None
    vpc_id = given if isinstance(given, str) else None if vpc is None else str(vpc["vpc_id"])
    vpcs = vpc_resources(ctx, [vpc_id]) if vpc_id else []
    if not vpcs or vpc_id is None:
        return []  # no such VPC: the handler's NotFound
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region, "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, vpc_id)}
    return vpcs + created(ctx, "CreateSecurityGroup", ec2_arn(ctx.region, ctx.account_id, "security-group", "*"),
                          keys, spec_tags(params, "security-group"))


@describes("ec2", "DeleteSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
           "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "ModifySecurityGroupRules",
           "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress")
def _one_group(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    group_id, name = params.get("GroupId"), params.get("GroupName")
    row = None
    if isinstance(group_id, str) and group_id:
        row = groups.GROUPS.get(ctx, [group_id]).get(group_id)
    elif isinstance(name, str) and name:
        vpc = network.default_vpc(ctx)
        found = [] if vpc is None else groups.find_groups(
            ctx, [Match("vpc_id", (vpc["vpc_id"],)), Match("name_key", (name.lower(),))])
        row = found[0] if found else None
    return [] if row is None else [group_resource(ctx, row["group_id"], row["vpc_id"])]
