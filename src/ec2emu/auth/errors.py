"""The catalogue of authentication's errors: what SigV4 answers for a missing, malformed,
unknown, expired or wrong signature or credential, for every service alike, and what the
policy language answers for a document it cannot read (``MalformedPolicyDocument``, which
IAM and STS both give). The table's machinery is :mod:`ec2emu.errors`.
"""

from __future__ import annotations

from ec2emu.errors import MISSING_PARAMETER, Ec2Error, ErrorSpec

# ------------------------------------------------------------------ the table

AUTH_FAILURE = ErrorSpec("AuthFailure", 401, "AWS was not able to validate the provided access credentials")
SIGV2_UNSUPPORTED = AUTH_FAILURE.variant(
    "Signature Version 2 is not supported by this endpoint; sign requests with Signature Version 4.")
INVALID_REGION = AUTH_FAILURE.variant("The region '{}' is not valid.")
INCOMPLETE_SIGNATURE = ErrorSpec("IncompleteSignature", 400, "{}")
SIGNATURE_DOES_NOT_MATCH = ErrorSpec(
    "SignatureDoesNotMatch", 403,
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
SCOPE_DATE_MISMATCH = SIGNATURE_DOES_NOT_MATCH.variant(
    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
    "'{scope_date}' != '{date}', from '{amz_date}'.")
REQUEST_EXPIRED = ErrorSpec("RequestExpired", 400, "Request has expired.")
EXPIRED_TOKEN = ErrorSpec("ExpiredToken", 403, "The security token included in the request is expired")
MALFORMED_POLICY_DOCUMENT = ErrorSpec("MalformedPolicyDocument", 400, "{}")
POLICY_SYNTAX_ERRORS = MALFORMED_POLICY_DOCUMENT.variant("Syntax errors in policy.")
POLICY_UNPREFIXED_NAME = MALFORMED_POLICY_DOCUMENT.variant(
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
POLICY_CONDITION_TYPE = MALFORMED_POLICY_DOCUMENT.variant("Invalid Condition type : {}.")


# ------------------------------------------------------------------ credentials and signatures

def missing_credentials() -> Ec2Error:
    """A request with no access key at all: EC2's answer (``MissingParameter``, 400)."""
    return MISSING_PARAMETER("AWSAccessKeyId")


def auth_failure() -> Ec2Error:
    """An unknown or inactive access key, or a session token that is not the key's."""
    return AUTH_FAILURE()


def sigv2_unsupported() -> Ec2Error:
    return SIGV2_UNSUPPORTED()


def invalid_region(region: str) -> Ec2Error:
    """A credential scope naming a region that does not exist."""
    return INVALID_REGION(region)


def incomplete(message: str) -> Ec2Error:
    """A signature missing a part, or with a part that is not of its form."""
    return INCOMPLETE_SIGNATURE(message)


def signature_mismatch() -> Ec2Error:
    return SIGNATURE_DOES_NOT_MATCH()


def scope_date_mismatch(scope_date: str, amz_date: str) -> Ec2Error:
    """The credential scope's date is not the day of ``X-Amz-Date``."""
    return SCOPE_DATE_MISMATCH(scope_date=scope_date, date=amz_date[:8], amz_date=amz_date)


def request_expired() -> Ec2Error:
    return REQUEST_EXPIRED()


def expired_token() -> Ec2Error:
    """IAM's and STS's answer to temporary credentials past their expiry."""
    return EXPIRED_TOKEN()


# ------------------------------------------------------------------ the policy language

def malformed_policy(message: str) -> Ec2Error:
    return MALFORMED_POLICY_DOCUMENT(message)


def policy_syntax_errors() -> Ec2Error:
    """A document that is not JSON, or a value of the wrong type in it."""
    return POLICY_SYNTAX_ERRORS()


def policy_unprefixed_name() -> Ec2Error:
    """An action or condition key without its ``vendor:`` prefix."""
    return POLICY_UNPREFIXED_NAME()


def policy_condition_type(name: str) -> Ec2Error:
    """A condition operator the policy language does not have."""
    return POLICY_CONDITION_TYPE(name)
