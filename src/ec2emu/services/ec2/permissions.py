"""What each EC2 action asks permission for (its describers, see
:mod:`ec2emu.services.shared.permissions`).

* instance actions (Terminate/Stop/Start/Reboot, Modify/DescribeInstanceAttribute,
  CreateImage, Attach/DetachVolume): every named instance of this account and region,
  with ``ec2:ResourceTag/k`` and ``aws:ResourceTag/k``, ``ec2:InstanceType``,
  ``ec2:AvailabilityZone``, ``ec2:Region``, ``ec2:Tenancy``, ``ec2:RootDeviceType``;
* ``RunInstances``: see :mod:`~ec2emu.services.ec2.instances.launch_permissions`;
* key pairs, by name (``key-pair/NAME``, as the service authorization reference has it):
  ``CreateKeyPair`` with ``ec2:KeyPairType`` and ``ImportKeyPair``, each with the request's
  tags; ``DeleteKeyPair`` the pair with ``ec2:KeyPairName``, ``ec2:KeyPairType`` and its
  tags — a name that no pair has is still checked by its ARN (a name, unlike an ID, makes
  the ARN whether or not the pair exists), an unknown ID is left to the handler;
  ``DescribeKeyPairs`` ``*`` (no resource-level permissions);
* VPC actions (DeleteVpc, ModifyVpcAttribute, DescribeVpcAttribute, Associate/
  DisassociateVpcCidrBlock): the VPC, ``vpc/…`` (``ec2:VpcID``, ``ec2:Tenancy``, its tags);
  ``CreateVpc`` ``vpc/*``; ``CreateSubnet`` the VPC and ``subnet/*`` (``ec2:Vpc``,
  ``ec2:AvailabilityZone`` when given); DeleteSubnet and ModifySubnetAttribute the subnet;
  CreateDefaultVpc and CreateDefaultSubnet ``*`` (AWS's service authorization reference
  lists no resource for them);
* security-group actions: see :mod:`ec2emu.services.ec2.networking.group_permissions`;
* tags given at creation (``TagSpecifications`` of RunInstances, CreateVolume,
  CreateSnapshot, CreateImage, RegisterImage, CreateKeyPair, ImportKeyPair, CreateVpc,
  CreateSubnet) are also checked as ``ec2:CreateTags`` on the created resources with
  ``ec2:CreateAction`` naming the creating action, as EC2 does;
* internet gateways and route tables: :mod:`ec2emu.services.ec2.networking.permissions`;
* ``CreateTags``/``DeleteTags``: every named resource with its tags and the request's
  ``aws:RequestTag/k``/``aws:TagKeys`` (a reservation ``r-…`` by its ARN alone, existing
  or not, since no tag or attribute of it is a condition key);
* volume and snapshot actions their volumes and snapshots; ``CreateVolume``
  ``volume/*`` (``ec2:AvailabilityZone``, ``ec2:VolumeType``, ``ec2:VolumeSize``,
  ``ec2:Encrypted``) and the snapshot it starts from; ``CreateSnapshot`` the volume and
  ``snapshot/*``; ``CopySnapshot`` ``snapshot/*``, ``CreateSnapshots`` the instance and
  ``snapshot/*``; ModifyVolume the volume; the snapshot attribute and tier calls the
  snapshot; images ``image/…`` (``image/*`` when created);
* ``Describe*`` and actions without resource-level permissions: ``*``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from ec2emu.auth.arn import ec2_arn, image_arn, instance_arn, snapshot_arn, subnet_arn, volume_arn, vpc_arn
from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.ec2 import key_pairs
from ec2emu.services.ec2.images.common import find_image
from ec2emu.services.ec2.networking import groups, network
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.services.shared.permissions import describes, request_tags, tag_keys

AMAZON_OWNERS = ("137112412989",)
# ID prefix -> how CreateTags/DeleteTags describe resources of that kind, for kinds
# described in other modules (``networking.permissions``: ``igw``, ``rtb``).
TAGGABLE: dict[str, Callable[[RequestContext, list[str]], list[Resource]]] = {}


def _resource_tags(pairs: Iterable[tuple[str, str]]) -> dict[str, ContextValue]:
    return tag_keys(("ec2:ResourceTag", "aws:ResourceTag"), pairs)


def spec_tags(params: dict[str, Any], resource_type: str) -> list[Mapping[str, Any]]:
    tags: list[Mapping[str, Any]] = []
    for spec in params.get("TagSpecifications") or []:
        if isinstance(spec, Mapping) and spec.get("ResourceType") == resource_type:
            tags.extend(spec.get("Tags") or [])
    return tags


def created(ctx: RequestContext, action: str, arn: str, keys: dict[str, ContextValue],
             tags: list[Mapping[str, Any]]) -> list[Resource]:
    """A resource an action creates, plus ``ec2:CreateTags`` on it when tagged at creation."""
    request = request_tags(tags)
    created = [Resource(arn, {**keys, **request})]
    if tags:
        created.append(Resource(arn, {**keys, **request, "ec2:CreateAction": action}, "ec2:CreateTags"))
    return created


def existing(ctx: RequestContext, repository: Any, named: Iterable[Any], arn_of: Callable[[str], str],
              keys_of: Callable[[Mapping[str, Any]], dict[str, ContextValue]]) -> list[Resource]:
    """The named resources that exist in this account and region (``repository.get``),
    each with its own condition keys and its tags'; the others are left to the handler."""
    wanted = [value for value in dict.fromkeys(named) if isinstance(value, str)]
    rows = repository.get(ctx.account_id, ctx.region, wanted)
    if not rows:
        return []
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, list(rows))
    resources = []
    for resource_id in wanted:
        row = rows.get(resource_id)
        if row is not None:
            keys = keys_of(row)
            keys.update(_resource_tags(tags.get(resource_id, [])))
            resources.append(Resource(arn_of(resource_id), keys))
    return resources


