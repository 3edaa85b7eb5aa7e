"""What every Describe call's filters share, through boto3: wildcards (``*`` any run of
characters, ``?`` one character or none), escapes (``\\*``, ``\\?``, ``\\\\``) in the
store's queries and in catalogues matched in memory, and EC2's error for a filter name
the call does not know."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from tests.helpers import error_of, image_id, launch

LITERAL = "*amazon?\\"
TRICKY = [LITERAL, "xamazonx\\", "*amazon?", "amazon", "*amazon\\", "web-", "web-1", "web-12", "a\\b"]


def tagged_volumes(ec2: Any) -> dict[str, str]:
    """A volume tagged ``Label`` with each of :data:`TRICKY`: label -> volume ID."""
    made = {}
    for label in TRICKY:
        volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, TagSpecifications=[
            {"ResourceType": "volume", "Tags": [{"Key": "Label", "Value": label}]}])
        made[label] = volume["VolumeId"]
    return made


def labels(ec2: Any, made: dict[str, str], *values: str, name: str = "tag:Label") -> set[str]:
    volumes = ec2.describe_volumes(Filters=[{"Name": name, "Values": list(values)}])["Volumes"]
    by_id = {volume_id: label for label, volume_id in made.items()}
    return {by_id[v["VolumeId"]] for v in volumes}


def test_escapes_match_literal_wildcards_and_backslashes(ec2: Any) -> None:
    made = tagged_volumes(ec2)
    assert labels(ec2, made, "\\*amazon\\?\\\\") == {LITERAL}
    assert labels(ec2, made, "\\*amazon\\?") == {"*amazon?"}
    assert labels(ec2, made, "\\**") == {LITERAL, "*amazon?", "*amazon\\"}
    assert labels(ec2, made, "*\\\\") == {LITERAL, "xamazonx\\", "*amazon\\"}
    assert labels(ec2, made, "*?amazon?*") == set(TRICKY) - {"web-", "web-1", "web-12", "a\\b"}
    # A backslash before another character is itself.
    assert labels(ec2, made, "a\\b") == {"a\\b"}
    assert labels(ec2, made, "a\\?") == set()


def test_question_mark_is_one_character_or_none(ec2: Any) -> None:
    made = tagged_volumes(ec2)
    assert labels(ec2, made, "web-?") == {"web-", "web-1"}
    assert labels(ec2, made, "web-??") == {"web-", "web-1", "web-12"}
    assert labels(ec2, made, "?amazon") == {"amazon"}
    assert labels(ec2, made, "*amazon?") == {"*amazon?", "*amazon\\", "amazon"}
    # Many optional characters apart: more spellings than LIKE is given, matched alike.
    assert labels(ec2, made, "?w?e?b?-?1?") == {"web-1", "web-12"}
    assert labels(ec2, made, "?w?e?b?-?1?2?") == {"web-12"}


def test_escapes_on_a_store_column_and_in_memory(ec2: Any, clock: Any) -> None:
    snapshot_volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    clock.advance(60)
    literal = ec2.create_snapshot(VolumeId=snapshot_volume, Description=LITERAL)["SnapshotId"]
    other = ec2.create_snapshot(VolumeId=snapshot_volume, Description="xamazonx\\")["SnapshotId"]

    def snapshots(value: str) -> set[str]:
        found = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "description", "Values": [value]}])
        return {s["SnapshotId"] for s in found["Snapshots"]}

    assert snapshots("\\*amazon\\?\\\\") == {literal}
    assert snapshots("?amazon?\\\\") == {literal, other}
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.\\*"]}])
    assert images["Images"] == []
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*"]}])
    assert images["Images"]


def test_escapes_in_describe_tags(ec2: Any) -> None:
    made = tagged_volumes(ec2)
    tags = ec2.describe_tags(Filters=[{"Name": "value", "Values": ["\\*amazon\\?\\\\"]}])["Tags"]
    assert [(t["ResourceId"], t["Value"]) for t in tags] == [(made[LITERAL], LITERAL)]


def test_escapes_in_instance_filters(ec2: Any) -> None:
    first, second = launch(ec2, 2)
    ec2.create_tags(Resources=[first], Tags=[{"Key": "Path", "Value": "a*b"}])
    ec2.create_tags(Resources=[second], Tags=[{"Key": "Path", "Value": "aXb"}])
    found = ec2.describe_instances(Filters=[{"Name": "tag:Path", "Values": ["a\\*b"]}])
    assert [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]] == [first]


def _served_with_filters() -> list[str]:
    from ec2emu.services.registry import load

    served = load()["ec2"].operations
    model = botocore.session.get_session().get_service_model("ec2")
    return sorted(
        name for name in model.operation_names
        if name.startswith("Describe") and name in served
        and "Filters" in model.operation_model(name).input_shape.members
    )


@pytest.mark.parametrize("operation", _served_with_filters())
def test_an_unknown_filter_is_refused_by_every_describe_call(ec2: Any, operation: str) -> None:
    call = getattr(ec2, botocore.xform_name(operation))
    error = error_of(call, Filters=[{"Name": "no-such-filter", "Values": ["x"]}])
    assert error == {"Code": "InvalidParameterValue", "Message": "The filter 'no-such-filter' is invalid",
                     "Status": 400}


def test_instance_launch_is_unchanged_by_a_refused_filter(ec2: Any) -> None:
    launch(ec2, ImageId=image_id(ec2))
    before = ec2.describe_instances()["Reservations"]
    error_of(ec2.describe_instances, Filters=[{"Name": "affinity", "Values": ["default"]}])
    assert ec2.describe_instances()["Reservations"] == before
