"""The catalogue of CloudTrail's own errors: LookupEvents' refusals of its attributes,
times, page size and tokens, and a member this endpoint does not honour. The codes are CloudTrail's
botocore error shapes; the messages are worded here (AWS's documentation gives none).
A denial is the JSON services' ``AccessDeniedException`` of :mod:`ec2emu.errors`."""

from __future__ import annotations

from ec2emu.errors import Ec2Error, ErrorSpec, access_denied_exception

# ------------------------------------------------------------------ the table

INVALID_LOOKUP_ATTRIBUTES = ErrorSpec("InvalidLookupAttributesException", 400, "{}")
TOO_MANY_ATTRIBUTES = INVALID_LOOKUP_ATTRIBUTES.variant(
    "You cannot specify more than one lookup attribute. Specify one lookup attribute and try again.")
INVALID_TIME_RANGE = ErrorSpec(
    "InvalidTimeRangeException", 400, "The start time of the time range must be earlier than its end time.")
INVALID_NEXT_TOKEN = ErrorSpec(
    "InvalidNextTokenException", 400,
    "The NextToken is not valid: it was not issued by a lookup with these parameters.")
INVALID_MAX_RESULTS = ErrorSpec(
    "InvalidMaxResultsException", 400, "Value {} for MaxResults is not valid: it must be from 1 to 50.")
UNSUPPORTED = ErrorSpec("UnsupportedOperationException", 400, "The parameter {} is not supported by this endpoint.")


def unhonoured(name: str) -> Ec2Error:
    """A member of an operation's input that this endpoint does not honour, by name."""
    return UNSUPPORTED(name)


def too_many_attributes() -> Ec2Error:
    return TOO_MANY_ATTRIBUTES()


def invalid_time_range() -> Ec2Error:
    return INVALID_TIME_RANGE()


def invalid_max_results(value: int) -> Ec2Error:
    return INVALID_MAX_RESULTS(value)


def invalid_next_token() -> Ec2Error:
    return INVALID_NEXT_TOKEN()


def access_denied(principal_arn: str, action: str, resource: str, explicit: bool) -> Ec2Error:
    return access_denied_exception(principal_arn, action, resource, explicit)
