"""The catalogue of EventBridge's own errors: rules and buses not found, patterns and
events not valid, limits, and its denial of a policy decision (the JSON services'
``AccessDeniedException`` of :mod:`ec2emu.errors`); and the per-entry codes PutEvents
answers in its result (not errors of the call, so not rows here: data of the result,
spelled once below). The codes are EventBridge's botocore error shapes, or the JSON
protocols' ``ValidationException`` (:mod:`ec2emu.errors`) under EventBridge's wording;
the constructors below are what handlers raise.

Messages are AWS's as the wave-2 fact sheet gives them (sections B.5, C.3, D.1, D.3, D.4). Where it
gives none they are worded here: an unknown ``NextToken``, an ``Input`` that is not
JSON, an ``InputPath`` or ``InputPathsMap`` path that is not a JSON path, a dead-letter
queue that is not an SQS ARN, a target ``Arn`` that is not an ARN, a tagged ARN of
another account or region, a placeholder used as an object key, an existing connection or API destination, authorization
parameters that do not fit the authorization type, an invocation or authorization
endpoint that is not HTTPS, a connection an API destination uses, and the
``Parameter(s) EventPattern or ScheduleExpression must be specified.`` text the fact
sheet marks unverified.
"""

from __future__ import annotations

from dataclasses import dataclass

from ec2emu.errors import VALIDATION_EXCEPTION, Ec2Error, ErrorSpec, access_denied_exception

# ------------------------------------------------------------------ the table

UNHONOURED = VALIDATION_EXCEPTION.variant("The parameter {} is not supported by this endpoint.")
UNHONOURED_VALUE = VALIDATION_EXCEPTION.variant("The value {value} of parameter {name} is not supported by this "
                                               "endpoint.")
PATTERN_OR_SCHEDULE = VALIDATION_EXCEPTION.variant("Parameter(s) EventPattern or ScheduleExpression must be specified.")
INVALID_SCHEDULE = VALIDATION_EXCEPTION.variant("Parameter ScheduleExpression is not valid.")
SCHEDULE_ON_CUSTOM_BUS = VALIDATION_EXCEPTION.variant("ScheduleExpression is supported only on the default event bus.")
HAS_TARGETS = VALIDATION_EXCEPTION.variant("Rule can't be deleted since it has targets.")
ONE_INPUT = VALIDATION_EXCEPTION.variant(
    "Only one of Input, InputPath, or InputTransformer must be provided for target {}.")
INVALID_PLACEHOLDER = VALIDATION_EXCEPTION.variant("InputTemplate for target {target} contains invalid placeholder "
                                                   "{name}.")
PLACEHOLDER_AS_KEY = VALIDATION_EXCEPTION.variant("InputTemplate for target {target} uses placeholder {name} as "
                                                  "an object key.")
INVALID_INPUT = VALIDATION_EXCEPTION.variant("Input for target {} is not valid JSON text.")
INVALID_INPUT_PATH = VALIDATION_EXCEPTION.variant("InputPath for target {target} is not a valid JSON path: {path}")
INVALID_PATHS_MAP = VALIDATION_EXCEPTION.variant("InputPathsMap for target {target} is not valid: {reason}")
INVALID_TARGET_ARN = VALIDATION_EXCEPTION.variant("Parameter {arn} is not valid. Reason: Provided Arn is not in "
                                                  "correct format.")
INVALID_DEAD_LETTER = VALIDATION_EXCEPTION.variant("Parameter {arn} is not valid. Reason: DeadLetterConfig.Arn must "
                                                   "be the ARN of an SQS queue.")
INVALID_EVENT = VALIDATION_EXCEPTION.variant("Parameter Event is not valid.")
TOO_LARGE = VALIDATION_EXCEPTION.variant("Total size of the entries in the request is over the limit.")
INVALID_NEXT_TOKEN = VALIDATION_EXCEPTION.variant("The NextToken provided is not valid.")

RULE_NOT_FOUND = ErrorSpec("ResourceNotFoundException", 400, "Rule {rule} does not exist on EventBus {bus}.")
BUS_NOT_FOUND = RULE_NOT_FOUND.variant("Event bus {} does not exist.")
RESOURCE_NOT_FOUND = RULE_NOT_FOUND.variant("Resource {} does not exist.")
CONNECTION_NOT_FOUND = RULE_NOT_FOUND.variant(
    "Failed to describe the connection(s). Connection '{}' does not exist.")
DESTINATION_NOT_FOUND = RULE_NOT_FOUND.variant(
    "Failed to describe the api-destination(s). An api-destination '{}' does not exist.")
CONNECTION_EXISTS = ErrorSpec("ResourceAlreadyExistsException", 400, "Connection {} already exists.")
DESTINATION_EXISTS = CONNECTION_EXISTS.variant("An api-destination {} already exists.")
AUTH_PARAMETERS = VALIDATION_EXCEPTION.variant("Parameter AuthParameters is not valid. Reason: {}")
INVALID_ENDPOINT = VALIDATION_EXCEPTION.variant("Parameter {name} is not valid. Reason: {value} is not an HTTPS "
                                                "URL with a host.")
