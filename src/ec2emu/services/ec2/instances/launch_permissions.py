"""What RunInstances asks permission for (its describer, see
:mod:`ec2emu.services.shared.permissions`): ``instance/*`` (``ec2:InstanceType``,
``ec2:AvailabilityZone`` when a zone or subnet is given, the instance's ``aws:RequestTag/k`` and ``aws:TagKeys``), the
image (``ec2:Owner`` — ``amazon`` for Amazon's —, ``ec2:ImageType``,
``ec2:RootDeviceType``, ``ec2:Public``, its tags; for ``resolve:ssm:`` the image the
parameter names and ``ssm:GetParameters`` on the parameter), the subnet (``ec2:Vpc``,
``ec2:SubnetID``, ``ec2:AvailabilityZone``, its tags; ``subnet/*`` when neither a subnet
nor a zone is given: the zone is picked by the handler), the security groups named by
ID that exist, else the VPC's default group (``ec2:Vpc``), ``volume/*`` (with the
volumes' request tags), ``network-interface/*`` (``ec2:Subnet``, ``ec2:Vpc``, the
interfaces' request tags), each new interface's other subnet (and ``network-interface/*`` there) and groups (else its
VPC's default group), each existing interface ``NetworkInterfaces`` names
(``network-interface/eni-…``), the key pair
when one is named and exists (an unknown one is left to the handler's NotFound) and
``iam:PassRole`` on the role of the instance profile named
(:mod:`~ec2emu.services.ec2.instance_profiles`), and the launch template named
(``launch-template/lt-…``, :mod:`~ec2emu.services.ec2.launch_templates.permissions`); a
launch from a template is described with the template's data merged in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ec2emu.auth.arn import ec2_arn, instance_arn, subnet_arn, volume_arn, vpc_arn
from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.ec2 import instance_profiles, regions
from ec2emu.services.ec2.images import resolve
from ec2emu.services.ec2.launch_templates import permissions as launch_template_permissions
from ec2emu.services.ec2.networking import groups, network
from ec2emu.services.ec2.permissions import (
    TAGGABLE,
    created,
    group_resource,
    key_pair_resource,
    spec_tags,
    subnet_resources,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes


def launch_subnet(ctx: RequestContext, params: dict[str, Any]) -> Mapping[str, Any] | None:
    """The subnet a launch names, or the default subnet of the zone it names (by name or ID)."""
    subnet_id = params.get("SubnetId")
    interfaces = params.get("NetworkInterfaces") or []
    if not subnet_id and interfaces and isinstance(interfaces[0], Mapping):
        subnet_id = interfaces[0].get("SubnetId")
    if isinstance(subnet_id, str):
        return network.SUBNETS.get(ctx, [subnet_id]).get(subnet_id)
    placement = params.get("Placement") or {}
    zone = placement.get("AvailabilityZone") if isinstance(placement, Mapping) else None
    zone_id = placement.get("AvailabilityZoneId") if isinstance(placement, Mapping) else None
    if zone is None and isinstance(zone_id, str):  # a zone by its ID (an unknown one is the handler's error)
        named = regions.zone_with_id(ctx.region, zone_id)
        zone = named.name if named is not None else None
    vpc = network.default_vpc(ctx) if isinstance(zone, str) else None
    if vpc is None:
        return None
    return next((s for s in network.default_subnets(ctx, vpc["vpc_id"]) if s["availability_zone"] == zone), None)


def _launch_interfaces(ctx: RequestContext, params: dict[str, Any], subnet: Mapping[str, Any] | None,
                       vpc_id: str | None) -> list[Resource]:
    """The subnets of the launch's new interfaces other than the instance's (each, and
    ``network-interface/*`` there) and their groups: those named that exist, else the
    default group of the interface's VPC."""
    resources: list[Resource] = []
    for spec in [s for s in params.get("NetworkInterfaces") or [] if isinstance(s, Mapping)]:
        own = network.SUBNETS.get(ctx, [spec["SubnetId"]]).get(spec["SubnetId"]) if isinstance(
            spec.get("SubnetId"), str) and spec.get("SubnetId") != (subnet or {}).get("subnet_id") else subnet
        if own is not subnet and own is not None:
            resources += subnet_resources(ctx, [own["subnet_id"]]) + created(
                ctx, "RunInstances", ec2_arn(ctx.region, ctx.account_id, "network-interface", "*"),
                {"ec2:Region": ctx.region, "ec2:AvailabilityZone": own["availability_zone"],
                 "ec2:Subnet": subnet_arn(ctx.region, ctx.account_id, own["subnet_id"]),
                 "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, own["vpc_id"])}, [])
        chosen = groups.GROUPS.get(ctx, [g for g in spec.get("Groups") or [] if isinstance(g, str)])
        resources += [group_resource(ctx, group_id, row["vpc_id"]) for group_id, row in chosen.items()]
        own_vpc = own["vpc_id"] if own is not None else vpc_id
        if not chosen and own_vpc is not None and not spec.get("NetworkInterfaceId"):
            resources.append(group_resource(ctx, groups.default_group_id(ctx.account_id, ctx.region, own_vpc),
                                            own_vpc))
    return resources


@describes("ec2", "RunInstances")
def _run_instances(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    params = launch_template_permissions.effective(ctx, params)
    region, account = ctx.region, ctx.account_id
    subnet = launch_subnet(ctx, params)
    instance_keys: dict[str, ContextValue] = {"ec2:InstanceType": str(params.get("InstanceType", "m1.small")),
                                              "ec2:Region": region, "ec2:Tenancy": "default"}
    if subnet is not None:
        instance_keys["ec2:AvailabilityZone"] = subnet["availability_zone"]
    resources = created(ctx, "RunInstances", instance_arn(region, account, "*"), instance_keys,
                         spec_tags(params, "instance"))
    resources += resolve.launch_resources(ctx, params.get("ImageId"))  # the image (and its SSM parameter)
    interface_keys: dict[str, ContextValue] = {"ec2:Region": region}
    vpc = network.default_vpc(ctx) if subnet is None else None
    if subnet is not None:
        resources += subnet_resources(ctx, [subnet["subnet_id"]])
        interface_keys.update({"ec2:Subnet": subnet_arn(region, account, subnet["subnet_id"]),
                               "ec2:AvailabilityZone": subnet["availability_zone"]})
    else:
        resources.append(Resource(subnet_arn(region, account, "*"), {"ec2:Region": region}))
    vpc_id = subnet["vpc_id"] if subnet is not None else vpc["vpc_id"] if vpc is not None else None
    if vpc_id is not None:
        interface_keys["ec2:Vpc"] = vpc_arn(region, account, vpc_id)
        named = [value for value in params.get("SecurityGroupIds") or [] if isinstance(value, str)]
        chosen = groups.GROUPS.get(ctx, named) if named else {}
        if not chosen:
            resources.append(group_resource(ctx, groups.default_group_id(account, region, vpc_id), vpc_id))
        resources += [group_resource(ctx, group_id, row["vpc_id"]) for group_id, row in chosen.items()]
    resources += created(ctx, "RunInstances", volume_arn(region, account, "*"), {"ec2:Region": region},
                          spec_tags(params, "volume"))
    resources += created(ctx, "RunInstances", ec2_arn(region, account, "network-interface", "*"), interface_keys,
                         spec_tags(params, "network-interface"))
    resources += _launch_interfaces(ctx, params, subnet, vpc_id)
    attached = [str(spec["NetworkInterfaceId"]) for spec in params.get("NetworkInterfaces") or []
                if isinstance(spec, Mapping) and spec.get("NetworkInterfaceId")]
    resources += TAGGABLE["eni"](ctx, attached) if attached and "eni" in TAGGABLE else []
    name = params.get("KeyName")
    if isinstance(name, str):
        found = ctx.uow.key_pairs.by_names(account, region, [name]).get(name)
        if found is not None:
            resources.append(key_pair_resource(ctx, found))
    resources += launch_template_permissions.named(ctx, params.get("LaunchTemplate"))
    return resources + instance_profiles.passed_role(ctx, params.get("IamInstanceProfile"))
