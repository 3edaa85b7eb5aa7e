"""The built-in catalogue of public images as EC2 shows them: the same in every region, each
region with its own image and root snapshot IDs (stable hashes of region and name). The
images themselves are :mod:`ec2emu.services.shared.public_images`'s, which SSM's public
parameters name too."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ec2emu.services.shared.public_images import PUBLIC_IMAGES, PublicImage, image_id, snapshot_id

OWNER_ALIASES = ("amazon", "aws-marketplace", "aws-backup-vault")
ACCOUNT_ID = re.compile(r"[0-9]{12}")
AMI_NAME = re.compile(r"[A-Za-z0-9()\[\] ./\-'@_]{3,128}")
VIRTUAL_NAME = re.compile(r"ephemeral([0-9]|1[0-9]|2[0-3])")
MAX_DESCRIPTION = 255
DEFAULT_ROOT_DEVICE = "/dev/sda1"


def _catalogue_image(region: str, entry: PublicImage) -> dict[str, Any]:
    if entry.root_type == "ebs":
        mappings: list[dict[str, Any]] = [
            {
                "device_name": entry.root_device,
                "ebs": {
                    "snapshot_id": snapshot_id(region, entry.name),
                    "volume_size": entry.size,
                    "volume_type": entry.volume_type,
                    "delete_on_termination": True,
                    "encrypted": False,
                },
            }
        ]
        location = f"{entry.alias or entry.owner}/{entry.name}"
    else:
        mappings = [{"device_name": "/dev/sdb", "virtual_name": "ephemeral0"}]
        location = f"amzn-ami-{region}/{entry.name}.manifest.xml"
    return {
        "image_id": image_id(region, entry.name),
        "name": entry.name,
        "owner_id": entry.owner,
        "owner_alias": entry.alias,
        "architecture": entry.architecture,
        "root_device_type": entry.root_type,
        "root_device_name": entry.root_device,
        "virtualization_type": "hvm",
        "platform": entry.platform,
        "description": entry.description,
        "image_location": location,
        "ena_support": True,
        "sriov_net_support": "simple",
        "state": "available",
        "public": True,
        "grantees": ("all",),
        "creation_date": entry.created,
        "boot_mode": entry.boot_mode,
        "imds_support": entry.imds_support,
        "block_device_mappings": mappings,
    }


@lru_cache(maxsize=64)
def catalogue_cached(region: str) -> tuple[dict[str, Any], ...]:
    return tuple(_catalogue_image(region, entry) for entry in PUBLIC_IMAGES)


def catalogue(region: str) -> list[dict[str, Any]]:
    """The catalogue images of ``region`` (fresh dicts: callers may change them)."""
    return [copy_image(image) for image in catalogue_cached(region)]


def copy_image(image: dict[str, Any]) -> dict[str, Any]:
    copied = dict(image)
    copied["block_device_mappings"] = [
        {**m, "ebs": dict(m["ebs"])} if "ebs" in m else dict(m) for m in image["block_device_mappings"]
    ]
    return copied


def catalogue_snapshots(region: str) -> dict[str, int]:
    """Snapshot ID → size (GiB) of every catalogue root snapshot in ``region``."""
    return {
        m["ebs"]["snapshot_id"]: m["ebs"]["volume_size"]
        for image in catalogue_cached(region)
        for m in image["block_device_mappings"]
        if "ebs" in m
    }
