"""The model's constraints on JSON request values (:mod:`ec2emu.protocol.constraints`):
the cases the protocol fuzzer found, each named by its input, through boto3 against the
app in-process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.helpers import error_of


def test_a_nul_u0000_in_a_string_member_is_a_validation_exception(make_client: Callable[..., Any]) -> None:
    """``{"Name": "/a", "Value": "a\\u0000b"}``: PostgreSQL cannot store U+0000 in text; it
    used to answer InternalError there."""
    ssm = make_client(service="ssm")
    error = error_of(ssm.put_parameter, Name="/fuzz/nul", Value="a\x00b", Type="String")
    assert error == {"Code": "ValidationException", "Status": 400, "Message": (
        "1 validation error detected: Value at 'value' failed to satisfy constraint: "
        "Member must not contain the character U+0000")}
    assert ssm.describe_parameters()["Parameters"] == []
