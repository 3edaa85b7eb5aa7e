"""Service quotas: AWS's default values, and each account's own from the accounts file.

A quota has a name (kebab-case, what the accounts file says), AWS's default and what it
counts. A handler asks ``ctx.quota("vpcs-per-region")`` (:class:`Quotas` behind the
request's context) and answers the quota's error itself when a request would pass it.

The accounts file (``ec2emu serve --accounts FILE``) may give an account other values::

    [[accounts]]
    account_id = "111111111111"
    [accounts.quotas]
    vpcs-per-region = 10
    subnets-per-vpc = 2

Each value is a whole number from 0 up; an unknown name is refused when the file is read,
so a misspelt quota never silently keeps its default. Defaults are the Amazon VPC
quotas page's (the fact sheet ``networking-facts.md`` §1.7 and §1.1), for launch
templates the EC2 User Guide's (§6), and for EventBridge's connections and API
destinations its quotas page's (3,000 of each per account and region).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Quota:
    default: int
    counts: str


QUOTAS: dict[str, Quota] = {
    "vpcs-per-region": Quota(5, "VPCs of an account in one region (the default VPC included)"),
    "subnets-per-vpc": Quota(200, "subnets of one VPC"),
    "ipv4-cidr-blocks-per-vpc": Quota(5, "IPv4 CIDR blocks of one VPC (the primary one included)"),
    "internet-gateways-per-region": Quota(
        5, "internet gateways of an account in one region (the default VPC's included)"),
    "route-tables-per-vpc": Quota(200, "route tables of one VPC (the main one included)"),
    "routes-per-route-table": Quota(50, "routes of one route table other than its local ones"),
    "security-groups-per-region": Quota(2500, "security groups of an account in one region (default groups included)"),
    "rules-per-security-group": Quota(60, "inbound rules of one security group, and outbound ones, each counted apart"),
    "security-groups-per-interface": Quota(5, "security groups of one instance (its primary network interface)"),
    "elastic-ips-per-region": Quota(5, "Elastic IP addresses of an account in one region"),
    "launch-templates-per-region": Quota(5000, "launch templates of an account in one region"),
    "event-connections-per-region": Quota(3000, "EventBridge connections of an account in one region"),
    "api-destinations-per-region": Quota(3000, "EventBridge API destinations of an account in one region"),
}


@dataclass(frozen=True)
class Quotas:
    """Every account's quotas: AWS's defaults unless the account has its own value."""

    by_account: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def of(self, account_id: str, name: str) -> int:
        own = self.by_account.get(account_id, {})
        return own[name] if name in own else QUOTAS[name].default


def parse_quotas(table: Any, where: str) -> dict[str, int]:
    """The quotas of one account's ``quotas`` table; ``ValueError`` naming ``where`` when
    it is not a table of known names and whole numbers."""
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table")
    unknown = sorted(set(table) - set(QUOTAS))
    if unknown:
        raise ValueError(f"{where}: unknown quota(s) {', '.join(unknown)}; expected {', '.join(sorted(QUOTAS))}")
    values: dict[str, int] = {}
    for name, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{where}: {name} must be a whole number, 0 or more")
        values[name] = value
    return values


def configured_quotas(accounts_file: Path | None) -> Quotas:
    """The quotas an accounts file gives (the file checked whole by the credentials'
    reader first)."""
    if accounts_file is None:
        return Quotas()
    with open(accounts_file, "rb") as handle:
        data = tomllib.load(handle)
    by_account: dict[str, dict[str, int]] = {}
    for index, account in enumerate(data.get("accounts", []), 1):
        if "quotas" in account:
            by_account[account["account_id"]] = parse_quotas(account["quotas"], f"accounts[{index}].quotas")
    return Quotas(by_account)
