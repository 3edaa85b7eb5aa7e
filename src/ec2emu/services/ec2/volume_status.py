"""DescribeVolumeStatus: the status checks of the selected volumes."""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.volumes import find_volumes
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import FilterSpec, apply_filters


def _status_view(row: dict[str, Any]) -> dict[str, Any]:
    ready = row["state"] in ("available", "in-use")
    provisioned = row["volume_type"] in ("gp3", "io1", "io2")
    details = [
        {"Name": "io-enabled", "Status": "passed" if ready else "insufficient-data"},
        {"Name": "io-performance", "Status": ("normal" if ready else "insufficient-data")
         if provisioned else "not-applicable"},
    ]
    return {
        "AvailabilityZone": row["availability_zone"],
        "VolumeId": row["volume_id"],
        "VolumeStatus": {"Status": "ok" if ready else "insufficient-data", "Details": details},
        "Events": [],
        "Actions": [],
    }


_STATUS_FILTERS = {
    "availability-zone": lambda v: [v["AvailabilityZone"]],
    "volume-status.status": lambda v: [v["VolumeStatus"]["Status"]],
    "volume-status.details-name": lambda v: [d["Name"] for d in v["VolumeStatus"]["Details"]],
    "volume-status.details-status": lambda v: [d["Status"] for d in v["VolumeStatus"]["Details"]],
    "event.event-type": lambda v: [],
    "event.event-id": lambda v: [],
    "event.description": lambda v: [],
    "event.not-after": lambda v: [],
    "event.not-before": lambda v: [],
    "action.code": lambda v: [],
    "action.event-id": lambda v: [],
    "action.description": lambda v: [],
}


@operation("DescribeVolumeStatus")
def describe_volume_status(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    """Status checks of the selected volumes: ``ok`` once available or in use (I/O
    enabled; performance ``normal`` for provisioned-IOPS types), ``insufficient-data``
    while creating or deleting. No scheduled events. Filters are applied to the page."""
    spec = FilterSpec(_STATUS_FILTERS)
    apply_filters(spec, [], params.get("Filters"))  # unknown filter names fail first
    rows, token = find_volumes(ctx, {k: v for k, v in params.items() if k != "Filters"})
    views = apply_filters(spec, [_status_view(r) for r in rows], params.get("Filters"))
    result: dict[str, Any] = {"VolumeStatuses": views}
    if token:
        result["NextToken"] = token
    return result