def instance_resources(ctx: RequestContext, instance_ids: Iterable[Any]) -> list[Resource]:
    """The named instances that exist here, as the instance actions check them."""

    def keys_of(row: Mapping[str, Any]) -> dict[str, ContextValue]:
        return {
            "ec2:InstanceType": row["instance_type"],
            "ec2:AvailabilityZone": row["availability_zone"],
            "ec2:Region": ctx.region,
            "ec2:Tenancy": "default",
            "ec2:RootDeviceType": row["root_device_type"],
        }

    return existing(ctx, ctx.uow.instances, instance_ids,
                     lambda instance_id: instance_arn(ctx.region, ctx.account_id, instance_id), keys_of)


def _storage_keys(ctx: RequestContext, size: int, encrypted: bool,
                  parent: tuple[str, str] | None) -> dict[str, ContextValue]:
    """The keys a volume and a snapshot share: size, encryption, region, and the
    ``(key, ARN)`` of the one it was made from, if any."""
    keys: dict[str, ContextValue] = {
        "ec2:VolumeSize": str(size),
        "ec2:Encrypted": "true" if encrypted else "false",
        "ec2:Region": ctx.region,
    }
    if parent is not None:
        keys[parent[0]] = parent[1]
    return keys


def _volumes(ctx: RequestContext, volume_ids: Iterable[Any]) -> list[Resource]:
    def keys_of(row: Mapping[str, Any]) -> dict[str, ContextValue]:
        parent = (("ec2:ParentSnapshot", snapshot_arn(ctx.region, row["snapshot_id"]))
                  if row.get("snapshot_id") else None)
        return {
            "ec2:AvailabilityZone": row["availability_zone"],
            "ec2:VolumeType": row["volume_type"],
            **_storage_keys(ctx, row["size"], row["encrypted"], parent),
        }

    return existing(ctx, ctx.uow.volumes, volume_ids,
                     lambda volume_id: volume_arn(ctx.region, ctx.account_id, volume_id), keys_of)


def _snapshots(ctx: RequestContext, snapshot_ids: Iterable[Any]) -> list[Resource]:
    def keys_of(row: Mapping[str, Any]) -> dict[str, ContextValue]:
        parent = (("ec2:ParentVolume", volume_arn(ctx.region, ctx.account_id, row["volume_id"]))
                  if row.get("volume_id") else None)
        return {"ec2:Owner": row["account_id"], **_storage_keys(ctx, row["volume_size"], row["encrypted"], parent)}

    return existing(ctx, ctx.uow.snapshots, snapshot_ids,
                     lambda snapshot_id: snapshot_arn(ctx.region, snapshot_id), keys_of)


