"""The crash torture's writer load and its ledger.

Each :class:`Actor` is a client thread with resources of its own (instances, volumes,
security groups, addresses, EventBridge rules), so the order of its calls is the order
they took effect in. It keeps a model of what the server has acknowledged: a call
answered with success changes the model as the answer says; a call refused with an
AWS error (4xx) changes nothing; a call whose answer never came (the connection cut, a
5xx while the database is down) is *in doubt*, and the actor stops there.

After the server (or its database) has been killed and started again,
:meth:`Actor.reconcile` settles the doubt against what the server now shows: it must
have been applied whole or not at all (a launch of two instances has both or neither,
each tagged; a CreateTags of two tags on two resources has all four or none; …), and
the model takes whichever it was. Then :meth:`Actor.verify` checks that everything
acknowledged is there, exactly as the model says, and :func:`check_events` that the
outbox holds each instance's state changes once each, in order.

The instances' timings are those of :data:`TIMINGS`: launches and stops are over at
once, a termination lasts an hour, so every state the model predicts holds still for
the test's whole length.
"""

from __future__ import annotations

import json
import random
import threading
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

TIMINGS = ["--pending-seconds", "0", "--stopping-seconds", "0", "--shutting-down-seconds", "3600"]
TOKEN = "test-admin-token"
CLIENT_CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
ZONE = "us-east-1a"
# What a state change's effect settles to with the timings above.
SETTLED = {"pending": "running", "stopping": "stopped"}


class InDoubt(Exception):
    """A call whose outcome the client never learnt."""


def clients(endpoint: str) -> tuple[Any, Any]:
    session = boto3.session.Session()  # one per thread: the default session is not thread-safe

    def make(service: str) -> Any:
        return session.client(service, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                            aws_secret_access_key="test", config=CLIENT_CONFIG)
    return make("ec2"), make("events")


def call(method: Callable[..., Any], **kwargs: Any) -> Any:
    """``method(**kwargs)``; an AWS error (4xx) is raised as it is, anything that leaves
    the outcome unknown as :class:`InDoubt`."""
    try:
        return method(**kwargs)
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500:
            raise InDoubt(str(error)) from error
        raise
    except (BotoCoreError, OSError) as error:
        raise InDoubt(str(error)) from error


@dataclass
class Instance:
    state: str
    tags: dict[str, str]
    no_terminate: bool = False
    no_stop: bool = False
    # Each state's number of events the outbox must hold.
    emitted: Counter[str] = field(default_factory=Counter)


@dataclass
class Doubt:
    """The call in doubt and what it would have changed."""

    kind: str
    detail: dict[str, Any]


