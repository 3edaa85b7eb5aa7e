"""Amazon Resource Names: parsing, and the ARNs of EC2's resources.

The EC2 formats follow AWS's service authorization reference:
``arn:aws:ec2:REGION:ACCOUNT:instance/i-…`` (likewise ``volume/``, ``subnet/``,
``security-group/``, ``vpc/``). Images are ``arn:aws:ec2:REGION::image/ami-…`` and
snapshots ``arn:aws:ec2:REGION::snapshot/snap-…``, with an empty account field, for
public and private ones alike (the reference lists both ARNs without an account: they
are addressed by region and ID only). IAM's are ``arn:aws:iam::ACCOUNT:user/PATH/NAME``
(likewise ``group``, ``role``, ``policy``), the path included.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTITION = "aws"


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def parse_arn(text: str) -> Arn | None:
    """The six fields of an ARN (the resource may contain ``:``), ``None`` if not an ARN."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
        return None
    return Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


def ec2_arn(region: str, account: str, resource_type: str, resource_id: str) -> str:
    return f"arn:{PARTITION}:ec2:{region}:{account}:{resource_type}/{resource_id}"


def instance_arn(region: str, account: str, instance_id: str) -> str:
    return ec2_arn(region, account, "instance", instance_id)


def volume_arn(region: str, account: str, volume_id: str) -> str:
    return ec2_arn(region, account, "volume", volume_id)


def subnet_arn(region: str, account: str, subnet_id: str) -> str:
    return ec2_arn(region, account, "subnet", subnet_id)


def security_group_arn(region: str, account: str, group_id: str) -> str:
    return ec2_arn(region, account, "security-group", group_id)


def vpc_arn(region: str, account: str, vpc_id: str) -> str:
    return ec2_arn(region, account, "vpc", vpc_id)


def image_arn(region: str, image_id: str) -> str:
    return ec2_arn(region, "", "image", image_id)


def snapshot_arn(region: str, snapshot_id: str) -> str:
    return ec2_arn(region, "", "snapshot", snapshot_id)


def iam_arn(account: str, resource_type: str, name: str, path: str = "/") -> str:
    """``arn:aws:iam::ACCOUNT:user/PATH/NAME`` (``path`` begins and ends with ``/``)."""
    return f"arn:{PARTITION}:iam::{account}:{resource_type}{path}{name}"


_PREFIXES = {"i-": "instance", "vol-": "volume", "subnet-": "subnet", "sg-": "security-group",
             "vpc-": "vpc", "ami-": "image", "snap-": "snapshot"}


def arn_for_id(region: str, account: str, resource_id: str) -> str | None:
    """The ARN of an EC2 resource named by its ID, ``None`` for an ID of another kind."""
    for prefix, resource_type in _PREFIXES.items():
        if resource_id.startswith(prefix):
            if resource_type in ("image", "snapshot"):
                return ec2_arn(region, "", resource_type, resource_id)
            return ec2_arn(region, account, resource_type, resource_id)
    return None
