"""Internet gateways and route tables become stored resources.

- ``internet_gateways``: a gateway, and the VPC it is attached to (``vpc_id``,
  ``attachment_state``).
- ``route_tables`` (with the ``ClientToken`` a table was created with), with their
  ``routes`` (keyed by table and destination) and ``route_table_associations`` (a
  subnet's, or a VPC's main one); each filter column is indexed under the scope, and
  routes and associations by their table.
- VPCs stored before this revision get what every VPC has: a main route table with a
  ``local`` route per CIDR block, and, for a default VPC, an internet gateway attached and
  a ``0.0.0.0/0`` route to it. Their IDs are the ones the service derives for a scope's
  first default VPC (a stable hash of account, region and name), else stable hashes of
  the VPC's ID.

Revision ID: 0011
Revises: 0010
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_SCOPE = ["account_id", "region"]


def _stable(prefix: str, *parts: str) -> str:
    return f"{prefix}-{hashlib.sha256('/'.join(parts).encode()).hexdigest()[:17]}"


def upgrade() -> None:
    gateways = op.create_table(
        "internet_gateways",
        sa.Column("internet_gateway_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=32), nullable=True),
        sa.Column("attachment_state", sa.String(length=16), nullable=True),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("internet_gateway_id"),
    )
    for name, column in (("id", "internet_gateway_id"), ("vpc", "vpc_id"), ("attachment", "attachment_state")):
        op.create_index(f"ix_internet_gateways_scope_{name}", "internet_gateways", [*_SCOPE, column])
    tables = op.create_table(
        "route_tables",
        sa.Column("route_table_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=32), nullable=False),
        sa.Column("client_token", sa.String(length=64), nullable=True),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("route_table_id"),
    )
    for name, column in (("id", "route_table_id"), ("vpc", "vpc_id"), ("token", "client_token")):
        op.create_index(f"ix_route_tables_scope_{name}", "route_tables", [*_SCOPE, column])
    routes = op.create_table(
        "routes",
        sa.Column("route_table_id", sa.String(length=32), nullable=False),
        sa.Column("destination_cidr_block", sa.String(length=43), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("gateway_id", sa.String(length=32), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("route_table_id", "destination_cidr_block"),
    )
    for name, column in (("destination", "destination_cidr_block"), ("gateway", "gateway_id"), ("state", "state"),
                         ("origin", "origin")):
        op.create_index(f"ix_routes_scope_{name}", "routes", [*_SCOPE, column, "route_table_id"])
    associations = op.create_table(
        "route_table_associations",
        sa.Column("association_id", sa.String(length=48), nullable=False),
        sa.Column("route_table_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("subnet_id", sa.String(length=32), nullable=True),
        sa.Column("is_main", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("association_id"),
    )
    op.create_index("ix_route_table_associations_table", "route_table_associations",
                    ["route_table_id", "association_id"])
    for name, column in (("subnet", "subnet_id"), ("main", "is_main")):
        op.create_index(f"ix_route_table_associations_scope_{name}", "route_table_associations",
                        [*_SCOPE, column, "route_table_id"])
    _give_stored_vpcs_their_routing(gateways, tables, routes, associations)


def _give_stored_vpcs_their_routing(gateways: sa.Table, tables: sa.Table, routes: sa.Table,
                                    associations: sa.Table) -> None:
    conn = op.get_bind()
    vpcs = sa.table("vpcs", sa.column("vpc_id"), sa.column("account_id"), sa.column("region"),
                    sa.column("is_default"), sa.column("create_time"))
    blocks = sa.table("vpc_cidr_blocks", sa.column("vpc_id"), sa.column("cidr_block"), sa.column("position"))
    by_vpc: dict[str, list[str]] = {}
    for vpc_id, cidr, _ in conn.execute(sa.select(blocks.c.vpc_id, blocks.c.cidr_block, blocks.c.position)
                                        .order_by(blocks.c.vpc_id, blocks.c.position)):
        by_vpc.setdefault(vpc_id, []).append(cidr)
    for vpc_id, account, region, is_default, created in conn.execute(sa.select(vpcs)).all():
        scope = {"account_id": account, "region": region}
        first = vpc_id == _stable("vpc", account, region, "default-vpc")
        table_id = _stable("rtb", account, region, "default-rtb") if first else _stable("rtb", vpc_id, "main")
        association_id = (_stable("rtbassoc", account, region, "default-rtb") if first
                          else _stable("rtbassoc", vpc_id, "main"))
        conn.execute(tables.insert().values(route_table_id=table_id, vpc_id=vpc_id, create_time=created, **scope))
        conn.execute(associations.insert().values(association_id=association_id, route_table_id=table_id,
                                                  subnet_id=None, is_main=True, **scope))
        rows = [{"route_table_id": table_id, "destination_cidr_block": cidr, "gateway_id": "local",
                 "origin": "CreateRouteTable", "state": "active", **scope} for cidr in by_vpc.get(vpc_id, [])]
        if is_default:
            gateway_id = _stable("igw", account, region, "default-igw") if first else _stable("igw", vpc_id)
            conn.execute(gateways.insert().values(internet_gateway_id=gateway_id, vpc_id=vpc_id,
                                                  attachment_state="available", create_time=created, **scope))
            rows.append({"route_table_id": table_id, "destination_cidr_block": "0.0.0.0/0", "gateway_id": gateway_id,
                         "origin": "CreateRoute", "state": "active", **scope})
        if rows:
            conn.execute(routes.insert(), rows)


def downgrade() -> None:
    op.drop_table("route_table_associations")
    op.drop_table("routes")
    op.drop_table("route_tables")
    op.drop_table("internet_gateways")
