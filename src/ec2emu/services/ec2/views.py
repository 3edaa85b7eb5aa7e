"""Where storage rows and wire shapes meet: rows in, botocore-named dicts out.

Rules taken from EC2 (facts sheet A.3, C.1): an untagged resource has no ``Tags`` key;
a terminated instance keeps its placement, launch time, tags and reason but has no
private or public address, no subnet or VPC, and empty security groups, network
interfaces and block device mappings, nor an IAM instance profile. Which public address
an instance has is :mod:`~ec2emu.services.ec2.networking.public_addresses`'s.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from ec2emu.lifecycle.machines import TERMINATED, state_dict
from ec2emu.services.ec2.networking.addresses import private_dns_name
from ec2emu.services.ec2.networking.public_addresses import PublicAddress

UTC = dt.timezone.utc


@lru_cache(maxsize=4096)
def timestamp(value: float) -> dt.datetime:
    """The UTC time of ``value`` (seconds since the epoch); instances launched together
    share theirs, so recent conversions are kept."""
    return dt.datetime.fromtimestamp(value, UTC)


def tag_list(pairs: list[tuple[str, str]] | None) -> list[dict[str, str]] | None:
    if not pairs:
        return None
    return [{"Key": key, "Value": value} for key, value in pairs]


def with_members(view: dict[str, Any], **members: Any) -> dict[str, Any]:
    """``view`` with those of ``members`` that have a value (EC2 leaves the others out)."""
    view.update((name, value) for name, value in members.items() if value is not None)
    return view


def tagged(view: dict[str, Any], tags: list[tuple[str, str]] | None) -> dict[str, Any]:
    """``view`` with its ``Tags`` (none when untagged)."""
    items = tag_list(tags)
    if items:
        view["Tags"] = items
    return view


def encrypted_and_tagged(view: dict[str, Any], row: dict[str, Any],
                         tags: list[tuple[str, str]] | None) -> dict[str, Any]:
    """An EBS volume's or snapshot's view, ended with its KMS key when encrypted and its tags."""
    if row["encrypted"] and row["kms_key_id"]:
        view["KmsKeyId"] = row["kms_key_id"]
    return tagged(view, tags)


def _block_device_mappings(row: dict[str, Any], volumes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The instance's EBS volumes with their attachment state (attaching, attached,
    detaching). Instance-store devices are not listed, as in EC2's DescribeInstances."""
    return [
        {
            "DeviceName": volume["device"],
            "Ebs": {
                "AttachTime": timestamp(volume["attach_time"]),
                "DeleteOnTermination": volume["delete_on_termination"],
                "Status": volume.get("attachment_state") or "attached",
                "VolumeId": volume["volume_id"],
            },
        }
        for volume in volumes
    ]


def metadata_options_view(row: dict[str, Any]) -> dict[str, Any]:
    """An instance's ``MetadataOptions`` (``InstanceMetadataOptionsResponse``)."""
    return {
        "State": row["metadata_state"],
        "HttpTokens": row["http_tokens"],
        "HttpPutResponseHopLimit": row["http_put_response_hop_limit"],
        "HttpEndpoint": row["http_endpoint"],
        "HttpProtocolIpv6": row["http_protocol_ipv6"],
        "InstanceMetadataTags": row["instance_metadata_tags"],
    }


def instance_view(
    row: dict[str, Any],
    tags: list[tuple[str, str]] | None,
    volumes: list[dict[str, Any]] | None,
    public: PublicAddress | None = None,
) -> dict[str, Any]:
    """An instance's view; ``public``: its public address, if it has one
    (:func:`~ec2emu.services.ec2.networking.public_addresses.of_instances`)."""
    state = row["state"]
    region = row["region"]
    gone = state == TERMINATED
    view: dict[str, Any] = {
        "Architecture": row["architecture"],
        "BlockDeviceMappings": [] if gone else _block_device_mappings(row, volumes or []),
        "ClientToken": row["client_token"] or "",
        "EbsOptimized": row["ebs_optimized"],
        "EnaSupport": True,
        "Hypervisor": "xen",
        "NetworkInterfaces": [],
        "RootDeviceName": row["root_device_name"],
        "RootDeviceType": row["root_device_type"],
        "SecurityGroups": [] if gone else [dict(group) for group in row["security_groups"]],
        "SourceDestCheck": True,
        "VirtualizationType": row["virtualization_type"],
        "HibernationOptions": {"Configured": row["hibernation_configured"]},
        "MetadataOptions": metadata_options_view(row),
        "EnclaveOptions": {"Enabled": False},
        "PlatformDetails": "Windows" if row["platform"] == "windows" else "Linux/UNIX",
        "UsageOperation": "RunInstances:0002" if row["platform"] == "windows" else "RunInstances",
        "UsageOperationUpdateTime": timestamp(row["launch_time"]),
        "MaintenanceOptions": {"AutoRecovery": "default"},
        "CurrentInstanceBootMode": "legacy-bios" if row["architecture"] != "arm64" else "uefi",
        "InstanceId": row["instance_id"],
        "ImageId": row["image_id"],
        "State": state_dict(state),
        "PrivateDnsName": "" if gone or not row["private_ip"] else private_dns_name(region, row["private_ip"]),
        "PublicDnsName": "",
        "StateTransitionReason": row["state_transition_reason"],
        "AmiLaunchIndex": row["ami_launch_index"],
        "ProductCodes": [],
        "InstanceType": row["instance_type"],
        "LaunchTime": timestamp(row["launch_time"]),
        "Placement": {
            "AvailabilityZone": row["availability_zone"],
            "GroupName": "",
            "Tenancy": row["tenancy"],
        },
        "Monitoring": {"State": row["monitoring_state"]},
    }
    with_members(view, KernelId=row["kernel_id"], RamdiskId=row["ramdisk_id"])
    if row["key_name"]:
        view["KeyName"] = row["key_name"]
    if row.get("iam_association_id"):
        view["IamInstanceProfile"] = {"Arn": row["iam_instance_profile_arn"], "Id": row["iam_instance_profile_id"]}
    if row["platform"]:
        view["Platform"] = row["platform"]
    if not gone:
        view["SubnetId"] = row["subnet_id"]
        view["VpcId"] = row["vpc_id"]
        view["PrivateIpAddress"] = row["private_ip"]
        if public is not None:
            view["PublicIpAddress"] = public.ip
            view["PublicDnsName"] = public.dns_name
    if row["state_reason_code"]:
        view["StateReason"] = {
            "Code": row["state_reason_code"],
            "Message": row["state_reason_message"] or row["state_reason_code"],
        }
    return tagged(view, tags)


def state_change_view(instance_id: str, previous: str, current: str) -> dict[str, Any]:
    return {
        "InstanceId": instance_id,
        "CurrentState": state_dict(current),
        "PreviousState": state_dict(previous),
    }