class Actor:
    """One client thread with its own resources and model of them."""

    def __init__(self, name: str, seed: int) -> None:
        self.name = name
        self.rng = random.Random(seed)
        self.instances: dict[str, Instance] = {}
        self.volumes: dict[str, str] = {}  # id -> the token tag
        self.groups: dict[str, set[str]] = {}  # id -> the CIDRs allowed on port 22
        self.addresses: dict[str, str] = {}  # allocation id -> the token tag
        self.rules: dict[str, set[str]] = {}  # name -> target ids
        self.doubt: Doubt | None = None
        self.acknowledged = 0
        self.image = ""
        self._n = 0

    def _token(self) -> str:
        self._n += 1
        return f"{self.name}-{self._n}-{uuid.uuid4().hex[:6]}"

    # ------------------------------------------------------------------ the load
    def run(self, endpoint: str, stop: threading.Event) -> None:
        """Call until ``stop`` is set or a call is in doubt."""
        ec2, events = clients(endpoint)
        if not self.image:
            try:
                self.image = call(ec2.describe_images, Owners=["amazon"])["Images"][0]["ImageId"]
            except InDoubt:
                return  # the server is gone already: a read, nothing in doubt
        steps = [self.launch, self.launch, self.tag, self.protect, self.stop, self.start, self.terminate,
                 self.create_volume, self.delete_volume, self.create_group, self.authorize,
                 self.allocate, self.release, self.put_rule, self.put_targets, self.delete_rule]
        while not stop.is_set() and self.doubt is None:
            step = self.rng.choice(steps)
            try:
                step(ec2, events)
                self.acknowledged += 1
            except ClientError:
                self.acknowledged += 1  # refused: nothing changed
            except InDoubt:
                pass  # self.doubt was set by the step

    def _doubtful(self, kind: str, detail: dict[str, Any], method: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return call(method, **kwargs)
        except InDoubt:
            self.doubt = Doubt(kind, detail)
            raise

    def _live(self) -> list[str]:
        return sorted(i for i, instance in self.instances.items() if instance.state != "shutting-down")

    def launch(self, ec2: Any, _events: Any) -> None:
        token = self._token()
        answer = self._doubtful("launch", {"token": token}, ec2.run_instances, ImageId=self.image,
                                InstanceType="t3.micro", MinCount=2, MaxCount=2, ClientToken=token,
                                TagSpecifications=[{"ResourceType": "instance", "Tags": [
                                    {"Key": "torture", "Value": token}, {"Key": "actor", "Value": self.name}]}])
        for instance in answer["Instances"]:
            self._adopt(instance["InstanceId"], token)

    def _adopt(self, instance_id: str, token: str) -> None:
        self.instances[instance_id] = Instance("running", {"torture": token, "actor": self.name},
                                               emitted=Counter(pending=1, running=1))

    def tag(self, ec2: Any, _events: Any) -> None:
        targets = self.rng.sample(self._live(), min(2, len(self._live())))
        if not targets:
            return
        token = self._token()
        tags = {"k1": token, f"k{self.rng.randint(2, 4)}": token}
        self._doubtful("tag", {"ids": targets, "tags": tags}, ec2.create_tags, Resources=targets,
                       Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
        for instance_id in targets:
            self.instances[instance_id].tags.update(tags)

    def protect(self, ec2: Any, _events: Any) -> None:
        if not self._live():
            return
        instance_id = self.rng.choice(self._live())
        which = self.rng.choice(["DisableApiTermination", "DisableApiStop"])
        value = self.rng.random() < 0.3
        self._doubtful("protect", {"id": instance_id, "which": which, "value": value},
                       ec2.modify_instance_attribute, InstanceId=instance_id, **{which: {"Value": value}})
        self._set_protection(instance_id, which, value)

    def _set_protection(self, instance_id: str, which: str, value: bool) -> None:
        instance = self.instances[instance_id]
        if which == "DisableApiTermination":
            instance.no_terminate = value
        else:
            instance.no_stop = value

    def _change(self, ec2: Any, kind: str, method: str) -> None:
        if not self._live():
            return
        instance_id = self.rng.choice(self._live())
        answer = self._doubtful(kind, {"id": instance_id}, getattr(ec2, method), InstanceIds=[instance_id])
        [change] = answer[next(key for key in answer if key.endswith("Instances"))]
        self._moved(instance_id, change["PreviousState"]["Name"], change["CurrentState"]["Name"])

    def _moved(self, instance_id: str, previous: str, current: str) -> None:
        instance = self.instances[instance_id]
        if previous != current:
            instance.emitted[current] += 1
            if current in SETTLED:
                instance.emitted[SETTLED[current]] += 1
        instance.state = SETTLED.get(current, current)

    def stop(self, ec2: Any, _events: Any) -> None:
        self._change(ec2, "stop", "stop_instances")

    def start(self, ec2: Any, _events: Any) -> None:
        self._change(ec2, "start", "start_instances")

    def terminate(self, ec2: Any, _events: Any) -> None:
        self._change(ec2, "terminate", "terminate_instances")

    def create_volume(self, ec2: Any, _events: Any) -> None:
        token = self._token()
        answer = self._doubtful("create_volume", {"token": token}, ec2.create_volume, AvailabilityZone=ZONE, Size=1,
                                TagSpecifications=[{"ResourceType": "volume",
                                                    "Tags": [{"Key": "torture", "Value": token}]}])
        self.volumes[answer["VolumeId"]] = token

    def delete_volume(self, ec2: Any, _events: Any) -> None:
        if not self.volumes:
            return
        volume_id = self.rng.choice(sorted(self.volumes))
        self._doubtful("delete_volume", {"id": volume_id}, ec2.delete_volume, VolumeId=volume_id)
        del self.volumes[volume_id]

    def create_group(self, ec2: Any, _events: Any) -> None:
        token = self._token()
        answer = self._doubtful("create_group", {"token": token}, ec2.create_security_group, GroupName=token,
                                Description="torture")
        self.groups[answer["GroupId"]] = set()

    def authorize(self, ec2: Any, _events: Any) -> None:
        if not self.groups:
            return
        group_id = self.rng.choice(sorted(self.groups))
        base = self.rng.randrange(0, 250, 2)
        cidrs = {f"10.{base}.0.0/16", f"10.{base + 1}.0.0/16"} - self.groups[group_id]
        if not cidrs:
            return
        self._doubtful("authorize", {"id": group_id, "cidrs": cidrs}, ec2.authorize_security_group_ingress,
                       GroupId=group_id, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                                         "IpRanges": [{"CidrIp": c} for c in sorted(cidrs)]}])
        self.groups[group_id] |= cidrs

    def allocate(self, ec2: Any, _events: Any) -> None:
        token = self._token()
        answer = self._doubtful("allocate", {"token": token}, ec2.allocate_address, Domain="vpc",
                                TagSpecifications=[{"ResourceType": "elastic-ip",
                                                    "Tags": [{"Key": "torture", "Value": token}]}])
        self.addresses[answer["AllocationId"]] = token

    def release(self, ec2: Any, _events: Any) -> None:
        if not self.addresses:
            return
        allocation = self.rng.choice(sorted(self.addresses))
        self._doubtful("release", {"id": allocation}, ec2.release_address, AllocationId=allocation)
        del self.addresses[allocation]

    def put_rule(self, _ec2: Any, events: Any) -> None:
        name = self._token()
        self._doubtful("put_rule", {"name": name}, events.put_rule, Name=name,
                       EventPattern=json.dumps({"source": ["aws.ec2"], "detail": {"state": ["terminated"]}}))
        self.rules[name] = set()

    def put_targets(self, _ec2: Any, events: Any) -> None:
        if not self.rules:
            return
        name = self.rng.choice(sorted(self.rules))
        token = self._token()
        ids = {f"{token}-a", f"{token}-b"}
        self._doubtful("put_targets", {"name": name, "ids": ids}, events.put_targets, Rule=name, Targets=[
            {"Id": target, "Arn": f"arn:aws:logs:us-east-1:123456789012:log-group:/torture/{target}"}
            for target in sorted(ids)])
        self.rules[name] |= ids

    def delete_rule(self, _ec2: Any, events: Any) -> None:
        empty = sorted(name for name, targets in self.rules.items() if not targets)
        if not empty:
            return
        name = self.rng.choice(empty)
        self._doubtful("delete_rule", {"name": name}, events.delete_rule, Name=name)
        del self.rules[name]

    # ------------------------------------------------------------------ after a restart
    def reconcile(self, ec2: Any, events: Any) -> str:
        """Settle the call in doubt against what the server shows (asserting it was
        applied whole or not at all); ``"applied"``, ``"not applied"`` or ``""`` (none)."""
        doubt, self.doubt = self.doubt, None
        if doubt is None:
            return ""
        applied = getattr(self, f"_reconcile_{doubt.kind}")(ec2, events, **doubt.detail)
        return "applied" if applied else "not applied"

    def _reconcile_launch(self, ec2: Any, _events: Any, token: str) -> bool:
        found = _instances(ec2, [{"Name": "client-token", "Values": [token]}])
        assert len(found) in (0, 2), f"a launch of 2 half-applied: {found}"
        for instance in found:
            assert _tags(instance) == {"torture": token, "actor": self.name}, instance
            self._adopt(instance["InstanceId"], token)
        return bool(found)

    def _reconcile_tag(self, ec2: Any, _events: Any, ids: list[str], tags: dict[str, str]) -> bool:
        shown = {instance["InstanceId"]: _tags(instance) for instance in _instances(ec2, ids=ids)}
        present = {(i, k) for i in ids for k, v in tags.items() if shown[i].get(k) == v}
        assert len(present) in (0, len(ids) * len(tags)), f"CreateTags half-applied: {present} of {tags} on {ids}"
        if present:
            for instance_id in ids:
                self.instances[instance_id].tags.update(tags)
        return bool(present)

    def _reconcile_protect(self, ec2: Any, _events: Any, id: str, which: str, value: bool) -> bool:
        shown = ec2.describe_instance_attribute(InstanceId=id, Attribute=which[0].lower() + which[1:])
        now = bool(shown[which]["Value"])
        self._set_protection(id, which, now)
        return now == value

    def _reconcile_state(self, ec2: Any, id: str, effect: str) -> bool:
        [instance] = _instances(ec2, ids=[id])
        shown = instance["State"]["Name"]
        before = self.instances[id].state
        if shown == before:
            return False
        assert shown == SETTLED.get(effect, effect), (id, before, shown, effect)
        self._moved(id, before, effect)
        return True

    def _reconcile_stop(self, ec2: Any, _events: Any, id: str) -> bool:
        return self._reconcile_state(ec2, id, "stopping")

    def _reconcile_start(self, ec2: Any, _events: Any, id: str) -> bool:
        return self._reconcile_state(ec2, id, "pending")

    def _reconcile_terminate(self, ec2: Any, _events: Any, id: str) -> bool:
        return self._reconcile_state(ec2, id, "shutting-down")

    def _reconcile_create_volume(self, ec2: Any, _events: Any, token: str) -> bool:
        found = ec2.describe_volumes(Filters=[{"Name": "tag:torture", "Values": [token]}])["Volumes"]
        assert len(found) <= 1, found
        for volume in found:
            self.volumes[volume["VolumeId"]] = token
        return bool(found)

    def _reconcile_delete_volume(self, ec2: Any, _events: Any, id: str) -> bool:
        if _volume_gone(ec2, id):
            del self.volumes[id]
            return True
        return False

    def _reconcile_create_group(self, ec2: Any, _events: Any, token: str) -> bool:
        found = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [token]}])["SecurityGroups"]
        assert len(found) <= 1, found
        for group in found:
            assert _ingress(group) == set(), group
            self.groups[group["GroupId"]] = set()
        return bool(found)

    def _reconcile_authorize(self, ec2: Any, _events: Any, id: str, cidrs: set[str]) -> bool:
        [group] = ec2.describe_security_groups(GroupIds=[id])["SecurityGroups"]
        present = _ingress(group) & cidrs
        assert present in (set(), cidrs), f"an ingress authorization half-applied: {present} of {cidrs}"
        self.groups[id] |= present
        return bool(present)

    def _reconcile_allocate(self, ec2: Any, _events: Any, token: str) -> bool:
        found = ec2.describe_addresses(Filters=[{"Name": "tag:torture", "Values": [token]}])["Addresses"]
        assert len(found) <= 1, found
        for address in found:
            self.addresses[address["AllocationId"]] = token
        return bool(found)

    def _reconcile_release(self, ec2: Any, _events: Any, id: str) -> bool:
        try:
            ec2.describe_addresses(AllocationIds=[id])
        except ClientError:
            del self.addresses[id]
            return True
        return False

    def _reconcile_put_rule(self, _ec2: Any, events: Any, name: str) -> bool:
        try:
            events.describe_rule(Name=name)
        except ClientError:
            return False
        self.rules[name] = set()
        return True

    def _reconcile_put_targets(self, _ec2: Any, events: Any, name: str, ids: set[str]) -> bool:
        present = {t["Id"] for t in events.list_targets_by_rule(Rule=name)["Targets"]} & ids
        assert present in (set(), ids), f"PutTargets half-applied: {present} of {ids}"
        self.rules[name] |= present
        return bool(present)

    def _reconcile_delete_rule(self, ec2: Any, events: Any, name: str) -> bool:
        if self._reconcile_put_rule(ec2, events, name):
            return False
        del self.rules[name]
        return True

    def verify(self, ec2: Any, events: Any) -> None:
        """Everything the model holds is there, as it says."""
        if self.instances:
            shown = {i["InstanceId"]: i for i in _instances(ec2, ids=sorted(self.instances))}
            for instance_id, model in self.instances.items():
                instance = shown[instance_id]
                assert instance["State"]["Name"] == model.state, (instance_id, instance["State"], model)
                assert _tags(instance) == model.tags, (instance_id, _tags(instance), model.tags)
                for which, expected in (("disableApiTermination", model.no_terminate),
                                        ("disableApiStop", model.no_stop)):
                    answer = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute=which)
                    assert answer[which[0].upper() + which[1:]]["Value"] is expected, (instance_id, which)
        if self.volumes:
            shown_volumes = ec2.describe_volumes(VolumeIds=sorted(self.volumes))["Volumes"]
            assert {v["VolumeId"]: _tags(v)["torture"] for v in shown_volumes} == self.volumes
        if self.groups:
            found = ec2.describe_security_groups(GroupIds=sorted(self.groups))["SecurityGroups"]
            assert {g["GroupId"]: _ingress(g) for g in found} == self.groups
        if self.addresses:
            found = ec2.describe_addresses(AllocationIds=sorted(self.addresses))["Addresses"]
            assert {a["AllocationId"]: _tags(a)["torture"] for a in found} == self.addresses
        for name, targets in self.rules.items():
            events.describe_rule(Name=name)
            assert {t["Id"] for t in events.list_targets_by_rule(Rule=name)["Targets"]} == targets


