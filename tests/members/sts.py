"""The no-silent-drops rows of STS: AssumeRole, DecodeAuthorizationMessage,
GetCallerIdentity (:mod:`tests.members.rows`)."""

from tests.members.rows import Honoured, Refused

SHARED = "tests/services/shared/"
STS = "tests/services/sts/"

ROWS = {
    "AssumeRole": {
        "RoleArn": Honoured(SHARED + "test_permissions.py::test_transitive_tags_pass_to_a_chained_role"),
        "RoleSessionName": Honoured(SHARED + "test_permissions.py::test_transitive_tags_pass_to_a_chained_role"),
        "PolicyArns": Honoured(SHARED + "test_permissions.py::test_managed_session_policies"),
        "Policy": Honoured(SHARED + "test_permissions.py::test_an_inline_session_policy_narrows_the_role"),
        "DurationSeconds": Honoured(SHARED + "test_permissions.py::test_duration_limits"),
        "Tags": Honoured(SHARED + "test_permissions.py::test_session_tags_need_tag_session_and_become_principal_tags"),
        "TransitiveTagKeys": Honoured(SHARED + "test_permissions.py::test_transitive_tags_pass_to_a_chained_role"),
        "ExternalId": Honoured(STS + "test_assume_role_conditions.py::test_the_external_id_is_a_trust_condition"),
        "SerialNumber": Refused("ValidationError"),
        "TokenCode": Refused("ValidationError"),
        "SourceIdentity": Honoured(STS + "test_assume_role_conditions.py::test_the_source_identity_is_a_trust_condition_and_answered"),
        "ProvidedContexts": Refused("ValidationError"),
    },
    "DecodeAuthorizationMessage": {
        "EncodedMessage": Honoured(SHARED + "test_permissions.py::test_decoding_needs_permission_and_refuses_altered_or_foreign_messages"),
    },
    "GetCallerIdentity": {

    },
}
