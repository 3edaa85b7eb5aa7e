"""DescribeAccountAttributes: the account attributes EC2 reports.

For an account in the request's region, as AWS answers such an account today:

* ``supported-platforms``: ``VPC`` (EC2-Classic is retired);
* ``default-vpc``: the region's default VPC ID (``none`` once it has been deleted);
* ``max-instances``: ``20``, the figure AWS still reports (no longer a real limit);
* ``vpc-max-security-groups-per-interface``: ``5``;
* ``max-elastic-ips`` and ``vpc-max-elastic-ips``: ``5``.

``AttributeNames`` picks attributes, in the order asked and once each; without it every
attribute is answered, in name order. The model lists only ``supported-platforms`` and
``default-vpc``; the other four names are accepted too, since AWS answers them and older
tools ask for them. Any other name answers
``InvalidParameterValue`` naming it (AWS's exact wording for this is not documented;
this is ours). ``DryRun`` answers ``DryRunOperation`` after validation.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import invalid_parameter_value
from ec2emu.services.ec2.networking import network
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_memory

MAX_INSTANCES = "20"
MAX_SECURITY_GROUPS_PER_INTERFACE = "5"
MAX_ELASTIC_IPS = "5"


def _attributes(ctx: RequestContext) -> dict[str, list[str]]:
    default_vpc = network.default_vpc(ctx)
    return {
        "supported-platforms": ["VPC"],
        "vpc-max-security-groups-per-interface": [MAX_SECURITY_GROUPS_PER_INTERFACE],
        "max-elastic-ips": [MAX_ELASTIC_IPS],
        "max-instances": [MAX_INSTANCES],
        "vpc-max-elastic-ips": [MAX_ELASTIC_IPS],
        "default-vpc": [default_vpc["vpc_id"] if default_vpc is not None else "none"],
    }


def _views(ctx: RequestContext) -> list[dict[str, Any]]:
    return [
        {"AttributeName": name, "AttributeValues": [{"AttributeValue": value} for value in values]}
        for name, values in _attributes(ctx).items()
    ]


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    known = _attributes(ctx)
    wanted = list(dict.fromkeys(params["AttributeNames"]))
    for name in wanted:
        if name not in known:
            raise invalid_parameter_value(
                f"Value ({name}) for parameter attributeName is invalid. "
                f"Expected one of: {', '.join(sorted(known))}."
            )
    return wanted, None


DESCRIBE_ACCOUNT_ATTRIBUTES = Describe(
    result="AccountAttributes",
    key="AttributeName",
    find=in_memory("AttributeName", _views),
    tags=None,
    named=Naming(("AttributeNames",), _named),
    page_size=None,
)


@operation("DescribeAccountAttributes")
def describe_account_attributes(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_ACCOUNT_ATTRIBUTES)
