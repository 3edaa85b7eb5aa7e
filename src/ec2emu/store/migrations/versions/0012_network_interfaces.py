"""Network interfaces become stored resources, and hold the subnets' private addresses.

- ``network_interfaces``: an interface, its attachment (``attachment_id``,
  ``instance_id``, ``device_index``, ``attach_time``, ``delete_on_termination``,
  ``attachment_status``), the ``ClientToken`` it was created with, each filter column
  indexed under the scope, and an instance's
  interfaces by ``instance_id`` (``ix_network_interfaces_instance``).
- ``network_interface_addresses``: every private address an interface holds, the primary
  one included, indexed by address under the scope and covering a subnet's addresses
  (``ix_network_interface_addresses_subnet``): what a subnet holds is read from here, no
  longer from the instances, so ``ix_instances_subnet_addresses`` goes.
- ``network_interface_groups``: an interface's security groups, by group under the scope
  (what DeleteSecurityGroup checks).
- Every instance stored before this revision that still holds its address (not
  ``terminated``) gets its primary interface: device index 0, DeleteOnTermination, the
  instance's address and groups; its ID, attachment ID and MAC are stable hashes of the
  instance's ID.

Revision ID: 0012
Revises: 0011
"""

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_SCOPE = ["account_id", "region"]


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def upgrade() -> None:
    op.create_table(
        "network_interfaces",
        sa.Column("network_interface_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("subnet_id", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=32), nullable=False),
        sa.Column("availability_zone", sa.String(length=32), nullable=False),
        sa.Column("private_ip", sa.String(length=15), nullable=False),
        sa.Column("mac_address", sa.String(length=17), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("source_dest_check", sa.Boolean(), nullable=False),
        sa.Column("interface_type", sa.String(length=32), nullable=False),
        sa.Column("requester_managed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attachment_id", sa.String(length=48), nullable=True),
        sa.Column("instance_id", sa.String(length=32), nullable=True),
        sa.Column("device_index", sa.Integer(), nullable=True),
        sa.Column("attach_time", sa.Float(), nullable=True),
        sa.Column("delete_on_termination", sa.Boolean(), nullable=False),
        sa.Column("attachment_status", sa.String(length=16), nullable=True),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.Column("client_token", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("network_interface_id"),
    )
    op.create_index("ix_network_interfaces_instance", "network_interfaces", ["instance_id", "device_index"])
    _PAGED = ("subnet", "vpc", "zone", "status", "type")
    for name, column in (("id", "network_interface_id"), ("subnet", "subnet_id"), ("vpc", "vpc_id"),
                         ("zone", "availability_zone"), ("status", "status"), ("instance", "instance_id"),
                         ("attachment", "attachment_id"), ("description", "description"),
                         ("mac", "mac_address"), ("type", "interface_type"), ("token", "client_token")):
        # Filters many interfaces share end with the ID, so a page of them is read in order.
        paged = ["network_interface_id"] if name in _PAGED else []
        op.create_index(f"ix_network_interfaces_scope_{name}", "network_interfaces", [*_SCOPE, column, *paged])
    op.create_table(
        "network_interface_addresses",
        sa.Column("network_interface_id", sa.String(length=32), nullable=False),
        sa.Column("private_ip", sa.String(length=15), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("subnet_id", sa.String(length=32), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("network_interface_id", "private_ip"),
    )
    op.create_index("ix_network_interface_addresses_scope_ip", "network_interface_addresses",
                    [*_SCOPE, "private_ip", "network_interface_id"])
    op.create_index("ix_network_interface_addresses_scope_primary", "network_interface_addresses",
                    [*_SCOPE, "is_primary", "network_interface_id"])
    op.create_index("ix_network_interface_addresses_subnet", "network_interface_addresses",
                    ["subnet_id", "private_ip", "network_interface_id"])
    op.create_table(
        "network_interface_groups",
        sa.Column("network_interface_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("group_name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("network_interface_id", "group_id"),
    )
    op.create_index("ix_network_interface_groups_scope_group", "network_interface_groups",
                    [*_SCOPE, "group_id", "network_interface_id"])
    op.create_index("ix_network_interface_groups_scope_name", "network_interface_groups",
                    [*_SCOPE, "group_name", "network_interface_id"])
    _primary_interfaces()
    op.drop_index("ix_instances_subnet_addresses", table_name="instances")


def _primary_interfaces() -> None:
    """The primary interface of every instance that still holds its address."""
    bind = op.get_bind()
    found = bind.execute(sa.text(
        "SELECT instance_id, account_id, region, subnet_id, vpc_id, availability_zone, private_ip, "
        "security_groups, launch_time FROM instances "
        "WHERE state != 'terminated' AND subnet_id IS NOT NULL AND private_ip IS NOT NULL")).fetchall()
    interfaces: list[dict[str, Any]] = []
    addresses: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for (instance_id, account_id, region, subnet_id, vpc_id, zone, private_ip, security_groups,
         launch_time) in found:
        digest = _digest("eni", instance_id)
        interface_id = f"eni-{digest[:17]}"
        scope = {"account_id": account_id, "region": region}
        interfaces.append({
            "network_interface_id": interface_id, **scope, "subnet_id": subnet_id, "vpc_id": vpc_id,
            "availability_zone": zone, "private_ip": private_ip,
            "mac_address": "02:" + ":".join(digest[i:i + 2] for i in range(17, 27, 2)), "description": "",
            "source_dest_check": True, "interface_type": "interface", "requester_managed": False,
            "status": "in-use", "attachment_id": f"eni-attach-{digest[27:44]}", "instance_id": instance_id,
            "device_index": 0, "attach_time": launch_time, "delete_on_termination": True,
            "attachment_status": "attached", "create_time": launch_time, "client_token": None,
        })
        addresses.append({"network_interface_id": interface_id, "private_ip": private_ip, **scope,
                          "subnet_id": subnet_id, "is_primary": True})
        chosen = json.loads(security_groups) if isinstance(security_groups, str) else security_groups or []
        groups += [{"network_interface_id": interface_id, "group_id": group["GroupId"],
                    "group_name": group["GroupName"], "position": position, **scope}
                   for position, group in enumerate(chosen)]
    for table, rows in (("network_interfaces", interfaces), ("network_interface_addresses", addresses),
                        ("network_interface_groups", groups)):
        if rows:
            columns = list(rows[0])
            statement = sa.text(f"INSERT INTO {table} ({', '.join(columns)}) "
                                f"VALUES ({', '.join(':' + column for column in columns)})")
            bind.execute(statement, rows)


def downgrade() -> None:
    op.create_index("ix_instances_subnet_addresses", "instances", ["subnet_id", "private_ip", "state", "due_at"])
    op.drop_table("network_interface_groups")
    op.drop_table("network_interface_addresses")
    op.drop_table("network_interfaces")
