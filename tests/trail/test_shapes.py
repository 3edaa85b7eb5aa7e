"""CloudTrail's shapes of calls this endpoint does not serve yet keep secrets out too: the
conversion redacts by botocore's ``sensitive`` shapes and by member name, whatever the
service (IAM passwords, STS session tokens, EventBridge connection secrets), and writes
EC2's lists and times as CloudTrail does."""

from __future__ import annotations

import datetime as dt

from ec2emu.protocol import spec
from ec2emu.trail.shapes import REDACTED, request_parameters, response_elements


def test_passwords_tokens_and_connection_secrets_are_redacted() -> None:
    login = request_parameters("iam", spec.operation("CreateLoginProfile", "iam"), "CreateLoginProfile",
                               {"UserName": "u", "Password": "p@ssw0rd", "PasswordResetRequired": True})
    assert login == {"userName": "u", "password": REDACTED, "passwordResetRequired": True}
    expires = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    token = response_elements("sts", spec.operation("GetSessionToken", "sts"), {"Credentials": {
        "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "secret", "SessionToken": "token", "Expiration": expires}},
        "r-1")
    assert token == {"credentials": {"accessKeyId": "ASIAEXAMPLE", "secretAccessKey": REDACTED,
                                     "sessionToken": REDACTED, "expiration": "2026-01-01T00:00:00Z"}}
    connection = request_parameters("events", spec.operation("CreateConnection", "events"), "CreateConnection", {
        "Name": "c", "AuthorizationType": "API_KEY",
        "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "x-key", "ApiKeyValue": "very-secret"}}})
    assert connection == {"name": "c", "authorizationType": "API_KEY", "authParameters": REDACTED}


def test_ec2_lists_are_items_and_times_are_milliseconds() -> None:
    launched = dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone.utc)
    volume = response_elements("ec2", spec.operation("CreateVolume", "ec2"), {
        "VolumeId": "vol-1", "CreateTime": launched, "Tags": [], "Size": 8}, "r-2")
    assert volume == {"requestId": "r-2", "volumeId": "vol-1", "createTime": 1767268800000, "tagSet": {}, "size": 8}
    groups = request_parameters("ec2", spec.operation("DescribeSecurityGroups", "ec2"), "DescribeSecurityGroups",
                                {"GroupIds": ["sg-1", "sg-2"]})
    assert groups == {"groupIds": {"items": ["sg-1", "sg-2"]}}
