"""Images are read through their indexes: the images an account sees in a region (its
own by the scope's index, those shared with it or public by the launch permissions'
grantee index), an image's grantees and snapshots by their tables' keys, a CopyImage token by the
scope's token index; never a ``SCAN`` of images or their permissions."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

OTHER = "222222222222"
TABLES = ("images", "image_launch_permissions")


def _image(n: int, account: str) -> dict[str, Any]:
    return {"image_id": f"ami-{n:017x}", "account_id": account, "region": REGION, "name": f"image-{n}",
            "description": None, "architecture": "x86_64", "root_device_type": "ebs", "root_device_name": "/dev/xvda",
            "virtualization_type": "hvm", "image_location": f"{account}/image-{n}", "block_device_mappings": [],
            "ena_support": True, "state": "available", "creation_date": 1.0, "client_token": f"token-{n}"}


@pytest.fixture
def image_store(store: Store) -> Store:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        for n in range(1, 13):
            uow.images.insert(_image(n, ACCOUNT if n % 2 else OTHER))
        uow.images.grant(f"ami-{2:017x}", [ACCOUNT])
        uow.images.grant(f"ami-{4:017x}", ["all"])
    return store


def test_the_images_an_account_sees_are_read_through_indexes(image_store: Store) -> None:
    shared, own = plans(image_store, lambda uow: uow.images.visible(REGION, ACCOUNT))
    assert_indexed(own, "INDEX ix_images_scope_", "account_id=? AND region=?", TABLES)
    assert_indexed(shared, "ix_image_launch_permissions_grantee", "grantee=?", TABLES)
    with image_store.unit_of_work() as uow:
        seen = [row["image_id"] for row in uow.images.visible(REGION, ACCOUNT)]
    assert seen == sorted([f"ami-{n:017x}" for n in range(1, 13, 2)] + [f"ami-{2:017x}", f"ami-{4:017x}"])


def test_grantees_and_tokens_are_read_through_indexes(image_store: Store) -> None:
    [plan] = plans(image_store, lambda uow: uow.images.grantees([f"ami-{2:017x}", f"ami-{4:017x}"]))
    assert_indexed(plan, "image_launch_permissions", "image_id=?", TABLES)
    [plan] = plans(image_store, lambda uow: uow.images.snapshots_of(f"ami-{2:017x}"))
    assert_indexed(plan, "image_snapshots", "image_id=?", ("image_snapshots",))
    [plan] = plans(image_store, lambda uow: uow.images.by_client_token(ACCOUNT, REGION, "token-3"))
    assert_indexed(plan, "ix_images_scope_token", "client_token=?", TABLES)
    with image_store.unit_of_work() as uow:
        assert uow.images.grantees([f"ami-{2:017x}", f"ami-{4:017x}", f"ami-{6:017x}"]) == {
            f"ami-{2:017x}": [ACCOUNT], f"ami-{4:017x}": ["all"]}
        uow.images.revoke(f"ami-{4:017x}")
        assert [row["image_id"] for row in uow.images.by_client_token(ACCOUNT, REGION, "token-3")] == [
            f"ami-{3:017x}"]
        assert f"ami-{4:017x}" not in {row["image_id"] for row in uow.images.visible(REGION, ACCOUNT)}
