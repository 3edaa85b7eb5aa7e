"""The catalogue of authentication's errors: what SigV4 answers for a missing, malformed,
unknown, expired or wrong signature or credential, and what the policy language answers
for a document it cannot read (``MalformedPolicyDocument``, which IAM and STS both give).
The table's machinery is :mod:`ec2emu.errors`.

A signature's or credential's error is raised as EC2 answers it (an :class:`AuthError`,
which knows what went wrong); :func:`in_protocol` gives what a service of another
protocol answers for the same thing:

* no credentials: EC2 400 ``MissingParameter``; Query 403 ``MissingAuthenticationToken``;
  JSON 400 ``MissingAuthenticationTokenException``;
* an unknown or inactive key: EC2 401 ``AuthFailure``; Query 403 ``InvalidClientTokenId``;
  JSON 400 ``UnrecognizedClientException``;
* a wrong signature: EC2 and Query 403 ``SignatureDoesNotMatch``; JSON 400
  ``InvalidSignatureException`` (the same message);
* a date outside ±15 minutes: EC2 400 ``RequestExpired``; Query 403
  ``SignatureDoesNotMatch`` and JSON 400 ``InvalidSignatureException``, "Signature
  expired: …" or "Signature not yet current: …";
* expired temporary credentials: EC2 400 ``RequestExpired``; Query 403 ``ExpiredToken``;
  JSON 400 ``ExpiredTokenException``;
* a malformed signature: EC2 and Query 400 ``IncompleteSignature``; JSON 400
  ``IncompleteSignatureException``.

The Query and JSON codes, statuses and the "Signature expired: <signed> is now earlier
than <now − 15 min> (<now> - 15 min.)" and "Signature not yet current: <signed> is still
later than <now + 15 min> (<now> + 15 min.)" messages are those public reports quote from
STS, IAM and the JSON services (SSM, DynamoDB, Kinesis, CloudWatch Logs). A presigned URL
past its ``X-Amz-Expires``, or a date too far off to write, keeps "Request has expired."
under the protocol's code (a choice: no report quotes those).
"""

from __future__ import annotations

import datetime as dt

from ec2emu.errors import MISSING_PARAMETER, Ec2Error, ErrorSpec

SKEW = dt.timedelta(minutes=15)  # how far a request's date may be from now

# ------------------------------------------------------------------ the table

class AuthError(Ec2Error):
    """A signature's or credential's error as EC2 answers it, with what went wrong
    (``kind``) and the dates an expiry message names, for :func:`in_protocol`."""

    def __init__(self, error: Ec2Error, kind: str, **details: str) -> None:
        super().__init__(error.code, error.message, error.status)
        self.kind = kind
        self.details = details


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
# The Query services' (IAM's, STS's) answers.
MISSING_AUTHENTICATION_TOKEN = ErrorSpec("MissingAuthenticationToken", 403,
                                         "Request is missing Authentication Token")
INVALID_CLIENT_TOKEN_ID = ErrorSpec("InvalidClientTokenId", 403,
                                    "The security token included in the request is invalid.")
SIGNATURE_EXPIRED = SIGNATURE_DOES_NOT_MATCH.variant(
    "Signature expired: {signed} is now earlier than {edge} ({now} - 15 min.)")
SIGNATURE_NOT_YET_CURRENT = SIGNATURE_DOES_NOT_MATCH.variant(
    "Signature not yet current: {signed} is still later than {edge} ({now} + 15 min.)")
SIGNATURE_PAST_EXPIRY = SIGNATURE_DOES_NOT_MATCH.variant("Request has expired.")
# The JSON services' (SSM's, EventBridge's, CloudTrail's) answers, all 400.
MISSING_AUTHENTICATION_TOKEN_EXCEPTION = ErrorSpec("MissingAuthenticationTokenException", 400,
                                                   "Missing Authentication Token")
UNRECOGNIZED_CLIENT = ErrorSpec("UnrecognizedClientException", 400,
                                "The security token included in the request is invalid.")
