"""The catalogue of IAM's own errors: users, groups, roles, access keys, inline and managed
policies and their versions, instance profiles, and IAM's tags. Each row is the code of
one of the error shapes of IAM's botocore model, with that shape's HTTP status, and the message IAM gives;
the constructors below are what handlers raise. ``ValidationError`` and the other errors
of the query protocol are in :mod:`ec2emu.errors`; ``MalformedPolicyDocument`` in
:mod:`ec2emu.auth.errors`.
"""

from __future__ import annotations

from ec2emu.errors import INVALID_INPUT as SHARED_INVALID_INPUT
from ec2emu.errors import VALIDATION_ERROR, Ec2Error, ErrorSpec, constraint, validation_error

# ------------------------------------------------------------------ the table

NO_SUCH_ENTITY = ErrorSpec("NoSuchEntity", 404, "{}")
USER_NOT_FOUND = NO_SUCH_ENTITY.variant("The user with name {} cannot be found.")
GROUP_NOT_FOUND = NO_SUCH_ENTITY.variant("The group with name {} cannot be found.")
ROLE_NOT_FOUND = NO_SUCH_ENTITY.variant("The role with name {} cannot be found.")
INSTANCE_PROFILE_NOT_FOUND = NO_SUCH_ENTITY.variant("Instance Profile {} cannot be found.")
ACCESS_KEY_NOT_FOUND = NO_SUCH_ENTITY.variant("The Access Key with id {} cannot be found.")
INLINE_POLICY_NOT_FOUND = NO_SUCH_ENTITY.variant("The {} policy with name {} cannot be found.")
POLICY_NOT_FOUND = NO_SUCH_ENTITY.variant("Policy {} was not found.")
POLICY_VERSION_NOT_FOUND = NO_SUCH_ENTITY.variant("Policy {} version {} does not exist.")
USER_NOT_IN_GROUP = NO_SUCH_ENTITY.variant("User {} is not in group {}.")
ENTITY_ALREADY_EXISTS = ErrorSpec("EntityAlreadyExists", 409, "{} with name {} already exists.")
INSTANCE_PROFILE_EXISTS = ENTITY_ALREADY_EXISTS.variant("Instance Profile {} already exists.")
POLICY_EXISTS = ENTITY_ALREADY_EXISTS.variant("A policy called {} already exists. Duplicate names are not allowed.")
DELETE_CONFLICT = ErrorSpec("DeleteConflict", 409, "Cannot delete entity, must {} first.")
POLICY_ATTACHED = DELETE_CONFLICT.variant("Cannot delete a policy attached to entities.")
POLICY_HAS_VERSIONS = DELETE_CONFLICT.variant(
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
    "The default version is deleted with the policy.")
DEFAULT_VERSION = DELETE_CONFLICT.variant("Cannot delete the default version of a policy.")
LIMIT_EXCEEDED = ErrorSpec("LimitExceeded", 409, "Cannot exceed quota for {}: {}")
TAG_LIMIT = LIMIT_EXCEEDED.variant("The number of tags has reached the maximum limit of {}.")
INLINE_POLICY_SIZE = LIMIT_EXCEEDED.variant("Maximum policy size of {} bytes exceeded for {} {}")
VERSION_LIMIT = LIMIT_EXCEEDED.variant(
    "A managed policy can have up to {} versions. Before you create a new version, you must delete an existing "
    "version.")
