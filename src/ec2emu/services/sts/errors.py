"""The catalogue of STS's own errors: AssumeRole's refusals (who may assume what, for how
long, with which session policies and tags) and DecodeAuthorizationMessage's. The codes
of its rows are STS's botocore error shapes, or variants of the shared rows of
:mod:`ec2emu.errors` (ValidationError, AccessDenied, InvalidParameterValue) under STS's
wording; the constructors below are what handlers raise.
"""

from __future__ import annotations

from ec2emu.errors import ACCESS_DENIED, INVALID_PARAMETER_VALUE, VALIDATION_ERROR, Ec2Error, ErrorSpec

# ------------------------------------------------------------------ the table

UNSUPPORTED_MEMBER = VALIDATION_ERROR.variant("The parameter {} is not supported by this endpoint.")
INVALID_ROLE_ARN = VALIDATION_ERROR.variant("Request ARN is invalid")
CHAINED_DURATION = VALIDATION_ERROR.variant(
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
DURATION_OVER_MAXIMUM = VALIDATION_ERROR.variant(
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
ASSUME_DENIED = ACCESS_DENIED.variant("User: {} is not authorized to perform: {} on resource: {}")
ROOT_CANNOT_ASSUME = ACCESS_DENIED.variant("Roles may not be assumed by root accounts.")
DUPLICATE_TAG_KEYS = INVALID_PARAMETER_VALUE.variant(
    "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
TRANSITIVE_KEY_NOT_TAGGED = INVALID_PARAMETER_VALUE.variant(
    "The specified transitive tag key must be included in the requested tags.")
TAG_SET_BY_SESSION = INVALID_PARAMETER_VALUE.variant(
    "The tag key {} is already set by a transitive tag of the calling session.")
INVALID_POLICY_ARN = INVALID_PARAMETER_VALUE.variant("The policy ARN {} is not a valid managed policy.")
PACKED_POLICY_TOO_LARGE = ErrorSpec(
    "PackedPolicyTooLarge", 400,
    "Packed policy consumes {}% of allotted space, please use smaller policy for serialization.")
INVALID_AUTHORIZATION_MESSAGE = ErrorSpec("InvalidAuthorizationMessageException", 400, "Message is not valid")


def unsupported_member(name: str) -> Ec2Error:
    """A member of a request that this endpoint does not honour (MFA, provided contexts),
    refused by name: STS's ``unsupported`` error."""
    return UNSUPPORTED_MEMBER(name)


def invalid_role_arn() -> Ec2Error:
    return INVALID_ROLE_ARN()


def chained_duration() -> Ec2Error:
    return CHAINED_DURATION()


def duration_over_maximum() -> Ec2Error:
    return DURATION_OVER_MAXIMUM()


def assume_denied(principal_arn: str, role_arn: str, action: str) -> Ec2Error:
    return ASSUME_DENIED(principal_arn, action, role_arn)


def root_cannot_assume() -> Ec2Error:
    return ROOT_CANNOT_ASSUME()


def duplicate_tag_keys() -> Ec2Error:
    return DUPLICATE_TAG_KEYS()


def transitive_key_not_tagged() -> Ec2Error:
    return TRANSITIVE_KEY_NOT_TAGGED()


def tag_set_by_session(key: str) -> Ec2Error:
    return TAG_SET_BY_SESSION(key)


def invalid_policy_arn(arn: str) -> Ec2Error:
    return INVALID_POLICY_ARN(arn)


def packed_policy_too_large(percent: int) -> Ec2Error:
    return PACKED_POLICY_TOO_LARGE(percent)


def invalid_authorization_message() -> Ec2Error:
    return INVALID_AUTHORIZATION_MESSAGE()
