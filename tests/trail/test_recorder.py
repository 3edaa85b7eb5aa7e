"""The recorder: calls queue without touching the database, a full queue drops its oldest
call and counts it, a flush stores a batch in one transaction of its own, a call
refused and rolled back is recorded all the same, a batch the database refuses waits
for the next flush, and without a timer a full batch is flushed as calls come."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import sqlalchemy as sa

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.services.cloudtrail.record_text import shown_record
from ec2emu.trail import recorder as recorder_module
from tests.conftest import NO_RETRY
from tests.helpers import error_of


def _stored(emulator: Emulator) -> list[dict[str, Any]]:
    """The stored records, each made whole as LookupEvents shows it."""
    with emulator.store.unit_of_work() as uow:
        rows = uow.conn.execute(sa.text("SELECT * FROM trail_events ORDER BY event_time, seq")).mappings()
        return [json.loads(shown_record(row)) for row in rows]


def test_calls_wait_in_the_queue_until_a_flush_stores_them(emulator: Emulator, ec2: Any) -> None:
    ec2.describe_vpcs()
    ec2.describe_subnets()
    assert _stored(emulator) == [] and len(emulator.recorder.queue) == 2
    assert emulator.flush_trail() == 2
    assert [record["eventName"] for record in _stored(emulator)] == ["DescribeVpcs", "DescribeSubnets"]
    assert emulator.recorder.queue == type(emulator.recorder.queue)(maxlen=emulator.recorder.queue.maxlen)
    assert emulator.flush_trail() == 0


def test_a_refused_call_is_recorded_though_its_transaction_rolled_back(emulator: Emulator, ec2: Any) -> None:
    assert error_of(ec2.create_vpc, CidrBlock="10.0.0.0/8")["Code"] == "InvalidVpc.Range"
    emulator.flush_trail()
    [record] = _stored(emulator)
    assert (record["eventName"], record["errorCode"]) == ("CreateVpc", "Client.InvalidVpc.Range")
    assert ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/8"]}])["Vpcs"] == []


def test_a_full_queue_drops_its_oldest_call_and_counts_it(emulator: Emulator, ec2: Any) -> None:
    emulator.recorder.timer_running = True  # as in a server: no flush as calls come
    emulator.recorder.queue = type(emulator.recorder.queue)(maxlen=2)
    for _ in range(2):
        ec2.describe_vpcs()
    ec2.describe_subnets()
    assert emulator.recorder.dropped == 1
    emulator.flush_trail()
    assert [record["eventName"] for record in _stored(emulator)] == ["DescribeVpcs", "DescribeSubnets"]


def test_without_a_timer_a_full_batch_is_flushed_as_calls_come(emulator: Emulator, ec2: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recorder_module, "BATCH", 3)
    for _ in range(3):
        ec2.describe_vpcs()
    assert len(_stored(emulator)) == 3 and not emulator.recorder.queue


def test_a_batch_the_database_refuses_waits_for_the_next_flush(emulator: Emulator, ec2: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ec2.describe_vpcs()
    real = emulator.store.transaction

    def refuse(work: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(emulator.store, "transaction", refuse)
    assert emulator.flush_trail() == 0 and len(emulator.recorder.queue) == 1
    monkeypatch.setattr(emulator.store, "transaction", real)
    assert emulator.flush_trail() == 1
    assert [record["eventName"] for record in _stored(emulator)] == ["DescribeVpcs"]


def test_unauthenticated_requests_are_not_recorded(emulator: Emulator) -> None:
    stranger = InProcessTransport(emulator).attach(boto3.client(
        "ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id="test",
        aws_secret_access_key="wrong", config=NO_RETRY))
    assert error_of(stranger.describe_vpcs)["Code"] == "SignatureDoesNotMatch"
    emulator.flush_trail()
    assert _stored(emulator) == []



def test_one_name_under_two_types_is_looked_up_by_either(emulator: Emulator) -> None:
    iam = InProcessTransport(emulator).attach(boto3.client(
        "iam", region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id="test",
        aws_secret_access_key="test", config=NO_RETRY))
    assert error_of(iam.add_user_to_group, GroupName="same", UserName="same")["Code"] == "NoSuchEntity"
    assert emulator.flush_trail() == 1  # stored, not refused by the name's key
    trail = InProcessTransport(emulator).attach(boto3.client(
        "cloudtrail", region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id="test",
        aws_secret_access_key="test", config=NO_RETRY))
    [event] = trail.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": "same"}])[
        "Events"]
    assert sorted((r["ResourceType"], r["ResourceName"]) for r in event["Resources"]) == [
        ("AWS::IAM::Group", "same"), ("AWS::IAM::User", "same")]


def test_a_record_is_stored_without_what_its_columns_hold_and_shown_whole(
        emulator: Emulator, make_client: Any) -> None:
    cloudtrail = make_client(service="cloudtrail")
    make_client().describe_vpcs()
    emulator.flush_trail()
    with emulator.store.unit_of_work() as uow:
        [stored] = uow.conn.execute(sa.text("SELECT record FROM trail_events")).scalars()
    [event] = cloudtrail.lookup_events()["Events"]
    shown = json.loads(event["CloudTrailEvent"])
    assert list(json.loads(stored)) == ["userIdentity", "sourceIPAddress", "userAgent", "requestParameters",
                                        "responseElements", "requestID"]
    assert list(shown) == ["eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
                           "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "requestID",
                           "eventID", "readOnly", "eventType", "managementEvent", "recipientAccountId",
                           "eventCategory"]
    assert {key: shown[key] for key in json.loads(stored)} == json.loads(stored)
    assert (shown["eventName"], shown["eventSource"], shown["eventID"], shown["readOnly"]) == (
        "DescribeVpcs", "ec2.amazonaws.com", event["EventId"], True)


def test_a_record_stored_whole_is_shown_as_stored(emulator: Emulator, make_client: Any) -> None:
    cloudtrail = make_client(service="cloudtrail")
    make_client().describe_vpcs()
    emulator.flush_trail()
    vpcs = [{"AttributeKey": "EventName", "AttributeValue": "DescribeVpcs"}]
    [event] = cloudtrail.lookup_events(LookupAttributes=vpcs)["Events"]
    whole = event["CloudTrailEvent"]
    with emulator.store.unit_of_work() as uow:  # as the trail's first version stored a record
        uow.conn.execute(sa.text("UPDATE trail_events SET record = :record WHERE event_id = :id"),
                         {"record": whole, "id": event["EventId"]})
    assert cloudtrail.lookup_events(LookupAttributes=vpcs)["Events"][0]["CloudTrailEvent"] == whole
