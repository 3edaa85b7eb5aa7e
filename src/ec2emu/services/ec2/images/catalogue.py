"""The built-in catalogue of public images: the same in every region, each region with its
own image and root snapshot IDs (stable hashes of region and name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ec2emu.services.shared import ids

AMAZON_OWNER = "137112412989"
CANONICAL_OWNER = "099720109477"
DEBIAN_OWNER = "136693071363"
WINDOWS_OWNER = "801119661308"

OWNER_ALIASES = ("amazon", "aws-marketplace", "aws-backup-vault")
ACCOUNT_ID = re.compile(r"[0-9]{12}")
AMI_NAME = re.compile(r"[A-Za-z0-9()\[\] ./\-'@_]{3,128}")
VIRTUAL_NAME = re.compile(r"ephemeral([0-9]|1[0-9]|2[0-3])")
MAX_DESCRIPTION = 255
DEFAULT_ROOT_DEVICE = "/dev/sda1"


@dataclass(frozen=True)
class _Entry:
    name: str
    owner: str
    alias: str | None
    architecture: str
    root_type: str
    description: str
    created: str
    root_device: str = "/dev/xvda"
    size: int = 8
    volume_type: str = "gp3"
    platform: str | None = None
    boot_mode: str | None = None
    imds_support: str | None = None


_CATALOGUE: tuple[_Entry, ...] = (
    _Entry("al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", AMAZON_OWNER, "amazon", "x86_64", "ebs",
           "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1", "2024-11-20T21:37:21.000Z",
           boot_mode="uefi-preferred", imds_support="v2.0"),
    _Entry("al2023-ami-2023.6.20241121.0-kernel-6.1-arm64", AMAZON_OWNER, "amazon", "arm64", "ebs",
           "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1", "2024-11-20T21:37:25.000Z",
           boot_mode="uefi", imds_support="v2.0"),
    _Entry("al2023-ami-minimal-2023.6.20241121.0-kernel-6.1-x86_64", AMAZON_OWNER, "amazon", "x86_64", "ebs",
           "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 Minimal HVM kernel-6.1", "2024-11-20T21:36:58.000Z",
           size=2, boot_mode="uefi-preferred", imds_support="v2.0"),
    _Entry("amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2", AMAZON_OWNER, "amazon", "x86_64", "ebs",
           "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2", "2024-11-14T03:12:45.000Z",
           volume_type="gp2"),
    _Entry("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119", CANONICAL_OWNER, None,
           "x86_64", "ebs", "Canonical, Ubuntu, 24.04, amd64 noble image", "2024-11-19T08:05:11.000Z",
           root_device="/dev/sda1", boot_mode="uefi-preferred"),
    _Entry("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119", CANONICAL_OWNER, None,
           "arm64", "ebs", "Canonical, Ubuntu, 24.04, arm64 noble image", "2024-11-19T08:06:40.000Z",
           root_device="/dev/sda1", boot_mode="uefi"),
    _Entry("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241109", CANONICAL_OWNER, None,
           "x86_64", "ebs", "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image", "2024-11-09T07:44:12.000Z",
           root_device="/dev/sda1", volume_type="gp2"),
    _Entry("debian-12-amd64-20241110-1927", DEBIAN_OWNER, None, "x86_64", "ebs",
           "Debian 12 (20241110-1927)", "2024-11-10T20:36:01.000Z", volume_type="gp2"),
    _Entry("Windows_Server-2022-English-Full-Base-2024.11.13", WINDOWS_OWNER, "amazon", "x86_64", "ebs",
           "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
           "2024-11-13T19:01:44.000Z", root_device="/dev/sda1", size=30, volume_type="gp2",
           platform="windows"),
    _Entry("amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3", AMAZON_OWNER, "amazon", "x86_64",
           "instance-store", "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 Minimal HVM instance-store",
           "2023-12-19T01:22:10.000Z", root_device="/dev/sda1", size=0),
)


def _catalogue_image(region: str, entry: _Entry) -> dict[str, Any]:
    if entry.root_type == "ebs":
        mappings: list[dict[str, Any]] = [
            {
                "device_name": entry.root_device,
                "ebs": {
                    "snapshot_id": ids.stable_id("snap", region, entry.name),
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
        "image_id": ids.stable_id("ami", region, entry.name),
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
    return tuple(_catalogue_image(region, entry) for entry in _CATALOGUE)


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