def _instances(ec2: Any, filters: list[dict[str, Any]] | None = None, ids: list[str] | None = None) -> list[Any]:
    kwargs: dict[str, Any] = {"Filters": filters} if filters else {"InstanceIds": ids}
    return [i for r in ec2.describe_instances(**kwargs)["Reservations"] for i in r["Instances"]]


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def _ingress(group: dict[str, Any]) -> set[str]:
    return {r["CidrIp"] for p in group["IpPermissions"] for r in p.get("IpRanges", [])}


def _volume_gone(ec2: Any, volume_id: str) -> bool:
    try:
        [volume] = ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"]
    except ClientError:
        return True
    return bool(volume["State"] == "deleting")


def all_events(endpoint: str) -> list[dict[str, Any]]:
    """Every event in the outbox, oldest first (the admin route, page by page)."""
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        request = urllib.request.Request(f"{endpoint}/_ec2emu/events?after={after}&limit=1000",
                                         headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            page = json.loads(response.read())
        if not page["events"]:
            return found
        found += [item["event"] for item in page["events"]]
        after = page["events"][-1]["sequence"]


def check_events(endpoint: str, actors: list[Actor]) -> int:
    """Each event once, and each instance's state changes there as often as the models
    say they happened, in an order the state machine allows; the number of events."""
    events = all_events(endpoint)
    ids = [event["id"] for event in events]
    assert len(ids) == len(set(ids)), "an event id twice in the outbox"
    changes: dict[str, list[str]] = {}
    for event in events:
        if event["detail-type"] == "EC2 Instance State-change Notification":
            changes.setdefault(event["detail"]["instance-id"], []).append(event["detail"]["state"])
    for actor in actors:
        for instance_id, model in actor.instances.items():
            seen = changes.get(instance_id, [])
            assert Counter(seen) == +model.emitted, (instance_id, seen, model.emitted)
            assert all(a != b for a, b in zip(seen, seen[1:])), (instance_id, seen)
            assert seen[0] == "pending", (instance_id, seen)
    return len(events)
