"""Paging tokens (:mod:`ec2emu.services.shared.pagination`): tokens a client forged, the
cases the protocol fuzzer found, each named by its input."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.helpers import error_of


def token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("raw", [b"[" * 3000, b'{"after": ' + b"[" * 3000],
                         ids=["3000-brackets", "after-3000-brackets"])
def test_a_token_of_json_nested_3000_deep_is_invalid(ec2: Any, make_client: Any, raw: bytes) -> None:
    """It used to answer InternalError: the JSON parser ran out of stack."""
    error = error_of(ec2.describe_instances, NextToken=token(raw))
    assert (error["Code"], error["Status"]) == ("InvalidParameterValue", 400)
    events = make_client(service="events")
    assert error_of(events.list_rules, NextToken=token(raw))["Status"] == 400
