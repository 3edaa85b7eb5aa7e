"""The EC2 service as served here: its signing name, botocore model and operation table."""

from __future__ import annotations

from ec2emu.services.ec2.networking.errors import unsupported_parameter
from ec2emu.services.registry import Service

SERVICE = Service(
    signing_name="ec2",
    model="ec2",
    modules=(
        "account", "images.attributes", "images.copy", "images.create", "images.deprecation", "images.describe",
        "images.public_access", "images.register", "instance_profiles", "instance_type_offerings", "instance_types",
        "instances.attributes", "instances.credits", "instances.describe", "instances.launch_permissions",
        "instances.metadata_options", "instances.monitoring", "instances.run",
        "instances.states", "key_pairs", "launch_templates.instance_data", "launch_templates.permissions",
        "launch_templates.templates", "launch_templates.versions",
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