CONNECTION_IN_USE = VALIDATION_EXCEPTION.variant("Connection {} can't be deleted since it is used by an "
                                                 "api-destination.")
INVALID_PATTERN = ErrorSpec("InvalidEventPatternException", 400, "{}")
LIMIT_EXCEEDED = ErrorSpec("LimitExceededException", 400,
                           "The requested resource exceeds the maximum number allowed.")


# ------------------------------------------------------------------ PutEvents' per-entry codes

@dataclass(frozen=True)
class EntryError:
    """An entry PutEvents refused: the ``ErrorCode`` and ``ErrorMessage`` of its result."""

    code: str
    message: str

    def result(self) -> dict[str, str]:
        return {"ErrorCode": self.code, "ErrorMessage": self.message}


def entry_missing(member: str) -> EntryError:
    return EntryError("InvalidArgument", f"Parameter {member} is not valid. Reason: {member} is a required argument.")


def entry_malformed_detail() -> EntryError:
    return EntryError("MalformedDetail", "Detail is malformed.")


def entry_unauthorized_source() -> EntryError:
    return EntryError("NotAuthorizedForSourceException", "Not authorized for the source.")


def entry_bus_not_found(bus: str) -> EntryError:
    return EntryError("ResourceNotFoundException", f"Event bus {bus} does not exist.")


# ------------------------------------------------------------------ constructors

def unhonoured(name: str) -> Ec2Error:
    """A member of an operation's input that this endpoint does not honour, by name."""
    return UNHONOURED(name)


def unhonoured_value(name: str, value: str) -> Ec2Error:
    """A value of a member that this endpoint does not honour, by name."""
    return UNHONOURED_VALUE(name=name, value=value)


def pattern_or_schedule() -> Ec2Error:
    return PATTERN_OR_SCHEDULE()


def invalid_schedule() -> Ec2Error:
    return INVALID_SCHEDULE()


def schedule_on_custom_bus() -> Ec2Error:
    return SCHEDULE_ON_CUSTOM_BUS()


def has_targets() -> Ec2Error:
    return HAS_TARGETS()


def one_input(target: str) -> Ec2Error:
    return ONE_INPUT(target)


def invalid_placeholder(target: str, name: str) -> Ec2Error:
    return INVALID_PLACEHOLDER(target=target, name=name)


def placeholder_as_key(target: str, name: str) -> Ec2Error:
    return PLACEHOLDER_AS_KEY(target=target, name=name)


def invalid_input(target: str) -> Ec2Error:
    return INVALID_INPUT(target)


def invalid_input_path(target: str, path: str) -> Ec2Error:
    return INVALID_INPUT_PATH(target=target, path=path)


def invalid_paths_map(target: str, reason: str) -> Ec2Error:
    return INVALID_PATHS_MAP(target=target, reason=reason)


def invalid_target_arn(arn: str) -> Ec2Error:
    return INVALID_TARGET_ARN(arn=arn)


def invalid_dead_letter(arn: str) -> Ec2Error:
    return INVALID_DEAD_LETTER(arn=arn)


def invalid_event() -> Ec2Error:
    return INVALID_EVENT()


def too_large() -> Ec2Error:
    return TOO_LARGE()


def invalid_next_token() -> Ec2Error:
    return INVALID_NEXT_TOKEN()


def rule_not_found(rule: str, bus: str) -> Ec2Error:
    return RULE_NOT_FOUND(rule=rule, bus=bus)


def bus_not_found(bus: str) -> Ec2Error:
    return BUS_NOT_FOUND(bus)


def resource_not_found(arn: str) -> Ec2Error:
    return RESOURCE_NOT_FOUND(arn)


def invalid_pattern(message: str) -> Ec2Error:
    """``message``: AWS's whole text, ``Event pattern is not valid. Reason: ...``."""
    return INVALID_PATTERN(message)


def connection_not_found(name: str) -> Ec2Error:
    return CONNECTION_NOT_FOUND(name)


def destination_not_found(name: str) -> Ec2Error:
    return DESTINATION_NOT_FOUND(name)


def connection_exists(name: str) -> Ec2Error:
    return CONNECTION_EXISTS(name)


def destination_exists(name: str) -> Ec2Error:
    return DESTINATION_EXISTS(name)


def invalid_auth_parameters(reason: str) -> Ec2Error:
    """``AuthParameters`` that do not fit the authorization type (``reason`` names no value)."""
    return AUTH_PARAMETERS(reason)


def invalid_endpoint(name: str, value: str) -> Ec2Error:
    return INVALID_ENDPOINT(name=name, value=value)


def connection_in_use(name: str) -> Ec2Error:
    return CONNECTION_IN_USE(name)


def limit_exceeded() -> Ec2Error:
    return LIMIT_EXCEEDED()


def access_denied(principal_arn: str, action: str, resource: str, explicit: bool) -> Ec2Error:
    """EventBridge's denial of an identity-based policy decision (``resource`` ``*`` is not named)."""
    return access_denied_exception(principal_arn, action, resource, explicit)
