"""Every filter botocore's EC2 model documents for DescribeInstances,
DescribeInstanceStatus, DescribeVolumes, DescribeSnapshots, DescribeImages and
DescribeTags is served, or refused on purpose with EC2's "The filter 'x' is invalid"
(the table below gives each refusal's reason), or belongs to an attribute being added
elsewhere. A documented name missing from the table, or a table entry AWS does not
document, fails here."""

from __future__ import annotations

import html
import re
from typing import Any

import botocore
import botocore.session
import pytest

from tests.helpers import error_of

OPERATIONS = ("DescribeInstances", "DescribeInstanceStatus", "DescribeVolumes", "DescribeSnapshots",
              "DescribeImages", "DescribeTags")

NOT_MODELLED = "not modelled: no instance here has it"
IPV6 = "not modelled: no IPv6 addresses or prefixes"
OPERATOR = "not modelled: no resource here is managed by a service operator"
OUTPOSTS = "not modelled: no Outposts, Wavelength or customer-owned addresses"

# Documented filters refused on purpose, and why.
REFUSED: dict[str, dict[str, str]] = {
    "DescribeInstances": {
        "affinity": "not modelled: no Dedicated Hosts",
        "host-id": "not modelled: no Dedicated Hosts",
        "boot-mode": "not modelled: images here specify no boot mode",
        "capacity-reservation-id": "not modelled: no Capacity Reservations",
        "capacity-reservation-specification.capacity-reservation-preference": "not modelled: no Capacity Reservations",
        "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id":
            "not modelled: no Capacity Reservations",
        "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn":
            "not modelled: no Capacity Reservations",
        "instance-lifecycle": "not modelled: no Spot, Scheduled or Capacity Block instances",
        "spot-instance-request-id": "not modelled: no Spot requests",
        "ipv6-address": IPV6,
        "network-interface.ipv6-address": IPV6,
        "network-interface.ipv6-addresses.ipv6-address": IPV6,
        "network-interface.ipv6-addresses.is-primary-ipv6": IPV6,
        "network-interface.ipv6-native": IPV6,
        "network-interface.ipv6-prefixes.ipv6-prefix": IPV6,
        "network-interface.ipv4-prefixes.ipv4-prefix": "not modelled: no IPv4 prefix delegation",
        "network-interface.deny-all-igw-traffic": IPV6,
        "network-interface.addresses.association.carrier-ip": OUTPOSTS,
        "network-interface.addresses.association.customer-owned-ip": OUTPOSTS,
        "network-interface.association.carrier-ip": OUTPOSTS,
        "network-interface.association.customer-owned-ip": OUTPOSTS,
        "network-interface.outpost-arn": OUTPOSTS,
        "outpost-arn": OUTPOSTS,
        "network-interface.operator.managed": OPERATOR,
        "network-interface.operator.principal": OPERATOR,
        "operator.managed": OPERATOR,
        "operator.principal": OPERATOR,
        "network-interface.requester-id": "not modelled: no interface here is created on a user's behalf",
        "requester-id": "not modelled: no instance here is launched on a user's behalf",
        "network-performance-options.bandwidth-weighting": NOT_MODELLED,
        "placement-group-name": "not modelled: no placement groups",
        "placement-partition-number": "not modelled: no placement groups",
        "private-dns-name-options.enable-resource-name-dns-a-record": NOT_MODELLED,
        "private-dns-name-options.enable-resource-name-dns-aaaa-record": NOT_MODELLED,
        "private-dns-name-options.hostname-type": NOT_MODELLED,
        "tpm-support": "not modelled: no NitroTPM",
    },
    "DescribeInstanceStatus": {"operator.managed": OPERATOR, "operator.principal": OPERATOR},
    "DescribeVolumes": {
        "fast-restored": "not modelled: no fast snapshot restore",
        "operator.managed": OPERATOR,
        "operator.principal": OPERATOR,
    },
    "DescribeSnapshots": {"transfer-type": "not modelled: no time-based snapshot copies"},
    "DescribeImages": {
        "free-tier-eligible": "not modelled: no Free Tier",
        "image-allowed": "not modelled: no Allowed AMIs settings",
        "kernel-id": "not modelled: no kernel images",
        "ramdisk-id": "not modelled: no RAM disk images",
        "state-reason-code": "not modelled: no image here fails",
        "state-reason-message": "not modelled: no image here fails",
    },
    "DescribeTags": {},
}

# Documented filters on attributes other work adds (served or refused, whichever holds).
ELSEWHERE: dict[str, set[str]] = {
    "DescribeInstances": {
        "metadata-options.http-endpoint", "metadata-options.http-protocol-ipv4", "metadata-options.http-protocol-ipv6",
        "metadata-options.http-put-response-hop-limit", "metadata-options.http-tokens",
        "metadata-options.instance-metadata-tags", "metadata-options.state", "monitoring-state", "tenancy",
        "kernel-id", "ramdisk-id",  # an instance's kernel and RAM disk, with the instance options
    },
    # An image's provenance (CreateImage keeps no source instance yet).
    "DescribeImages": {"source-image-id", "source-image-region", "source-instance-id"},
}


def documented(operation: str) -> list[str]:
    model = botocore.session.get_session().get_service_model("ec2")
    text = model.operation_model(operation).input_shape.members["Filters"].documentation
    names = [html.unescape(name).strip() for name in re.findall(r"<li>\s*<p>\s*<code>([^<]+)</code>", text)]
    return ["tag:Name" if name in ("tag", "tag:<key>") else name for name in names]


def call(ec2: Any, operation: str, name: str) -> dict[str, Any] | None:
    """The error a call with this one filter answers, or ``None``."""
    extra = {"OwnerIds": ["self"]} if operation == "DescribeSnapshots" else {}
    method = getattr(ec2, botocore.xform_name(operation))
    try:
        method(Filters=[{"Name": name, "Values": ["x"]}], **extra)
    except ec2.exceptions.ClientError:
        return error_of(method, Filters=[{"Name": name, "Values": ["x"]}], **extra)
    return None


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_table_names_only_documented_filters(operation: str) -> None:
    names = set(documented(operation))
    assert len(names) >= 5
    assert set(REFUSED[operation]) <= names
    assert ELSEWHERE.get(operation, set()) <= names
    assert all(reason.startswith("not modelled") for reason in REFUSED[operation].values())


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_documented_filter_is_served_or_refused_on_purpose(ec2: Any, operation: str) -> None:
    for name in documented(operation):
        error = call(ec2, operation, name)
        if name in ELSEWHERE.get(operation, set()):
            assert error is None or error["Message"] == f"The filter '{name}' is invalid", (name, error)
        elif name in REFUSED[operation]:
            assert error == {"Code": "InvalidParameterValue", "Message": f"The filter '{name}' is invalid",
                             "Status": 400}, name
        else:
            assert error is None, (name, error)
