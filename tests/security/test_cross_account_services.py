"""What one account learns of another's IAM entities, SSM parameters, EventBridge rules,
connections and API destinations and CloudTrail records: nothing. Every read operation
of those services (checked against the registry, so a new one without a row fails)
is called by the other account naming the owner's resources and naming resources that
exist nowhere; the two answers must be the same but for the names (the service's
``NoSuchEntity``/``ParameterNotFound``/``ResourceNotFoundException``, or nothing), while
the owner, asking the same, is answered. Listings and searches of the other account
show nothing of the owner's."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.services import registry
from tests.conftest import NO_RETRY
from tests.helpers import launch
from tests.two_accounts import KEYS, OTHER, OWNER

OWNED = {"user": "owner-user-x1", "role": "owner-role-x1", "group": "owner-group-x1", "profile": "owner-profile-x1",
         "policy": "owner-policy-x1", "inline": "owner-inline-x1", "parameter": "/owner-x1/db-host",
         "rule": "owner-rule-x1", "connection": "owner-connection-x1", "destination": "owner-destination-x1"}
ABSENT = {name: value.replace("owner", "absent") for name, value in OWNED.items()}
TAG = {"Key": "Secret", "Value": "owner-only-tag-value"}
DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*",
                                                                "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY_ARN = "arn:aws:iam::" + OWNER + ":policy/{policy}"
RULE_ARN = "arn:aws:events:us-east-1:" + OWNER + ":rule/{rule}"

# (service, operation) -> parameters, ``{name}`` standing for the owner's resource (or
# one that exists nowhere). Listings without a name are checked for what they show.
ROWS: dict[tuple[str, str], dict[str, Any]] = {
    ("iam", "GetUser"): {"UserName": "{user}"},
    ("iam", "GetRole"): {"RoleName": "{role}"},
    ("iam", "GetGroup"): {"GroupName": "{group}"},
    ("iam", "GetInstanceProfile"): {"InstanceProfileName": "{profile}"},
    ("iam", "GetPolicy"): {"PolicyArn": POLICY_ARN},
    ("iam", "GetPolicyVersion"): {"PolicyArn": POLICY_ARN, "VersionId": "v1"},
    ("iam", "GetUserPolicy"): {"UserName": "{user}", "PolicyName": "{inline}"},
    ("iam", "GetRolePolicy"): {"RoleName": "{role}", "PolicyName": "{inline}"},
    ("iam", "GetGroupPolicy"): {"GroupName": "{group}", "PolicyName": "{inline}"},
    ("iam", "ListAccessKeys"): {"UserName": "{user}"},
    ("iam", "ListAttachedUserPolicies"): {"UserName": "{user}"},
    ("iam", "ListAttachedRolePolicies"): {"RoleName": "{role}"},
    ("iam", "ListAttachedGroupPolicies"): {"GroupName": "{group}"},
    ("iam", "ListUserPolicies"): {"UserName": "{user}"},
    ("iam", "ListRolePolicies"): {"RoleName": "{role}"},
    ("iam", "ListGroupPolicies"): {"GroupName": "{group}"},
    ("iam", "ListGroupsForUser"): {"UserName": "{user}"},
    ("iam", "ListInstanceProfilesForRole"): {"RoleName": "{role}"},
    ("iam", "ListInstanceProfileTags"): {"InstanceProfileName": "{profile}"},
    ("iam", "ListPolicyVersions"): {"PolicyArn": POLICY_ARN},
    ("iam", "ListRoleTags"): {"RoleName": "{role}"},
    ("iam", "ListUserTags"): {"UserName": "{user}"},
    ("iam", "ListUsers"): {},
    ("iam", "ListRoles"): {},
    ("iam", "ListGroups"): {},
    ("iam", "ListInstanceProfiles"): {},
    ("iam", "ListPolicies"): {"Scope": "Local"},
    ("ssm", "GetParameter"): {"Name": "{parameter}"},
    ("ssm", "GetParameters"): {"Names": ["{parameter}"]},
    ("ssm", "GetParameterHistory"): {"Name": "{parameter}"},
    ("ssm", "GetParametersByPath"): {"Path": "/owner-x1", "Recursive": True},
    ("ssm", "DescribeParameters"): {"ParameterFilters": [{"Key": "Name", "Values": ["{parameter}"]}]},
    ("ssm", "ListTagsForResource"): {"ResourceType": "Parameter", "ResourceId": "{parameter}"},
    ("events", "DescribeRule"): {"Name": "{rule}"},
    ("events", "ListTargetsByRule"): {"Rule": "{rule}"},
    ("events", "ListRules"): {"NamePrefix": "owner"},
    ("events", "ListTagsForResource"): {"ResourceARN": RULE_ARN},
    ("events", "DescribeConnection"): {"Name": "{connection}"},
    ("events", "ListConnections"): {"NamePrefix": "owner"},
    ("events", "DescribeApiDestination"): {"Name": "{destination}"},
    ("events", "ListApiDestinations"): {"NamePrefix": "owner"},
    ("cloudtrail", "LookupEvents"): {"LookupAttributes": [{"AttributeKey": "ResourceName",
                                                           "AttributeValue": "{instance}"}]},
}

# Searches by what the owner's resources carry: none may find them.
SEARCHES: list[tuple[str, str, dict[str, Any]]] = [
    # the trail first: the other account's own searches below name the owner's values
    ("cloudtrail", "LookupEvents", {}),
    ("cloudtrail", "LookupEvents", {"LookupAttributes": [{"AttributeKey": "EventName",
                                                          "AttributeValue": "CreateConnection"}]}),
    ("cloudtrail", "LookupEvents", {"LookupAttributes": [{"AttributeKey": "AccessKeyId",
                                                          "AttributeValue": KEYS[OWNER][0]}]}),
    ("cloudtrail", "LookupEvents", {"LookupAttributes": [{"AttributeKey": "ResourceName",
                                                          "AttributeValue": "{instance}"}]}),
    ("ssm", "DescribeParameters", {"ParameterFilters": [{"Key": f"tag:{TAG['Key']}", "Values": [TAG["Value"]]}]}),
    ("ssm", "DescribeParameters", {}),
    ("events", "ListRules", {}),
    ("events", "ListConnections", {}),
    ("events", "ListApiDestinations", {}),
]


def test_every_read_operation_of_these_services_has_a_row() -> None:
    served = registry.load()
    reads = {(name, op) for name in ("iam", "ssm", "events", "cloudtrail") for op in served[name].operations
             if served[name].reads(op)}
    assert reads == set(ROWS)


def fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [fill(item, names) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, names) for key, item in value.items()}
    return value


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def answer(call: Callable[..., Any], params: dict[str, Any]) -> str:
    """The answer as text: the error's code, message and status, or the result (without
    its request's metadata), JSON."""
    try:
        result = call(**params)
    except ClientError as error:
        return json.dumps(["error", error.response["Error"]["Code"], error.response["Error"]["Message"],
                           error.response["ResponseMetadata"]["HTTPStatusCode"]])
    result.pop("ResponseMetadata", None)
    return json.dumps(["ok", result], default=str, sort_keys=True)


