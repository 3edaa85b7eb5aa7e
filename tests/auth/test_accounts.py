"""Accounts from a TOML file, and accounts never seeing each other (in-process and served)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from ec2emu.app import Emulator, build_app
from ec2emu.auth.credentials import AccountsFileError, configured_credentials
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY, ServerProcess
from tests.helpers import allow_ec2, error_of, launch

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "accounts.toml"
DEV_ROOT = ("AKIADEVROOT000000001", "dev-root-secret")
ALICE = ("AKIADEVALICE00000001", "alice-secret")
PROD_ROOT = ("AKIAPRODROOT00000001", "prod-root-secret")


def test_the_example_accounts_file() -> None:
    source = configured_credentials(EXAMPLE)
    root = source.find("test")
    assert root is not None and (root.principal.account_id, root.principal.arn, root.secret_access_key) == (
        "000000000000", "arn:aws:iam::000000000000:root", "test")
    dev = source.find(DEV_ROOT[0])
    assert dev is not None and dev.principal.is_root and dev.principal.account_id == "111111111111"
    alice = source.find(ALICE[0])
    assert alice is not None and alice.principal.arn == "arn:aws:iam::111111111111:user/alice"
    assert alice.principal.user_name == "alice" and alice.principal.user_id.startswith("AIDA")
    old = source.find("AKIADEVALICE00000002")
    assert old is not None and not old.active and old.principal == alice.principal
    prod = source.find(PROD_ROOT[0])
    assert prod is not None and prod.principal.account_id == "222222222222"
    assert source.find("AKIAUNKNOWN") is None


@pytest.mark.parametrize(("text", "message"), [
    ("accounts = [", "not valid TOML"),
    ('[[accounts]]\naccount_id = "123"\n', "account_id must be a string of 12 digits"),
    ('[[accounts]]\naccount_id = "111111111111"\n[[accounts.root_keys]]\naccess_key_id = "test"\n'
     'secret_access_key = "x"\n', "access key 'test' is defined more than once"),
    ('[[accounts]]\naccount_id = "111111111111"\nbogus = 1\n', "unknown key(s) bogus"),
    ('[[accounts]]\naccount_id = "111111111111"\n[[accounts.users]]\nuser_name = "a b"\n', "user_name"),
    ('[[accounts]]\naccount_id = "111111111111"\n[[accounts.root_keys]]\naccess_key_id = "K"\n'
     'secret_access_key = "x"\nstatus = "Gone"\n', "status must be 'Active' or 'Inactive'"),
])
def test_bad_accounts_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(text)
    with pytest.raises(AccountsFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        configured_credentials(path)


def test_serve_refuses_a_bad_accounts_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text('[[accounts]]\naccount_id = "nope"\n')
    result = subprocess.run([sys.executable, "-m", "ec2emu", "serve", "--state-dir", str(tmp_path),
                             "--accounts", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "account_id must be a string of 12 digits" in result.stderr


@pytest.fixture
def strict_app(tmp_path: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=tmp_path, durations=DURATIONS, admin_token="test-admin-token",
                        auth_mode="strict", accounts_file=EXAMPLE)
    app = build_app(settings, clock=ManualClock())
    yield app
    app.store.close()


def assert_isolated(a: Any, b: Any) -> None:
    [instance] = launch(a, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}])
    assert [i["InstanceId"] for r in a.describe_instances()["Reservations"] for i in r["Instances"]] == [instance]
    assert b.describe_instances()["Reservations"] == []
    for call, kwargs in [(b.describe_instances, {}), (b.terminate_instances, {}), (b.stop_instances, {}),
                         (b.describe_instance_attribute, {"Attribute": "instanceType"})]:
        kwargs = {**kwargs, "InstanceIds": [instance]} if "Attribute" not in kwargs else {**kwargs, "InstanceId": instance}
        error = error_of(call, **kwargs)
        assert error == {"Code": "InvalidInstanceID.NotFound",
                         "Message": f"The instance ID '{instance}' does not exist", "Status": 400}
    assert b.describe_tags()["Tags"] == []
    reservation = a.describe_instances(InstanceIds=[instance])["Reservations"][0]
    assert reservation["OwnerId"] == a.owner
    assert reservation["Instances"][0]["State"]["Name"] == "pending"


def test_accounts_never_see_each_other_in_process(strict_app: Emulator) -> None:
    transport = InProcessTransport(strict_app)
    try:
        def client(key: str, secret: str, owner: str) -> Any:
            made = transport.attach(boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                                 aws_access_key_id=key, aws_secret_access_key=secret,
                                                 config=NO_RETRY))
            made.owner = owner
            return made
        allow_ec2(transport.attach(boto3.client(
            "iam", region_name="us-east-1", endpoint_url="http://ec2emu.test",
            aws_access_key_id=DEV_ROOT[0], aws_secret_access_key=DEV_ROOT[1], config=NO_RETRY)), "alice")
        alice = client(*ALICE, owner="111111111111")
        dev_root = client(*DEV_ROOT, owner="111111111111")
        prod = client(*PROD_ROOT, owner="222222222222")
        default = client("test", "test", owner="000000000000")
        assert_isolated(alice, prod)
        assert_isolated(prod, default)
        # a user and the root of one account share that account's resources
        assert len(dev_root.describe_instances()["Reservations"]) == 1
    finally:
        transport.close()


def test_accounts_never_see_each_other_on_a_real_server(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, ["--accounts", str(EXAMPLE), "--auth", "strict"]).start()
    try:
        def client(key: str, secret: str, owner: str) -> Any:
            made = boto3.client("ec2", region_name="us-east-1", endpoint_url=server.endpoint,
                                aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY)
            made.owner = owner
            return made
        allow_ec2(boto3.client("iam", region_name="us-east-1", endpoint_url=server.endpoint,
                               aws_access_key_id=DEV_ROOT[0], aws_secret_access_key=DEV_ROOT[1],
                               config=NO_RETRY), "alice")
        alice = client(*ALICE, owner="111111111111")
        prod = client(*PROD_ROOT, owner="222222222222")
        assert_isolated(alice, prod)
        stranger = client("AKIAUNKNOWN000000000", "x", owner="")
        assert error_of(stranger.describe_instances)["Code"] == "AuthFailure"
        forged = client(ALICE[0], "wrong", owner="")
        assert error_of(forged.describe_instances)["Status"] == 403
    finally:
        server.stop()
