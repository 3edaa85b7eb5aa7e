"""Which protocol a request speaks: the model's, or of several it lists the one the
request used; the protocols not served here are left to ``foreign.py``."""

from __future__ import annotations

import pytest

from ec2emu.errors import Ec2Error
from ec2emu.protocol import protocols, spec
from ec2emu.protocol.http import Message
from ec2emu.protocol.protocols import FormProtocol, protocol_for

FORM = {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}


@pytest.mark.parametrize(("model", "name"), [("ec2", "ec2"), ("iam", "query"), ("sts", "query"),
                                             ("events", "json"), ("cloudtrail", "json"), ("lambda", "rest-json")])
def test_each_model_speaks_its_protocol(model: str, name: str) -> None:
    assert protocol_for(model).name == name


def test_a_model_of_several_protocols_speaks_the_one_the_request_used() -> None:
    assert protocols.model_protocols("cloudwatch") == ["smithy-rpc-v2-cbor", "json", "query"]
    assert protocol_for("cloudwatch", {"x-amz-target": "GraniteServiceVersion20100801.ListMetrics"}).name == "json"
    assert protocol_for("cloudwatch", FORM).name == "query"
    assert protocol_for("cloudwatch", {}).name == "json"  # the first one served here


def test_a_model_of_no_served_protocol_has_none() -> None:
    with pytest.raises(KeyError):
        protocol_for("route53")


def test_the_form_protocols_read_the_action_and_claim_nothing() -> None:
    form = FormProtocol("ec2")
    message = form.receive(Message("POST", "/", [("Version", "2016-11-15")], FORM, b"Action=DescribeRegions"))
    assert message.form == [("Version", "2016-11-15"), ("Action", "DescribeRegions")]
    assert form.operation_name("ec2", message) == "DescribeRegions"
    assert not form.claims("ec2", message)
    for body, code in ((b"Version=1", "MissingAction"), (b"Action=Nope", "InvalidAction")):
        with pytest.raises(Ec2Error) as info:
            form.operation_name("ec2", form.receive(Message("POST", "/", [], FORM, body)))
        assert info.value.code == code
    assert "DescribeRegions" in spec.operation_names("ec2")