def make(app: Emulator, client: Callable[[str], Any]) -> dict[str, str]:
    iam, ssm, events, ec2 = client("iam"), client("ssm"), client("events"), client("ec2")
    iam.create_user(UserName=OWNED["user"], Tags=[TAG])
    iam.create_access_key(UserName=OWNED["user"])
    iam.put_user_policy(UserName=OWNED["user"], PolicyName=OWNED["inline"], PolicyDocument=DOCUMENT)
    iam.create_role(RoleName=OWNED["role"], AssumeRolePolicyDocument=TRUST, Tags=[TAG])
    iam.put_role_policy(RoleName=OWNED["role"], PolicyName=OWNED["inline"], PolicyDocument=DOCUMENT)
    iam.create_group(GroupName=OWNED["group"])
    iam.put_group_policy(GroupName=OWNED["group"], PolicyName=OWNED["inline"], PolicyDocument=DOCUMENT)
    iam.add_user_to_group(GroupName=OWNED["group"], UserName=OWNED["user"])
    iam.create_instance_profile(InstanceProfileName=OWNED["profile"], Tags=[TAG])
    iam.add_role_to_instance_profile(InstanceProfileName=OWNED["profile"], RoleName=OWNED["role"])
    arn = iam.create_policy(PolicyName=OWNED["policy"], PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    for attach, name, who in ((iam.attach_user_policy, "UserName", "user"), (iam.attach_role_policy, "RoleName", "role"),
                              (iam.attach_group_policy, "GroupName", "group")):
        attach(**{name: OWNED[who]}, PolicyArn=arn)
    ssm.put_parameter(Name=OWNED["parameter"], Value="db.internal", Type="String", Tags=[TAG])
    events.put_rule(Name=OWNED["rule"], EventPattern=json.dumps({"source": ["owner.app"]}), Tags=[TAG])
    connection = events.create_connection(Name=OWNED["connection"], AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "x-key", "ApiKeyValue": "v"}})["ConnectionArn"]
    destination = events.create_api_destination(Name=OWNED["destination"], ConnectionArn=connection,
                                                InvocationEndpoint="http://127.0.0.1:9/hook",
                                                HttpMethod="POST")["ApiDestinationArn"]
    events.put_targets(Rule=OWNED["rule"], Targets=[{"Id": "t", "Arn": destination}])
    [instance] = launch(ec2)
    app.flush_trail()
    return {"instance": instance, "connection_arn": connection, "destination_arn": destination, "policy_arn": arn}


def test_the_other_account_learns_nothing_of_the_owners_entities(strict_app: Emulator) -> None:
    transport = InProcessTransport(strict_app)

    def client(service: str, account: str = OWNER) -> Any:
        key, secret = KEYS[account]
        return transport.attach(boto3.client(service, region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                             aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY))

    made = make(strict_app, client)
    owned, absent = {**OWNED, **made}, {**ABSENT, **made, "instance": "i-0123456789abcdef0"}
    hidden = {*OWNED.values(), TAG["Value"], *made.values(), OWNER}
    problems: list[str] = []
    for service, operation, params in SEARCHES:
        found = answer(getattr(client(service, OTHER), snake(operation)), fill(params, owned))
        leaked = sorted(value for value in hidden if value in found)
        if json.loads(found)[0] != "ok" or leaked:
            problems.append(f"{operation} {params}: {found[:300]} names {leaked}")
    for (service, operation), params in ROWS.items():
        theirs = getattr(client(service, OTHER), snake(operation))
        named = {key: value for key, value in params.items()}
        probe = answer(theirs, fill(named, owned))
        nowhere = answer(theirs, fill(named, absent))
        for name, value in owned.items():
            probe = probe.replace(value, absent[name])
        if probe != nowhere:
            problems.append(f"{operation}: {probe} but for a name nowhere {nowhere}")
        if json.loads(probe)[0] == "error" and not json.loads(probe)[1].endswith(("NotFound", "NoSuchEntity",
                                                                                 "InvalidResourceId", "Exception")):
            problems.append(f"{operation}: {probe}")
        mine = answer(getattr(client(service), snake(operation)), fill(named, owned))
        if json.loads(mine)[0] != "ok" or mine == nowhere:
            problems.append(f"{operation}: the owner's own call is not answered: {mine}")
    transport.close()
    assert problems == [], "\n".join(problems)
