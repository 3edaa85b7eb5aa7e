"""The one error type every layer shares, the machinery of the error catalogues, and the
catalogue of the errors that belong to no one service.

An :class:`Ec2Error` carries the AWS error code (the wire spelling, e.g.
``"InvalidInstanceID.NotFound"``), the message AWS would give and the HTTP status.
The serializer turns it into the service's error envelope. Nothing here knows about
state or storage.

Every error is catalogued once: an :class:`ErrorSpec` row holds its code, HTTP status and
message template, and a named constructor (``missing_parameter(name)``,
``instance_not_found(ids)``, ``signature_mismatch()``) formats it; no handler spells a
code. The catalogues, each owning its errors:

- this module: the protocol's errors (MissingParameter, InvalidParameterValue,
  InvalidParameterCombination, UnknownParameter, MissingAction, InvalidAction,
  DryRunOperation, InternalError, ServiceUnavailable, InvalidRequest,
  RequestEntityTooLarge, RequestTimeout, the query protocol's ValidationError, the JSON protocols'
  SerializationException, UnknownOperationException and ValidationException), the authorization
  verdicts every service gives (UnauthorizedOperation, AccessDenied, and the JSON
  services' AccessDeniedException) and the limits of
  what ``services/shared`` offers (FilterLimitExceeded, TagLimitExceeded);
- ``auth/errors.py``: signatures, credentials and the policy language;
- ``services/<service>/errors.py``: each service's own (EC2's VPC networking has a
  catalogue of its own, ``services/ec2/networking/errors.py``).

A catalogue may add a :meth:`ErrorSpec.variant` of a row it imports (another message, or
status, under the same code); a code is spelled in one row only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class Ec2Error(Exception):
    """An error answered to the client in EC2's error envelope."""

    def __init__(self, code: str, message: str, status: int = 400, *, commit: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        # True when the request's changes are kept although it answers an error (the
        # zones TerminateInstances could terminate while another zone was protected).
        self.commit = commit


@dataclass(frozen=True)
class ErrorSpec:
    """One row of a catalogue: AWS's error code, the HTTP status it comes with, and the
    message as a :meth:`str.format` template (``"{}"`` when the caller gives the whole
    message). Calling it formats the template and returns the :class:`Ec2Error`."""

    code: str
    status: int
    template: str

    def __call__(self, *args: object, commit: bool = False, **fields: object) -> Ec2Error:
        return Ec2Error(self.code, self.template.format(*args, **fields), self.status, commit=commit)

    def variant(self, template: str, *, status: int | None = None) -> ErrorSpec:
        """The same code with another message (and, rarely, another status)."""
        return ErrorSpec(self.code, self.status if status is None else status, template)


def one_or_many(one: ErrorSpec, many: ErrorSpec, values: Sequence[str]) -> Ec2Error:
    """``one`` naming the single value, or ``many`` naming them all, comma-separated."""
    return one(values[0]) if len(values) == 1 else many(", ".join(values))


# ------------------------------------------------------------------ the table

MISSING_PARAMETER = ErrorSpec("MissingParameter", 400, "The request must contain the parameter {}")
INVALID_PARAMETER_VALUE = ErrorSpec("InvalidParameterValue", 400, "{}")
INVALID_INPUT = ErrorSpec("InvalidInput", 400, "{}")  # EC2's and IAM's
NOT_FORM_DATA = INVALID_PARAMETER_VALUE.variant("The request body is not valid UTF-8 form data.")
INVALID_NEXT_TOKEN = INVALID_PARAMETER_VALUE.variant("Invalid value '{}' for nextToken")
INVALID_FILTER = INVALID_PARAMETER_VALUE.variant("The filter '{}' is invalid")
EMPTY_TAG_KEY = INVALID_PARAMETER_VALUE.variant("Tag key must not be empty")
UNHONOURED_PARAMETER = INVALID_PARAMETER_VALUE.variant("The parameter {} is not supported by this endpoint.")
INVALID_PARAMETER_COMBINATION = ErrorSpec("InvalidParameterCombination", 400, "{}")
IDS_WITH_MAX_RESULTS = INVALID_PARAMETER_COMBINATION.variant(
    "The parameter {} cannot be used with the parameter maxResults")
UNKNOWN_PARAMETER = ErrorSpec("UnknownParameter", 400, "The parameter {} is not recognized")
VALIDATION_ERROR = ErrorSpec("ValidationError", 400, "{}")
VALIDATION_ERRORS = VALIDATION_ERROR.variant("{count} validation {noun} detected: {problems}")
# The JSON protocols' (json, rest-json) answers to a body they cannot read, an operation
# they do not have, and values their model refuses.
SERIALIZATION_EXCEPTION = ErrorSpec("SerializationException", 400, "{}")
UNKNOWN_OPERATION = ErrorSpec("UnknownOperationException", 400, "The operation {} is not an operation of this service.")
MISSING_TARGET = UNKNOWN_OPERATION.variant("The request names no operation: it has no X-Amz-Target header.")
NO_ROUTE = UNKNOWN_OPERATION.variant("No operation of this service is at {method} {path}.", status=404)
VALIDATION_EXCEPTION = ErrorSpec("ValidationException", 400, "{count} validation {noun} detected: {problems}")
MISSING_ACTION = ErrorSpec("MissingAction", 400, "The request must contain the parameter Action")
INVALID_ACTION = ErrorSpec("InvalidAction", 400, "The action {} is not valid for this web service.")
UNIMPLEMENTED_ACTION = INVALID_ACTION.variant(
    "The action {action} is a valid {service} action but is not implemented by this endpoint.")
UNSERVED_SERVICE = INVALID_ACTION.variant("The service '{}' is not served by this endpoint.")
DRY_RUN_OPERATION = ErrorSpec("DryRunOperation", 412, "Request would have succeeded, but DryRun flag is set.")
INTERNAL_ERROR = ErrorSpec("InternalError", 500, "An internal error has occurred. Please try again later.")
SERVICE_UNAVAILABLE = ErrorSpec("ServiceUnavailable", 503, "The service is unavailable. Please try again shortly.")
INVALID_CONTENT_LENGTH = ErrorSpec(
    "InvalidRequest", 400,
    "The request received was invalid: its Content-Length is not a whole number of bytes.")
REQUEST_ENTITY_TOO_LARGE = ErrorSpec(
    "RequestEntityTooLarge", 413, "The request body exceeds the maximum size of {} bytes.")
# The HTTP layer's answers to a request it cannot take (ec2emu.connections): a head past
# its limits or not HTTP at all, and a request that does not arrive in time.
HEAD_TOO_LARGE = INVALID_CONTENT_LENGTH.variant(
    "The request received was invalid: its request line and header fields exceed {} bytes.")
TOO_MANY_HEADERS = INVALID_CONTENT_LENGTH.variant(
    "The request received was invalid: it has more than {} header fields.")
NOT_HTTP = INVALID_CONTENT_LENGTH.variant("The request received was invalid: it is not well-formed HTTP/1.1.")
REQUEST_TIMEOUT = ErrorSpec(
    "RequestTimeout", 400, "The request did not arrive whole in the {} s allowed; the connection is closed.")
UNAUTHORIZED_OPERATION = ErrorSpec("UnauthorizedOperation", 403, "You are not authorized to perform this operation.")
UNAUTHORIZED_ENCODED = UNAUTHORIZED_OPERATION.variant(
    "You are not authorized to perform this operation. Encoded authorization failure message: {}")
ACCESS_DENIED = ErrorSpec(
    "AccessDenied", 403, "User: {principal} is not authorized to perform: {action}{target} {reason}")
# The JSON services' (SSM's, EventBridge's, CloudTrail's) denial, 400 as they answer it.
ACCESS_DENIED_EXCEPTION = ErrorSpec(
    "AccessDeniedException", 400, "User: {principal} is not authorized to perform: {action}{target} {reason}")
TOO_MANY_FILTER_VALUES = ErrorSpec(
    "FilterLimitExceeded", 400, "The maximum number of filter values specified on a single call is {}")
FILTER_VALUE_TOO_LONG = TOO_MANY_FILTER_VALUES.variant("The maximum length for a filter value is {} characters")
TAG_LIMIT_EXCEEDED = ErrorSpec("TagLimitExceeded", 400, "The maximum number of tags for a resource is {}.")


# ------------------------------------------------------------------ the request and its parameters

def missing_parameter(name: str) -> Ec2Error:
    return MISSING_PARAMETER(name)


def unhonoured_parameter(name: str) -> Ec2Error:
    """A member of an operation's input that this endpoint does not honour, refused by
    name (the default for services that declare no error of their own for it)."""
    return UNHONOURED_PARAMETER(name)


def invalid_parameter_value(message: str) -> Ec2Error:
    return INVALID_PARAMETER_VALUE(message)


def not_form_data() -> Ec2Error:
    """A body that is not UTF-8 ``application/x-www-form-urlencoded`` data."""
    return NOT_FORM_DATA()


def invalid_next_token(token: object) -> Ec2Error:
    return INVALID_NEXT_TOKEN(token)


def invalid_filter(name: str) -> Ec2Error:
    return INVALID_FILTER(name)


def empty_tag_key() -> Ec2Error:
    return EMPTY_TAG_KEY()


def invalid_parameter_combination(message: str) -> Ec2Error:
    return INVALID_PARAMETER_COMBINATION(message)


def ids_with_max_results(ids_name: str) -> Ec2Error:
    """Explicit IDs and ``MaxResults`` in one Describe call (``instancesSet``, ``volumeSet``...)."""
    return IDS_WITH_MAX_RESULTS(ids_name)


def unknown_parameter(name: str) -> Ec2Error:
    return UNKNOWN_PARAMETER(name)


def validation_errors(problems: Sequence[str]) -> Ec2Error:
    """The query protocol's (IAM's, STS's) answer to values their model refuses."""
    return _detected(VALIDATION_ERRORS, problems)


def _detected(spec: ErrorSpec, problems: Sequence[str]) -> Ec2Error:
    """``N validation error(s) detected: <problems joined by "; ">``."""
    count = len(problems)
    return spec(count=count, noun="error" if count == 1 else "errors", problems="; ".join(problems))


def constraint(value: object, field: str, rule: str) -> str:
    """One problem of a ``ValidationError``: "Value 'x' at 'field' failed to satisfy
    constraint: Member must <rule>"."""
    return f"Value '{value}' at '{field}' failed to satisfy constraint: Member must {rule}"


def validation_error(problem: str) -> Ec2Error:
    """``1 validation error detected: <problem>``."""
    return validation_errors([problem])


def serialization_error(message: str) -> Ec2Error:
    """A JSON body (or a value in the path, query or headers of a ``rest-json`` request)
    that is not what its shape says."""
    return SERIALIZATION_EXCEPTION(message)


def unknown_operation(target: str) -> Ec2Error:
    """An ``X-Amz-Target`` naming no operation of the service."""
    return UNKNOWN_OPERATION(target)


def missing_target() -> Ec2Error:
    return MISSING_TARGET()


def no_route(method: str, path: str) -> Ec2Error:
    """A ``rest-json`` request whose method and path match no operation's."""
    return NO_ROUTE(method=method, path=path)


def json_validation_errors(problems: Sequence[str]) -> Ec2Error:
    """The JSON protocols' answer to values their model refuses (``N validation errors
    detected: …``, as the ``query`` protocol's ValidationError words it)."""
    return _detected(VALIDATION_EXCEPTION, problems)


def missing_action() -> Ec2Error:
    return MISSING_ACTION()


def invalid_action(action: str) -> Ec2Error:
    """An action that is not in the service's model."""
    return INVALID_ACTION(action)


def unimplemented_action(action: str, service: str) -> Ec2Error:
    """An action of the model that this endpoint does not serve; ``service`` as "EC2", "IAM"."""
    return UNIMPLEMENTED_ACTION(action=action, service=service)


def unserved_service(service: str) -> Ec2Error:
    """A request signed for a service (its signing name) this endpoint does not serve."""
    return UNSERVED_SERVICE(service)


def dry_run_ok() -> Ec2Error:
    return DRY_RUN_OPERATION()


def internal_error() -> Ec2Error:
    return INTERNAL_ERROR()


def service_unavailable() -> Ec2Error:
    return SERVICE_UNAVAILABLE()


def invalid_content_length() -> Ec2Error:
    return INVALID_CONTENT_LENGTH()


def request_entity_too_large(limit: int) -> Ec2Error:
    return REQUEST_ENTITY_TOO_LARGE(limit)


def head_too_large(limit: int) -> Ec2Error:
    return HEAD_TOO_LARGE(limit)


def too_many_headers(limit: int) -> Ec2Error:
    return TOO_MANY_HEADERS(limit)


def not_http() -> Ec2Error:
    return NOT_HTTP()


def request_timeout(seconds: float) -> Ec2Error:
    return REQUEST_TIMEOUT(f"{seconds:g}")


# ------------------------------------------------------------------ authorization verdicts

def unauthorized_operation() -> Ec2Error:
    """EC2's denial without an encoded message (the Describe calls)."""
    return UNAUTHORIZED_OPERATION()


def unauthorized_encoded(token: str, *, commit: bool = False) -> Ec2Error:
    """EC2's denial carrying the message STS DecodeAuthorizationMessage decodes."""
    return UNAUTHORIZED_ENCODED(token, commit=commit)


def access_denied(principal_arn: str, action: str, resource: str, explicit: bool) -> Ec2Error:
    """IAM's and STS's denial of an identity-based policy decision (``resource`` ``*`` is not named)."""
    target = "" if resource == "*" else f" on resource: {resource}"
    reason = ("with an explicit deny in an identity-based policy" if explicit
              else f"because no identity-based policy allows the {action} action")
    return ACCESS_DENIED(principal=principal_arn, action=action, target=target, reason=reason)


def access_denied_exception(principal_arn: str, action: str, resource: str, explicit: bool) -> Ec2Error:
    """The JSON services' denial of an identity-based policy decision (SSM's, EventBridge's,
    CloudTrail's): IAM's words under ``AccessDeniedException``, 400 (``resource`` ``*`` is
    not named)."""
    target = "" if resource == "*" else f" on resource: {resource}"
    reason = ("with an explicit deny in an identity-based policy" if explicit
              else f"because no identity-based policy allows the {action} action")
    return ACCESS_DENIED_EXCEPTION(principal=principal_arn, action=action, target=target, reason=reason)


# ------------------------------------------------------------------ the limits of services/shared

def too_many_filter_values(limit: int) -> Ec2Error:
    return TOO_MANY_FILTER_VALUES(limit)


def filter_value_too_long(limit: int) -> Ec2Error:
    return FILTER_VALUE_TOO_LONG(limit)


def tag_limit_exceeded(limit: int) -> Ec2Error:
    return TAG_LIMIT_EXCEEDED(limit)