def image_resources(ctx: RequestContext, image_id: Any) -> list[Resource]:
    if not isinstance(image_id, str):
        return []
    image = find_image(ctx, image_id)
    if image is None:
        return []
    owner = image["owner_id"]
    keys: dict[str, ContextValue] = {
        "ec2:Owner": "amazon" if owner in AMAZON_OWNERS else owner,
        "ec2:ImageType": "machine",
        "ec2:RootDeviceType": image["root_device_type"],
        "ec2:Public": "true" if image.get("public") else "false",
        "ec2:Region": ctx.region,
    }
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [image_id])
    keys.update(_resource_tags(tags.get(image_id, [])))
    return [Resource(image_arn(ctx.region, image_id), keys)]


def lookup(ctx: RequestContext, kind: ResourceKind) -> Any:
    """A network look-up (stored or derived rows) with a repository's ``get``."""
    return SimpleNamespace(get=lambda _account, _region, wanted: kind.get(ctx, wanted))


def _vpc_keys(ctx: RequestContext, row: Mapping[str, Any]) -> dict[str, ContextValue]:
    return {"ec2:Region": ctx.region, "ec2:Tenancy": row["instance_tenancy"], "ec2:VpcID": row["vpc_id"]}


def _subnet_keys(ctx: RequestContext, row: Mapping[str, Any]) -> dict[str, ContextValue]:
    return {"ec2:Region": ctx.region, "ec2:AvailabilityZone": row["availability_zone"],
            "ec2:SubnetID": row["subnet_id"], "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, row["vpc_id"])}


def vpc_resources(ctx: RequestContext, vpc_ids: Iterable[Any]) -> list[Resource]:
    return existing(ctx, lookup(ctx, network.VPCS), vpc_ids,
                     lambda vpc_id: vpc_arn(ctx.region, ctx.account_id, vpc_id), lambda row: _vpc_keys(ctx, row))


def subnet_resources(ctx: RequestContext, subnet_ids: Iterable[Any]) -> list[Resource]:
    return existing(ctx, lookup(ctx, network.SUBNETS), subnet_ids,
                     lambda subnet_id: subnet_arn(ctx.region, ctx.account_id, subnet_id),
                     lambda row: _subnet_keys(ctx, row))


def group_resource(ctx: RequestContext, group_id: str, vpc_id: str) -> Resource:
    """A security group (``ec2:Vpc``, ``ec2:SecurityGroupID``), with its own tags."""
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [group_id])
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region, "ec2:SecurityGroupID": group_id,
                                     "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, vpc_id)}
    keys.update(_resource_tags(tags.get(group_id, [])))
    return Resource(ec2_arn(ctx.region, ctx.account_id, "security-group", group_id), keys)


def _key_pair_arn(ctx: RequestContext, name: str) -> str:
    return ec2_arn(ctx.region, ctx.account_id, "key-pair", name)


def key_pair_resource(ctx: RequestContext, row: Mapping[str, Any]) -> Resource:
    """A stored key pair with its name, type and tags."""
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [row["key_pair_id"]])
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region, "ec2:KeyPairName": row["key_name"],
                                     "ec2:KeyPairType": row["key_type"]}
    keys.update(_resource_tags(tags.get(row["key_pair_id"], [])))
    return Resource(_key_pair_arn(ctx, row["key_name"]), keys)


