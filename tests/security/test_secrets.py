"""Secrets never leave the calls that return them: every call that makes one — a secret
access key (IAM CreateAccessKey), temporary credentials (STS AssumeRole: their secret and
session token), a private key (EC2 CreateKeyPair), a connection's secrets (EventBridge
CreateConnection and UpdateConnection: a password, an API key, an OAuth client secret,
secret header, query and body parameters) — is made (and a SecureString parameter is
refused),
each secret is used (signing, delivering events with it), some calls fail on purpose;
then every place a secret could leak is searched for each value: the ``ec2emu`` log
(every logger under it, the access log in JSON), the event outbox, the admin routes'
events and dead letters, the metrics, the audit trail as LookupEvents answers it to
either account, and every error message answered."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.observability.access_log import JsonFormatter
from tests.conftest import NO_RETRY
from tests.services.events.receiver import Receiver
from tests.two_accounts import KEYS, OTHER, OWNER

TOKEN = "test-admin-token"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"}, "Action": "sts:AssumeRole"}]})
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


class Place:
    """Everything written to the ``ec2emu`` loggers, as text and as JSON lines."""

    def __init__(self) -> None:
        self.text, self.json = io.StringIO(), io.StringIO()
        self.handlers = [logging.StreamHandler(self.text), logging.StreamHandler(self.json)]
        self.handlers[0].setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.handlers[1].setFormatter(JsonFormatter())


@pytest.fixture
def logs() -> Iterator[Place]:
    place = Place()
    logger = logging.getLogger("ec2emu")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    for handler in place.handlers:
        logger.addHandler(handler)
    yield place
    for handler in place.handlers:
        logger.removeHandler(handler)
    logger.setLevel(level)


class Calls:
    """Clients on the app in-process; every error answered is kept."""

    def __init__(self, app: Emulator) -> None:
        self.transport = InProcessTransport(app)
        self.errors: list[str] = []

    def client(self, service: str, key: str, secret: str, token: str | None = None) -> Any:
        return self.transport.attach(boto3.client(
            service, region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id=key,
            aws_secret_access_key=secret, aws_session_token=token, config=NO_RETRY))

    def root(self, service: str, account: str = OWNER) -> Any:
        return self.client(service, *KEYS[account])

    def fails(self, call: Any, **params: Any) -> None:
        with pytest.raises(ClientError) as info:
            call(**params)
        self.errors.append(json.dumps(info.value.response["Error"]))


def test_no_secret_reaches_a_log_an_event_the_trail_or_an_error(strict_app: Emulator, logs: Place) -> None:
    calls = Calls(strict_app)
    secrets: dict[str, str] = {}
    iam, ec2, events, ssm = calls.root("iam"), calls.root("ec2"), calls.root("events"), calls.root("ssm")

    # a user's access key, used
    iam.create_user(UserName="builder")
    iam.put_user_policy(UserName="builder", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="builder")["AccessKey"]
    secrets["secret access key"] = key["SecretAccessKey"]
    builder_ec2 = calls.client("ec2", key["AccessKeyId"], key["SecretAccessKey"])
    builder_ec2.describe_instances()
    calls.fails(builder_ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    calls.fails(calls.client("ec2", key["AccessKeyId"], key["SecretAccessKey"] + "x").describe_instances)

    # temporary credentials, used
    iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(RoleName="deployer", PolicyName="all", PolicyDocument=ALLOW_ALL)
    session = calls.client("sts", key["AccessKeyId"], key["SecretAccessKey"]).assume_role(RoleArn=f"arn:aws:iam::{OWNER}:role/deployer",
                                            RoleSessionName="deploy")["Credentials"]
    secrets["session secret"] = session["SecretAccessKey"]
    secrets["session token"] = session["SessionToken"]
    as_role = calls.client("ec2", session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    as_role.describe_instances()
    calls.client("sts", session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]) \
        .get_caller_identity()
    calls.fails(calls.client("ec2", session["AccessKeyId"], session["SecretAccessKey"],
                             session["SessionToken"] + "x").describe_instances)
    calls.fails(calls.client("sts", session["AccessKeyId"], session["SecretAccessKey"],
                             "not-the-token").get_caller_identity)

    # a private key
    material = ec2.create_key_pair(KeyName="deploy")["KeyMaterial"]
    lines = [line for line in material.splitlines() if line and not line.startswith("-----")]
    secrets.update({f"private key line {n}": line for n, line in enumerate(lines)})
    calls.fails(ec2.create_key_pair, KeyName="deploy")
    calls.fails(ec2.import_key_pair, KeyName="imported", PublicKeyMaterial=material.encode())

    # a SecureString parameter: refused (not served), its value in no answer or record
    secrets["SecureString value"] = "ssm-secure-s3cret-value"
    calls.fails(ssm.put_parameter, Name="/app/db-password", Value="ssm-secure-s3cret-value", Type="SecureString")

    # connections' secrets, used to deliver and to fail delivering
    connection_secrets = {
        "basic password": "basic-pw-s3cret-1", "api key": "api-key-s3cret-2", "client secret": "client-s3cret-3",
        "secret header": "header-s3cret-4", "secret query": "query-s3cret-5", "secret body": "body-s3cret-6",
        "updated password": "basic-pw-s3cret-7", "oauth secret parameter": "oauth-param-s3cret-8",
    }
    secrets.update(connection_secrets)
    with Receiver() as receiver:
        receiver.statuses["/refuses"] = [400]
        invocation = {
            "HeaderParameters": [{"Key": "x-secret", "Value": "header-s3cret-4", "IsValueSecret": True}],
            "QueryStringParameters": [{"Key": "q", "Value": "query-s3cret-5", "IsValueSecret": True}],
            "BodyParameters": [{"Key": "b", "Value": "body-s3cret-6", "IsValueSecret": True}],
        }
        connections = {
            "basic": ("BASIC", {"BasicAuthParameters": {"Username": "u", "Password": "basic-pw-s3cret-1"},
                                "InvocationHttpParameters": invocation}),
            "keyed": ("API_KEY", {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key",
                                                           "ApiKeyValue": "api-key-s3cret-2"}}),
            "oauth": ("OAUTH_CLIENT_CREDENTIALS", {"OAuthParameters": {
                "ClientParameters": {"ClientID": "client", "ClientSecret": "client-s3cret-3"},
                "AuthorizationEndpoint": receiver.url("/token"), "HttpMethod": "POST",
                "OAuthHttpParameters": {"BodyParameters": [
                    {"Key": "p", "Value": "oauth-param-s3cret-8", "IsValueSecret": True}]}}}),
        }
        targets = []
        for name, (kind, auth) in connections.items():
            arn = events.create_connection(Name=name, AuthorizationType=kind, AuthParameters=auth)["ConnectionArn"]
            calls.fails(events.create_connection, Name=name, AuthorizationType=kind, AuthParameters=auth)
            for path in ("/ok", "/refuses"):
                destination = events.create_api_destination(
                    Name=f"{name}{path.replace('/', '-')}", ConnectionArn=arn, InvocationEndpoint=receiver.url(path),
                    HttpMethod="POST")["ApiDestinationArn"]
                targets.append({"Id": f"{name}{path.replace('/', '-')}", "Arn": destination,
                                "RetryPolicy": {"MaximumRetryAttempts": 0}})
        events.update_connection(Name="basic", AuthorizationType="BASIC", AuthParameters={
            "BasicAuthParameters": {"Username": "u", "Password": "basic-pw-s3cret-7"}})
        calls.fails(events.update_connection, Name="absent", AuthorizationType="BASIC", AuthParameters={
            "BasicAuthParameters": {"Username": "u", "Password": "basic-pw-s3cret-7"}})
        for rule in ("ok", "refuses"):  # at most five targets a rule
            events.put_rule(Name=rule, EventPattern=json.dumps({"source": ["app.deploy"]}))
            events.put_targets(Rule=rule, Targets=[t for t in targets if t["Id"].endswith(rule)])
        events.put_events(Entries=[{"Source": "app.deploy", "DetailType": "deployed", "Detail": "{}"}])
        strict_app.deliver()
        delivered = receiver.at("/ok")
        assert delivered and receiver.at("/refuses")  # the secrets were used
    assert strict_app.dead_letters()

    # every place a secret could reach
    strict_app.flush_trail()
    trail = [calls.root("cloudtrail", account).lookup_events(MaxResults=50) for account in (OWNER, OTHER)]
    pages = []
    for account in (OWNER, OTHER):
        trail_client = calls.root("cloudtrail", account)
        page = trail_client.lookup_events(MaxResults=50)
        pages.append(page)
        while page.get("NextToken"):
            page = trail_client.lookup_events(MaxResults=50, NextToken=page["NextToken"])
            pages.append(page)
    names = {event["EventName"] for page in pages for event in page["Events"]}
    assert {"CreateAccessKey", "AssumeRole", "CreateKeyPair", "CreateConnection", "UpdateConnection",
            } <= names  # the calls are in the trail
    admin = {"Authorization": f"Bearer {TOKEN}"}
    places = {
        "log": logs.text.getvalue(),
        "json log": logs.json.getvalue(),
        "outbox": json.dumps(strict_app.events, default=str),
        "admin events": calls.transport.request("GET", "http://ec2emu.test/_ec2emu/events?limit=1000", admin,
                                                b"")[2].decode(),
        "dead letters": json.dumps(strict_app.dead_letters(), default=str),
        "admin dead letters": calls.transport.request("GET", "http://ec2emu.test/_ec2emu/dead-letters", admin,
                                                      b"")[2].decode(),
        "metrics": calls.transport.request("GET", "http://ec2emu.test/metrics", admin, b"")[2].decode(),
        "audit trail": json.dumps([trail, pages], default=str),
        "error messages": "\n".join(calls.errors),
    }
    assert len(calls.errors) >= 9
    # the places hold what they should: the calls and the key IDs (not secrets), the deliveries
    assert '"operation": "CreateAccessKey"' in places["json log"] and key["AccessKeyId"] in places["audit trail"]
    assert session["AccessKeyId"] in places["audit trail"] and "app.deploy" in places["outbox"]
    assert "basic-refuses" in places["dead letters"] and "ec2emu_requests" in places["metrics"]
    leaks = [f"{what} in {where}" for where, text in places.items() for what, value in secrets.items()
             if value in text]
    assert leaks == []
    calls.transport.close()
