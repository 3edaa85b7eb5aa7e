"""The instances page: EC2's filters and paging, live states, and actions on the
selection run as the principal — the per-zone protection rule and the audit trail apply."""

from __future__ import annotations

import json
import re

from ec2emu.app import Emulator
from tests.console.client import ConsoleClient
from tests.console.conftest import OWNER, ROOT_A, Make, new_user
from tests.helpers import launch, states
from tests.services.cloudtrail.conftest import record_of


def rows(page_text: str) -> list[str]:
    return re.findall(r'<tr data-id="(i-[0-9a-f]+)"', page_text)


def act(client: ConsoleClient, action: str, ids: list[str]) -> tuple[int, dict]:
    csrf = client.get(f"instances?account={OWNER}").csrf()
    page = client.post("instances/action", [("action", action), ("account", OWNER), *[("id", i) for i in ids]],
                       accept="application/json", **{"x-csrf-token": csrf})
    return page.status, json.loads(page.text)


def test_table_shows_each_column_and_state_with_text_and_spinner(app: Emulator, make: Make,
                                                                 admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [web] = launch(ec2, TagSpecifications=[{"ResourceType": "instance",
                                            "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "team", "Value": "a"}]}],
                   DisableApiTermination=True)
    page = admin.get(f"instances?account={OWNER}")
    row = page.text.split(f'<tr data-id="{web}">')[1].split("</tr>")[0]
    described = ec2.describe_instances(InstanceIds=[web])["Reservations"][0]["Instances"][0]
    for shown in (web, ">web<", "t3.micro", described["Placement"]["AvailabilityZone"],
                  described["PrivateIpAddress"], "termination", "team=a", 'class="spinner"', ">pending</span>"):
        assert shown in row, shown
    app.advance(10)
    row = admin.get(f"instances?account={OWNER}").text.split(f'<tr data-id="{web}">')[1].split("</tr>")[0]
    assert ">running</span>" in row and "spinner" not in row


def test_ec2_filter_names_choose_the_rows(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [web] = launch(ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
    [db] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"})
    app.advance(10)
    ec2.stop_instances(InstanceIds=[db])
    by_tag = admin.get(f"instances?account={OWNER}&filters=tag%3AName%3Dweb")
    assert rows(by_tag.text) == [web]
    by_state = admin.get(f"instances?account={OWNER}&filters=instance-state-name%3Dstopping%2Cstopped")
    assert rows(by_state.text) == [db]
    by_zone = admin.get(f"instances?account={OWNER}&filters=availability-zone%3Dus-east-1b")
    assert rows(by_zone.text) == [db]
    bad = admin.get(f"instances?account={OWNER}&filters=no-such-filter%3Dx")
    assert bad.status == 200 and "InvalidParameterValue" in bad.text and "no-such-filter" in bad.text
    assert rows(bad.text) == []


def test_paging_is_server_side(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    launched = set(launch(ec2, 60))
    first = admin.get(f"instances?account={OWNER}")
    assert len(rows(first.text)) == 50
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert following
    second = admin.get(following.group(1).replace("&amp;", "&"))
    assert len(rows(second.text)) == 10 and 'rel="next"' not in second.text
    assert set(rows(first.text)) | set(rows(second.text)) == launched


def test_states_route_answers_what_the_page_polls(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ids = launch(make(ROOT_A), 2)
    ask = f"instances/states?account={OWNER}&id={ids[0]}&id={ids[1]}&id=i-0000000000000dead"
    assert json.loads(admin.get(ask, accept="application/json").text)["states"] == dict.fromkeys(ids, "pending")
    app.advance(10)
    answer = json.loads(admin.get(ask, accept="application/json").text)
    assert answer == {"states": dict.fromkeys(ids, "running"), "protection": dict.fromkeys(ids, "none")}


def test_terminate_names_the_protected_instance_and_goes_ahead_in_other_zones(app: Emulator, make: Make,
                                                                              admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [a] = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})
    [b] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"})
    [c] = launch(ec2, Placement={"AvailabilityZone": "us-east-1c"}, DisableApiTermination=True)
    app.advance(10)
    status, body = act(admin, "terminate", [a, b, c])
    assert status == 400
    [error] = body["errors"]
    assert error["code"] == "OperationNotPermitted" and c in error["message"]
    assert states(ec2, [a, b, c]) == {a: "shutting-down", b: "shutting-down", c: "running"}
    status, body = act(admin, "termination-protection-off", [c])
    assert status == 200 and body["errors"] == []
    assert act(admin, "terminate", [c])[0] == 200
    assert states(ec2, [c]) == {c: "shutting-down"}
    app.flush_trail()
    record = record_of(make, ROOT_A, "TerminateInstances")
    assert record["userAgent"] == "ec2emu-console"
    assert record["userIdentity"]["arn"] == f"arn:aws:iam::{OWNER}:root"


def test_stop_start_reboot_and_protection_go_through_ec2(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [one] = launch(ec2)
    app.advance(10)
    assert act(admin, "stop-protection-on", [one])[0] == 200
    assert ec2.describe_instance_attribute(InstanceId=one, Attribute="disableApiStop")["DisableApiStop"]["Value"]
    status, body = act(admin, "stop", [one])
    assert status == 400 and body["errors"][0]["code"] == "OperationNotPermitted" and one in body["errors"][0]["message"]
    assert act(admin, "stop-protection-off", [one])[0] == 200
    assert act(admin, "stop", [one]) == (200, {"action": "stop", "changed": [{"id": one, "state": "stopping"}],
                                              "errors": []})
    app.advance(10)
    assert act(admin, "start", [one])[1]["changed"] == [{"id": one, "state": "pending"}]
    app.advance(10)
    assert act(admin, "reboot", [one])[0] == 200
    assert act(admin, "termination-protection-on", [one])[0] == 200
    row = admin.get(f"instances?account={OWNER}").text.split(f'<tr data-id="{one}">')[1].split("</tr>")[0]
    assert '<span class="protection">termination</span>' in row
    assert act(admin, "explode", [one])[0] == 400
    assert act(admin, "stop", [])[0] == 400


def test_a_user_allowed_to_stop_only_tagged_instances_is_refused_the_others(app: Emulator, make: Make) -> None:
    ec2 = make(ROOT_A)
    [mine] = launch(ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "a"}]}])
    [other] = launch(ec2)
    app.advance(10)
    key = new_user(make, "operator", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
                   {"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}})
    user = ConsoleClient(app)
    user.sign_in(access_key_id=key[0], secret_access_key=key[1])
    assert act(user, "stop", [mine])[0] == 200
    status, body = act(user, "stop", [other])
    assert status == 400 and body["errors"][0]["code"] == "UnauthorizedOperation"
    assert states(ec2, [mine, other]) == {mine: "stopping", other: "running"}


def test_the_admin_is_offered_the_known_accounts_and_a_key_only_its_own(app: Emulator, make: Make,
                                                                       admin: ConsoleClient) -> None:
    offered = re.findall(r'<option value="(\d{12})">', admin.get("instances").text)
    assert offered == ["000000000000", "111111111111", "222222222222"]
    key = new_user(make, "reader", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    user = ConsoleClient(app)
    user.sign_in(access_key_id=key[0], secret_access_key=key[1])
    page = user.get("instances").text
    assert re.findall(r'<option value="(\d{12})">', page) == []
    assert f'value="{OWNER}" readonly' in page
