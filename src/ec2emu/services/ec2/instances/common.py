"""What every instance call shares: ID checks and NotFound errors, loading by ID,
views grouped by reservation (with each instance's network interfaces), user-data checks,
and the admin summary."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ec2emu.errors import (
    invalid_parameter_value,
    missing_parameter,
)
from ec2emu.lifecycle.machines import TERMINATED
from ec2emu.services.ec2.errors import instance_not_found, malformed_instance_id
from ec2emu.services.ec2.networking import public_addresses
from ec2emu.services.ec2.networking.interfaces import instance_interfaces
from ec2emu.services.ec2.views import instance_view, timestamp
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.lookups import ResourceKind, stored

MAX_IDS_PER_CALL = 1000
MAX_INSTANCES_PER_LAUNCH = 5000
MAX_USER_DATA_BYTES = 16 * 1024

def due_at(ctx: RequestContext, state: str) -> float | None:
    seconds = ctx.durations.for_state(state)
    return None if seconds is None else ctx.now_ts + seconds


# ``load``: the named instances (``InvalidInstanceID.Malformed`` for the first malformed
# ID), all of which must exist in this account and region (``details=True``: with their
# tags and attached volumes, see describe_rows).
INSTANCES = ResourceKind("i", malformed_instance_id, instance_not_found, stored("instances"))
load_instances = INSTANCES.load


def required_ids(params: dict[str, Any], limit: int = MAX_IDS_PER_CALL) -> list[str]:
    values = params.get("InstanceIds") or []
    if not values:
        raise missing_parameter("InstanceId")
    if len(values) > limit:
        raise invalid_parameter_value(
            f"The maximum number of instance IDs in one request is {limit}; {len(values)} were given."
        )
    return values


def describe_rows(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wire views of instance rows, each with its ``NetworkInterfaces`` and its primary
    interface's ``SourceDestCheck``. Rows read with their details (``tags`` and
    ``volumes``, as DescribeInstances reads them) are complete; for others the tags and
    volumes are fetched in two queries. The interfaces of those not terminated and the
    public addresses
    (:func:`~ec2emu.services.ec2.networking.public_addresses.of_described`) are read for
    the whole page."""
    live = [row["instance_id"] for row in rows if row["state"] != TERMINATED]
    attached = ctx.uow.network_interfaces.attached_to(live) if live else {}
    public, publics = public_addresses.of_described(ctx, rows, attached)
    if all("tags" in row for row in rows):
        tags = {row["instance_id"]: row["tags"] for row in rows}
        volumes = {row["instance_id"]: row["volumes"] for row in rows}
    else:
        ids_ = [row["instance_id"] for row in rows]
        tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, ids_)
        volumes = ctx.uow.volumes.attached_to(ids_)
    views = []
    for row in rows:
        instance_id = row["instance_id"]
        view = instance_view(row, tags.get(instance_id), volumes.get(instance_id), public.get(instance_id))
        found = attached.get(instance_id, [])
        view["NetworkInterfaces"] = instance_interfaces(found, publics)
        if found and found[0]["device_index"] == 0:
            view["SourceDestCheck"] = found[0]["source_dest_check"]
        views.append(view)
    return views


def reservations_of(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group instance rows into reservations, in order of first appearance; the instances
    of each in ``AmiLaunchIndex`` order."""
    reservations: dict[str, dict[str, Any]] = {}
    for row, view in zip(rows, describe_rows(ctx, rows)):
        reservation = reservations.get(row["reservation_id"])
        if reservation is None:
            reservation = reservations[row["reservation_id"]] = {
                "ReservationId": row["reservation_id"],
                "OwnerId": row["account_id"],
                "Groups": [],
                "Instances": [],
            }
        reservation["Instances"].append(view)
    for reservation in reservations.values():
        reservation["Instances"].sort(key=lambda view: view["AmiLaunchIndex"])
    return list(reservations.values())



def check_user_data(params: dict[str, Any]) -> str | None:
    user_data: str | None = params.get("UserData")
    if user_data is None:
        return None
    try:
        raw = base64.b64decode(user_data, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_parameter_value("Invalid BASE64 encoding of user data.") from None
    if len(raw) > MAX_USER_DATA_BYTES:
        raise invalid_parameter_value(f"User data is limited to {MAX_USER_DATA_BYTES} bytes")
    return user_data




def instance_summary(row: dict[str, Any]) -> dict[str, Any]:
    """A plain JSON summary for the admin routes and the CLI."""
    return {
        "instance_id": row["instance_id"],
        "state": row["state"],
        "availability_zone": row["availability_zone"],
        "instance_type": row["instance_type"],
        "launch_time": timestamp(row["launch_time"]).isoformat(),
        "disable_api_termination": row["disable_api_termination"],
        "disable_api_stop": row["disable_api_stop"],
    }
