"""The EC2 service as served here: its signing name, botocore model and operation table."""

from __future__ import annotations

from ec2emu.services.ec2.networking.errors import unsupported_parameter
from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="ec2",
    model="ec2",
    modules=(
        "account", "images.create", "images.describe", "images.register", "instance_profiles", "instance_types",
        "instances.attributes", "instances.describe", "instances.launch_permissions", "instances.run",
        "instances.states", "key_pairs",
        "networking.elastic_ips", "networking.gateways", "networking.group_permissions", "networking.group_rules",
        "networking.groups",
        "networking.interface_attributes", "networking.interface_operations", "networking.interface_permissions",
        "networking.interfaces",
        "networking.permissions", "networking.route_tables", "networking.routes", "networking.security_groups",
        "networking.subnets", "networking.vpcs", "permissions", "profile_permissions", "regions", "snapshots", "tags",
        "snapshot_copies", "snapshot_sharing", "snapshot_tiers", "volume_modifications",
        "volume_attachments", "volume_status", "volumes",
    ),
    unsupported=unsupported_parameter,
)
operation = SERVICE.operation
