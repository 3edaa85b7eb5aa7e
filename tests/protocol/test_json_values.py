"""Reading JSON bodies (:mod:`ec2emu.protocol.json_values`): the cases the protocol fuzzer
found, each named by its input, through boto3 against the app in-process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.helpers import error_of


def test_a_lone_surrogate_escape_ud800_in_a_string_is_a_serialization_exception(
        make_client: Callable[..., Any], emulator: Any) -> None:
    """``{"Value": "\\ud800"}``: JSON reads the escape as half a character, which no store
    and no audit record can hold; it used to fail the audit trail's write."""
    ssm = make_client(service="ssm")
    error = error_of(ssm.put_parameter, Name="/fuzz/lone", Value="\ud800", Type="String")
    assert error == {"Code": "SerializationException", "Status": 400,
                     "Message": "The request body holds an unpaired surrogate escape."}
    assert emulator.flush_trail() >= 0
    assert ssm.describe_parameters()["Parameters"] == []


def test_a_surrogate_pair_escape_is_one_character(make_client: Callable[..., Any]) -> None:
    ssm = make_client(service="ssm")
    ssm.put_parameter(Name="/fuzz/pair", Value="\U0001f600", Type="String")
    assert ssm.get_parameter(Name="/fuzz/pair")["Parameter"]["Value"] == "\U0001f600"

