"""The catalogue of Systems Manager's own errors: Parameter Store's refusals (names,
values, types, versions, filters, tags) and its denial of a policy decision (the JSON
services' ``AccessDeniedException`` of :mod:`ec2emu.errors`). The codes
are SSM's botocore error shapes, or variants of the JSON protocols' ValidationException
of :mod:`ec2emu.errors` under SSM's wording; the constructors below are what handlers
raise.

Messages AWS gives as they are reported in error output (``ParameterNotFound`` of
GetParameter and DeleteParameter has an empty message on AWS); the others are worded
here where AWS's documentation gives none.
"""

from __future__ import annotations

from ec2emu.errors import VALIDATION_EXCEPTION, Ec2Error, ErrorSpec, access_denied_exception

# ------------------------------------------------------------------ the table

VALIDATION = VALIDATION_EXCEPTION.variant("{}")
UNHONOURED = VALIDATION_EXCEPTION.variant("The parameter {} is not supported by this endpoint.")
INVALID_NAME = VALIDATION_EXCEPTION.variant(
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can '
    "consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers "
    "and the following 3 symbols .-_")
NOT_FULLY_QUALIFIED = VALIDATION_EXCEPTION.variant("Parameter name must be a fully qualified name.")
TYPE_REQUIRED = VALIDATION_EXCEPTION.variant("A parameter type is required when you create a parameter.")
TAGS_WITH_OVERWRITE = VALIDATION_EXCEPTION.variant(
    "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please "
    "remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or "
    "RemoveTagsFromResource.")
UNSUPPORTED_DATA_TYPE = VALIDATION_EXCEPTION.variant(
    "The data type {} is not supported. Supported data types: text, aws:ec2:image.")
NOT_AN_IMAGE = VALIDATION_EXCEPTION.variant(
    "Parameter value {} is not a valid image ID for data type aws:ec2:image: it must name an available "
    "image (ami-...) of this account or a public one, in this region.")
IMAGE_DATA_TYPE_FOR_STRING = VALIDATION_EXCEPTION.variant(
    "The data type aws:ec2:image can only be used with parameters of type String.")
VALUE_TOO_LONG = VALIDATION_EXCEPTION.variant(
    "Standard tier parameters support a maximum parameter value of 4096 characters.")
INVALID_PATH = VALIDATION_EXCEPTION.variant(
    'The parameter path {} is not valid: a path begins with "/", and each level is a mix of letters, '
    "numbers and the symbols .-_")

PARAMETER_NOT_FOUND = ErrorSpec("ParameterNotFound", 400, "")
VERSION_NOT_FOUND = ErrorSpec(
    "ParameterVersionNotFound", 400,
    "Systems Manager could not find version {version} of {name}. Verify the version and try again.")
ALREADY_EXISTS = ErrorSpec(
    "ParameterAlreadyExists", 400,
    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
HIERARCHY_TOO_DEEP = ErrorSpec(
    "HierarchyLevelLimitExceededException", 400,
    "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for "
    "parameter names in the AWS Systems Manager User Guide.")
UNSUPPORTED_TYPE = ErrorSpec(
    "UnsupportedParameterType", 400, "The parameter type {} is not supported by this endpoint.")
INVALID_ALLOWED_PATTERN = ErrorSpec("InvalidAllowedPatternException", 400, "The allowed pattern {} is not valid.")
PATTERN_MISMATCH = ErrorSpec(
    "ParameterPatternMismatchException", 400, "Parameter value, cannot be validated against allowedPattern: {}")
INVALID_FILTER_KEY = ErrorSpec("InvalidFilterKey", 400, "The following filter key is not valid: {}")
INVALID_FILTER_OPTION = ErrorSpec(
    "InvalidFilterOption", 400, "The following filter option is not valid: {option}. Valid options include: {valid}.")
INVALID_FILTER_VALUE = ErrorSpec("InvalidFilterValue", 400, "The following filter value is not valid: {}")
INVALID_NEXT_TOKEN = ErrorSpec("InvalidNextToken", 400, "The specified token is not valid.")
INVALID_RESOURCE_TYPE = ErrorSpec("InvalidResourceType", 400, "The resource type {} is not valid.")
INVALID_RESOURCE_ID = ErrorSpec(
    "InvalidResourceId", 400, "The resource ID {} is not valid. Verify the ID and try again.")
TOO_MANY_TAGS = ErrorSpec("TooManyTagsError", 400, "The Targets parameter includes too many tags. Remove one or more "
                          "tags and try the command again.")


def unhonoured(name: str) -> Ec2Error:
    """A member of an operation's input that this endpoint does not honour, by name."""
    return UNHONOURED(name)


def validation(message: str) -> Ec2Error:
    return VALIDATION(message)


def invalid_name() -> Ec2Error:
    return INVALID_NAME()


def not_fully_qualified() -> Ec2Error:
    return NOT_FULLY_QUALIFIED()


def type_required() -> Ec2Error:
    return TYPE_REQUIRED()


def tags_with_overwrite() -> Ec2Error:
    return TAGS_WITH_OVERWRITE()


def unsupported_data_type(data_type: str) -> Ec2Error:
    return UNSUPPORTED_DATA_TYPE(data_type)


def not_an_image(value: str) -> Ec2Error:
    return NOT_AN_IMAGE(value)


def image_data_type_for_string() -> Ec2Error:
    return IMAGE_DATA_TYPE_FOR_STRING()


def value_too_long() -> Ec2Error:
    return VALUE_TOO_LONG()


def invalid_path(path: str) -> Ec2Error:
    return INVALID_PATH(path)


def parameter_not_found() -> Ec2Error:
    return PARAMETER_NOT_FOUND()


def version_not_found(name: str, version: str) -> Ec2Error:
    return VERSION_NOT_FOUND(name=name, version=version)


def already_exists() -> Ec2Error:
    return ALREADY_EXISTS()


def hierarchy_too_deep() -> Ec2Error:
    return HIERARCHY_TOO_DEEP()


def unsupported_type(kind: str) -> Ec2Error:
    return UNSUPPORTED_TYPE(kind)


def invalid_allowed_pattern(pattern: str) -> Ec2Error:
    return INVALID_ALLOWED_PATTERN(pattern)


def pattern_mismatch(pattern: str) -> Ec2Error:
    return PATTERN_MISMATCH(pattern)


def invalid_filter_key(key: str) -> Ec2Error:
    return INVALID_FILTER_KEY(key)


def invalid_filter_option(option: str, valid: str) -> Ec2Error:
    return INVALID_FILTER_OPTION(option=option, valid=valid)


def invalid_filter_value(value: str) -> Ec2Error:
    return INVALID_FILTER_VALUE(value)


def invalid_next_token() -> Ec2Error:
    return INVALID_NEXT_TOKEN()


def invalid_resource_type(kind: str) -> Ec2Error:
    return INVALID_RESOURCE_TYPE(kind)


def invalid_resource_id(resource_id: str) -> Ec2Error:
    return INVALID_RESOURCE_ID(resource_id)


def too_many_tags() -> Ec2Error:
    return TOO_MANY_TAGS()


def access_denied(principal_arn: str, action: str, resource: str, explicit: bool) -> Ec2Error:
    """SSM's denial of an identity-based policy decision (``resource`` ``*`` is not named)."""
    return access_denied_exception(principal_arn, action, resource, explicit)
