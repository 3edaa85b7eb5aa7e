"""Delivery of EC2's events to rules' targets under ``ec2emu.mock()``: a Lambda
function's callback, a log group's file, retries on the emulated clock, dead letters,
accounts kept apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

import ec2emu
from tests.helpers import image_id
from tests.two_accounts import ACCOUNTS, KEYS, OTHER, OWNER

PATTERN = json.dumps({"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]})


def _rule(events: Any, *targets: dict[str, Any], name: str = "states", pattern: str = PATTERN) -> None:
    events.put_rule(Name=name, EventPattern=pattern)
    events.put_targets(Rule=name, Targets=list(targets))


def _state_changes(emulator: Any) -> list[dict[str, Any]]:
    """The outbox's instance state-change events (the calls' own events left out)."""
    return [e for e in emulator.events if e["detail-type"] == "EC2 Instance State-change Notification"]


def _clients() -> tuple[Any, Any]:
    return boto3.client("ec2", region_name="us-east-1"), boto3.client("events", region_name="us-east-1")


def test_a_function_gets_each_state_change_in_order_with_the_events_ids() -> None:
    with ec2emu.mock(pending_seconds=5, stopping_seconds=5, shutting_down_seconds=5) as emulator:
        ec2, events = _clients()
        got: list[dict[str, Any]] = []
        emulator.functions["record"] = got.append
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:record"})
        instance = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        assert got == []  # the request never delivers
        emulator.deliver()
        emulator.advance(5)
        ec2.stop_instances(InstanceIds=[instance])
        emulator.advance(5)
        ec2.terminate_instances(InstanceIds=[instance])
        emulator.advance(5)
        assert [e["detail"]["state"] for e in got] == ["pending", "running", "stopping", "stopped",
                                                      "shutting-down", "terminated"]
        assert [e["id"] for e in got] == [e["id"] for e in _state_changes(emulator)]
        assert all(e["detail"]["instance-id"] == instance for e in got)
        emulator.deliver()
        assert len(got) == 6  # each once


def test_a_failing_function_is_retried_on_the_emulated_clock_then_dead_lettered() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        seen: list[str] = []

        def fails(event: dict[str, Any]) -> None:
            seen.append(event["id"])
            raise RuntimeError("not today")

        emulator.functions["fails"] = fails
        dlq = "arn:aws:sqs:us-east-1:000000000000:dlq"
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:fails",
                       "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
                       "DeadLetterConfig": {"Arn": dlq}},
              pattern=json.dumps({"detail": {"state": ["pending"]}}))
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
        emulator.deliver()
        assert len(seen) == 1
        emulator.deliver()
        assert len(seen) == 1  # the retry waits for the emulated clock
        emulator.advance(1)
        assert len(seen) == 2
        emulator.advance(0.5)
        assert len(seen) == 2  # backing off: the second wait is 1 to 2 s
        emulator.advance(1.5)
        assert len(seen) == 3
        assert len(set(seen)) == 1  # one event, always its own id
        emulator.advance(600)
        assert len(seen) == 3
        [dead] = emulator.dead_letters()
        assert dead["event"]["id"] == seen[0]
        assert dead["dead_letter_arn"] == dlq
        assert dead["exhausted_retry_condition"] == "MaximumRetryAttempts"
        assert dead["retry_attempts"] == 2
        assert dead["error_code"] == "FUNCTION_ERROR"
        assert dead["error_message"] == "RuntimeError: not today"
        assert dead["rule_arn"] == "arn:aws:events:us-east-1:000000000000:rule/states"
        token = {"authorization": f"Bearer {emulator.admin_token}"}
        status, listed = emulator.admin.handle("GET", "/_ec2emu/dead-letters", token, b"", "r1", b"limit=5")
        assert (status, listed) == (200, {"dead_letters": [dead], "last": dead["id"]})
        status, listed = emulator.admin.handle("GET", "/_ec2emu/dead-letters", token, b"", "r2",
                                               f"after={dead['id']}".encode())
        assert (status, listed) == (200, {"dead_letters": [], "last": dead["id"]})
        assert emulator.admin.handle("GET", "/_ec2emu/dead-letters", token, b"", "r3", b"limit=0")[0] == 400
        assert emulator.admin.handle("GET", "/_ec2emu/dead-letters", {}, b"", "r4", b"")[0] == 401


def test_an_event_older_than_the_policy_allows_is_a_dead_letter() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        seen: list[str] = []

        def fails(event: dict[str, Any]) -> None:
            seen.append(event["id"])
            raise ValueError("no")

        emulator.functions["fails"] = fails
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:fails:live",
                       "RetryPolicy": {"MaximumEventAgeInSeconds": 60}},
              pattern=json.dumps({"detail": {"state": ["pending"]}}))
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
        emulator.deliver()
        emulator.advance(61)
        assert len(seen) == 1  # too old when its retry fell due: not tried again
        [dead] = emulator.dead_letters()
        assert dead["exhausted_retry_condition"] == "MaximumEventAgeInSeconds"
        assert (dead["error_code"], dead["retry_attempts"]) == ("FUNCTION_ERROR", 0)


def test_an_unregistered_function_is_a_dead_letter_at_once() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:nobody"},
              pattern=json.dumps({"detail": {"state": ["pending"]}}))
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
        emulator.deliver()
        [dead] = emulator.dead_letters()
        assert dead["error_code"] == "NO_RESOURCE"
        assert "nobody" in dead["error_message"]
        assert dead["retry_attempts"] == 0


def test_a_log_group_gets_one_json_line_per_event(tmp_path: Path) -> None:
    with ec2emu.mock(state_dir=tmp_path) as emulator:
        ec2, events = _clients()
        _rule(events, {"Id": "logs", "Arn": "arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/states"},
              {"Id": "const", "Arn": "arn:aws:logs:us-east-1:000000000000:log-group:constant:*",
               "Input": '{"fixed": true}'})
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=2)
        emulator.deliver()
        folder = tmp_path / "event-logs" / "000000000000" / "us-east-1"
        lines = (folder / "%2Faws%2Fevents%2Fstates.jsonl").read_text().splitlines()
        assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in _state_changes(emulator)]
        assert (folder / "constant.jsonl").read_text().splitlines() == ['{"fixed":true}'] * 2


def test_a_disabled_rule_and_an_unmatched_pattern_deliver_nothing() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        got: list[dict[str, Any]] = []
        emulator.functions["f"] = got.append
        target = {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:f"}
        _rule(events, target, name="off")
        events.disable_rule(Name="off")
        _rule(events, target, name="other", pattern=json.dumps({"source": ["aws.s3"]}))
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
        emulator.deliver()
        assert got == []


def test_rules_of_one_account_never_get_anothers_events() -> None:
    with ec2emu.mock(auth_mode="strict", accounts_file=ACCOUNTS) as emulator:
        got: dict[str, list[dict[str, Any]]] = {OWNER: [], OTHER: []}
        ec2s = {}
        for account in (OWNER, OTHER):
            key, secret = KEYS[account]
            session = boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
            ec2s[account] = session.client("ec2")
            emulator.functions[f"f{account}"] = got[account].append
            _rule(session.client("events"),
                  {"Id": "fn", "Arn": f"arn:aws:lambda:us-east-1:{account}:function:f{account}"})
        ec2 = ec2s[OWNER]
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
        emulator.deliver()
        assert [e["account"] for e in got[OWNER]] == [OWNER]
        assert got[OTHER] == []
        other = ec2s[OTHER]
        other.run_instances(ImageId=image_id(other), MinCount=1, MaxCount=1)
        emulator.deliver()
        assert [e["account"] for e in got[OTHER]] == [OTHER]
        assert len(got[OWNER]) == 1


def test_events_no_rule_can_match_are_passed_over_and_the_rest_delivered_each_once_in_order() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        west = boto3.client("ec2", region_name="us-west-2")
        got: list[dict[str, Any]] = []
        emulator.functions["record"] = got.append
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:record"})
        launched = []
        for _ in range(3):  # more than a page of matched events, between pages of passed-over ones
            west.run_instances(ImageId=image_id(west), MinCount=800, MaxCount=800)
            reply = ec2.run_instances(ImageId=image_id(ec2), MinCount=60, MaxCount=60)
            launched += [instance["InstanceId"] for instance in reply["Instances"]]
        emulator.deliver()
        assert [e["detail"]["instance-id"] for e in got] == launched
        assert {e["region"] for e in got} == {"us-east-1"}
        emulator.deliver()
        assert len(got) == len(launched)
        # A rule made later gets the events after it, not those passed over before.
        west_events = boto3.client("events", region_name="us-west-2")
        _rule(west_events, {"Id": "fn", "Arn": "arn:aws:lambda:us-west-2:000000000000:function:record"})
        [later] = west.run_instances(ImageId=image_id(west), MinCount=1, MaxCount=1)["Instances"]
        emulator.deliver()
        assert [e["detail"]["instance-id"] for e in got[len(launched):]] == [later["InstanceId"]]


def test_with_no_rule_enabled_anywhere_the_events_are_passed_over_at_once() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        got: list[dict[str, Any]] = []
        emulator.functions["record"] = got.append
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:record"})
        events.disable_rule(Name="states")  # a rule, but none enabled
        ec2.run_instances(ImageId=image_id(ec2), MinCount=5, MaxCount=5)
        emulator.deliver()
        newest = emulator.store.transaction(lambda uow: uow.outbox.newest(), read_only=True)
        assert emulator.store.transaction(lambda uow: uow.deliveries.cursor("rules"), read_only=True) == newest
        assert emulator.delivery.idle()
        # Enabled again, the rule gets what comes after, not what was passed over.
        events.enable_rule(Name="states")
        [later] = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"]
        emulator.deliver()
        assert [e["detail"]["instance-id"] for e in got] == [later["InstanceId"]]


def _cursor_and_newest(emulator: Any) -> tuple[int, int]:
    return emulator.store.transaction(lambda uow: (uow.deliveries.cursor("rules"), uow.outbox.newest()),
                                      read_only=True)


def test_while_no_rule_is_enabled_waiting_events_are_no_work_and_the_first_rule_enabled_skips_them() -> None:
    with ec2emu.mock() as emulator:
        ec2, events = _clients()
        got: list[dict[str, Any]] = []
        emulator.functions["record"] = got.append
        ec2.run_instances(ImageId=image_id(ec2), MinCount=3, MaxCount=3)
        cursor, newest = _cursor_and_newest(emulator)
        assert newest > cursor and emulator.delivery.idle()  # they wait, and nothing is to be done
        # The first rule enabled (PutRule) moves the cursor past them in its own transaction.
        _rule(events, {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:record"})
        assert _cursor_and_newest(emulator)[0] == newest
        [first] = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"]
        assert not emulator.delivery.idle()
        emulator.deliver()
        assert [e["detail"]["instance-id"] for e in got] == [first["InstanceId"]]
        # Disabled, then enabled again (EnableRule) with events stored in between: the same.
        events.disable_rule(Name="states")
        ec2.run_instances(ImageId=image_id(ec2), MinCount=2, MaxCount=2)
        assert emulator.delivery.idle()
        events.enable_rule(Name="states")
        [second] = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"]
        emulator.deliver()
        assert [e["detail"]["instance-id"] for e in got] == [first["InstanceId"], second["InstanceId"]]


def test_while_no_rule_is_enabled_the_retention_still_forgets_the_events_past_it() -> None:
    with ec2emu.mock() as emulator:
        ec2, _ = _clients()
        ec2.run_instances(ImageId=image_id(ec2), MinCount=2, MaxCount=2)  # pending, then running: 4 events
        emulator.clock.advance(8 * 86400)  # the clock alone: no delivery pass, as a server's thread sees it
        emulator.settle()
        cursor, newest = _cursor_and_newest(emulator)
        assert newest > cursor and emulator.delivery.idle()
        forgotten, _ = emulator.delivery.prune()  # passed over first, then forgotten
        assert forgotten >= 4
        assert _cursor_and_newest(emulator) == (newest, 0)
