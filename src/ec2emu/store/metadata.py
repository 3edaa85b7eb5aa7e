"""The one ``MetaData`` every table of the schema belongs to: :mod:`ec2emu.store.schema`
and the modules it gathers (:mod:`ec2emu.store.iam_schema`) define their tables in it."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
