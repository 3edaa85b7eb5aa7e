"""The zone groups an account has opted in to, on the one metadata of
:mod:`ec2emu.store.schema` (which names the table too, as ``schema.zone_group_opt_ins``).

A row says the account opted in to a Local Zone or Wavelength Zone group of a Region
(ModifyAvailabilityZoneGroup, migration 0020); no row, not opted in. Opting out is not
an API call on AWS, so rows are never deleted but with the account's state (the admin
reset). The primary key is the look-up: an account's groups in one Region.
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

zone_group_opt_ins = sa.Table(
    "zone_group_opt_ins",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("group_name", sa.String(64), primary_key=True),
    sa.Column("opted_in_at", sa.Float, nullable=False),
)