@describes("ec2", "TerminateInstances", "StopInstances", "StartInstances", "RebootInstances")
def _instance_list(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return instance_resources(ctx, params.get("InstanceIds") or [])


@describes("ec2", "ModifyInstanceAttribute", "DescribeInstanceAttribute")
def _one_instance(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return instance_resources(ctx, [params.get("InstanceId")])


@describes("ec2", "CreateTags", "DeleteTags")
def _tagging(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    wanted = [value for value in dict.fromkeys(params.get("Resources") or []) if isinstance(value, str)]
    request = request_tags(params.get("Tags"))
    by_prefix: dict[str, list[str]] = {}
    for resource_id in wanted:
        by_prefix.setdefault(resource_id.split("-", 1)[0], []).append(resource_id)
    found = (instance_resources(ctx, by_prefix.get("i", [])) + _volumes(ctx, by_prefix.get("vol", []))
             + _snapshots(ctx, by_prefix.get("snap", [])))
    for image_id in by_prefix.get("ami", []):
        found += image_resources(ctx, image_id)
    found += subnet_resources(ctx, by_prefix.get("subnet", [])) + vpc_resources(ctx, by_prefix.get("vpc", []))
    if by_prefix.get("sg"):
        rows = groups.GROUPS.get(ctx, by_prefix["sg"])
        found += [group_resource(ctx, group_id, rows[group_id]["vpc_id"]) for group_id in by_prefix["sg"]
                  if group_id in rows]
    if by_prefix.get("key"):
        pairs = ctx.uow.key_pairs.get(ctx.account_id, ctx.region, by_prefix["key"])
        found += [key_pair_resource(ctx, pairs[key_pair_id]) for key_pair_id in by_prefix["key"]
                  if key_pair_id in pairs]
    for prefix, describe in TAGGABLE.items():
        found += describe(ctx, by_prefix.get(prefix, []))
    # Reservations are checked by ARN alone, whether they exist or not.
    found += [Resource(ec2_arn(ctx.region, ctx.account_id, "reservation", reservation_id),
                       {"ec2:Region": ctx.region}) for reservation_id in by_prefix.get("r", [])]
    return [Resource(resource.arn, {**resource.keys, **request}) for resource in found]


@describes("ec2", "CreateVolume")
def _create_volume(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region,
                                     "ec2:VolumeType": str(params.get("VolumeType") or "gp2"),
                                     "ec2:Encrypted": "true" if params.get("Encrypted") else "false"}
    if isinstance(params.get("AvailabilityZone"), str):
        keys["ec2:AvailabilityZone"] = params["AvailabilityZone"]
    if params.get("Size") is not None:
        keys["ec2:VolumeSize"] = str(params["Size"])
    resources = created(ctx, "CreateVolume", volume_arn(ctx.region, ctx.account_id, "*"), keys,
                         spec_tags(params, "volume"))
    if params.get("SnapshotId"):
        resources += _snapshots(ctx, [params["SnapshotId"]])
    return resources


@describes("ec2", "DeleteVolume", "ModifyVolume")
def _one_volume(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _volumes(ctx, [params.get("VolumeId")])


@describes("ec2", "AttachVolume", "DetachVolume")
def _attachment(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    volumes = _volumes(ctx, [params.get("VolumeId")])
    instance_id = params.get("InstanceId")
    if not instance_id and volumes:
        row = ctx.uow.volumes.get(ctx.account_id, ctx.region, [params["VolumeId"]]).get(params["VolumeId"])
        instance_id = row.get("instance_id") if row else None
    instances = instance_resources(ctx, [instance_id]) if instance_id else []
    if not volumes or (params.get("InstanceId") and not instances):
        return []  # something named does not exist: the handler's NotFound
    return instances + volumes


@describes("ec2", "CreateSnapshot")
def _create_snapshot(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    volumes = _volumes(ctx, [params.get("VolumeId")])
    if not volumes:
        return []
    return volumes + created(ctx, "CreateSnapshot", snapshot_arn(ctx.region, "*"),
                              {"ec2:Region": ctx.region, "ec2:Owner": ctx.account_id},
                              spec_tags(params, "snapshot"))


@describes("ec2", "DeleteSnapshot", "ModifySnapshotAttribute", "DescribeSnapshotAttribute", "ResetSnapshotAttribute",
           "ModifySnapshotTier", "RestoreSnapshotTier")
def _one_snapshot(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _snapshots(ctx, [params.get("SnapshotId")])


@describes("ec2", "CopySnapshot", "CreateSnapshots")
def _new_snapshots(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    """``snapshot/*`` (CreateSnapshots: and the instance, when it exists)."""
    spec = params.get("InstanceSpecification")
    instances = instance_resources(ctx, [spec.get("InstanceId")]) if isinstance(spec, Mapping) else []
    return instances + created(ctx, "CopySnapshot" if spec is None else "CreateSnapshots",
                               snapshot_arn(ctx.region, "*"), {"ec2:Region": ctx.region, "ec2:Owner": ctx.account_id},
                               spec_tags(params, "snapshot"))


@describes("ec2", "CreateImage")
def _create_image(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    instances = instance_resources(ctx, [params.get("InstanceId")])
    if not instances:
        return []
    region = ctx.region
    return (instances
            + created(ctx, "CreateImage", image_arn(region, "*"), {"ec2:Region": region},
                       spec_tags(params, "image"))
            + created(ctx, "CreateImage", snapshot_arn(region, "*"), {"ec2:Region": region},
                       spec_tags(params, "snapshot")))


@describes("ec2", "RegisterImage")
def _register_image(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return created(ctx, "RegisterImage", image_arn(ctx.region, "*"), {"ec2:Region": ctx.region},
                    spec_tags(params, "image"))


@describes("ec2", "DeregisterImage", "ModifyImageAttribute", "DescribeImageAttribute", "ResetImageAttribute",
           "EnableImageDeprecation", "DisableImageDeprecation")
def _one_image(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return image_resources(ctx, params.get("ImageId"))


def _new_key_pair(ctx: RequestContext, params: dict[str, Any], action: str,
                  keys: dict[str, ContextValue]) -> list[Resource]:
    name = params.get("KeyName")
    if not isinstance(name, str) or not name:
        return []  # the handler's MissingParameter
    return created(ctx, action, _key_pair_arn(ctx, name), {"ec2:Region": ctx.region, **keys},
                    spec_tags(params, "key-pair"))


@describes("ec2", "CreateKeyPair")
def _create_key_pair(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _new_key_pair(ctx, params, "CreateKeyPair", {"ec2:KeyPairType": str(params.get("KeyType") or "rsa")})


@describes("ec2", "ImportKeyPair")
def _import_key_pair(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return _new_key_pair(ctx, params, "ImportKeyPair", {})


@describes("ec2", "DeleteKeyPair")
def _delete_key_pair(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    row = key_pairs.named_for_deletion(ctx, params)
    if row is not None:
        return [key_pair_resource(ctx, row)]
    name = params.get("KeyName")
    if isinstance(name, str) and name:
        return [Resource(_key_pair_arn(ctx, name), {"ec2:Region": ctx.region, "ec2:KeyPairName": name})]
    return []


# --------------------------------------------------------------------------- VPCs and subnets


@describes("ec2", "CreateVpc")
def _create_vpc(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    keys: dict[str, ContextValue] = {"ec2:Region": ctx.region,
                                     "ec2:Tenancy": str(params.get("InstanceTenancy") or "default")}
    return created(ctx, "CreateVpc", vpc_arn(ctx.region, ctx.account_id, "*"), keys, spec_tags(params, "vpc"))


@describes("ec2", "DeleteVpc", "ModifyVpcAttribute", "DescribeVpcAttribute", "AssociateVpcCidrBlock")
def _one_vpc(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return vpc_resources(ctx, [params.get("VpcId")])


@describes("ec2", "DisassociateVpcCidrBlock")
def _vpc_of_block(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    association_id = params.get("AssociationId")
    found = network.cidr_association(ctx, association_id) if isinstance(association_id, str) else None
    return [] if found is None else vpc_resources(ctx, [found[0]["vpc_id"]])


def created_in_vpc(ctx: RequestContext, params: dict[str, Any], action: str, resource_type: str,
                    keys: dict[str, ContextValue] | None = None) -> list[Resource]:
    """The VPC ``params`` name and the ``resource_type/*`` an action creates in it (with
    ``ec2:Vpc`` and ``keys``, its request tags and ``ec2:CreateTags`` when tagged); nothing
    when the VPC does not exist (the handler's NotFound)."""
    vpcs = vpc_resources(ctx, [params.get("VpcId")])
    if not vpcs:
        return []
    new_keys: dict[str, ContextValue] = {"ec2:Region": ctx.region,
                                         "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, params["VpcId"])}
    new_keys.update(keys or {})
    return vpcs + created(ctx, action, ec2_arn(ctx.region, ctx.account_id, resource_type, "*"), new_keys,
                          spec_tags(params, resource_type))


@describes("ec2", "CreateSubnet")
def _create_subnet(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    zone = params.get("AvailabilityZone")
    return created_in_vpc(ctx, params, "CreateSubnet", "subnet",
                           {"ec2:AvailabilityZone": zone} if isinstance(zone, str) else {})


@describes("ec2", "DeleteSubnet", "ModifySubnetAttribute")
def _one_subnet(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return subnet_resources(ctx, [params.get("SubnetId")])
