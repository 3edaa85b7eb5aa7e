"""The public images AWS publishes in every region, and the public Systems Manager
parameters that name them: data that EC2 (DescribeImages, RunInstances'
``resolve:ssm:``) and SSM (``/aws/service/...`` parameters) both read.

Each region has its own image and root snapshot IDs (stable hashes of region and image
name), so a parameter's value differs by region as on AWS.

Choices AWS's documentation leaves open:

* the parameters served are those naming images of this catalogue: Amazon Linux 2023
  and 2 (``/aws/service/ami-amazon-linux-latest/...``), Ubuntu by release number and by
  code name (``/aws/service/canonical/ubuntu/server/...``), Debian 12
  (``/aws/service/debian/release/...``) and Windows Server 2022
  (``/aws/service/ami-windows-latest/...``);
* ``DataType``: ``aws:ec2:image`` for Canonical's parameters (as AWS answers them),
  ``text`` for Amazon's, Debian's and Windows' (which AWS publishes as text);
* ``Version`` is 1 and ``LastModifiedDate`` the image's creation date: one image per
  parameter, never replaced here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from ec2emu.services.shared import ids

AMAZON_OWNER = "137112412989"
CANONICAL_OWNER = "099720109477"
DEBIAN_OWNER = "136693071363"
WINDOWS_OWNER = "801119661308"

PUBLIC_PREFIX = "/aws/service/"
TEXT, IMAGE = "text", "aws:ec2:image"


@dataclass(frozen=True)
class PublicImage:
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


_AL2023_X86 = "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"
_AL2023_ARM = "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64"
_AL2023_MINIMAL = "al2023-ami-minimal-2023.6.20241121.0-kernel-6.1-x86_64"
_AL2_510 = "amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2"
_AL2 = "amzn2-ami-hvm-2.0.20241113.1-x86_64-gp2"
_NOBLE_AMD = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119"
_NOBLE_ARM = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119"
_JAMMY_AMD = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241109"
_DEBIAN_12 = "debian-12-amd64-20241110-1927"
_WINDOWS_2022 = "Windows_Server-2022-English-Full-Base-2024.11.13"

PUBLIC_IMAGES: tuple[PublicImage, ...] = (
    PublicImage(_AL2023_X86, AMAZON_OWNER, "amazon", "x86_64", "ebs",
                "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1", "2024-11-20T21:37:21.000Z",
                boot_mode="uefi-preferred", imds_support="v2.0"),
    PublicImage(_AL2023_ARM, AMAZON_OWNER, "amazon", "arm64", "ebs",
                "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1", "2024-11-20T21:37:25.000Z",
                boot_mode="uefi", imds_support="v2.0"),
    PublicImage(_AL2023_MINIMAL, AMAZON_OWNER, "amazon", "x86_64", "ebs",
                "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 Minimal HVM kernel-6.1", "2024-11-20T21:36:58.000Z",
                size=2, boot_mode="uefi-preferred", imds_support="v2.0"),
    PublicImage(_AL2_510, AMAZON_OWNER, "amazon", "x86_64", "ebs",
                "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2", "2024-11-14T03:12:45.000Z",
                volume_type="gp2"),
    PublicImage(_AL2, AMAZON_OWNER, "amazon", "x86_64", "ebs",
                "Amazon Linux 2 AMI 2.0.20241113.1 x86_64 HVM gp2", "2024-11-14T03:10:12.000Z",
                volume_type="gp2"),
    PublicImage(_NOBLE_AMD, CANONICAL_OWNER, None,
                "x86_64", "ebs", "Canonical, Ubuntu, 24.04, amd64 noble image", "2024-11-19T08:05:11.000Z",
                root_device="/dev/sda1", boot_mode="uefi-preferred"),
    PublicImage(_NOBLE_ARM, CANONICAL_OWNER, None,
                "arm64", "ebs", "Canonical, Ubuntu, 24.04, arm64 noble image", "2024-11-19T08:06:40.000Z",
                root_device="/dev/sda1", boot_mode="uefi"),
    PublicImage(_JAMMY_AMD, CANONICAL_OWNER, None,
                "x86_64", "ebs", "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image", "2024-11-09T07:44:12.000Z",
                root_device="/dev/sda1", volume_type="gp2"),
    PublicImage(_DEBIAN_12, DEBIAN_OWNER, None, "x86_64", "ebs",
                "Debian 12 (20241110-1927)", "2024-11-10T20:36:01.000Z", volume_type="gp2"),
    PublicImage(_WINDOWS_2022, WINDOWS_OWNER, "amazon", "x86_64", "ebs",
                "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
                "2024-11-13T19:01:44.000Z", root_device="/dev/sda1", size=30, volume_type="gp2",
                platform="windows"),
    PublicImage("amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3", AMAZON_OWNER, "amazon", "x86_64",
                "instance-store", "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 Minimal HVM instance-store",
                "2023-12-19T01:22:10.000Z", root_device="/dev/sda1", size=0),
)

_AL = "/aws/service/ami-amazon-linux-latest/"
_UBUNTU = "/aws/service/canonical/ubuntu/server/"


def _ubuntu(release: str, codename: str, arch: str, volume: str, image: str) -> list[tuple[str, str, str]]:
    tail = f"/stable/current/{arch}/hvm/ebs-{volume}/ami-id"
    return [(f"{_UBUNTU}{release}{tail}", image, IMAGE), (f"{_UBUNTU}{codename}{tail}", image, IMAGE)]


# Parameter name -> (the image it names, its DataType).
PUBLIC_PARAMETERS: dict[str, tuple[str, str]] = {
    name: (image, data_type) for name, image, data_type in [
        (f"{_AL}al2023-ami-kernel-default-x86_64", _AL2023_X86, TEXT),
        (f"{_AL}al2023-ami-kernel-6.1-x86_64", _AL2023_X86, TEXT),
        (f"{_AL}al2023-ami-kernel-default-arm64", _AL2023_ARM, TEXT),
        (f"{_AL}al2023-ami-kernel-6.1-arm64", _AL2023_ARM, TEXT),
        (f"{_AL}al2023-ami-minimal-kernel-default-x86_64", _AL2023_MINIMAL, TEXT),
        (f"{_AL}al2023-ami-minimal-kernel-6.1-x86_64", _AL2023_MINIMAL, TEXT),
        (f"{_AL}amzn2-ami-hvm-x86_64-gp2", _AL2, TEXT),
        (f"{_AL}amzn2-ami-kernel-5.10-hvm-x86_64-gp2", _AL2_510, TEXT),
        *_ubuntu("24.04", "noble", "amd64", "gp3", _NOBLE_AMD),
        *_ubuntu("24.04", "noble", "arm64", "gp3", _NOBLE_ARM),
        *_ubuntu("22.04", "jammy", "amd64", "gp2", _JAMMY_AMD),
        ("/aws/service/debian/release/12/latest/amd64", _DEBIAN_12, TEXT),
        ("/aws/service/debian/release/bookworm/latest/amd64", _DEBIAN_12, TEXT),
        ("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", _WINDOWS_2022, TEXT),
    ]
}

_CREATED = {image.name: image.created for image in PUBLIC_IMAGES}


def image_id(region: str, name: str) -> str:
    """The ID of the public image ``name`` in ``region``."""
    return ids.stable_id("ami", region, name)


def snapshot_id(region: str, name: str) -> str:
    """The ID of the root snapshot of the public image ``name`` in ``region``."""
    return ids.stable_id("snap", region, name)


@dataclass(frozen=True)
class PublicParameter:
    """One public parameter as it is in one region."""

    name: str
    value: str
    data_type: str
    last_modified: float
    version: int = 1


def _parameter(region: str, name: str) -> PublicParameter:
    image, data_type = PUBLIC_PARAMETERS[name]
    created = dt.datetime.strptime(_CREATED[image], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    return PublicParameter(name, image_id(region, image), data_type, created.timestamp())


@lru_cache(maxsize=64)
def public_parameters(region: str) -> tuple[PublicParameter, ...]:
    """Every public parameter of ``region``, in name order."""
    return tuple(_parameter(region, name) for name in sorted(PUBLIC_PARAMETERS))


def public_parameter(region: str, name: str) -> PublicParameter | None:
    """The public parameter ``name`` of ``region`` (``None``: there is none)."""
    return _parameter(region, name) if name in PUBLIC_PARAMETERS else None


@lru_cache(maxsize=64)
def public_image_ids(region: str) -> frozenset[str]:
    """The IDs of every public image of ``region``."""
    return frozenset(image_id(region, image.name) for image in PUBLIC_IMAGES)