INVALID_SIGNATURE = ErrorSpec("InvalidSignatureException", 400, "{}")
EXPIRED_TOKEN_EXCEPTION = ErrorSpec("ExpiredTokenException", 400,
                                    "The security token included in the request is expired")
INCOMPLETE_SIGNATURE_EXCEPTION = ErrorSpec("IncompleteSignatureException", 400, "{}")


# ------------------------------------------------------------------ credentials and signatures

def missing_credentials() -> Ec2Error:
    """A request with no access key at all: EC2's answer (``MissingParameter``, 400)."""
    return AuthError(MISSING_PARAMETER("AWSAccessKeyId"), "missing")


def auth_failure() -> Ec2Error:
    """An unknown or inactive access key, or a session token that is not the key's."""
    return AuthError(AUTH_FAILURE(), "unknown")


def sigv2_unsupported() -> Ec2Error:
    return SIGV2_UNSUPPORTED()


def invalid_region(region: str) -> Ec2Error:
    """A credential scope naming a region that does not exist."""
    return INVALID_REGION(region)


def incomplete(message: str) -> Ec2Error:
    """A signature missing a part, or with a part that is not of its form."""
    return AuthError(INCOMPLETE_SIGNATURE(message), "incomplete")


def signature_mismatch() -> Ec2Error:
    return AuthError(SIGNATURE_DOES_NOT_MATCH(), "mismatch")


def scope_date_mismatch(scope_date: str, amz_date: str) -> Ec2Error:
    """The credential scope's date is not the day of ``X-Amz-Date``."""
    return AuthError(SCOPE_DATE_MISMATCH(scope_date=scope_date, date=amz_date[:8], amz_date=amz_date), "mismatch")


def request_expired(signed: dt.datetime | None = None, now: dt.datetime | None = None) -> Ec2Error:
    """A request dated ``signed`` more than fifteen minutes from ``now`` (both given), or
    past a presigned URL's expiry or too far off to judge (neither given)."""
    if signed is None or now is None:
        return AuthError(REQUEST_EXPIRED(), "expired")
    late = signed > now
    edge = now + SKEW if late else now - SKEW
    return AuthError(REQUEST_EXPIRED(), "not_yet" if late else "expired",
                     signed=_basic(signed), edge=_basic(edge), now=_basic(now))


def expired_token() -> Ec2Error:
    """Temporary credentials past their expiry (EC2: ``RequestExpired``)."""
    return AuthError(REQUEST_EXPIRED(), "expired_token")


def _dated(spec: ErrorSpec, details: dict[str, str]) -> Ec2Error:
    return spec(signed=details["signed"], edge=details["edge"], now=details["now"])


def _basic(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def in_protocol(error: Ec2Error, protocol: str) -> Ec2Error:
    """``error`` as a service of ``protocol`` answers it (the module's table); any error
    but an :class:`AuthError`, or one for ``ec2``, as it is."""
    if not isinstance(error, AuthError) or protocol == "ec2":
        return error
    kind, details = error.kind, error.details
    if protocol == "query":
        if kind == "missing":
            return MISSING_AUTHENTICATION_TOKEN()
        if kind == "unknown":
            return INVALID_CLIENT_TOKEN_ID()
        if kind == "expired_token":
            return EXPIRED_TOKEN()
        if kind in ("expired", "not_yet"):
            if not details:
                return SIGNATURE_PAST_EXPIRY()
            return _dated(SIGNATURE_EXPIRED if kind == "expired" else SIGNATURE_NOT_YET_CURRENT, details)
        return error
    if kind == "missing":
        return MISSING_AUTHENTICATION_TOKEN_EXCEPTION()
    if kind == "unknown":
        return UNRECOGNIZED_CLIENT()
    if kind == "expired_token":
        return EXPIRED_TOKEN_EXCEPTION()
    if kind == "incomplete":
        return INCOMPLETE_SIGNATURE_EXCEPTION(error.message)
    if kind in ("expired", "not_yet") and details:
        dated = _dated(SIGNATURE_EXPIRED if kind == "expired" else SIGNATURE_NOT_YET_CURRENT, details)
        return INVALID_SIGNATURE(dated.message)
    return INVALID_SIGNATURE(error.message)


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
