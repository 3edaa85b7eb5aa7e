"""CreateTags, DeleteTags and DescribeTags through boto3: filters, paging, validation that
changes nothing, and tags that live exactly as long as a terminated instance is listed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, launch, states


def all_tags(ec2: Any, **kwargs: Any) -> list[tuple[str, str, str, str]]:
    return sorted(
        (t["ResourceId"], t["ResourceType"], t["Key"], t["Value"])
        for t in ec2.describe_tags(**kwargs)["Tags"]
    )


def tags_of(ec2: Any, instance_id: str) -> dict[str, str]:
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    return {t["Key"]: t["Value"] for t in instance.get("Tags", [])}


def snapshot(ec2: Any) -> Any:
    return ec2.describe_instances()["Reservations"], all_tags(ec2)


def refused(ec2: Any, call: Any, **kwargs: Any) -> dict[str, Any]:
    before = snapshot(ec2)
    error = error_of(call, **kwargs)
    assert snapshot(ec2) == before
    return error


def flt(name: str, *values: str) -> dict[str, Any]:
    return {"Name": name, "Values": list(values)}


@pytest.fixture
def tagged(ec2: Any) -> dict[str, str]:
    """Three instances and a root volume, tagged through CreateTags."""
    a, b, c = launch(ec2, 3)
    volume = ec2.describe_instances(InstanceIds=[a])["Reservations"][0]["Instances"][0][
        "BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    ec2.create_tags(Resources=[a, b], Tags=[{"Key": "Env", "Value": "prod"}, {"Key": "Team", "Value": "core"}])
    ec2.create_tags(Resources=[c], Tags=[{"Key": "Env", "Value": "dev"}, {"Key": "Name", "Value": "scratch"}])
    ec2.create_tags(Resources=[volume], Tags=[{"Key": "Env", "Value": "prod"}])
    return {"a": a, "b": b, "c": c, "volume": volume}


# --------------------------------------------------------------------------- create


def test_create_tags_shows_in_describe_instances_and_tags(ec2: Any, tagged: dict[str, str]) -> None:
    assert tags_of(ec2, tagged["a"]) == {"Env": "prod", "Team": "core"}
    assert tags_of(ec2, tagged["c"]) == {"Env": "dev", "Name": "scratch"}
    assert len(all_tags(ec2)) == 7
    response = ec2.create_tags(Resources=[tagged["a"]], Tags=[{"Key": "x", "Value": "1"}])
    assert set(response) == {"ResponseMetadata"}


def test_create_tags_overwrites_a_key(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.create_tags(Resources=[tagged["a"]], Tags=[{"Key": "Env", "Value": "staging"}])
    assert tags_of(ec2, tagged["a"]) == {"Env": "staging", "Team": "core"}
    assert tags_of(ec2, tagged["b"]) == {"Env": "prod", "Team": "core"}


def test_tag_with_empty_value(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.create_tags(Resources=[tagged["b"]], Tags=[{"Key": "Flag", "Value": ""}])
    assert tags_of(ec2, tagged["b"])["Flag"] == ""


@pytest.mark.parametrize("tag", [
    {"Key": "aws:cloudformation:stack-name", "Value": "x"},
    {"Key": "AWS:thing", "Value": "x"},
    {"Key": "k" * 129, "Value": "x"},
    {"Key": "ok", "Value": "v" * 257},
    {"Key": "", "Value": "x"},
])
def test_invalid_tags_change_nothing(ec2: Any, tagged: dict[str, str], tag: dict[str, str]) -> None:
    error = refused(
        ec2, ec2.create_tags, Resources=[tagged["a"], tagged["b"]],
        Tags=[{"Key": "Good", "Value": "yes"}, tag],
    )
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400


def test_longest_valid_key_and_value(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.create_tags(Resources=[tagged["a"]], Tags=[{"Key": "k" * 128, "Value": "v" * 256}])
    assert tags_of(ec2, tagged["a"])["k" * 128] == "v" * 256


def test_unknown_instance_changes_nothing(ec2: Any, tagged: dict[str, str]) -> None:
    error = refused(
        ec2, ec2.create_tags, Resources=[tagged["a"], "i-0123456789abcdef0"],
        Tags=[{"Key": "New", "Value": "1"}],
    )
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": "The instance ID 'i-0123456789abcdef0' does not exist",
        "Status": 400,
    }


def test_instance_of_another_region_is_not_found(ec2: Any, make_client: Any, tagged: dict[str, str]) -> None:
    west = make_client("us-west-2")
    error = refused(ec2, west.create_tags, Resources=[tagged["a"]], Tags=[{"Key": "k", "Value": "v"}])
    assert error["Code"] == "InvalidInstanceID.NotFound"
    assert west.describe_tags()["Tags"] == []


def test_malformed_resource_id(ec2: Any, tagged: dict[str, str]) -> None:
    error = refused(ec2, ec2.create_tags, Resources=[tagged["a"], "nonsense"], Tags=[{"Key": "k", "Value": "v"}])
    assert error == {"Code": "InvalidID", "Message": "The ID 'nonsense' is not valid", "Status": 400}


def test_too_many_tags(ec2: Any, tagged: dict[str, str]) -> None:
    many = [{"Key": f"k{n}", "Value": "v"} for n in range(49)]
    error = refused(ec2, ec2.create_tags, Resources=[tagged["a"]], Tags=many)
    assert error["Code"] == "TagLimitExceeded"
    ec2.create_tags(Resources=[tagged["a"]], Tags=many[:48])
    assert len(tags_of(ec2, tagged["a"])) == 50


def test_create_tags_dry_run(ec2: Any, tagged: dict[str, str]) -> None:
    error = refused(ec2, ec2.create_tags, Resources=[tagged["a"]], Tags=[{"Key": "k", "Value": "v"}], DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)


# --------------------------------------------------------------------------- delete


def test_delete_by_key_any_value(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.delete_tags(Resources=[tagged["a"], tagged["c"]], Tags=[{"Key": "Env"}])
    assert tags_of(ec2, tagged["a"]) == {"Team": "core"}
    assert tags_of(ec2, tagged["c"]) == {"Name": "scratch"}
    assert tags_of(ec2, tagged["b"]) == {"Env": "prod", "Team": "core"}


def test_delete_by_key_and_value(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.delete_tags(Resources=[tagged["a"], tagged["c"]], Tags=[{"Key": "Env", "Value": "dev"}])
    assert tags_of(ec2, tagged["a"]) == {"Env": "prod", "Team": "core"}
    assert tags_of(ec2, tagged["c"]) == {"Name": "scratch"}


def test_delete_with_empty_value_only_deletes_empty_values(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.create_tags(Resources=[tagged["b"]], Tags=[{"Key": "Flag", "Value": ""}])
    ec2.delete_tags(Resources=[tagged["a"], tagged["b"]], Tags=[{"Key": "Flag", "Value": ""}, {"Key": "Env", "Value": ""}])
    assert tags_of(ec2, tagged["b"]) == {"Env": "prod", "Team": "core"}
    assert tags_of(ec2, tagged["a"]) == {"Env": "prod", "Team": "core"}


def test_delete_all_tags(ec2: Any, tagged: dict[str, str]) -> None:
    ec2.delete_tags(Resources=[tagged["a"]])
    instance = ec2.describe_instances(InstanceIds=[tagged["a"]])["Reservations"][0]["Instances"][0]
    assert "Tags" not in instance
    assert tags_of(ec2, tagged["b"]) == {"Env": "prod", "Team": "core"}


def test_delete_missing_key_is_fine(ec2: Any, tagged: dict[str, str]) -> None:
    before = snapshot(ec2)
    ec2.delete_tags(Resources=[tagged["a"]], Tags=[{"Key": "Nope"}])
    assert snapshot(ec2) == before


def test_delete_dry_run(ec2: Any, tagged: dict[str, str]) -> None:
    error = refused(ec2, ec2.delete_tags, Resources=[tagged["a"]], DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)


def test_delete_malformed_resource_id(ec2: Any, tagged: dict[str, str]) -> None:
    error = refused(ec2, ec2.delete_tags, Resources=[tagged["a"], "i-zz"], Tags=[{"Key": "Env"}])
    assert error["Code"] == "InvalidID"


# --------------------------------------------------------------------------- describe


def test_describe_tags_filters(ec2: Any, tagged: dict[str, str]) -> None:
    a, b, c, volume = tagged["a"], tagged["b"], tagged["c"], tagged["volume"]
    assert all_tags(ec2, Filters=[flt("key", "Team")]) == sorted(
        [(a, "instance", "Team", "core"), (b, "instance", "Team", "core")])
    assert {t[0] for t in all_tags(ec2, Filters=[flt("value", "prod")])} == {a, b, volume}
    assert all_tags(ec2, Filters=[flt("resource-id", c)]) == sorted(
        [(c, "instance", "Env", "dev"), (c, "instance", "Name", "scratch")])
    assert all_tags(ec2, Filters=[flt("resource-type", "volume")]) == [(volume, "volume", "Env", "prod")]
    assert len(all_tags(ec2, Filters=[flt("resource-type", "instance")])) == 6


def test_describe_tags_wildcards_or_and(ec2: Any, tagged: dict[str, str]) -> None:
    assert {t[2] for t in all_tags(ec2, Filters=[flt("key", "T*", "N?me")])} == {"Team", "Name"}
    assert {t[3] for t in all_tags(ec2, Filters=[flt("value", "*o*")])} == {"prod", "core"}
    both = all_tags(ec2, Filters=[flt("key", "Env"), flt("resource-type", "instance"), flt("value", "prod")])
    assert both == sorted([(tagged["a"], "instance", "Env", "prod"), (tagged["b"], "instance", "Env", "prod")])
    assert all_tags(ec2, Filters=[flt("key", "Team"), flt("value", "dev")]) == []


def test_describe_tags_tag_key_filter(ec2: Any, tagged: dict[str, str]) -> None:
    assert all_tags(ec2, Filters=[flt("tag:Env", "dev")]) == [(tagged["c"], "instance", "Env", "dev")]


@pytest.mark.parametrize("name", ["bogus", "tag-key", "resource_type"])
def test_describe_tags_unknown_filter(ec2: Any, tagged: dict[str, str], name: str) -> None:
    error = error_of(ec2.describe_tags, Filters=[flt(name, "x")])
    assert error == {"Code": "InvalidParameterValue", "Message": f"The filter '{name}' is invalid", "Status": 400}


def test_describe_tags_paging(ec2: Any) -> None:
    ids = launch(ec2, 4)
    ec2.create_tags(Resources=ids, Tags=[{"Key": f"k{n}", "Value": str(n)} for n in range(3)])
    expected = sorted((i, f"k{n}") for i in ids for n in range(3))
    seen: list[tuple[str, str]] = []
    kwargs: dict[str, Any] = {"MaxResults": 5}
    while True:
        page = ec2.describe_tags(**kwargs)
        assert len(page["Tags"]) <= 5
        seen.extend((t["ResourceId"], t["Key"]) for t in page["Tags"])
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == expected and len(seen) == 12
    paginator = ec2.get_paginator("describe_tags")
    via_paginator = [
        (t["ResourceId"], t["Key"])
        for page in paginator.paginate(Filters=[flt("key", "k1", "k2")], PaginationConfig={"PageSize": 5})
        for t in page["Tags"]
    ]
    assert sorted(via_paginator) == [e for e in expected if e[1] != "k0"]


def test_describe_tags_dry_run(ec2: Any, tagged: dict[str, str]) -> None:
    error = error_of(ec2.describe_tags, DryRun=True, Filters=[flt("key", "Env")])
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
    error = error_of(ec2.describe_tags, DryRun=True, Filters=[flt("bogus", "x")])
    assert error["Message"] == "The filter 'bogus' is invalid"


def test_describe_tags_max_results_below_five(ec2: Any) -> None:
    error = error_of(ec2.describe_tags, MaxResults=4)
    assert error["Code"] == "InvalidParameterValue"


def test_describe_tags_is_per_region(ec2: Any, make_client: Any, tagged: dict[str, str]) -> None:
    west = make_client("us-west-2")
    west_id = launch(west)[0]
    west.create_tags(Resources=[west_id], Tags=[{"Key": "Env", "Value": "west"}])
    assert all_tags(west) == [(west_id, "instance", "Env", "west")]
    assert west_id not in {t[0] for t in all_tags(ec2)}


# --------------------------------------------------------------------------- lifetime


def test_tags_stay_on_a_terminated_instance_while_listed(ec2: Any, clock: Any, tagged: dict[str, str]) -> None:
    a = tagged["a"]
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[a])
    clock.advance(10)
    assert states(ec2, [a]) == {a: "terminated"}
    assert tags_of(ec2, a) == {"Env": "prod", "Team": "core"}
    assert {t[2] for t in all_tags(ec2, Filters=[flt("resource-id", a)])} == {"Env", "Team"}
    found = ec2.describe_instances(Filters=[flt("tag:Team", "core"), flt("instance-state-name", "terminated")])
    assert [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]] == [a]
    clock.advance(3000)
    assert tags_of(ec2, a) == {"Env": "prod", "Team": "core"}
    clock.advance(700)
    assert all_tags(ec2, Filters=[flt("resource-id", a)]) == []
    error = error_of(ec2.describe_instances, InstanceIds=[a])
    assert error["Code"] == "InvalidInstanceID.NotFound"
    assert tags_of(ec2, tagged["b"]) == {"Env": "prod", "Team": "core"}


def test_deleted_root_volume_takes_its_tags(ec2: Any, clock: Any, tagged: dict[str, str]) -> None:
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[tagged["a"]])
    clock.advance(10)
    assert all_tags(ec2, Filters=[flt("resource-id", tagged["volume"])]) == []


def test_tagging_an_aged_out_instance_is_not_found(ec2: Any, clock: Any, tagged: dict[str, str]) -> None:
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[tagged["c"]])
    clock.advance(4000)
    error = refused(ec2, ec2.create_tags, Resources=[tagged["c"]], Tags=[{"Key": "k", "Value": "v"}])
    assert error["Code"] == "InvalidInstanceID.NotFound"
