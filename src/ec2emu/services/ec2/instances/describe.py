"""DescribeInstances and DescribeInstanceStatus."""

from __future__ import annotations

from typing import Any

from ec2emu.errors import (
    ids_with_max_results,
    invalid_filter,
    invalid_parameter_value,
)
from ec2emu.lifecycle.machines import (
    RUNNING,
    STATE_CODES,
    STATE_NAMES,
)
from ec2emu.protocol.scalars import integer_values
from ec2emu.services.ec2.instances.common import (
    load_instances,
    reservations_of,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import keep_matching, store_matches
from ec2emu.services.shared.pagination import decode_token, fetch_page, page_size
from ec2emu.store.repository import Match

# --------------------------------------------------------------------------- Describe


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
    "ami-launch-index": "ami_launch_index",
    "platform": "platform",
}


@operation("DescribeInstances")
def describe_instances(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("InstanceIds") or []
    if wanted and "MaxResults" in params:
        raise ids_with_max_results("instancesSet")
    matches = store_matches(params.get("Filters"), INSTANCE_FILTERS)
    limit = page_size(params.get("MaxResults"))
    after = decode_token(params.get("NextToken"), str)
    if wanted:
        unique, found = load_instances(ctx, wanted, details=True)
        ctx.dry_run(params)
        unique = keep_matching(
            lambda criteria: ctx.uow.instances.find(ctx.account_id, ctx.region, criteria),
            "instance_id", unique, matches,
        )
        return {"Reservations": reservations_of(ctx, [found[value] for value in unique])}
    ctx.dry_run(params)
    rows, token = fetch_page(
        lambda **page: ctx.uow.instances.find(ctx.account_id, ctx.region, matches, details=True, **page),
        "instance_id", limit, after,
    )
    result: dict[str, Any] = {"NextToken": token} if token else {}
    result["Reservations"] = reservations_of(ctx, rows)
    return result


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
    "instance-state-name": "state",
    "instance-state-code": _state_code_match,
    "instance-id": "instance_id",
}


@operation("DescribeInstanceStatus")
def describe_instance_status(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("InstanceIds") or []
    for item in params.get("Filters") or []:
        name = item.get("Name") or ""
        if name.startswith("tag:") or name in ("tag-key", "tag-value"):
            raise invalid_filter(name)
    if wanted and "MaxResults" in params:
        raise ids_with_max_results("instancesSet")
    if len(wanted) > 100:
        raise invalid_parameter_value("The maximum number of instance IDs in one request is 100.")
    matches = store_matches(params.get("Filters"), STATUS_FILTERS)
    if not params.get("IncludeAllInstances"):
        matches.append(Match("state", (RUNNING,)))
    limit = page_size(params.get("MaxResults"))
    after = decode_token(params.get("NextToken"), str)
    if wanted:
        unique, _ = load_instances(ctx, wanted)
        matches.append(Match("instance_id", tuple(unique)))
    ctx.dry_run(params)
    rows, token = fetch_page(
        lambda **page: ctx.uow.instances.find(ctx.account_id, ctx.region, matches, details=True, **page),
        "instance_id", limit, after,
    )
    result: dict[str, Any] = {"NextToken": token} if token else {}
    result["InstanceStatuses"] = [
        _status_view(row, ctx.now_ts, ctx.durations.pending) for row in rows
    ]
    return result
