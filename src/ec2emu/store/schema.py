"""The current table definitions, used to build queries.

The DDL history lives in ``migrations/versions``; a test checks that migrating an empty
database gives exactly these tables, columns and indexes. Times are stored as float
seconds since the epoch (UTC) so comparisons are plain and dialect-neutral.
"""

from __future__ import annotations

import sqlalchemy as sa

# Their tables join the metadata (one schema); their repositories read them from there.
from ec2emu.store import delivery_schema, event_connections_schema, iam_schema  # noqa: F401
from ec2emu.store.ebs_schema import snapshot_permissions as snapshot_permissions
from ec2emu.store.ebs_schema import snapshot_tiers as snapshot_tiers
from ec2emu.store.ebs_schema import volume_modifications as volume_modifications
from ec2emu.store.events_schema import event_rules as event_rules
from ec2emu.store.events_schema import event_targets as event_targets
from ec2emu.store.image_sharing_schema import image_launch_permissions as image_launch_permissions
from ec2emu.store.interface_schema import (  # one schema: read as schema.<table> too
    network_interface_addresses as network_interface_addresses,
)
from ec2emu.store.interface_schema import network_interface_groups as network_interface_groups
from ec2emu.store.interface_schema import network_interfaces as network_interfaces
from ec2emu.store.launch_template_schema import launch_template_versions as launch_template_versions
from ec2emu.store.launch_template_schema import launch_templates as launch_templates
from ec2emu.store.metadata import metadata as metadata
from ec2emu.store.outbox_schema import events as events
from ec2emu.store.ssm_schema import ssm_parameter_versions as ssm_parameter_versions
from ec2emu.store.ssm_schema import ssm_parameters as ssm_parameters
from ec2emu.store.trail_schema import trail_events as trail_events
from ec2emu.store.trail_schema import trail_resource_names as trail_resource_names
from ec2emu.store.trail_schema import trail_resource_types as trail_resource_types
from ec2emu.store.zone_schema import zone_group_opt_ins as zone_group_opt_ins

# The launch options' columns DescribeInstances (and DescribeInstanceCreditSpecifications) filter
# on, each with a scope index.
OPTION_FILTER_COLUMNS = ("tenancy", "monitoring_state", "http_tokens", "http_put_response_hop_limit",
                         "http_endpoint", "instance_metadata_tags", "cpu_credits")

