"""Systems Manager Parameter Store's tables, on the one metadata of
:mod:`ec2emu.store.schema` (which names them too, as ``schema.ssm_parameters`` and
``schema.ssm_parameter_versions``).

A parameter is named within its account and region; ``ssm_parameters`` holds its latest
version (what GetParameter, GetParametersByPath and DescribeParameters read, in name
order through the primary key) and its tags (a JSON list of ``[key, value]`` pairs: a
name may be 2,048 characters, more than the shared ``tags`` table's resource IDs);
``ssm_parameter_versions`` every version kept, the latest included (``name:version``
selectors, GetParameterHistory).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ec2emu.store.metadata import metadata


def _version_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("parameter_type", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("data_type", sa.String(32), nullable=False),
        sa.Column("description", sa.String(1024), nullable=False),
        sa.Column("allowed_pattern", sa.String(1024), nullable=True),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("last_modified", sa.Float, nullable=False),
        sa.Column("last_modified_user", sa.String(1024), nullable=False),
    ]


ssm_parameters = sa.Table(
    "ssm_parameters",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(2048), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    *_version_columns(),
    sa.Column("tags", sa.JSON, nullable=False),
)

ssm_parameter_versions = sa.Table(
    "ssm_parameter_versions",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(2048), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    *_version_columns(),
)
