"""Migration 0012 gives every instance stored before it that still holds its address its
primary network interface (device index 0, DeleteOnTermination, the instance's address
and groups), so that the subnets count those addresses and the groups stay in use."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row

SUBNET = "subnet-00000000000000001"
GROUPS = [{"GroupId": "sg-00000000000000001", "GroupName": "web"}]


def test_stored_instances_get_their_primary_interface(empty_store_url: str) -> None:
    from alembic import command

    running = make_instance_row(subnet_id=SUBNET, private_ip="10.0.0.4", security_groups=GROUPS)
    terminated = make_instance_row(subnet_id=None, vpc_id=None, private_ip=None, state="terminated", due_at=9e9)
    engine = create_engine(empty_store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0011")
        instances = sa.Table("instances", sa.MetaData(), autoload_with=connection)
        connection.execute(instances.insert(), [running, terminated])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        [interface] = uow.network_interfaces.find(ACCOUNT, REGION)
        assert (interface["instance_id"], interface["device_index"], interface["delete_on_termination"],
                interface["status"], interface["private_ip"], interface["subnet_id"]) == (
            running["instance_id"], 0, True, "in-use", "10.0.0.4", SUBNET)
        assert interface["groups"] == GROUPS
        assert interface["mac_address"].startswith("02:") and len(interface["mac_address"]) == 17
        assert uow.subnets.addresses_held([SUBNET]) == {SUBNET: 1}
        assert uow.security_groups.users(ACCOUNT, REGION, "sg-00000000000000001") == [
            interface["network_interface_id"]]
    store.close()
