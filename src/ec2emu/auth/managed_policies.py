"""The AWS managed policies this endpoint knows: ``arn:aws:iam::aws:policy/…``.

They exist in every account without being created, can be attached by ARN, and are
listed by ``ListPolicies`` with ``Scope=AWS`` (or ``All``). Their documents are written
for this emulator to grant what the policy's name says for the services it emulates and
their usual companions; they are not copies of AWS's current versions (which change
often and run to thousands of lines). Each is at version ``v1``; its ID and dates are
fixed so answers are stable.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

_CREATED = dt.datetime(2015, 2, 6, 18, 39, 46, tzinfo=dt.UTC).timestamp()


@dataclass(frozen=True)
class ManagedPolicy:
    name: str
    path: str
    description: str
    document: str

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::aws:policy{self.path}{self.name}"

    @property
    def policy_id(self) -> str:
        digest = hashlib.sha256(self.arn.encode()).digest()
        return "ANPA" + base64.b32encode(digest).decode()[:17]

    @property
    def create_date(self) -> float:
        return _CREATED

    default_version = 1


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


_READ_SERVICES = (
    "ec2",
    "elasticloadbalancing",
    "autoscaling",
    "cloudwatch",
    "iam",
    "sts",
    "s3",
    "logs",
    "cloudformation",
    "tag",
    "ssm",
    "kms",
)

_POLICIES = [
    ManagedPolicy(
        "AdministratorAccess",
        "/",
        "Provides full access to AWS services and resources.",
        _document({"Effect": "Allow", "Action": "*", "Resource": "*"}),
    ),
    ManagedPolicy(
        "ReadOnlyAccess",
        "/",
        "Provides read-only access to AWS services and resources.",
        _document(
            {
                "Sid": "ReadOnlyActions",
                "Effect": "Allow",
                "Action": sorted(
                    f"{service}:{verb}*" for service in _READ_SERVICES for verb in ("Describe", "Get", "List")
                ),
                "Resource": "*",
            }
        ),
    ),
    ManagedPolicy(
        "AmazonEC2FullAccess",
        "/",
        "Provides full access to Amazon EC2 via the AWS Management Console.",
        _document(
            {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "elasticloadbalancing:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "cloudwatch:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "autoscaling:*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "iam:AWSServiceName": [
                            "autoscaling.amazonaws.com",
                            "ec2scheduled.amazonaws.com",
                            "elasticloadbalancing.amazonaws.com",
                            "spot.amazonaws.com",
                            "spotfleet.amazonaws.com",
                            "transitgateway.amazonaws.com",
                        ]
                    }
                },
            },
        ),
    ),
    ManagedPolicy(
        "AmazonEC2ReadOnlyAccess",
        "/",
        "Provides read only access to Amazon EC2 via the AWS Management Console.",
        _document(
            {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
            {"Effect": "Allow", "Action": "elasticloadbalancing:Describe*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": [
                    "cloudwatch:ListMetrics",
                    "cloudwatch:GetMetricStatistics",
                    "cloudwatch:Describe*",
                ],
                "Resource": "*",
            },
            {"Effect": "Allow", "Action": "autoscaling:Describe*", "Resource": "*"},
        ),
    ),
    ManagedPolicy(
        "IAMFullAccess",
        "/",
        "Provides full access to IAM via the AWS Management Console.",
        _document(
            {
                "Effect": "Allow",
                "Action": ["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization"],
                "Resource": "*",
            }
        ),
    ),
    ManagedPolicy(
        "IAMReadOnlyAccess",
        "/",
        "Provides read only access to IAM via the AWS Management Console.",
        _document(
            {
                "Effect": "Allow",
                "Action": [
                    "iam:GenerateCredentialReport",
                    "iam:Get*",
                    "iam:List*",
                    "iam:SimulateCustomPolicy",
                    "iam:SimulatePrincipalPolicy",
                ],
                "Resource": "*",
            }
        ),
    ),
]

AWS_MANAGED: dict[str, ManagedPolicy] = {policy.arn: policy for policy in _POLICIES}


def aws_managed(arn: str) -> ManagedPolicy | None:
    return AWS_MANAGED.get(arn)


def managed_documents() -> dict[str, str]:
    """The default version's document of every AWS managed policy, by ARN (what the
    store is handed)."""
    return {arn: policy.document for arn, policy in AWS_MANAGED.items()}
