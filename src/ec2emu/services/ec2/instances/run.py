"""RunInstances: placement, counts, block-device mappings, the key pair and the launch
of each instance with its volumes.

Placement: a named subnet (``SubnetId``, or the primary network interface's) — its zone,
its VPC, an address from it (:mod:`~ec2emu.services.ec2.networking.addresses`) — must
agree with a zone given too (``InvalidParameterCombination``); a zone alone means the
default VPC's default subnet there; nothing, the default subnets in turn. The instance
gets the groups named, which must be of its VPC, or its VPC's default security group
(:func:`~ec2emu.services.ec2.networking.security_groups.launch_groups`). Each instance
gets its primary network interface (:mod:`~ec2emu.services.ec2.networking.interfaces`),
or those ``NetworkInterfaces`` describe, and ``PrivateIpAddress`` names its address
(:mod:`~ec2emu.services.ec2.instances.launch_interfaces`). Whether it gets a public IPv4
address is decided here, once
(:func:`~ec2emu.services.ec2.networking.public_addresses.launch_choice`): only an
instance launched with a single network interface, new, gets one (``networking-facts.md``
§5.2); with several, or an existing one, the subnet's ``MapPublicIpOnLaunch`` maps none.
The batch's addresses are chosen together before its rows are stored
(:func:`~ec2emu.services.ec2.networking.public_addresses.launching`).

A ``KeyName`` must name a key pair of the account in the region
(``InvalidKeyPair.NotFound`` "The key pair 'x' does not exist" otherwise, and nothing is
launched); the instances show it as ``KeyName`` for as long as they are listed, even
after the pair is deleted. An ``IamInstanceProfile`` is checked and associated by
:mod:`~ec2emu.services.ec2.instance_profiles`.

Each instance launched gets its ``pending`` ``EC2 Instance State-change Notification``
in the launch's transaction (the lifecycle table's ``RunInstances`` row names it; a
``DryRun`` or a refused launch writes none); its ``running`` is the settler's.
"""

from __future__ import annotations

import re
from typing import Any

