"""Service quotas: AWS's defaults, an account's own from the accounts file, and files
that give quotas badly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ec2emu.auth.credentials import AccountsFileError, configured_credentials
from ec2emu.quotas import QUOTAS, Quotas, configured_quotas

ACCOUNTS = """
[[accounts]]
account_id = "111111111111"
[[accounts.root_keys]]
access_key_id = "AKIATIGHT00000000001"
secret_access_key = "tight"
[accounts.quotas]
vpcs-per-region = 2
subnets-per-vpc = 1
ipv4-cidr-blocks-per-vpc = 2

[[accounts]]
account_id = "222222222222"
[[accounts.root_keys]]
access_key_id = "AKIALOOSE00000000001"
secret_access_key = "loose"
"""


def test_defaults_are_aws_s() -> None:
    quotas = Quotas()
    assert quotas.of("123456789012", "vpcs-per-region") == 5
    assert quotas.of("123456789012", "subnets-per-vpc") == 200
    assert quotas.of("123456789012", "ipv4-cidr-blocks-per-vpc") == 5
    assert set(QUOTAS) == {"vpcs-per-region", "subnets-per-vpc", "ipv4-cidr-blocks-per-vpc"}


def test_an_account_s_own_quotas(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(ACCOUNTS)
    quotas = configured_quotas(path)
    assert quotas.of("111111111111", "vpcs-per-region") == 2
    assert quotas.of("222222222222", "vpcs-per-region") == 5
    assert configured_quotas(None) == Quotas()


@pytest.mark.parametrize(("text", "message"), [
    ('[[accounts]]\naccount_id = "111111111111"\n[accounts.quotas]\nvpcs = 3\n', "unknown quota(s) vpcs"),
    ('[[accounts]]\naccount_id = "111111111111"\n[accounts.quotas]\nvpcs-per-region = -1\n',
     "vpcs-per-region must be a whole number"),
    ('[[accounts]]\naccount_id = "111111111111"\n[accounts.quotas]\nvpcs-per-region = "5"\n',
     "vpcs-per-region must be a whole number"),
    ('[[accounts]]\naccount_id = "111111111111"\nquotas = 5\n', "quotas must be a table"),
])
def test_bad_quotas_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(text)
    with pytest.raises(AccountsFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        configured_credentials(path)
