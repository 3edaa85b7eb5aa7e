"""The tables of image sharing, on the one metadata of :mod:`ec2emu.store.schema` (which
names them too, as ``schema.image_launch_permissions``).

``image_launch_permissions``: who may launch an image besides its owner, one row per
grantee: an account ID, or ``all`` (the image is public). An image's rows go with it.
The account-and-region setting of image block public access is not a table: it is a row
of ``settings`` (:mod:`ec2emu.store.images`).
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

image_launch_permissions = sa.Table(
    "image_launch_permissions",
    metadata,
    sa.Column("image_id", sa.String(32), primary_key=True),
    sa.Column("grantee", sa.String(12), primary_key=True),
    # The images shared with an account (or public): what DescribeImages lists for it.
    sa.Index("ix_image_launch_permissions_grantee", "grantee", "image_id"),
)
