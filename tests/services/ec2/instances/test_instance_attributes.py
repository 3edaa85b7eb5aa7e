"""DescribeInstanceAttribute and ModifyInstanceAttribute through boto3, in both wire forms
(``Attribute=x, Value=y`` and the nested ``X={'Value': y}``), with the state rules for
instanceType and userData and the one-attribute-per-call rule.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch, states

STORE_IMAGE = "amzn-ami-minimal-hvm-*"


def snapshot(ec2: Any) -> Any:
    return ec2.describe_instances()["Reservations"], ec2.describe_tags()["Tags"]


def refused(ec2: Any, call: Any, **kwargs: Any) -> dict[str, Any]:
    before = snapshot(ec2)
    error = error_of(call, **kwargs)
    assert snapshot(ec2) == before
    return error


def attribute(ec2: Any, instance_id: str, name: str) -> Any:
    response = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute=name)
    assert response["InstanceId"] == instance_id
    keys = set(response) - {"InstanceId", "ResponseMetadata"}
    assert len(keys) == 1, keys
    return response[keys.pop()]


@pytest.fixture
def running(ec2: Any, clock: Any) -> str:
    instance_id = launch(ec2)[0]
    clock.advance(10)
    return instance_id


@pytest.fixture
def stopped(ec2: Any, clock: Any, running: str) -> str:
    ec2.stop_instances(InstanceIds=[running])
    clock.advance(10)
    return running


# --------------------------------------------------------------------------- describe


def test_describe_defaults(ec2: Any, running: str) -> None:
    assert attribute(ec2, running, "disableApiTermination") == {"Value": False}
    assert attribute(ec2, running, "disableApiStop") == {"Value": False}
    assert attribute(ec2, running, "instanceInitiatedShutdownBehavior") == {"Value": "stop"}
    assert attribute(ec2, running, "instanceType") == {"Value": "t3.micro"}
    assert attribute(ec2, running, "userData") == {}
    image = ec2.describe_images(ImageIds=[image_id(ec2)])["Images"][0]
    assert attribute(ec2, running, "rootDeviceName") == {"Value": image["RootDeviceName"]}
    mappings = attribute(ec2, running, "blockDeviceMapping")
    assert [m["DeviceName"] for m in mappings] == [image["RootDeviceName"]]
    assert mappings[0]["Ebs"]["VolumeId"].startswith("vol-")
    assert attribute(ec2, running, "enclaveOptions") == {"Enabled": False}
    assert attribute(ec2, running, "sourceDestCheck") == {"Value": True}
    assert attribute(ec2, running, "productCodes") == []
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]
    assert attribute(ec2, running, "groupSet") == [{"GroupId": group["GroupId"], "GroupName": "default"}]


def test_describe_unknown_instance(ec2: Any) -> None:
    error = error_of(ec2.describe_instance_attribute, InstanceId="i-0123456789abcdef0", Attribute="instanceType")
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": "The instance ID 'i-0123456789abcdef0' does not exist",
        "Status": 400,
    }


def test_describe_malformed_instance_id(ec2: Any) -> None:
    error = error_of(ec2.describe_instance_attribute, InstanceId="i-nope", Attribute="instanceType")
    assert error == {"Code": "InvalidInstanceID.Malformed", "Message": 'Invalid id: "i-nope"', "Status": 400}


def test_describe_unknown_attribute(ec2: Any, running: str) -> None:
    error = error_of(ec2.describe_instance_attribute, InstanceId=running, Attribute="colour")
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400


# --------------------------------------------------------------------------- boolean protections


@pytest.mark.parametrize("name, key", [
    ("disableApiTermination", "DisableApiTermination"),
    ("disableApiStop", "DisableApiStop"),
])
def test_protection_flags_in_both_forms(ec2: Any, running: str, name: str, key: str) -> None:
    ec2.modify_instance_attribute(InstanceId=running, Attribute=name, Value="true")
    assert attribute(ec2, running, name) == {"Value": True}
    ec2.modify_instance_attribute(InstanceId=running, **{key: {"Value": False}})
    assert attribute(ec2, running, name) == {"Value": False}
    ec2.modify_instance_attribute(InstanceId=running, **{key: {"Value": True}})
    assert attribute(ec2, running, name) == {"Value": True}
    ec2.modify_instance_attribute(InstanceId=running, Attribute=name, Value="false")
    assert attribute(ec2, running, name) == {"Value": False}


def test_termination_protection_set_by_modify_is_enforced(ec2: Any, running: str) -> None:
    ec2.modify_instance_attribute(InstanceId=running, DisableApiTermination={"Value": True})
    error = refused(ec2, ec2.terminate_instances, InstanceIds=[running])
    assert error["Code"] == "OperationNotPermitted"
    assert "'disableApiTermination'" in error["Message"]
    ec2.modify_instance_attribute(InstanceId=running, Attribute="disableApiTermination", Value="false")
    ec2.terminate_instances(InstanceIds=[running])
    assert states(ec2, [running]) == {running: "shutting-down"}


def test_stop_protection_set_by_modify_is_enforced(ec2: Any, running: str) -> None:
    ec2.modify_instance_attribute(InstanceId=running, Attribute="disableApiStop", Value="true")
    error = refused(ec2, ec2.stop_instances, InstanceIds=[running])
    assert error["Code"] == "OperationNotPermitted"


def test_boolean_value_must_be_a_boolean(ec2: Any, running: str) -> None:
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId=running, Attribute="disableApiTermination", Value="maybe"
    )
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400


# --------------------------------------------------------------------------- shutdown behavior


def test_shutdown_behavior_in_both_forms(ec2: Any, running: str) -> None:
    ec2.modify_instance_attribute(
        InstanceId=running, Attribute="instanceInitiatedShutdownBehavior", Value="terminate"
    )
    assert attribute(ec2, running, "instanceInitiatedShutdownBehavior") == {"Value": "terminate"}
    ec2.modify_instance_attribute(InstanceId=running, InstanceInitiatedShutdownBehavior={"Value": "stop"})
    assert attribute(ec2, running, "instanceInitiatedShutdownBehavior") == {"Value": "stop"}


def test_shutdown_behavior_invalid_value(ec2: Any, running: str) -> None:
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId=running,
        InstanceInitiatedShutdownBehavior={"Value": "hibernate"},
    )
    assert error["Code"] == "InvalidParameterValue"


def test_shutdown_behavior_on_instance_store_instance(ec2: Any, clock: Any) -> None:
    store = image_id(ec2, STORE_IMAGE, root="instance-store")
    instance_id = launch(ec2, ImageId=store, InstanceType="m3.medium")[0]
    clock.advance(10)
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId=instance_id,
        InstanceInitiatedShutdownBehavior={"Value": "stop"},
    )
    assert error == {
        "Code": "InvalidParameterCombination",
        "Message": "The attribute instanceInitiatedShutdownBehavior can only be used for elastic images",
        "Status": 400,
    }


# --------------------------------------------------------------------------- instance type


def test_instance_type_only_while_stopped(ec2: Any, running: str) -> None:
    for kwargs in ({"Attribute": "instanceType", "Value": "t3.large"}, {"InstanceType": {"Value": "t3.large"}}):
        error = refused(ec2, ec2.modify_instance_attribute, InstanceId=running, **kwargs)
        assert error == {
            "Code": "IncorrectInstanceState",
            "Message": f"The instance '{running}' is not in the 'stopped' state.",
            "Status": 400,
        }


def test_instance_type_while_pending_or_stopping(ec2: Any, clock: Any) -> None:
    pending = launch(ec2)[0]
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=pending, InstanceType={"Value": "t3.large"})
    assert error["Code"] == "IncorrectInstanceState"
    clock.advance(10)
    ec2.stop_instances(InstanceIds=[pending])
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=pending, InstanceType={"Value": "t3.large"})
    assert error["Code"] == "IncorrectInstanceState"


def test_instance_type_in_both_forms_while_stopped(ec2: Any, clock: Any, stopped: str) -> None:
    ec2.modify_instance_attribute(InstanceId=stopped, Attribute="instanceType", Value="t3.large")
    assert attribute(ec2, stopped, "instanceType") == {"Value": "t3.large"}
    ec2.modify_instance_attribute(InstanceId=stopped, InstanceType={"Value": "m5.large"})
    assert attribute(ec2, stopped, "instanceType") == {"Value": "m5.large"}
    ec2.start_instances(InstanceIds=[stopped])
    clock.advance(10)
    instance = ec2.describe_instances(InstanceIds=[stopped])["Reservations"][0]["Instances"][0]
    assert instance["InstanceType"] == "m5.large"
    assert instance["State"]["Name"] == "running"


def test_unknown_instance_type(ec2: Any, stopped: str) -> None:
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=stopped, InstanceType={"Value": "t9.mega"})
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid value 't9.mega' for InstanceType.",
        "Status": 400,
    }


def test_instance_type_of_another_architecture(ec2: Any, stopped: str) -> None:
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=stopped, InstanceType={"Value": "t4g.micro"})
    assert error["Code"] == "InvalidParameterValue"
    assert attribute(ec2, stopped, "instanceType") == {"Value": "t3.micro"}


# --------------------------------------------------------------------------- user data


def test_user_data_only_while_stopped(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=running, UserData={"Value": b"echo hi"})
    assert error == {
        "Code": "IncorrectInstanceState",
        "Message": f"The instance '{running}' is not in the 'stopped' state.",
        "Status": 400,
    }


def test_user_data_in_both_forms_while_stopped(ec2: Any, stopped: str) -> None:
    ec2.modify_instance_attribute(InstanceId=stopped, UserData={"Value": b"#!/bin/sh\necho one\n"})
    value = attribute(ec2, stopped, "userData")["Value"]
    assert base64.b64decode(value) == b"#!/bin/sh\necho one\n"
    encoded = base64.b64encode(b"echo two").decode()
    ec2.modify_instance_attribute(InstanceId=stopped, Attribute="userData", Value=encoded)
    assert base64.b64decode(attribute(ec2, stopped, "userData")["Value"]) == b"echo two"


def test_user_data_too_big(ec2: Any, stopped: str) -> None:
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=stopped, UserData={"Value": b"x" * 16385})
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "User data is limited to 16384 bytes",
        "Status": 400,
    }


# --------------------------------------------------------------------------- call rules


def test_two_attributes_in_one_call(ec2: Any, stopped: str) -> None:
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId=stopped,
        DisableApiTermination={"Value": True}, InstanceType={"Value": "t3.large"},
    )
    assert error["Code"] == "InvalidParameterCombination"
    assert error["Status"] == 400


def test_generic_and_nested_forms_together(ec2: Any, running: str) -> None:
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId=running,
        Attribute="disableApiStop", Value="true", DisableApiTermination={"Value": True},
    )
    assert error["Code"] == "InvalidParameterCombination"


def test_no_attribute_at_all(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=running)
    assert error["Code"] == "MissingParameter"
    assert error["Status"] == 400


def test_modify_unknown_instance(ec2: Any) -> None:
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId="i-0123456789abcdef0",
        DisableApiTermination={"Value": True},
    )
    assert error["Code"] == "InvalidInstanceID.NotFound"


def test_modify_terminated_instance(ec2: Any, clock: Any, running: str) -> None:
    ec2.terminate_instances(InstanceIds=[running])
    clock.advance(10)
    error = refused(ec2, ec2.modify_instance_attribute, InstanceId=running, DisableApiStop={"Value": True})
    assert error["Code"] == "IncorrectInstanceState"


def test_modify_dry_run(ec2: Any, running: str) -> None:
    error = refused(
        ec2, ec2.modify_instance_attribute, InstanceId=running,
        DisableApiTermination={"Value": True}, DryRun=True,
    )
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
    assert attribute(ec2, running, "disableApiTermination") == {"Value": False}


def test_describe_dry_run(ec2: Any, running: str) -> None:
    error = error_of(ec2.describe_instance_attribute, InstanceId=running, Attribute="instanceType", DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
