"""DescribeInstances and DescribeInstanceStatus through boto3: IDs, every filter the issue
names (with wildcards, OR within a filter, AND across filters), paging, region isolation.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch

ARM_IMAGE = "al2023-ami-2023.*-arm64"


def ids_of(response: dict[str, Any]) -> set[str]:
    return {i["InstanceId"] for r in response["Reservations"] for i in r["Instances"]}


def find(ec2: Any, *filters: tuple[str, list[str]]) -> set[str]:
    return ids_of(ec2.describe_instances(Filters=[{"Name": n, "Values": v} for n, v in filters]))


def everything(ec2: Any) -> Any:
    return ec2.describe_instances()["Reservations"]


@pytest.fixture
def fleet(ec2: Any, clock: Any) -> dict[str, str]:
    """Six instances in known states, zones, types, images and tags."""
    x86 = image_id(ec2)
    arm = image_id(ec2, ARM_IMAGE)
    names: dict[str, str] = {}
    names["web1"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"}, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}, {"Key": "Env", "Value": "prod"}]}])[0]
    names["web2"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"}, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-2"}, {"Key": "Env", "Value": "staging"}]}])[0]
    names["db"] = launch(ec2, InstanceType="m5.large", Placement={"AvailabilityZone": "us-east-1a"},
                         TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": "db"}]}])[0]
    names["arm"] = launch(ec2, ImageId=arm, InstanceType="t4g.micro", Placement={"AvailabilityZone": "us-east-1c"})[0]
    names["gone"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1c"})[0]
    names["stopped"] = launch(ec2, ImageId=x86, Placement={"AvailabilityZone": "us-east-1b"})[0]
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[names["gone"]])
    ec2.stop_instances(InstanceIds=[names["stopped"]])
    clock.advance(10)
    names["new"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})[0]  # still pending
    return names


# --------------------------------------------------------------------------- InstanceIds


def test_instance_ids_select_exactly_those(ec2: Any, fleet: dict[str, str]) -> None:
    wanted = [fleet["web1"], fleet["db"]]
    assert ids_of(ec2.describe_instances(InstanceIds=wanted)) == set(wanted)
    assert ids_of(ec2.describe_instances()) == set(fleet.values())


def test_one_unknown_id(ec2: Any, fleet: dict[str, str]) -> None:
    error = error_of(ec2.describe_instances, InstanceIds=[fleet["web1"], "i-0123456789abcdef0"])
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": "The instance ID 'i-0123456789abcdef0' does not exist",
        "Status": 400,
    }


def test_several_unknown_ids_are_all_named(ec2: Any, fleet: dict[str, str]) -> None:
    missing = ["i-0123456789abcdef0", "i-00000000", "i-fedcba9876543210f"]
    error = error_of(ec2.describe_instances, InstanceIds=[missing[0], fleet["web1"], *missing[1:]])
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": f"The instance IDs '{', '.join(missing)}' do not exist",
        "Status": 400,
    }


@pytest.mark.parametrize("bad", ["i-xyz", "ma1", "i-0123456789ABCDEF0", "vol-0123456789abcdef0"])
def test_malformed_id(ec2: Any, fleet: dict[str, str], bad: str) -> None:
    error = error_of(ec2.describe_instances, InstanceIds=[fleet["web1"], bad])
    assert error == {"Code": "InvalidInstanceID.Malformed", "Message": f'Invalid id: "{bad}"', "Status": 400}


def test_instance_ids_and_filters_combine(ec2: Any, fleet: dict[str, str]) -> None:
    response = ec2.describe_instances(
        InstanceIds=[fleet["web1"], fleet["web2"], fleet["db"]],
        Filters=[{"Name": "availability-zone", "Values": ["us-east-1a"]}],
    )
    assert ids_of(response) == {fleet["web1"], fleet["db"]}


def test_untagged_instance_has_no_tags_key(ec2: Any, fleet: dict[str, str]) -> None:
    instance = ec2.describe_instances(InstanceIds=[fleet["arm"]])["Reservations"][0]["Instances"][0]
    assert "Tags" not in instance
    tagged = ec2.describe_instances(InstanceIds=[fleet["db"]])["Reservations"][0]["Instances"][0]
    assert tagged["Tags"] == [{"Key": "Role", "Value": "db"}]


def test_no_instances_gives_an_empty_list(ec2: Any) -> None:
    response = ec2.describe_instances()
    assert response["Reservations"] == []
    assert "NextToken" not in response


# --------------------------------------------------------------------------- filters


def test_instance_state_name(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("instance-state-name", ["running"])) == {fleet[n] for n in ("web1", "web2", "db", "arm")}
    assert find(ec2, ("instance-state-name", ["stopped"])) == {fleet["stopped"]}
    assert find(ec2, ("instance-state-name", ["terminated"])) == {fleet["gone"]}
    assert find(ec2, ("instance-state-name", ["pending"])) == {fleet["new"]}
    assert find(ec2, ("instance-state-name", ["stopped", "terminated"])) == {fleet["stopped"], fleet["gone"]}
    assert find(ec2, ("instance-state-name", ["stop*"])) == {fleet["stopped"]}
    assert find(ec2, ("instance-state-name", ["shutting-down"])) == set()


@pytest.mark.parametrize(
    "codes, names",
    [
        (["16"], ("web1", "web2", "db", "arm")),
        (["272"], ("web1", "web2", "db", "arm")),  # high byte is internal: 272 & 0xFF = 16
        (["80"], ("stopped",)),
        (["48", "0"], ("gone", "new")),
        (["336"], ("stopped",)),  # 256 + 80
    ],
)
def test_instance_state_code(ec2: Any, fleet: dict[str, str], codes: list[str], names: tuple[str, ...]) -> None:
    assert find(ec2, ("instance-state-code", codes)) == {fleet[n] for n in names}


def test_instance_state_code_that_matches_nothing(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("instance-state-code", ["17"])) == set()


def test_availability_zone(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("availability-zone", ["us-east-1a"])) == {fleet["web1"], fleet["db"], fleet["new"]}
    assert find(ec2, ("availability-zone", ["us-east-1b", "us-east-1c"])) == {
        fleet[n] for n in ("web2", "stopped", "arm", "gone")
    }
    assert find(ec2, ("availability-zone", ["us-east-1?"])) == set(fleet.values())
    assert find(ec2, ("availability-zone", ["us-west-2*"])) == set()


def test_instance_id(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("instance-id", [fleet["web1"], fleet["arm"]])) == {fleet["web1"], fleet["arm"]}
    assert find(ec2, ("instance-id", [fleet["db"][:6] + "*"])) >= {fleet["db"]}
    assert find(ec2, ("instance-id", ["i-*"])) == set(fleet.values())


def test_image_id(ec2: Any, fleet: dict[str, str]) -> None:
    arm = image_id(ec2, ARM_IMAGE)
    assert find(ec2, ("image-id", [arm])) == {fleet["arm"]}
    assert find(ec2, ("image-id", [image_id(ec2)])) == set(fleet.values()) - {fleet["arm"]}


def test_instance_type(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("instance-type", ["m5.large"])) == {fleet["db"]}
    assert find(ec2, ("instance-type", ["t?g.*"])) == {fleet["arm"]}
    assert find(ec2, ("instance-type", ["t3.micro", "m5.large"])) == set(fleet.values()) - {fleet["arm"]}


def test_tag_key_value_filter(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("tag:Env", ["prod"])) == {fleet["web1"]}
    assert find(ec2, ("tag:Env", ["prod", "staging"])) == {fleet["web1"], fleet["web2"]}
    assert find(ec2, ("tag:Name", ["web-*"])) == {fleet["web1"], fleet["web2"]}
    assert find(ec2, ("tag:Name", ["web-?"])) == {fleet["web1"], fleet["web2"]}
    assert find(ec2, ("tag:Name", ["web"])) == set()
    assert find(ec2, ("tag:Missing", ["*"])) == set()
    assert find(ec2, ("tag:env", ["prod"])) == set()  # keys are case-sensitive


def test_tag_key_filter(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("tag-key", ["Role"])) == {fleet["db"]}
    assert find(ec2, ("tag-key", ["Env", "Role"])) == {fleet["web1"], fleet["web2"], fleet["db"]}
    assert find(ec2, ("tag-key", ["*"])) == {fleet["web1"], fleet["web2"], fleet["db"]}


def test_tag_value_filter(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(ec2, ("tag-value", ["db"])) == {fleet["db"]}
    assert find(ec2, ("tag-value", ["prod", "web-2"])) == {fleet["web1"], fleet["web2"]}
    assert find(ec2, ("tag-value", ["*stag*"])) == {fleet["web2"]}


def test_vpc_and_subnet(ec2: Any, fleet: dict[str, str]) -> None:
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    live = set(fleet.values()) - {fleet["gone"]}  # a terminated instance has no VPC or subnet
    assert find(ec2, ("vpc-id", [vpc])) == live
    subnet_a = ec2.describe_subnets(
        Filters=[{"Name": "availability-zone", "Values": ["us-east-1a"]}]
    )["Subnets"][0]["SubnetId"]
    assert find(ec2, ("subnet-id", [subnet_a])) == {fleet["web1"], fleet["db"], fleet["new"]}
    assert find(ec2, ("subnet-id", ["subnet-*"])) == live
    assert find(ec2, ("vpc-id", ["vpc-0123456789abcdef0"])) == set()


def test_reservation_id(ec2: Any, clock: Any) -> None:
    first = ec2.run_instances(ImageId=image_id(ec2), InstanceType="t3.micro", MinCount=3, MaxCount=3)
    second = ec2.run_instances(ImageId=image_id(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1)
    response = ec2.describe_instances(
        Filters=[{"Name": "reservation-id", "Values": [first["ReservationId"]]}]
    )
    assert [r["ReservationId"] for r in response["Reservations"]] == [first["ReservationId"]]
    assert ids_of(response) == {i["InstanceId"] for i in first["Instances"]}
    both = find(ec2, ("reservation-id", [first["ReservationId"], second["ReservationId"]]))
    assert len(both) == 4


def test_filters_are_anded(ec2: Any, fleet: dict[str, str]) -> None:
    assert find(
        ec2, ("availability-zone", ["us-east-1a"]), ("instance-state-name", ["running"])
    ) == {fleet["web1"], fleet["db"]}
    assert find(
        ec2, ("availability-zone", ["us-east-1a"]), ("instance-state-name", ["running"]), ("tag-key", ["Env"])
    ) == {fleet["web1"]}
    assert find(ec2, ("tag:Env", ["prod"]), ("tag:Role", ["db"])) == set()


@pytest.mark.parametrize("name", ["x", "instance-state", "tag", "tag-values", "availabilityZone"])
def test_unknown_filter(ec2: Any, fleet: dict[str, str], name: str) -> None:
    error = error_of(ec2.describe_instances, Filters=[{"Name": name, "Values": ["a"]}])
    assert error == {"Code": "InvalidParameterValue", "Message": f"The filter '{name}' is invalid", "Status": 400}


def test_wildcards_are_literal_otherwise(ec2: Any, clock: Any) -> None:
    literal = launch(ec2, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Path", "Value": "a_b%c.d"}]}])[0]
    other = launch(ec2, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Path", "Value": "aXb%c.d"}]}])[0]
    assert find(ec2, ("tag:Path", ["a_b%c.d"])) == {literal}
    assert find(ec2, ("tag:Path", ["a_b*"])) == {literal}
    assert find(ec2, ("tag:Path", ["a?b%c.d"])) == {literal, other}
    assert find(ec2, ("tag:Path", ["*%c.?"])) == {literal, other}


# --------------------------------------------------------------------------- paging


def test_max_results_below_five(ec2: Any, fleet: dict[str, str]) -> None:
    error = error_of(ec2.describe_instances, MaxResults=3)
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
        "Status": 400,
    }


def test_max_results_above_1000(ec2: Any, fleet: dict[str, str]) -> None:
    error = error_of(ec2.describe_instances, MaxResults=1001)
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400


@pytest.mark.parametrize("size", [5, 1000])
def test_max_results_bounds_are_accepted(ec2: Any, fleet: dict[str, str], size: int) -> None:
    response = ec2.describe_instances(MaxResults=size)
    assert len(ids_of(response)) == min(size, len(fleet))


def test_instance_ids_with_max_results(ec2: Any, fleet: dict[str, str]) -> None:
    error = error_of(ec2.describe_instances, InstanceIds=[fleet["web1"]], MaxResults=5)
    assert error == {
        "Code": "InvalidParameterCombination",
        "Message": "The parameter instancesSet cannot be used with the parameter maxResults",
        "Status": 400,
    }


@pytest.mark.parametrize("call", ["describe_instances", "describe_instance_status"])
def test_invalid_next_token(ec2: Any, fleet: dict[str, str], call: str) -> None:
    for tag in range(6):
        ec2.create_tags(Resources=[fleet["web1"]], Tags=[{"Key": f"t{tag}", "Value": "v"}])
    tags_token = ec2.describe_tags(MaxResults=5)["NextToken"]
    for token in ("not-a-token!!", "e30", tags_token):  # junk, "{}", another call's token
        error = error_of(getattr(ec2, call), MaxResults=5, NextToken=token)
        assert error == {
            "Code": "InvalidParameterValue",
            "Message": f"Invalid value '{token}' for nextToken",
            "Status": 400,
        }


def _launch_many(ec2: Any, count: int) -> set[str]:
    launched: set[str] = set()
    for batch in (8, 8, count - 16):
        launched.update(launch(ec2, batch))
    return launched


def test_next_token_pages_through_every_instance_once(ec2: Any) -> None:
    launched = _launch_many(ec2, 23)
    seen: list[str] = []
    pages = 0
    kwargs: dict[str, Any] = {"MaxResults": 5}
    while True:
        response = ec2.describe_instances(**kwargs)
        page = [i["InstanceId"] for r in response["Reservations"] for i in r["Instances"]]
        assert len(page) <= 5
        seen.extend(page)
        pages += 1
        if "NextToken" not in response:
            break
        kwargs["NextToken"] = response["NextToken"]
    assert len(seen) == 23
    assert set(seen) == launched
    assert pages == 5


def test_paging_with_a_filter(ec2: Any, clock: Any) -> None:
    tagged = set(launch(ec2, 12, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Team", "Value": "a"}]}]))
    launch(ec2, 9)
    paginator = ec2.get_paginator("describe_instances")
    seen = [
        i["InstanceId"]
        for page in paginator.paginate(
            Filters=[{"Name": "tag:Team", "Values": ["a"]}], PaginationConfig={"PageSize": 5}
        )
        for r in page["Reservations"]
        for i in r["Instances"]
    ]
    assert sorted(seen) == sorted(tagged)


def test_boto3_paginator(ec2: Any) -> None:
    launched = _launch_many(ec2, 23)
    paginator = ec2.get_paginator("describe_instances")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 5}))
    seen = [i["InstanceId"] for page in pages for r in page["Reservations"] for i in r["Instances"]]
    assert len(seen) == 23 and set(seen) == launched
    assert len(pages) == 5
    built = paginator.paginate(PaginationConfig={"PageSize": 7}).build_full_result()
    assert len([i for r in built["Reservations"] for i in r["Instances"]]) == 23


# --------------------------------------------------------------------------- regions


def test_regions_are_isolated(ec2: Any, make_client: Any) -> None:
    east_id = launch(ec2)[0]
    west = make_client("us-west-2")
    assert west.describe_instances()["Reservations"] == []
    error = error_of(west.describe_instances, InstanceIds=[east_id])
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": f"The instance ID '{east_id}' does not exist",
        "Status": 400,
    }
    west_id = launch(west)[0]
    assert ids_of(ec2.describe_instances()) == {east_id}
    assert ids_of(west.describe_instances()) == {west_id}
    west_instance = west.describe_instances()["Reservations"][0]["Instances"][0]
    assert west_instance["Placement"]["AvailabilityZone"].startswith("us-west-2")
    assert west_instance["PrivateDnsName"].endswith(".us-west-2.compute.internal")


# --------------------------------------------------------------------------- DescribeInstanceStatus


def status_ids(response: dict[str, Any]) -> set[str]:
    return {s["InstanceId"] for s in response["InstanceStatuses"]}


def test_instance_status_shows_only_running_by_default(ec2: Any, fleet: dict[str, str]) -> None:
    running = {fleet[n] for n in ("web1", "web2", "db", "arm")}
    response = ec2.describe_instance_status()
    assert status_ids(response) == running
    for status in response["InstanceStatuses"]:
        assert status["InstanceState"] == {"Code": 16, "Name": "running"}
    by_id = ec2.describe_instance_status(InstanceIds=[fleet["web1"], fleet["stopped"]])
    assert status_ids(by_id) == {fleet["web1"]}


def test_instance_status_include_all_instances(ec2: Any, fleet: dict[str, str]) -> None:
    response = ec2.describe_instance_status(IncludeAllInstances=True)
    assert status_ids(response) == set(fleet.values())
    by_state = {s["InstanceId"]: s["InstanceState"]["Name"] for s in response["InstanceStatuses"]}
    assert by_state[fleet["stopped"]] == "stopped"
    assert by_state[fleet["gone"]] == "terminated"
    assert by_state[fleet["new"]] == "pending"


def test_instance_status_filters(ec2: Any, fleet: dict[str, str]) -> None:
    response = ec2.describe_instance_status(
        IncludeAllInstances=True, Filters=[{"Name": "availability-zone", "Values": ["us-east-1b"]}]
    )
    assert status_ids(response) == {fleet["web2"], fleet["stopped"]}


@pytest.mark.parametrize("name", ["tag:Name", "tag-key", "tag-value"])
def test_instance_status_rejects_tag_filters(ec2: Any, fleet: dict[str, str], name: str) -> None:
    error = error_of(ec2.describe_instance_status, Filters=[{"Name": name, "Values": ["web-1"]}])
    assert error == {"Code": "InvalidParameterValue", "Message": f"The filter '{name}' is invalid", "Status": 400}


def test_instance_status_unknown_id(ec2: Any, fleet: dict[str, str]) -> None:
    error = error_of(ec2.describe_instance_status, InstanceIds=["i-0123456789abcdef0"])
    assert error["Code"] == "InvalidInstanceID.NotFound"


def test_instance_status_paging(ec2: Any, clock: Any) -> None:
    launched = set(launch(ec2, 12))
    clock.advance(10)
    paginator = ec2.get_paginator("describe_instance_status")
    seen = [
        s["InstanceId"]
        for page in paginator.paginate(PaginationConfig={"PageSize": 5})
        for s in page["InstanceStatuses"]
    ]
    assert sorted(seen) == sorted(launched)


def test_describing_changes_nothing(ec2: Any, fleet: dict[str, str]) -> None:
    before = everything(ec2)
    error_of(ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    error_of(ec2.describe_instances, Filters=[{"Name": "bogus", "Values": ["1"]}])
    ec2.describe_instance_status(IncludeAllInstances=True)
    assert everything(ec2) == before
