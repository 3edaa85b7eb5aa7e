"""The network interfaces' tables, on the one metadata of :mod:`ec2emu.store.schema`
(which names them too, as ``schema.network_interfaces`` and so on)."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

# Network interfaces (migration 0012; see services/ec2/networking/interfaces.py). Every
# private address an interface holds in its subnet, the primary one included, is a row of
# ``network_interface_addresses``; an interface's security groups are rows of
# ``network_interface_groups`` (in the order given). An attached interface's
# ``attachment_*`` columns, ``instance_id``, ``device_index`` and ``attach_time`` are set.
network_interfaces = sa.Table(
    "network_interfaces",
    metadata,
    sa.Column("network_interface_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("subnet_id", sa.String(32), nullable=False),
    sa.Column("vpc_id", sa.String(32), nullable=False),
    sa.Column("availability_zone", sa.String(32), nullable=False),
    sa.Column("private_ip", sa.String(15), nullable=False),
    sa.Column("mac_address", sa.String(17), nullable=False),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("source_dest_check", sa.Boolean, nullable=False),
    sa.Column("interface_type", sa.String(32), nullable=False),
    sa.Column("requester_managed", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attachment_id", sa.String(48), nullable=True),
    sa.Column("instance_id", sa.String(32), nullable=True),
    sa.Column("device_index", sa.Integer, nullable=True),
    sa.Column("attach_time", sa.Float, nullable=True),
    sa.Column("delete_on_termination", sa.Boolean, nullable=False, default=False),
    sa.Column("attachment_status", sa.String(16), nullable=True),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Column("client_token", sa.String(64), nullable=True),
    # An instance's interfaces, as its details and the end of its termination read them.
    sa.Index("ix_network_interfaces_instance", "instance_id", "device_index"),
    sa.Index("ix_network_interfaces_scope_id", "account_id", "region", "network_interface_id"),
    # Filters many interfaces share end with the ID, so a page of them is read in order.
    sa.Index("ix_network_interfaces_scope_subnet", "account_id", "region", "subnet_id", "network_interface_id"),
    sa.Index("ix_network_interfaces_scope_vpc", "account_id", "region", "vpc_id", "network_interface_id"),
    sa.Index("ix_network_interfaces_scope_zone", "account_id", "region", "availability_zone",
             "network_interface_id"),
    sa.Index("ix_network_interfaces_scope_status", "account_id", "region", "status", "network_interface_id"),
    sa.Index("ix_network_interfaces_scope_instance", "account_id", "region", "instance_id"),
    sa.Index("ix_network_interfaces_scope_attachment", "account_id", "region", "attachment_id"),
    sa.Index("ix_network_interfaces_scope_description", "account_id", "region", "description"),
    sa.Index("ix_network_interfaces_scope_mac", "account_id", "region", "mac_address"),
    sa.Index("ix_network_interfaces_scope_type", "account_id", "region", "interface_type", "network_interface_id"),
    sa.Index("ix_network_interfaces_scope_token", "account_id", "region", "client_token"),
)

network_interface_addresses = sa.Table(
    "network_interface_addresses",
    metadata,
    sa.Column("network_interface_id", sa.String(32), primary_key=True),
    sa.Column("private_ip", sa.String(15), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("subnet_id", sa.String(32), nullable=False),
    sa.Column("is_primary", sa.Boolean, nullable=False),
    sa.Index("ix_network_interface_addresses_scope_ip", "account_id", "region", "private_ip",
             "network_interface_id"),
    sa.Index("ix_network_interface_addresses_scope_primary", "account_id", "region", "is_primary",
             "network_interface_id"),
    # Covers the addresses held in a subnet (counts, the candidates of an allocation).
    sa.Index("ix_network_interface_addresses_subnet", "subnet_id", "private_ip", "network_interface_id"),
)

network_interface_groups = sa.Table(
    "network_interface_groups",
    metadata,
    sa.Column("network_interface_id", sa.String(32), primary_key=True),
    sa.Column("group_id", sa.String(32), primary_key=True),
    sa.Column("group_name", sa.String(255), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Index("ix_network_interface_groups_scope_group", "account_id", "region", "group_id", "network_interface_id"),
    sa.Index("ix_network_interface_groups_scope_name", "account_id", "region", "group_name",
             "network_interface_id"),
)