from ec2emu.errors import (
    invalid_parameter_combination,
    invalid_parameter_value,
    missing_parameter,
)
from ec2emu.lifecycle.machines import (
    PENDING,
    notification_of,
)
from ec2emu.protocol.scalars import parse_integer
from ec2emu.services.ec2 import instance_profiles, instance_types, regions, volumes
from ec2emu.services.ec2.errors import (
    hibernation_unsupported,
    idempotent_parameter_mismatch,
    image_unavailable,
    instance_limit_exceeded,
    instance_store_ami,
    invalid_virtual_name,
    invalid_zone,
    invalid_zone_id,
    malformed_launch_subnet_id,
    mapping_kinds,
    mapping_smaller_than_snapshot,
    mapping_without_source,
    paravirtual_type,
    root_snapshot_changed,
    root_suppressed,
    shutdown_behavior_needs_ebs,
    snapshot_state,
    subnet_not_found,
)
from ec2emu.services.ec2.images import common as images
from ec2emu.services.ec2.images import resolve
from ec2emu.services.ec2.instances import credits, launch_interfaces, metadata_options, monitoring, placement
from ec2emu.services.ec2.instances.common import (
    MAX_INSTANCES_PER_LAUNCH,
    check_user_data,
    due_at,
    reservations_of,
)
from ec2emu.services.ec2.key_pairs import existing_key_pair
from ec2emu.services.ec2.launch_templates import launch as launch_templates
from ec2emu.services.ec2.networking import addresses, interfaces, network, public_addresses, security_groups
from ec2emu.services.ec2.networking.errors import (
    no_default_subnet,
    no_default_subnets,
    no_default_vpc,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications

Row = dict[str, Any]

# --------------------------------------------------------------------------- RunInstances

# The members this endpoint does not honour: refused by name whatever their value, or
# accepted only at AWS's default (see tests/members/ec2_instances.py).
RUN_REFUSES = ("Ipv6Addresses", "ElasticGpuSpecification", "ElasticInferenceAccelerators", "InstanceMarketOptions",
               "CpuOptions", "LicenseSpecifications", "PrivateDnsNameOptions", "Operator", "SecondaryInterfaces",
               "AdditionalInfo")
RUN_DEFAULTS = {"Ipv6AddressCount": 0, "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
                "EnclaveOptions": {"Enabled": False}, "MaintenanceOptions": {"AutoRecovery": "default"},
                "EnablePrimaryIpv6": False, "NetworkPerformanceOptions": {"BandwidthWeighting": "default"}}


def _launch_placement(ctx: RequestContext, params: dict[str, Any]) -> tuple[Row | None, list[Row]]:
    """The subnet a launch names (by subnet, interface or zone), checked; or, when it names
    none, the default VPC's default subnets, which launches take in turn
    (:func:`_next_default_subnet`, once the request has passed every check). Without a
    subnet, the default VPC must have one in the zone (``VPCIdNotSpecified`` without a
    default VPC)."""
    zone_name = (params.get("Placement") or {}).get("AvailabilityZone")
    zone_id = (params.get("Placement") or {}).get("AvailabilityZoneId")
    subnet_id = params.get("SubnetId") or launch_interfaces.primary_subnet_id(ctx, params)
    if zone_id and not zone_name:
        zone = regions.zone_with_id(ctx.region, zone_id)
        if zone is None:
            raise invalid_zone_id(zone_id)
        zone_name = zone.name
    if zone_name and regions.zone_named(ctx.region, zone_name) is None:
        raise invalid_zone(zone_name)
    if subnet_id:
        if not ids.is_well_formed("subnet", subnet_id):
            raise malformed_launch_subnet_id(subnet_id)
        subnet = network.SUBNETS.get(ctx, [subnet_id]).get(subnet_id)
        if subnet is None:
            raise subnet_not_found([subnet_id])
        if zone_name and zone_name != subnet["availability_zone"]:
            raise invalid_parameter_combination(
                f"The specified Availability Zone ({zone_name}) does not match the subnet's "
                f"Availability Zone ({subnet['availability_zone']})."
            )
        return subnet, []
    vpc = network.default_vpc(ctx)
    if vpc is None:
        raise no_default_vpc()
    defaults = network.default_subnets(ctx, vpc["vpc_id"])
    if zone_name:
        in_zone = [subnet for subnet in defaults if subnet["availability_zone"] == zone_name]
        if not in_zone:
            raise no_default_subnet(zone_name)
        return in_zone[0], []
    if not defaults:
        raise no_default_subnets(vpc["vpc_id"])
    return None, defaults


def _single_new_interface(params: dict[str, Any]) -> bool:
    """Whether the launch gives each instance one network interface, which it creates."""
    interfaces = params.get("NetworkInterfaces") or []
    return len(interfaces) <= 1 and not any(spec.get("NetworkInterfaceId") for spec in interfaces)


def _next_default_subnet(ctx: RequestContext, defaults: list[Row]) -> Row:
    """The default subnets in turn, per account and region (AWS documents no order); the
    turn is counted by the emulator's process, so a retried or failed request may skip one."""
    return defaults[ctx.next_turn(f"zone:{ctx.account_id}:{ctx.region}") % len(defaults)]


def _check_counts(params: dict[str, Any]) -> tuple[int, int]:
    min_count, max_count = params["MinCount"], params["MaxCount"]
    if min_count < 1:
        raise invalid_parameter_value(
            f"Value ({min_count}) for parameter minCount is invalid. Expecting a value greater than 0."
        )
    if max_count < min_count:
        raise invalid_parameter_value(
            f"Value ({max_count}) for parameter maxCount is invalid. "
            "Expecting a value greater than or equal to minCount."
        )
    if min_count > MAX_INSTANCES_PER_LAUNCH:
        raise instance_limit_exceeded(min_count, MAX_INSTANCES_PER_LAUNCH)
    return min_count, min(max_count, MAX_INSTANCES_PER_LAUNCH)


_EPHEMERAL = re.compile(r"ephemeral([0-9]|1[0-9]|2[0-3])")


def _launch_mappings(
    ctx: RequestContext, image: dict[str, Any], params: dict[str, Any], itype: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The launch's block devices: the image's mappings with the request's applied.

    Returns the EBS volumes to create (``device_name``, ``spec`` as
    :func:`volumes.ebs_spec` gives it, ``snapshot_id``, ``encrypted``, ``kms_key_id``,
    ``delete_on_termination``) and the instance-store and NoDevice mappings (domain shape
    of :mod:`images`). A request mapping overrides the image's mapping of the same device
    (size, type, IOPS, throughput, DeleteOnTermination, encryption), adds an EBS volume
    (from a snapshot or of a size; DeleteOnTermination defaults to true), maps an
    ``ephemeralN`` instance-store device (kept only when the instance type has that many
    instance-store disks, as EC2 ignores the rest), or suppresses the image's mapping
    (``NoDevice``; the root device cannot be suppressed). No volume is ever smaller than
    its snapshot.
    """
    root_name = image["root_device_name"]
    by_device: dict[str, dict[str, Any]] = {}
    for mapping in image["block_device_mappings"]:
        by_device[mapping["device_name"]] = dict(mapping)
    if image["root_device_type"] == "ebs" and (root_name not in by_device or "ebs" not in by_device[root_name]):
        by_device[root_name] = {"device_name": root_name, "ebs": {
            "snapshot_id": None, "volume_size": 8, "volume_type": "gp3",
            "delete_on_termination": True, "encrypted": False}}
    overrides: dict[str, dict[str, Any]] = {}
    for device, item in images.requested_mappings(params):
        given = [key for key in ("Ebs", "VirtualName", "NoDevice") if item.get(key) is not None]
        if len(given) > 1:
            raise mapping_kinds(device)
        overrides[device] = item
        if "NoDevice" in given:
            if device == root_name and image["root_device_type"] == "ebs":
                raise root_suppressed(device)
            by_device[device] = {"device_name": device, "no_device": True}
        elif "VirtualName" in given:
            if not _EPHEMERAL.fullmatch(item["VirtualName"]):
                raise invalid_virtual_name(item["VirtualName"])
            by_device[device] = {"device_name": device, "virtual_name": item["VirtualName"]}
        elif "Ebs" in given:
            by_device[device] = _merged_ebs(ctx, device, by_device.get(device), item["Ebs"], device == root_name)
        else:
            raise mapping_without_source(device)
    disks = itype.disks[0] if itype.disks else 0
    ebs_volumes, others = [], []
    for device, mapping in by_device.items():
        if "ebs" in mapping:
            ebs_volumes.append(_launch_volume(ctx, device, mapping["ebs"], device in overrides))
        elif "virtual_name" in mapping:
            if parse_integer(mapping["virtual_name"][len("ephemeral"):], 0, 23) < disks:
                others.append(mapping)
        else:
            others.append(mapping)
    return ebs_volumes, others


def _merged_ebs(
    ctx: RequestContext, device: str, base: dict[str, Any] | None, ebs: dict[str, Any], is_root: bool
) -> dict[str, Any]:
    """The image's EBS mapping of ``device`` (if any) with the request's ``Ebs`` on top."""
    spec = dict(base["ebs"]) if base and "ebs" in base else {"delete_on_termination": True}
    if ebs.get("VolumeType") is not None and ebs["VolumeType"] != spec.get("volume_type"):
        # A new type starts from its own IOPS and throughput defaults.
        spec.pop("iops", None)
        spec.pop("throughput", None)
    snapshot_id = ebs.get("SnapshotId")
    if snapshot_id is not None and snapshot_id != spec.get("snapshot_id"):
        if is_root and spec.get("snapshot_id"):
            raise root_snapshot_changed(device)
        spec["snapshot_id"] = snapshot_id
        spec.pop("volume_size", None)
    for key, wire in (("volume_size", "VolumeSize"), ("volume_type", "VolumeType"), ("iops", "Iops"),
                      ("throughput", "Throughput"), ("delete_on_termination", "DeleteOnTermination"),
                      ("kms_key_id", "KmsKeyId")):
        if ebs.get(wire) is not None:
            spec[key] = ebs[wire]
    if ebs.get("Encrypted") is not None:
        spec["encrypted"] = bool(ebs["Encrypted"])
    if not spec.get("snapshot_id") and spec.get("volume_size") is None:
        raise mapping_without_source(device)
    return {"device_name": device, "ebs": spec}


def _launch_volume(ctx: RequestContext, device: str, ebs: dict[str, Any], requested: bool) -> dict[str, Any]:
    snapshot_id: str | None = ebs.get("snapshot_id")
    snapshot = images.SNAPSHOT_SOURCES.one(ctx, snapshot_id) if snapshot_id else None
    if snapshot_id and snapshot is not None and snapshot["state"] != "completed":
        raise snapshot_state(snapshot_id, snapshot["state"])
    size = ebs.get("volume_size")
    if snapshot is not None:
        if size is None:
            size = snapshot["size"]
        elif size < snapshot["size"]:
            raise mapping_smaller_than_snapshot(size, snapshot_id, snapshot["size"])
    spec = volumes.ebs_spec(ebs.get("volume_type"), size, ebs.get("iops"), ebs.get("throughput"))
    encrypted = bool(ebs.get("encrypted")) or bool(snapshot and snapshot["encrypted"])
    return {
        "device_name": device,
        "spec": spec,
        "snapshot_id": snapshot_id,
        "encrypted": encrypted,
        "kms_key_id": ebs.get("kms_key_id") or (snapshot or {}).get("kms_key_id"),
        "delete_on_termination": bool(ebs.get("delete_on_termination", True)),
    }


def _check_same_request(first: dict[str, Any], params: dict[str, Any]) -> None:
    """A repeated ClientToken must come with the same launch: ``IdempotentParameterMismatch``
    when the image, type or key pair differ from the launch that used it first."""
    same = (
        params.get("ImageId") == first["image_id"]
        and params.get("InstanceType", "m1.small") == first["instance_type"]
        and params.get("KeyName") == first["key_name"]
    )
    if not same:
        raise idempotent_parameter_mismatch()


@operation("RunInstances", refuses=RUN_REFUSES, defaults=RUN_DEFAULTS)
def run_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    params, launched = launch_templates.merged(ctx, params)
    params = resolve.resolved(ctx, params)  # ImageId=resolve:ssm:NAME (also a template's)
    image_id = params.get("ImageId")
    if not image_id:
        raise missing_parameter("ImageId")
    token = params.get("ClientToken")
    if token is not None and len(token) > 64:
        raise invalid_parameter_value("The client token must be 64 characters or fewer.")
    if token:
        existing = ctx.uow.instances.by_client_token(ctx.account_id, ctx.region, token)
        if existing:
            _check_same_request(existing[0], params)
            ctx.dry_run(params)
            return reservations_of(ctx, existing)[0]
    min_count, max_count = _check_counts(params)
    public_choice = public_addresses.launch_choice(params)
    launch_interfaces.check_members(params, max_count)
    image = images.IMAGES.one(ctx, image_id)
    if image["state"] != "available":
        raise image_unavailable(image_id, image["state"])
    type_name = params.get("InstanceType", "m1.small")
    itype = instance_types.running(type_name, image["architecture"], lambda itype: invalid_parameter_value(
        f"The architecture '{itype.architectures[-1]}' of the specified instance type does not "
        f"match the architecture '{image['architecture']}' of the specified AMI. Specify an "
        "instance type and an AMI that have matching architectures, and try again. You can use "
        "'describe-instance-types' or 'describe-images' to discover the architecture of the "
        "instance type or AMI."
    ))
    if image["virtualization_type"] not in itype.virtualization_types:
        raise paravirtual_type(type_name)
    if image["root_device_type"] not in itype.root_device_types:
        raise instance_store_ami(image_id, type_name)
    behavior = params.get("InstanceInitiatedShutdownBehavior")
    if image["root_device_type"] == "instance-store":
        if behavior is not None:
            raise shutdown_behavior_needs_ebs()
        behavior = "terminate"
    hibernate = bool((params.get("HibernationOptions") or {}).get("Configured"))
    if hibernate and (image["root_device_type"] != "ebs" or not itype.hibernation):
        raise hibernation_unsupported(type_name, image_id)
    options = {**placement.launch_columns(params), "cpu_credits": credits.launch_credits(params, type_name),
               **monitoring.launch_columns(ctx, params), **metadata_options.launch_columns(ctx, params, image)}
    subnet, defaults = _launch_placement(ctx, params)
    if subnet is None and params.get("PrivateIpAddress"):
        subnet = launch_interfaces.subnet_of_address(defaults, params["PrivateIpAddress"])
    elif subnet is None and params.get("NetworkInterfaces"):
        subnet = _next_default_subnet(ctx, defaults)
    launch_groups = security_groups.launch_groups(ctx, params, (subnet or defaults[0])["vpc_id"])
    planned = (launch_interfaces.plan(ctx, params, subnet, instance_types.get(type_name), max_count)
               if subnet is not None else None)
    if planned is not None and planned.groups is not None:
        launch_groups = planned.groups
    if params.get("KeyName") is not None:
        existing_key_pair(ctx, params["KeyName"])
    profile = instance_profiles.launch_profile(ctx, params)
    user_data = check_user_data(params)
    instance_tags, volume_tags, interface_tags = tags_from_specifications(
        params.get("TagSpecifications"), ("instance", "volume", "network-interface")
    )
    launch_volumes, instance_store = _launch_mappings(ctx, image, params, itype)
    ctx.dry_run(params)
    if subnet is None:
        subnet = _next_default_subnet(ctx, defaults)

    maps_public_ip = _single_new_interface(params) and public_addresses.maps_public_ip(public_choice, subnet)
    reservation_id = ids.new_id("r")
    private_ips = (planned.primary_addresses if planned is not None
                   else addresses.allocate(ctx, subnet, max_count, min_count))
    now = ctx.now_ts
    rows, volume_rows = [], []
    for index in range(len(private_ips)):
        instance_id = ids.new_id("i")
        rows.append(
            {
                "instance_id": instance_id,
                "account_id": ctx.account_id,
                "region": ctx.region,
                "reservation_id": reservation_id,
                "ami_launch_index": index,
                "image_id": image_id,
                "instance_type": type_name,
                "availability_zone": subnet["availability_zone"],
                "subnet_id": subnet["subnet_id"],
                "vpc_id": subnet["vpc_id"],
                "private_ip": private_ips[index],
                "key_name": params.get("KeyName"),
                "client_token": token or None,
                "state": PENDING,
                "due_at": due_at(ctx, PENDING),
                "launch_time": now,
                "state_transition_reason": "",
                "state_reason_code": "pending",
                "state_reason_message": "pending",
                "disable_api_termination": bool(params.get("DisableApiTermination", False)),
                "disable_api_stop": bool(params.get("DisableApiStop", False)),
                "shutdown_behavior": behavior or "stop",
                "user_data": user_data,
                "root_device_type": image["root_device_type"],
                "root_device_name": image["root_device_name"],
                "architecture": image["architecture"],
                "virtualization_type": image["virtualization_type"],
                "platform": image["platform"],
                "hibernation_configured": hibernate,
                "ebs_optimized": bool(params.get("EbsOptimized", False)),
                "security_groups": launch_groups,
                "instance_store_mappings": instance_store,
                **instance_profiles.launch_columns(ctx, profile),
                "public_ip_on_launch": maps_public_ip,
                **options,
            }
        )
        for volume in launch_volumes:
            volume_rows.append(volumes.new_volume_row(
                ctx, subnet["availability_zone"], volume["spec"], snapshot_id=volume["snapshot_id"],
                encrypted=volume["encrypted"], kms_key_id=volume["kms_key_id"], state="in-use",
                attachment=(instance_id, volume["device_name"], volume["delete_on_termination"]),
            ))
    public_addresses.launching(ctx, rows)
    launched_ids = [row["instance_id"] for row in rows]
    notification = notification_of("instance", "RunInstances")
    if notification is not None:
        places = ctx.uow.outbox.emit(notification, ctx.account_id, ctx.region, launched_ids, now, PENDING)
        for row in rows:
            row["event_places"] = places
    ctx.uow.instances.insert(rows)
    images.record_launch(ctx, image)
    interface_rows = planned.rows(ctx, rows) if planned is not None else interfaces.primary_rows(ctx, rows)
    ctx.uow.network_interfaces.insert(interface_rows)
    ctx.uow.tags.put_many(ctx.account_id, ctx.region, [row["network_interface_id"] for row in interface_rows],
                          "network-interface", interface_tags)
    ctx.uow.volumes.insert(volume_rows)
    ctx.uow.tags.put_many(ctx.account_id, ctx.region, [row["instance_id"] for row in rows], "instance",
                          instance_tags)
    ctx.uow.tags.put_many(ctx.account_id, ctx.region, [volume["volume_id"] for volume in volume_rows], "volume",
                          volume_tags)
    launch_templates.tag_launched(ctx, launched, rows)
    return reservations_of(ctx, rows)[0]
