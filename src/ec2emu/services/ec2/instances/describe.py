"""DescribeInstances and DescribeInstanceStatus, through the shared Describe pipeline
(:mod:`ec2emu.services.shared.describe`).

DescribeInstanceStatus takes no tag filters, at most 100 instance IDs, and shows only
running instances unless ``IncludeAllInstances`` is set. Its ``event.*`` filters meet
nothing (no instance here has scheduled events); its status filters
(``instance-status.*``, ``system-status.*``, ``attached-ebs-status.status``) follow the
clock, so they are matched on each page's views: a page may hold fewer than
``MaxResults`` statuses while more follow. ``instance-id``, which AWS does not document
for this call, is kept as a filter. No instance here is managed by a service operator, so
both calls take ``IncludeManagedResources`` only at its default (false).

``iam-instance-profile.arn`` and ``iam-instance-profile.id`` match an instance's IAM
instance profile association as the clock shows it (none once its termination is over).

DescribeInstances' ``network-interface.*`` filters on an interface's own columns (its ID,
subnet, VPC, zone, owner, status, MAC address, description, primary private address,
attachment ID, instance), on any of its private addresses and on its security groups
(ID, name) match the instance the interface is attached to as the clock shows it: once an instance's termination is over
no interface names it (its primary one is gone, the others detached), whether or not the
settler has stored that yet.

Order: AWS promises none. Here instances are read in instance-ID order, and the
instances of one reservation are listed in ``AmiLaunchIndex`` order (as RunInstances
answers them), stably from call to call.

``monitoring-state``, ``metadata-options.*`` and ``tenancy`` match the launch options
(:mod:`~ec2emu.services.ec2.instances.monitoring`,
:mod:`~ec2emu.services.ec2.instances.metadata_options`,
:mod:`~ec2emu.services.ec2.instances.placement`); the monitoring state as the clock shows it.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import invalid_parameter_value
from ec2emu.lifecycle.machines import (
    RUNNING,
    STATE_CODES,
    STATE_NAMES,
)
from ec2emu.protocol.scalars import integer_values
from ec2emu.services.ec2.instances.common import (
    INSTANCES,
    reservations_of,
)
from ec2emu.services.ec2.instances.instance_filters import MORE_INSTANCE_FILTERS
from ec2emu.services.ec2.instances.public_filters import PUBLIC_FILTERS
from ec2emu.services.ec2.regions import zone_ids
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, by_ids, describe, in_repository
from ec2emu.services.shared.filters import nothing
from ec2emu.store.repository import Match

MAX_STATUS_IDS = 100


def _state_code_match(values: tuple[str, ...]) -> Match:
    names = [STATE_NAMES[code & 0xFF] for code in integer_values(values) if code & 0xFF in STATE_NAMES]
    return Match("state", tuple(names) or ("-",))


INSTANCE_FILTERS: dict[str, Any] = {
    "instance-state-name": "state",
    "instance-state-code": _state_code_match,
    "availability-zone": "availability_zone",
    "instance-id": "instance_id",
    "image-id": "image_id",
    "instance-type": "instance_type",
    "vpc-id": "vpc_id",
    "subnet-id": "subnet_id",
    "reservation-id": "reservation_id",
    "key-name": "key_name",
    "owner-id": "account_id",
    "private-ip-address": "private_ip",
    "root-device-type": "root_device_type",
    "root-device-name": "root_device_name",
    "architecture": "architecture",
    "virtualization-type": "virtualization_type",
    "client-token": "client_token",
    "reason": "state_transition_reason",
    "state-reason-code": "state_reason_code",
    "state-reason-message": "state_reason_message",
    "platform": "platform",
    "tenancy": "tenancy",
    "monitoring-state": "monitoring_state",
    "metadata-options.http-tokens": "http_tokens",
    "metadata-options.http-put-response-hop-limit": "http_put_response_hop_limit",
    "metadata-options.http-endpoint": "http_endpoint",
    "metadata-options.instance-metadata-tags": "instance_metadata_tags",
    # Its IAM instance profile association's, which ends with its termination.
    "iam-instance-profile.arn": "iam_instance_profile_arn",
    "iam-instance-profile.id": "iam_instance_profile_id",
    # An attached interface's own columns (through its table's scope indexes).
    "network-interface.network-interface-id": "interfaces.network_interface_id",
    "network-interface.subnet-id": "interfaces.subnet_id",
    "network-interface.vpc-id": "interfaces.vpc_id",
    "network-interface.status": "interfaces.status",
    "network-interface.mac-address": "interfaces.mac_address",
    "network-interface.description": "interfaces.description",
    "network-interface.attachment.attachment-id": "interfaces.attachment_id",
    "network-interface.attachment.instance-id": "interfaces.instance_id",
    "network-interface.availability-zone": "interfaces.availability_zone",
    "network-interface.owner-id": "interfaces.account_id",
    "network-interface.private-ip-address": "interfaces.private_ip",
    # Rows the attached interfaces hold (through those tables' scope indexes too).
    "network-interface.addresses.private-ip-address": "interfaces.addresses.private_ip",
    "network-interface.group-id": "interfaces.groups.group_id",
    "network-interface.group-name": "interfaces.groups.group_name",
    **MORE_INSTANCE_FILTERS,
    **PUBLIC_FILTERS,
}


DESCRIBE_INSTANCES = Describe(
    result="Reservations",
    key="instance_id",
    find=in_repository("instances", details=True),
    view=reservations_of,
    filters=INSTANCE_FILTERS,
    named=by_ids("InstanceIds", "instancesSet", INSTANCES, details=True),
)


@operation("DescribeInstances", defaults={"IncludeManagedResources": False})
def describe_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INSTANCES)


def _status_view(row: dict[str, Any], now: float, pending_seconds: float) -> dict[str, Any]:
    running = row["state"] == RUNNING
    initializing = running and now - row["launch_time"] < pending_seconds + 1
    if running:
        status = "initializing" if initializing else "ok"
        details = [{"Name": "reachability", "Status": "initializing" if initializing else "passed"}]
    else:
        status = "not-applicable"
        details = []
    return {
        "AvailabilityZone": row["availability_zone"],
        "InstanceId": row["instance_id"],
        "InstanceState": {"Code": STATE_CODES[row["state"]], "Name": row["state"]},
        "Events": [],
        "InstanceStatus": {"Details": details, "Status": status},
        "SystemStatus": {"Details": details, "Status": status},
        "AttachedEbsStatus": {"Details": details, "Status": status},
    }


STATUS_FILTERS: dict[str, Any] = {
    "availability-zone": "availability_zone",
    "availability-zone-id": zone_ids("availability_zone", "instance_id"),
    "instance-state-name": "state",
    "instance-state-code": _state_code_match,
    "instance-id": "instance_id",
    # No instance here has scheduled events.
    **{f"event.{name}": (lambda values: nothing("instance_id")) for name in (
        "code", "description", "instance-event-id", "not-after", "not-before", "not-before-deadline")},
}

# Functions of the clock, matched on the page's views.
STATUS_VIEW_FILTERS: dict[str, Any] = {
    "instance-status.status": "InstanceStatus.Status",
    "instance-status.reachability": "InstanceStatus.Details.Status",
    "system-status.status": "SystemStatus.Status",
    "system-status.reachability": "SystemStatus.Details.Status",
    "attached-ebs-status.status": "AttachedEbsStatus.Status",
}


def _status_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_status_view(row, ctx.now_ts, ctx.durations.pending) for row in rows]


def _running_unless_all(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    return [] if params.get("IncludeAllInstances") else [Match("state", (RUNNING,))]


def _named_for_status(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    wanted = params["InstanceIds"]
    if len(wanted) > MAX_STATUS_IDS:
        raise invalid_parameter_value(f"The maximum number of instance IDs in one request is {MAX_STATUS_IDS}.")
    return INSTANCES.load(ctx, wanted)


DESCRIBE_INSTANCE_STATUS = Describe(
    result="InstanceStatuses",
    key="instance_id",
    find=in_repository("instances"),
    view=_status_views,
    filters=STATUS_FILTERS,
    view_filters=STATUS_VIEW_FILTERS,
    tags=None,
    criteria=_running_unless_all,
    named=Naming(("InstanceIds",), _named_for_status, "instancesSet"),
)


@operation("DescribeInstanceStatus", defaults={"IncludeManagedResources": False})
def describe_instance_status(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INSTANCE_STATUS)