instances = sa.Table(
    "instances",
    metadata,
    sa.Column("instance_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("reservation_id", sa.String(32), nullable=False),
    sa.Column("ami_launch_index", sa.Integer, nullable=False),
    sa.Column("image_id", sa.String(32), nullable=False),
    sa.Column("instance_type", sa.String(32), nullable=False),
    sa.Column("availability_zone", sa.String(32), nullable=False),
    sa.Column("subnet_id", sa.String(32), nullable=True),
    sa.Column("vpc_id", sa.String(32), nullable=True),
    sa.Column("private_ip", sa.String(15), nullable=True),
    sa.Column("key_name", sa.String(255), nullable=True),
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("due_at", sa.Float, nullable=True),
    sa.Column("launch_time", sa.Float, nullable=False),
    sa.Column("state_transition_reason", sa.String(255), nullable=False, default=""),
    sa.Column("state_reason_code", sa.String(64), nullable=True),
    sa.Column("state_reason_message", sa.String(255), nullable=True),
    sa.Column("disable_api_termination", sa.Boolean, nullable=False, default=False),
    sa.Column("disable_api_stop", sa.Boolean, nullable=False, default=False),
    sa.Column("shutdown_behavior", sa.String(16), nullable=False, default="stop"),
    sa.Column("user_data", sa.Text, nullable=True),
    sa.Column("root_device_type", sa.String(16), nullable=False),
    sa.Column("root_device_name", sa.String(32), nullable=True),
    sa.Column("architecture", sa.String(16), nullable=False),
    sa.Column("virtualization_type", sa.String(16), nullable=False),
    sa.Column("platform", sa.String(16), nullable=True),
    sa.Column("hibernation_configured", sa.Boolean, nullable=False, default=False),
    sa.Column("ebs_optimized", sa.Boolean, nullable=False, default=False),
    sa.Column("security_groups", sa.JSON, nullable=False),
    sa.Column("instance_store_mappings", sa.JSON, nullable=True),
    # The instance's IAM instance profile association (migration 0014): its ID, the
    # profile's ARN and ID as they were when it was made (they stay if the profile goes),
    # and when it was made.
    sa.Column("iam_association_id", sa.String(32), nullable=True),
    sa.Column("iam_instance_profile_arn", sa.String(1024), nullable=True),
    sa.Column("iam_instance_profile_id", sa.String(32), nullable=True),
    sa.Column("iam_association_time", sa.Float, nullable=True),
    # Whether the instance gets a public IPv4 address of Amazon's pool while it runs (decided
    # at launch; migration 0013), and the one it was given for its current or last run,
    # unique everywhere (migration 0016; store/public_ips.py).
    sa.Column("public_ip_on_launch", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("public_ip", sa.String(15), nullable=True),
    # Launch options (migration 0017; services/ec2/instances/options.py and its neighbours):
    # tenancy, a burstable type's CPU credits, kernel and ramdisk, detailed monitoring and
    # the metadata options, the last two each with a timed state and its own due time.
    sa.Column("tenancy", sa.String(16), nullable=False, default="default", server_default="default"),
    sa.Column("cpu_credits", sa.String(16), nullable=True),
    sa.Column("kernel_id", sa.String(32), nullable=True),
    sa.Column("ramdisk_id", sa.String(32), nullable=True),
    sa.Column("monitoring_state", sa.String(16), nullable=False, default="disabled", server_default="disabled"),
    sa.Column("monitoring_due_at", sa.Float, nullable=True),
    sa.Column("http_tokens", sa.String(16), nullable=False, default="required", server_default="required"),
    sa.Column("http_put_response_hop_limit", sa.Integer, nullable=False, default=2, server_default="2"),
    sa.Column("http_endpoint", sa.String(16), nullable=False, default="enabled", server_default="enabled"),
    sa.Column("http_protocol_ipv6", sa.String(16), nullable=False, default="disabled", server_default="disabled"),
    sa.Column("instance_metadata_tags", sa.String(16), nullable=False, default="disabled",
              server_default="disabled"),
    sa.Column("metadata_state", sa.String(16), nullable=False, default="applied", server_default="applied"),
    sa.Column("metadata_due_at", sa.Float, nullable=True),
    sa.Column("event_places", sa.Text, nullable=True, info={"shown": False}),  # see store.outbox.of_instance
    sa.Index("ix_instances_scope_id", "account_id", "region", "instance_id"),
    sa.Index("ix_instances_scope_state", "account_id", "region", "state"),
    sa.Index("ix_instances_scope_zone", "account_id", "region", "availability_zone"),
    sa.Index("ix_instances_scope_type", "account_id", "region", "instance_type"),
    sa.Index("ix_instances_scope_image", "account_id", "region", "image_id"),
    sa.Index("ix_instances_scope_subnet", "account_id", "region", "subnet_id"),
    sa.Index("ix_instances_scope_vpc", "account_id", "region", "vpc_id"),
    sa.Index("ix_instances_scope_reservation", "account_id", "region", "reservation_id"),
    sa.Index("ix_instances_scope_token", "account_id", "region", "client_token"),
    sa.Index("ix_instances_due", "due_at"),
    sa.Index("ix_instances_scope_iam_association", "account_id", "region", "iam_association_id"),
    sa.Index("ix_instances_scope_launch_time", "account_id", "region", "launch_time"),
    sa.Index("ux_instances_public_ip", "public_ip", unique=True),
    *(sa.Index(f"ix_instances_scope_{column}", "account_id", "region", column) for column in OPTION_FILTER_COLUMNS),
    sa.Index("ix_instances_monitoring_due", "monitoring_due_at"),
    sa.Index("ix_instances_metadata_due", "metadata_due_at"),
)

volumes = sa.Table(
    "volumes",
    metadata,
    sa.Column("volume_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("availability_zone", sa.String(32), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("volume_type", sa.String(16), nullable=False),
    sa.Column("iops", sa.Integer, nullable=True),
    sa.Column("snapshot_id", sa.String(32), nullable=True),
    sa.Column("encrypted", sa.Boolean, nullable=False, default=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Column("instance_id", sa.String(32), nullable=True),
    sa.Column("device", sa.String(32), nullable=True),
    sa.Column("attach_time", sa.Float, nullable=True),
    sa.Column("delete_on_termination", sa.Boolean, nullable=False, default=False),
    sa.Column("throughput", sa.Integer, nullable=True),
    sa.Column("multi_attach", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("kms_key_id", sa.String(255), nullable=True),
    sa.Column("due_at", sa.Float, nullable=True),
    sa.Column("attachment_state", sa.String(16), nullable=True),
    sa.Column("client_token", sa.String(64), nullable=True),  # CreateVolume's (migration 0022)
    # Covers the attachments an instance's details read, as shown (migrations 0005, 0006).
    sa.Index("ix_volumes_instance", "instance_id", "device", "volume_id", "attach_time",
             "delete_on_termination", "attachment_state", "state", "due_at"),
    sa.Index("ix_volumes_scope_state", "account_id", "region", "state"),
    sa.Index("ix_volumes_scope_id", "account_id", "region", "volume_id"),
    sa.Index("ix_volumes_scope_zone", "account_id", "region", "availability_zone"),
    sa.Index("ix_volumes_scope_type", "account_id", "region", "volume_type"),
    sa.Index("ix_volumes_scope_size", "account_id", "region", "size"),
    sa.Index("ix_volumes_scope_snapshot", "account_id", "region", "snapshot_id"),
    sa.Index("ix_volumes_scope_encrypted", "account_id", "region", "encrypted"),
    sa.Index("ix_volumes_scope_multi_attach", "account_id", "region", "multi_attach"),
    sa.Index("ix_volumes_scope_create_time", "account_id", "region", "create_time"),
    sa.Index("ix_volumes_scope_instance", "account_id", "region", "instance_id"),
    sa.Index("ix_volumes_scope_device", "account_id", "region", "device"),
    sa.Index("ix_volumes_scope_attachment_state", "account_id", "region", "attachment_state"),
    sa.Index("ix_volumes_scope_attach_time", "account_id", "region", "attach_time"),
    sa.Index("ix_volumes_scope_delete_on_termination", "account_id", "region", "delete_on_termination"),
    sa.Index("ix_volumes_due", "due_at"),
    sa.Index("ix_volumes_scope_token", "account_id", "region", "client_token"),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("volume_id", sa.String(32), nullable=True),
    sa.Column("volume_size", sa.Integer, nullable=False),
    sa.Column("description", sa.String(255), nullable=True),
    sa.Column("encrypted", sa.Boolean, nullable=False, default=False),
    sa.Column("kms_key_id", sa.String(255), nullable=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("start_time", sa.Float, nullable=False),
    sa.Column("due_at", sa.Float, nullable=True),
    # A copy's source snapshot, as an ARN (CopySnapshot, CopyImage; migration 0024): its
    # completion event names it.
    sa.Column("copied_from", sa.String(128), nullable=True),
    sa.Index("ix_snapshots_scope_id", "account_id", "region", "snapshot_id"),
    sa.Index("ix_snapshots_scope_state", "account_id", "region", "state"),
    sa.Index("ix_snapshots_scope_volume", "account_id", "region", "volume_id"),
    sa.Index("ix_snapshots_scope_volume_size", "account_id", "region", "volume_size"),
    sa.Index("ix_snapshots_scope_description", "account_id", "region", "description"),
    sa.Index("ix_snapshots_scope_encrypted", "account_id", "region", "encrypted"),
    sa.Index("ix_snapshots_scope_start_time", "account_id", "region", "start_time"),
    sa.Index("ix_snapshots_due", "due_at"),
)

# Which registered image uses which snapshot: a snapshot in use cannot be deleted.
image_snapshots = sa.Table(
    "image_snapshots",
    metadata,
    sa.Column("image_id", sa.String(32), primary_key=True),
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Index("ix_image_snapshots_snapshot", "snapshot_id"),
)

tags = sa.Table(
    "tags",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("resource_id", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
    sa.Column("resource_type", sa.String(32), nullable=False),
    # resource_id last: these indexes then cover tag look-ups by key and value.
    sa.Index("ix_tags_scope_key_value", "account_id", "region", "key", "value", "resource_id"),
    sa.Index("ix_tags_scope_value", "account_id", "region", "value", "resource_id"),
    sa.Index("ix_tags_scope_type", "account_id", "region", "resource_type"),
    # Covers a resource's tags as its details read them (see migration 0005).
    sa.Index("ix_tags_resource", "resource_id", "account_id", "region", "key", "value"),
)

images = sa.Table(
    "images",
    metadata,
    sa.Column("image_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("description", sa.String(255), nullable=True),
    sa.Column("architecture", sa.String(16), nullable=False),
    sa.Column("root_device_type", sa.String(16), nullable=False),
    sa.Column("root_device_name", sa.String(32), nullable=True),
    sa.Column("virtualization_type", sa.String(16), nullable=False),
    sa.Column("image_location", sa.String(255), nullable=True),
    sa.Column("block_device_mappings", sa.JSON, nullable=False),
    sa.Column("ena_support", sa.Boolean, nullable=False, default=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("creation_date", sa.Float, nullable=False),
    # Migration 0021: deprecation, the last launch, a copy's source, CopyImage's token, and
    # the attributes RegisterImage records (JSON: boot_mode, imds_support, tpm_support,
    # uefi_data, sriov_net_support).
    sa.Column("deprecation_time", sa.Float, nullable=True),
    sa.Column("last_launched_time", sa.Float, nullable=True),
    sa.Column("source_image_id", sa.String(32), nullable=True),
    sa.Column("source_image_region", sa.String(32), nullable=True),
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Column("attributes", sa.JSON, nullable=True),
    sa.Index("ix_images_scope_name", "account_id", "region", "name"),
    sa.Index("ix_images_scope_token", "account_id", "region", "client_token"),
)

# EC2 key pairs, per account and region: public material only (a created pair's private
# key is returned once and never stored). Names are unique in a scope (migration 0008).
key_pairs = sa.Table(
    "key_pairs",
    metadata,
    sa.Column("key_pair_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("key_name", sa.String(255), nullable=False),
    sa.Column("key_type", sa.String(16), nullable=False),
    sa.Column("fingerprint", sa.String(128), nullable=False),
    sa.Column("public_key", sa.Text, nullable=False),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Index("ux_key_pairs_scope_name", "account_id", "region", "key_name", unique=True),
    sa.Index("ix_key_pairs_scope_id", "account_id", "region", "key_pair_id"),
    sa.Index("ix_key_pairs_scope_fingerprint", "account_id", "region", "fingerprint"),
    sa.Index("ix_key_pairs_scope_type", "account_id", "region", "key_type"),
)

# VPCs and subnets that are stored (created, or a scope's default network once written to;
# see services/ec2/networking). ``network_scopes``: the account-regions whose network is
# stored, so that their default VPC and subnets are no longer derived.
network_scopes = sa.Table(
    "network_scopes",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
)

vpcs = sa.Table(
    "vpcs",
    metadata,
    sa.Column("vpc_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("cidr_block", sa.String(43), nullable=False),  # the primary IPv4 block
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("is_default", sa.Boolean, nullable=False),
    sa.Column("instance_tenancy", sa.String(16), nullable=False),
    sa.Column("dhcp_options_id", sa.String(32), nullable=False),
    sa.Column("enable_dns_support", sa.Boolean, nullable=False),
    sa.Column("enable_dns_hostnames", sa.Boolean, nullable=False),
    sa.Column("enable_network_address_usage_metrics", sa.Boolean, nullable=False),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Index("ix_vpcs_scope_id", "account_id", "region", "vpc_id"),
    sa.Index("ix_vpcs_scope_cidr", "account_id", "region", "cidr_block"),
    sa.Index("ix_vpcs_scope_default", "account_id", "region", "is_default"),
)

# A VPC's IPv4 CIDR blocks, the primary one (``position`` 0) included.
vpc_cidr_blocks = sa.Table(
    "vpc_cidr_blocks",
    metadata,
    sa.Column("association_id", sa.String(48), primary_key=True),
    sa.Column("vpc_id", sa.String(32), nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("cidr_block", sa.String(43), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Index("ix_vpc_cidr_blocks_vpc", "vpc_id", "position"),
    sa.Index("ix_vpc_cidr_blocks_scope_cidr", "account_id", "region", "cidr_block", "vpc_id"),
    sa.Index("ix_vpc_cidr_blocks_scope_state", "account_id", "region", "state", "vpc_id"),
)

subnets = sa.Table(
    "subnets",
    metadata,
    sa.Column("subnet_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("vpc_id", sa.String(32), nullable=False),
    sa.Column("availability_zone", sa.String(32), nullable=False),
    sa.Column("availability_zone_id", sa.String(32), nullable=False),
    sa.Column("cidr_block", sa.String(43), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("default_for_az", sa.Boolean, nullable=False),
    sa.Column("map_public_ip_on_launch", sa.Boolean, nullable=False),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Index("ix_subnets_scope_id", "account_id", "region", "subnet_id"),
    sa.Index("ix_subnets_scope_vpc", "account_id", "region", "vpc_id"),
    sa.Index("ix_subnets_scope_zone", "account_id", "region", "availability_zone"),
    sa.Index("ix_subnets_scope_zone_id", "account_id", "region", "availability_zone_id"),
    sa.Index("ix_subnets_scope_cidr", "account_id", "region", "cidr_block"),
    sa.Index("ix_subnets_scope_default", "account_id", "region", "default_for_az"),
    sa.Index("ix_subnets_scope_public", "account_id", "region", "map_public_ip_on_launch"),
)

# Internet gateways and route tables (migration 0011). A gateway's ``vpc_id`` and
# ``attachment_state`` (``available``) are set while it is attached. A route table's routes
# and associations are rows of their own, each with the scope, so that the filters on
# them are served by the scope's indexes.
internet_gateways = sa.Table(
    "internet_gateways",
    metadata,
    sa.Column("internet_gateway_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("vpc_id", sa.String(32), nullable=True),
    sa.Column("attachment_state", sa.String(16), nullable=True),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Index("ix_internet_gateways_scope_id", "account_id", "region", "internet_gateway_id"),
    sa.Index("ix_internet_gateways_scope_vpc", "account_id", "region", "vpc_id"),
    sa.Index("ix_internet_gateways_scope_attachment", "account_id", "region", "attachment_state"),
)

route_tables = sa.Table(
    "route_tables",
    metadata,
    sa.Column("route_table_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("vpc_id", sa.String(32), nullable=False),
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Index("ix_route_tables_scope_id", "account_id", "region", "route_table_id"),
    sa.Index("ix_route_tables_scope_vpc", "account_id", "region", "vpc_id"),
    sa.Index("ix_route_tables_scope_token", "account_id", "region", "client_token"),
)

routes = sa.Table(
    "routes",
    metadata,
    sa.Column("route_table_id", sa.String(32), primary_key=True),
    sa.Column("destination_cidr_block", sa.String(43), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("gateway_id", sa.String(32), nullable=False),  # ``local`` or an internet gateway
    sa.Column("origin", sa.String(32), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Index("ix_routes_scope_destination", "account_id", "region", "destination_cidr_block", "route_table_id"),
    sa.Index("ix_routes_scope_gateway", "account_id", "region", "gateway_id", "route_table_id"),
    sa.Index("ix_routes_scope_state", "account_id", "region", "state", "route_table_id"),
    sa.Index("ix_routes_scope_origin", "account_id", "region", "origin", "route_table_id"),
)

# A table's associations: its subnets' and, for a VPC's main table, the main one (no subnet).
route_table_associations = sa.Table(
    "route_table_associations",
    metadata,
    sa.Column("association_id", sa.String(48), primary_key=True),
    sa.Column("route_table_id", sa.String(32), nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("subnet_id", sa.String(32), nullable=True),
    sa.Column("is_main", sa.Boolean, nullable=False),
    sa.Index("ix_route_table_associations_table", "route_table_id", "association_id"),
    sa.Index("ix_route_table_associations_scope_subnet", "account_id", "region", "subnet_id", "route_table_id"),
    sa.Index("ix_route_table_associations_scope_main", "account_id", "region", "is_main", "route_table_id"),
)

# Security groups (see services/ec2/networking/groups.py). ``security_group_scopes``: the
# account-regions whose groups are stored, so that their VPCs' default groups are no
# longer derived. Names are unique per VPC case-insensitively: ``name_key`` is the
# lower-cased name.
security_group_scopes = sa.Table(
    "security_group_scopes",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
)

security_groups = sa.Table(
    "security_groups",
    metadata,
    sa.Column("group_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("vpc_id", sa.String(32), nullable=False),
    sa.Column("group_name", sa.String(255), nullable=False),
    sa.Column("name_key", sa.String(255), nullable=False),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("is_default", sa.Boolean, nullable=False),
    sa.Index("ix_security_groups_scope_id", "account_id", "region", "group_id"),
    sa.Index("ix_security_groups_scope_vpc", "account_id", "region", "vpc_id"),
    sa.Index("ix_security_groups_scope_name", "account_id", "region", "group_name"),
    sa.Index("ix_security_groups_scope_description", "account_id", "region", "description"),
    sa.Index("ux_security_groups_vpc_name", "vpc_id", "name_key", unique=True),
)

# A group's rules, each one peer (an IPv4 or IPv6 block, a prefix list or a group).
security_group_rules = sa.Table(
    "security_group_rules",
    metadata,
    sa.Column("rule_id", sa.String(32), primary_key=True),
    sa.Column("group_id", sa.String(32), nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("is_egress", sa.Boolean, nullable=False),
    sa.Column("ip_protocol", sa.String(16), nullable=False),
    sa.Column("from_port", sa.Integer, nullable=False),
    sa.Column("to_port", sa.Integer, nullable=False),
    sa.Column("cidr_ipv4", sa.String(43), nullable=True),
    sa.Column("cidr_ipv6", sa.String(64), nullable=True),
    sa.Column("prefix_list_id", sa.String(32), nullable=True),
    sa.Column("referenced_group_id", sa.String(32), nullable=True),
    sa.Column("referenced_user_id", sa.String(12), nullable=True),
    sa.Column("description", sa.String(255), nullable=True),
    sa.Index("ix_security_group_rules_group", "group_id", "is_egress", "rule_id"),
    sa.Index("ix_security_group_rules_scope_id", "account_id", "region", "rule_id"),
    sa.Index("ix_security_group_rules_scope_group", "account_id", "region", "group_id"),
    sa.Index("ix_security_group_rules_referenced", "referenced_group_id", "group_id"),
)

# Elastic IP addresses (migration 0013). ``public_ip`` is unique across every account and
# region; the association columns are set while the address is associated (with an
# instance: ``instance_id``; ``network_interface_id`` is kept for interfaces).
elastic_ips = sa.Table(
    "elastic_ips",
    metadata,
    sa.Column("allocation_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("public_ip", sa.String(15), nullable=False),
    sa.Column("domain", sa.String(16), nullable=False),
    sa.Column("network_border_group", sa.String(64), nullable=False),
    sa.Column("allocate_time", sa.Float, nullable=False),
    sa.Column("association_id", sa.String(32), nullable=True),
    sa.Column("instance_id", sa.String(32), nullable=True),
    sa.Column("network_interface_id", sa.String(32), nullable=True),
    sa.Column("network_interface_owner_id", sa.String(12), nullable=True),
    sa.Column("private_ip", sa.String(15), nullable=True),
    sa.Index("ux_elastic_ips_public_ip", "public_ip", unique=True),
    sa.Index("ix_elastic_ips_instance", "instance_id"),
    sa.Index("ix_elastic_ips_scope_id", "account_id", "region", "allocation_id"),
    sa.Index("ix_elastic_ips_scope_public_ip", "account_id", "region", "public_ip"),
    sa.Index("ix_elastic_ips_scope_association", "account_id", "region", "association_id"),
    sa.Index("ix_elastic_ips_scope_instance", "account_id", "region", "instance_id"),
    sa.Index("ix_elastic_ips_scope_interface", "account_id", "region", "network_interface_id"),
    sa.Index("ix_elastic_ips_scope_interface_owner", "account_id", "region", "network_interface_owner_id"),
    sa.Index("ix_elastic_ips_scope_private_ip", "account_id", "region", "private_ip"),
    sa.Index("ix_elastic_ips_scope_domain", "account_id", "region", "domain"),
    sa.Index("ix_elastic_ips_scope_border_group", "account_id", "region", "network_border_group"),
)

# No rows: every writer on PostgreSQL locks it first (one writer at a time; migration 0007).
write_lock = sa.Table(
    "write_lock",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
