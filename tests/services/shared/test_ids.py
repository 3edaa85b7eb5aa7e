"""Client tokens (:func:`ec2emu.services.shared.ids.client_token`): the case the protocol
fuzzer found on PostgreSQL, named by its input, through boto3 against the app in-process."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of

TOO_LONG = "A" * 65


def test_a_client_token_of_65_characters_is_refused_by_every_operation_that_keeps_one(ec2: Any) -> None:
    """``ClientToken=A×65``: the stores keep 64 characters, and PostgreSQL refused the
    longer one (InternalError from CreateRouteTable)."""
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    template = ec2.create_launch_template(LaunchTemplateName="ttt", LaunchTemplateData={"InstanceType": "t3.micro"})
    refused = {"Code": "InvalidParameterValue", "Status": 400,
               "Message": "The client token must be 64 characters or fewer."}
    before = (ec2.describe_route_tables()["RouteTables"], ec2.describe_network_interfaces()["NetworkInterfaces"],
              ec2.describe_volumes()["Volumes"])
    assert error_of(ec2.create_route_table, VpcId=vpc, ClientToken=TOO_LONG) == refused
    assert error_of(ec2.create_network_interface, SubnetId=subnet, ClientToken=TOO_LONG) == refused
    assert error_of(ec2.create_volume, AvailabilityZone="us-east-1a", Size=1, ClientToken=TOO_LONG) == refused
    assert error_of(ec2.create_launch_template, LaunchTemplateName="uuu", ClientToken=TOO_LONG,
                    LaunchTemplateData={"InstanceType": "t3.micro"}) == refused
    assert error_of(ec2.create_launch_template_version, ClientToken=TOO_LONG,
                    LaunchTemplateId=template["LaunchTemplate"]["LaunchTemplateId"],
                    LaunchTemplateData={"InstanceType": "t3.small"}) == refused
    assert (ec2.describe_route_tables()["RouteTables"], ec2.describe_network_interfaces()["NetworkInterfaces"],
            ec2.describe_volumes()["Volumes"]) == before
    assert [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]] == ["ttt"]
    made = ec2.create_route_table(VpcId=vpc, ClientToken="B" * 64)
    assert made["ClientToken"] == "B" * 64
