"""Instance metadata options through boto3: RunInstances ``MetadataOptions``, the order of
precedence (launch, account defaults, image, EC2), ModifyInstanceMetadataOptions with its
``pending`` → ``applied`` state on the clock, the account's defaults
(Get/ModifyInstanceMetadataDefaults) and the ``metadata-options.*`` filters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, image_id, instance_of, launch

V2_IMAGE = "al2023-ami-2023.*-x86_64"


def v1_image(ec2: Any) -> str:
    """A catalogue image without ``ImdsSupport``."""
    for image in ec2.describe_images(Owners=["amazon"])["Images"]:
        if "ImdsSupport" not in image and image["Architecture"] == "x86_64" and image["RootDeviceType"] == "ebs" \
                and image["VirtualizationType"] == "hvm":
            return str(image["ImageId"])
    raise AssertionError("no image without ImdsSupport")


def options(ec2: Any, instance_id: str) -> dict[str, Any]:
    return dict(instance_of(ec2, instance_id)["MetadataOptions"])


def test_launch_options_are_stored_and_pending_then_applied(ec2: Any, clock: Any) -> None:
    asked = {"HttpTokens": "optional", "HttpPutResponseHopLimit": 5, "HttpEndpoint": "enabled",
             "HttpProtocolIpv6": "enabled", "InstanceMetadataTags": "enabled"}
    reservation = ec2.run_instances(ImageId=image_id(ec2, V2_IMAGE), InstanceType="t3.micro", MinCount=1,
                                    MaxCount=1, MetadataOptions=asked)
    instance = reservation["Instances"][0]
    assert instance["MetadataOptions"] == {"State": "pending", **asked}
    clock.advance(1.1)
    assert options(ec2, instance["InstanceId"]) == {"State": "applied", **asked}


def test_image_with_imds_v2_requires_tokens_with_hop_limit_2(ec2: Any, clock: Any) -> None:
    assert ec2.describe_images(ImageIds=[image_id(ec2, V2_IMAGE)])["Images"][0]["ImdsSupport"] == "v2.0"
    [instance_id] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    clock.advance(2)
    assert options(ec2, instance_id) == {"State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 2,
                                         "HttpEndpoint": "enabled", "HttpProtocolIpv6": "disabled",
                                         "InstanceMetadataTags": "disabled"}


def test_image_without_imds_support_gets_ec2_defaults(ec2: Any) -> None:
    [instance_id] = launch(ec2, ImageId=v1_image(ec2))
    shown = options(ec2, instance_id)
    assert (shown["HttpTokens"], shown["HttpPutResponseHopLimit"], shown["HttpEndpoint"]) == ("optional", 1, "enabled")


def test_account_defaults_come_before_the_image_and_after_the_launch(ec2: Any) -> None:
    assert ec2.modify_instance_metadata_defaults(HttpTokens="optional", HttpPutResponseHopLimit=3,
                                                 InstanceMetadataTags="enabled")["Return"] is True
    [from_account] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    shown = options(ec2, from_account)
    assert (shown["HttpTokens"], shown["HttpPutResponseHopLimit"], shown["InstanceMetadataTags"]) == (
        "optional", 3, "enabled")
    [from_launch] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE),
                           MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 7})
    shown = options(ec2, from_launch)
    assert (shown["HttpTokens"], shown["HttpPutResponseHopLimit"], shown["InstanceMetadataTags"]) == (
        "required", 7, "enabled")
    # Existing instances keep theirs when the defaults change.
    ec2.modify_instance_metadata_defaults(HttpTokens="no-preference", HttpPutResponseHopLimit=-1)
    assert options(ec2, from_account)["HttpTokens"] == "optional"
    [after_clearing] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    assert options(ec2, after_clearing)["HttpTokens"] == "required"
    assert options(ec2, after_clearing)["HttpPutResponseHopLimit"] == 2


def test_get_and_modify_account_defaults_per_region(ec2: Any, make_client: Any) -> None:
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {"ManagedBy": "account"}
    ec2.modify_instance_metadata_defaults(HttpTokens="required", HttpPutResponseHopLimit=4, HttpEndpoint="enabled",
                                          InstanceMetadataTags="disabled")
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {
        "HttpTokens": "required", "HttpPutResponseHopLimit": 4, "HttpEndpoint": "enabled",
        "InstanceMetadataTags": "disabled", "ManagedBy": "account"}
    assert make_client("us-west-2").get_instance_metadata_defaults()["AccountLevel"] == {"ManagedBy": "account"}
    ec2.modify_instance_metadata_defaults(HttpEndpoint="no-preference", InstanceMetadataTags="no-preference")
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {
        "HttpTokens": "required", "HttpPutResponseHopLimit": 4, "ManagedBy": "account"}


def test_account_defaults_refusals_change_nothing(ec2: Any) -> None:
    for hops in (0, 65, -2):
        error = error_of(ec2.modify_instance_metadata_defaults, HttpPutResponseHopLimit=hops)
        assert error["Code"] == "InvalidParameterValue" and "httpPutResponseHopLimit" in error["Message"]
    error = error_of(ec2.modify_instance_metadata_defaults, HttpTokensEnforced="enabled")
    assert error["Code"] == "UnsupportedOperation" and "HttpTokensEnforced" in error["Message"]
    error = error_of(ec2.modify_instance_metadata_defaults, HttpTokens="required", DryRun=True)
    assert error["Code"] == "DryRunOperation"
    assert error_of(ec2.get_instance_metadata_defaults, DryRun=True)["Code"] == "DryRunOperation"
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {"ManagedBy": "account"}


@pytest.mark.parametrize("hops", [0, 65])
def test_launch_hop_limit_out_of_range_launches_nothing(ec2: Any, hops: int) -> None:
    error = error_of(launch, ec2, MetadataOptions={"HttpPutResponseHopLimit": hops})
    assert error["Code"] == "InvalidParameterValue" and str(hops) in error["Message"]
    assert ec2.describe_instances()["Reservations"] == []


def test_modify_metadata_options_pending_then_applied(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    clock.advance(5)
    answer = ec2.modify_instance_metadata_options(InstanceId=instance_id, HttpTokens="optional",
                                                  HttpPutResponseHopLimit=9, HttpEndpoint="disabled",
                                                  HttpProtocolIpv6="enabled", InstanceMetadataTags="enabled")
    changed = {"HttpTokens": "optional", "HttpPutResponseHopLimit": 9, "HttpEndpoint": "disabled",
               "HttpProtocolIpv6": "enabled", "InstanceMetadataTags": "enabled"}
    assert answer["InstanceId"] == instance_id
    assert answer["InstanceMetadataOptions"] == {"State": "pending", **changed}
    assert options(ec2, instance_id) == {"State": "pending", **changed}
    clock.advance(1.1)
    assert options(ec2, instance_id) == {"State": "applied", **changed}


def test_modify_only_the_members_given(ec2: Any) -> None:
    [instance_id] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    ec2.modify_instance_metadata_options(InstanceId=instance_id, HttpPutResponseHopLimit=3)
    shown = options(ec2, instance_id)
    assert (shown["HttpTokens"], shown["HttpPutResponseHopLimit"]) == ("required", 3)


def test_modify_refusals_change_nothing(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    before = options(ec2, instance_id)
    error = error_of(ec2.modify_instance_metadata_options, InstanceId=instance_id, HttpPutResponseHopLimit=65)
    assert error["Code"] == "InvalidParameterValue"
    error = error_of(ec2.modify_instance_metadata_options, InstanceId="i-0123456789abcdef0", HttpTokens="optional")
    assert error["Code"] == "InvalidInstanceID.NotFound"
    error = error_of(ec2.modify_instance_metadata_options, InstanceId=instance_id, HttpTokens="optional", DryRun=True)
    assert error["Code"] == "DryRunOperation"
    assert options(ec2, instance_id) == before
    ec2.terminate_instances(InstanceIds=[instance_id])
    error = error_of(ec2.modify_instance_metadata_options, InstanceId=instance_id, HttpTokens="optional")
    assert error["Code"] == "IncorrectInstanceState"


def test_metadata_options_filters(ec2: Any) -> None:
    [required] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE))
    [optional] = launch(ec2, ImageId=image_id(ec2, V2_IMAGE),
                        MetadataOptions={"HttpTokens": "optional", "HttpPutResponseHopLimit": 6,
                                         "HttpEndpoint": "disabled", "InstanceMetadataTags": "enabled"})

    def having(name: str, value: str) -> list[str]:
        found = ec2.describe_instances(Filters=[{"Name": f"metadata-options.{name}", "Values": [value]}])
        return [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]]

    assert having("http-tokens", "required") == [required]
    assert having("http-tokens", "optional") == [optional]
    assert having("http-put-response-hop-limit", "6") == [optional]
    assert having("http-endpoint", "disabled") == [optional]
    assert having("instance-metadata-tags", "disabled") == [required]
