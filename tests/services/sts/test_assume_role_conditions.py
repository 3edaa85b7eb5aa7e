"""AssumeRole's ``ExternalId`` and ``SourceIdentity`` through boto3: each is the
``sts:ExternalId`` / ``sts:SourceIdentity`` condition key of the role's trust policy, and
``SourceIdentity`` is answered back."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of
from tests.services.shared.test_permissions import ACCOUNT_A, ALICE, ROOT_A, Make, app, document, make  # noqa: F401

ALICE_ARN = f"arn:aws:iam::{ACCOUNT_A}:user/alice"


def _role(make: Make, name: str, condition: dict[str, Any], *actions: str) -> str:  # noqa: F811
    trust = document({"Effect": "Allow", "Principal": {"AWS": ALICE_ARN},
                      "Action": ["sts:AssumeRole", *actions], "Condition": condition})
    return str(make(ROOT_A, "iam").create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"])


def test_the_external_id_is_a_trust_condition(make: Make) -> None:  # noqa: F811
    role_arn = _role(make, "vendor", {"StringEquals": {"sts:ExternalId": "shared-secret"}})
    sts = make(ALICE, "sts")
    for wrong in ({}, {"ExternalId": "guessed-wrong"}):
        assert error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1", **wrong)["Code"] == "AccessDenied"
    answer = sts.assume_role(RoleArn=role_arn, RoleSessionName="s1", ExternalId="shared-secret")
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT_A}:assumed-role/vendor/s1"


def test_the_source_identity_is_a_trust_condition_and_answered(make: Make) -> None:  # noqa: F811
    role_arn = _role(make, "audited", {"StringEquals": {"sts:SourceIdentity": "alice@example.com"}},
                     "sts:SetSourceIdentity")
    sts = make(ALICE, "sts")
    assert error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1",
                    SourceIdentity="mallory")["Code"] == "AccessDenied"
    answer = sts.assume_role(RoleArn=role_arn, RoleSessionName="s1", SourceIdentity="alice@example.com")
    assert answer["SourceIdentity"] == "alice@example.com"
