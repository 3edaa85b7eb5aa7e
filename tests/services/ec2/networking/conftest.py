"""The accounts of ``examples/accounts.toml`` and their clients (``app``, ``make``), as the
shared permission tests have them; a VPC's subnet in us-east-1a (``subnet``)."""

from typing import Any

import pytest

from tests.services.shared.test_permissions import app, make  # noqa: F401


@pytest.fixture
def subnet(ec2: Any) -> dict[str, Any]:
    """A subnet ``10.0.1.0/24`` of a new VPC ``10.0.0.0/16``, in us-east-1a."""
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return dict(ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"])
