"""A service this endpoint does not serve is answered in that service's own protocol, so
its client prints a readable error naming the service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.parsers import create_parser

from ec2emu.errors import Ec2Error
from ec2emu.protocol import foreign

MESSAGE = "The service '{}' is not served by this endpoint."

CALLS: list[tuple[str, str, str, dict[str, Any]]] = [
    # client name, protocol botocore speaks to it, operation, params
    ("kms", "json", "list_keys", {}),
    ("lambda", "rest-json", "list_functions", {}),
    ("route53", "rest-xml", "list_hosted_zones", {}),
    ("cloudwatch", "smithy-rpc-v2-cbor", "list_metrics", {}),
    ("autoscaling", "query", "describe_auto_scaling_groups", {}),
]


@pytest.mark.parametrize(("name", "protocol", "method", "params"), CALLS, ids=[c[0] for c in CALLS])
def test_an_unserved_service_gets_a_readable_error_in_its_protocol(
        make_client: Callable[..., Any], name: str, protocol: str, method: str, params: dict[str, Any]) -> None:
    client = make_client(service=name)
    metadata = client.meta.service_model.metadata
    assert protocol in (metadata.get("protocols") or [metadata["protocol"]])
    with pytest.raises(ClientError) as info:
        getattr(client, method)(**params)
    error = info.value.response["Error"]
    signing_name = metadata.get("signingName", metadata["endpointPrefix"])
    assert (error["Code"], error["Message"]) == ("InvalidAction", MESSAGE.format(signing_name))
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("protocol", ["json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query"])
def test_each_protocols_error_parses_with_botocores_parser(protocol: str) -> None:
    model = {"json": "kms", "rest-json": "lambda", "rest-xml": "route53", "smithy-rpc-v2-cbor": "cloudwatch",
             "query": "autoscaling"}[protocol]
    body, headers = foreign.error_response(model, protocol, Ec2Error("InvalidAction", "Not here <&>"), "r-1")
    parsed = create_parser(protocol).parse({"body": body, "headers": headers, "status_code": 400}, None)
    assert (parsed["Error"]["Code"], parsed["Error"]["Message"]) == ("InvalidAction", "Not here <&>")


def test_signing_names_that_are_not_model_names_find_their_model() -> None:
    assert foreign.model_for_signing_name("monitoring") == "cloudwatch"
    assert foreign.model_for_signing_name("kms") == "kms"
    assert foreign.model_for_signing_name("no-such-service") is None


def test_cbor_maps_of_long_text() -> None:
    from botocore.parsers import RpcV2CBORParser

    text = "x" * 70000
    body = foreign.cbor_text_map({"__type": "A", "message": text})
    parsed = RpcV2CBORParser().parse({"body": body, "headers": {"smithy-protocol": "rpc-v2-cbor"},
                                      "status_code": 400}, None)
    assert parsed["Error"]["Message"] == text