INVALID_INPUT = SHARED_INVALID_INPUT.variant("Invalid Marker.")
INVALID_POLICY_ARN = INVALID_INPUT.variant("ARN {} is not valid.")
DUPLICATE_TAG_KEYS = INVALID_INPUT.variant(
    "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
RESERVED_TAG_KEY = INVALID_INPUT.variant("User-defined tag keys can't start with 'aws:'.")
AWS_MANAGED_POLICY = INVALID_INPUT.variant("Policy {} is an AWS managed policy and cannot be changed.")
UNSUPPORTED_MEMBER = INVALID_INPUT.variant("The parameter {} is not supported by this endpoint.")
USER_NAME_REQUIRED = VALIDATION_ERROR.variant("Must specify userName when calling with non-User credentials")


# ------------------------------------------------------------------ NoSuchEntity

def no_such_entity(message: str) -> Ec2Error:
    """An entity that does not exist, in the caller's words (a managed policy's look-up
    says which)."""
    return NO_SUCH_ENTITY(message)


def user_not_found(name: str) -> Ec2Error:
    return USER_NOT_FOUND(name)


def group_not_found(name: str) -> Ec2Error:
    return GROUP_NOT_FOUND(name)


def role_not_found(name: str) -> Ec2Error:
    return ROLE_NOT_FOUND(name)


def instance_profile_not_found(name: str) -> Ec2Error:
    return INSTANCE_PROFILE_NOT_FOUND(name)


def access_key_not_found(key_id: str) -> Ec2Error:
    return ACCESS_KEY_NOT_FOUND(key_id)


def inline_policy_not_found(kind: str, name: str) -> Ec2Error:
    """``kind`` as "user", "group", "role"."""
    return INLINE_POLICY_NOT_FOUND(kind, name)


def policy_not_found(arn: str) -> Ec2Error:
    return POLICY_NOT_FOUND(arn)


def policy_version_not_found(arn: str, version_id: str) -> Ec2Error:
    return POLICY_VERSION_NOT_FOUND(arn, version_id)


def user_not_in_group(user_name: str, group_name: str) -> Ec2Error:
    return USER_NOT_IN_GROUP(user_name, group_name)


# ------------------------------------------------------------------ EntityAlreadyExists

def entity_exists(entity: str, name: str) -> Ec2Error:
    """``entity`` as "User", "Group", "Role"."""
    return ENTITY_ALREADY_EXISTS(entity, name)


def instance_profile_exists(name: str) -> Ec2Error:
    return INSTANCE_PROFILE_EXISTS(name)


def policy_exists(name: str) -> Ec2Error:
    return POLICY_EXISTS(name)


# ------------------------------------------------------------------ DeleteConflict

def delete_conflict(must: str) -> Ec2Error:
    """An entity that still has what must go first: ``must`` as "delete access keys",
    "delete policies", "detach all policies", "remove user from all groups"..."""
    return DELETE_CONFLICT(must)


def policy_attached() -> Ec2Error:
    return POLICY_ATTACHED()


def policy_has_versions() -> Ec2Error:
    return POLICY_HAS_VERSIONS()


def default_version() -> Ec2Error:
    return DEFAULT_VERSION()


# ------------------------------------------------------------------ LimitExceeded

def quota_exceeded(quota: str, limit: int) -> Ec2Error:
    """``quota`` as "AccessKeysPerUser", "PolicySize"."""
    return LIMIT_EXCEEDED(quota, limit)


def tag_limit(limit: int) -> Ec2Error:
    return TAG_LIMIT(limit)


def inline_policy_size(limit: int, kind: str, owner: str) -> Ec2Error:
    return INLINE_POLICY_SIZE(limit, kind, owner)


def version_limit(limit: int) -> Ec2Error:
    return VERSION_LIMIT(limit)


# ------------------------------------------------------------------ InvalidInput, ValidationError

def invalid_marker() -> Ec2Error:
    return INVALID_INPUT()


def unsupported_member(name: str) -> Ec2Error:
    """A member of a request that this endpoint does not honour, refused by name: IAM's
    ``unsupported`` error."""
    return UNSUPPORTED_MEMBER(name)


def invalid_policy_arn(arn: str) -> Ec2Error:
    return INVALID_POLICY_ARN(arn)


def duplicate_tag_keys() -> Ec2Error:
    return DUPLICATE_TAG_KEYS()


def reserved_tag_key() -> Ec2Error:
    return RESERVED_TAG_KEY()


def aws_managed_policy(arn: str) -> Ec2Error:
    return AWS_MANAGED_POLICY(arn)


def user_name_required() -> Ec2Error:
    """A call about "my own user" made with credentials that are no user's."""
    return USER_NAME_REQUIRED()


def invalid_key_status(status: str) -> Ec2Error:
    """An access key status other than Active or Inactive."""
    return validation_error(constraint(status, "status", "satisfy enum value set: [Active, Inactive]"))
