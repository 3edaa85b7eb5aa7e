"""What the network-interface actions ask permission for (their describers, see
:mod:`ec2emu.services.shared.permissions`), by the resource types of AWS's service
authorization reference:

* ``network-interface/<id>`` (``ec2:NetworkInterfaceID``, ``ec2:Subnet``, ``ec2:Vpc``,
  ``ec2:AvailabilityZone``, ``ec2:Region``, its tags): DeleteNetworkInterface,
  ModifyNetworkInterfaceAttribute, Assign/UnassignPrivateIpAddresses the interface;
  AttachNetworkInterface the interface and the instance; DetachNetworkInterface the
  interface its attachment ID names and its instance;
* ``CreateNetworkInterface``: the subnet, the security groups named (else the VPC's
  default one) and ``network-interface/*`` (``ec2:Subnet``, ``ec2:Vpc``,
  ``ec2:AvailabilityZone``) with the request's tags (and ``ec2:CreateTags`` on it when
  tagged at creation);
* CreateTags/DeleteTags on ``eni-`` IDs check these ARNs (registered in
  :data:`~ec2emu.services.ec2.permissions.TAGGABLE`);
* DescribeNetworkInterfaces and DescribeNetworkInterfaceAttribute: ``*``.

A resource that does not exist in the caller's account and region is left to the
handler (its ``NotFound``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ec2emu.auth.arn import ec2_arn, subnet_arn, vpc_arn
from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.ec2.networking import groups, network
from ec2emu.services.ec2.networking.interfaces import INTERFACES
from ec2emu.services.ec2.permissions import (
    TAGGABLE,
    created,
    existing,
    group_resource,
    instance_resources,
    lookup,
    spec_tags,
    subnet_resources,
)
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes
from ec2emu.store.repository import Match


def _keys(ctx: RequestContext, subnet: Mapping[str, Any]) -> dict[str, ContextValue]:
    return {"ec2:Region": ctx.region, "ec2:AvailabilityZone": subnet["availability_zone"],
            "ec2:Subnet": subnet_arn(ctx.region, ctx.account_id, subnet["subnet_id"]),
            "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, subnet["vpc_id"])}


def interfaces(ctx: RequestContext, interface_ids: Iterable[Any]) -> list[Resource]:
    return existing(ctx, lookup(ctx, INTERFACES), interface_ids,
                    lambda interface_id: ec2_arn(ctx.region, ctx.account_id, "network-interface", interface_id),
                    lambda row: {**_keys(ctx, row), "ec2:NetworkInterfaceID": row["network_interface_id"]})


TAGGABLE.update(eni=interfaces)


@describes("ec2", "CreateNetworkInterface")
def _create(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    subnet_id = params.get("SubnetId")
    subnet = network.SUBNETS.get(ctx, [subnet_id]).get(subnet_id) if isinstance(subnet_id, str) else None
    if subnet is None:
        return []  # the handler's NotFound
    named = [value for value in params.get("Groups") or [] if isinstance(value, str)]
    chosen = groups.GROUPS.get(ctx, named) if named else {}
    found = [group_resource(ctx, group_id, row["vpc_id"]) for group_id, row in chosen.items()]
    if not named:
        found.append(group_resource(ctx, groups.default_group_id(ctx.account_id, ctx.region, subnet["vpc_id"]),
                                    subnet["vpc_id"]))
    return (subnet_resources(ctx, [subnet_id]) + found
            + created(ctx, "CreateNetworkInterface", ec2_arn(ctx.region, ctx.account_id, "network-interface", "*"),
                      _keys(ctx, subnet), spec_tags(params, "network-interface")))


@describes("ec2", "DeleteNetworkInterface", "ModifyNetworkInterfaceAttribute", "AssignPrivateIpAddresses",
           "UnassignPrivateIpAddresses")
def _one_interface(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return interfaces(ctx, [params.get("NetworkInterfaceId")])


@describes("ec2", "AttachNetworkInterface")
def _attach(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    found = interfaces(ctx, [params.get("NetworkInterfaceId")])
    instances = instance_resources(ctx, [params.get("InstanceId")])
    return [] if not found or not instances else found + instances


@describes("ec2", "DetachNetworkInterface")
def _detach(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    attachment_id = params.get("AttachmentId")
    if not isinstance(attachment_id, str) or not ids.is_well_formed("eni-attach", attachment_id):
        return []
    found = ctx.uow.network_interfaces.find(ctx.account_id, ctx.region, [Match("attachment_id", (attachment_id,))])
    if not found:
        return []
    return (interfaces(ctx, [found[0]["network_interface_id"]])
            + instance_resources(ctx, [found[0]["instance_id"]]))
