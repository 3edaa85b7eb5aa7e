"""DescribeVolumeStatus: the status checks of the selected volumes, chosen and paged as
DescribeVolumes chooses them; its filters are on the statuses, applied to each page."""

from __future__ import annotations

import dataclasses
from typing import Any

from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.volumes import DESCRIBE_VOLUMES
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import describe


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


def _status_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_status_view(row) for row in rows]


# Paths into the status view; events and actions are never scheduled, so match nothing.
_STATUS_FILTERS = {
    "availability-zone": "AvailabilityZone",
    "volume-status.status": "VolumeStatus.Status",
    "volume-status.details-name": "VolumeStatus.Details.Name",
    "volume-status.details-status": "VolumeStatus.Details.Status",
    "event.event-type": "Events.EventType",
    "event.event-id": "Events.EventId",
    "event.description": "Events.Description",
    "event.not-after": "Events.NotAfter",
    "event.not-before": "Events.NotBefore",
    "action.code": "Actions.Code",
    "action.event-id": "Actions.EventId",
    "action.description": "Actions.Description",
}

DESCRIBE_VOLUME_STATUS = dataclasses.replace(
    DESCRIBE_VOLUMES,
    result="VolumeStatuses",
    view=_status_views,
    filters={},
    tags=None,
    view_filters=_STATUS_FILTERS,
)


@operation("DescribeVolumeStatus", defaults={"IncludeManagedResources": False})
def describe_volume_status(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    """Status checks of the selected volumes: ``ok`` once available or in use (I/O
    enabled; performance ``normal`` for provisioned-IOPS types), ``insufficient-data``
    while creating or deleting. No scheduled events. Filters are applied to the page."""
    return describe(ctx, params, DESCRIBE_VOLUME_STATUS)
