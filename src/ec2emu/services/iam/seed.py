"""The users of an accounts file made IAM users when the server starts.

Idempotent: users already there are left as they are. Nodes starting at once may race
on the inserts; the loser of an insert finds the rows on its retry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from ec2emu.auth.credentials import configured_users
from ec2emu.store.repository import Store


def add_configured_users(store: Store, accounts_file: Path | None, now: dt.datetime) -> None:
    users = configured_users(accounts_file)
    if not users:
        return
    created = now.timestamp()
    rows = [{"user_id": principal.user_id, "account_id": principal.account_id,
             "user_name": principal.user_name, "path": path, "arn": principal.arn,
             "create_date": created} for principal, path in users]
    try:
        store.transaction(lambda uow: uow.iam.ensure_users(rows))
    except sa.exc.IntegrityError:
        store.transaction(lambda uow: uow.iam.ensure_users(rows))
