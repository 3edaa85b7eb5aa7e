"""The catalogue of launch templates' errors: names, IDs, versions, the quotas and the
combinations a launch from a template refuses. The codes are in AWS's published list;
the texts are those observed from EC2 (``networking-facts.md`` §6), else ours where the
observed ones are not on record (the malformed ID, the quotas, the both-or-neither
members).
"""

from __future__ import annotations

from ec2emu.errors import (
    INVALID_PARAMETER_COMBINATION,
    INVALID_PARAMETER_VALUE,
    MISSING_PARAMETER,
    Ec2Error,
    ErrorSpec,
)

MALFORMED_NAME = ErrorSpec(
    "InvalidLaunchTemplateName.MalformedException", 400,
    "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the "
    "following characters: - ( ) . / _.")
NAME_IN_USE = ErrorSpec("InvalidLaunchTemplateName.AlreadyExistsException", 400,
                        "Launch template name already in use.")
NAME_NOT_FOUND = ErrorSpec("InvalidLaunchTemplateName.NotFoundException", 400,
                           "The specified launch template, with template name {}, does not exist.")
ID_NOT_FOUND = ErrorSpec("InvalidLaunchTemplateId.NotFound", 400,
                         "The specified launch template, with template ID {}, does not exist.")
MALFORMED_ID = ErrorSpec("InvalidLaunchTemplateId.Malformed", 400,
                         "The specified ID for the launch template ({}) is malformed. A launch template ID has "
                         "the form lt-xxxxxxxxxxxxxxxxx.")
VERSION_NOT_FOUND = ErrorSpec("InvalidLaunchTemplateId.VersionNotFound", 400,
                              "Could not find the specified version {} for the launch template with ID {}.")
TEMPLATE_LIMIT = ErrorSpec("MaxTemplateLimitExceeded", 400,
                           "You've reached the maximum number of launch templates ({}) for this Region.")
VERSION_LIMIT = ErrorSpec("MaxTemplateVersionLimitExceeded", 400,
                          "You've reached the maximum number of versions ({}) for this launch template.")
ID_OR_NAME = MISSING_PARAMETER.variant("The request must contain the parameter launchTemplateName or "
                                       "launchTemplateId")
ID_AND_NAME = INVALID_PARAMETER_COMBINATION.variant(
    "The parameters launchTemplateId and launchTemplateName cannot be used together.")
INTERFACES_AND_SUBNET = INVALID_PARAMETER_COMBINATION.variant(
    "Network interfaces and an instance-level subnet ID may not be specified on the same request")
INTERFACES_AND_GROUPS = INVALID_PARAMETER_COMBINATION.variant(
    "Network interfaces and an instance-level security groups may not be specified on the same request")
BAD_VERSION = INVALID_PARAMETER_VALUE.variant(
    "Invalid launch template version '{}': a version is a number of 1 or more, $Latest or $Default.")
ALIAS_ONLY = INVALID_PARAMETER_VALUE.variant(
    "Without a launch template ID or name, only the versions $Latest and $Default may be specified.")
RANGE_WITH_VERSIONS = INVALID_PARAMETER_COMBINATION.variant(
    "The parameters MinVersion and MaxVersion cannot be used with $Latest or $Default versions.")
TOO_MANY_VERSIONS = INVALID_PARAMETER_VALUE.variant("You can specify up to {} versions in one request.")
DESCRIPTION_TOO_LONG = INVALID_PARAMETER_VALUE.variant(
    "The version description must be at most 255 characters long.")


def malformed_name() -> Ec2Error:
    return MALFORMED_NAME()


def name_in_use() -> Ec2Error:
    return NAME_IN_USE()


def name_not_found(name: str) -> Ec2Error:
    return NAME_NOT_FOUND(name)


def id_not_found(template_id: str) -> Ec2Error:
    return ID_NOT_FOUND(template_id)


def malformed_id(template_id: str) -> Ec2Error:
    return MALFORMED_ID(template_id)


def version_not_found(version: object, template_id: str) -> Ec2Error:
    return VERSION_NOT_FOUND(version, template_id)


def template_limit(limit: int) -> Ec2Error:
    return TEMPLATE_LIMIT(limit)


def version_limit(limit: int) -> Ec2Error:
    return VERSION_LIMIT(limit)


def id_or_name() -> Ec2Error:
    return ID_OR_NAME()


def id_and_name() -> Ec2Error:
    return ID_AND_NAME()


def interfaces_and_subnet() -> Ec2Error:
    return INTERFACES_AND_SUBNET()


def interfaces_and_groups() -> Ec2Error:
    return INTERFACES_AND_GROUPS()


def bad_version(version: str) -> Ec2Error:
    return BAD_VERSION(version)


def alias_only() -> Ec2Error:
    return ALIAS_ONLY()


def range_with_versions() -> Ec2Error:
    return RANGE_WITH_VERSIONS()


def too_many_versions(limit: int) -> Ec2Error:
    return TOO_MANY_VERSIONS(limit)


def description_too_long() -> Ec2Error:
    return DESCRIPTION_TOO_LONG()
