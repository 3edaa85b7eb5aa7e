"""IAM instance profiles: CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
ListInstanceProfilesForRole, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile,
DeleteInstanceProfile and their tags (TagInstanceProfile, UntagInstanceProfile,
ListInstanceProfileTags). EC2 launches and associates instances with them
(:mod:`ec2emu.services.ec2.instance_profiles`, through the store).

A profile is an :class:`~ec2emu.services.iam.entities.Entity` like users and roles: IDs
``AIPA…``, the ARN ``arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME``, names unique
case-insensitively per account (``EntityAlreadyExists`` "Instance Profile NAME already
exists."), ``Marker``/``MaxItems`` paging in name order. Every view
of a profile lists its ``Roles`` (full role views, as IAM gives them).

Rules:

* A profile holds one role at most: adding a role to a profile that has one answers
  ``LimitExceeded`` "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1" (also
  for the role it already holds).
* An unknown profile answers ``NoSuchEntity`` "Instance Profile NAME cannot be found.", an
  unknown role "The role with name NAME cannot be found." (the profile is looked up first).
* ``DeleteInstanceProfile`` answers ``DeleteConflict`` "Cannot delete entity, must remove
  roles from instance profile first." while the profile holds a role; ``DeleteRole``
  answers the same while the role is in a profile.

Choices where IAM's documentation is silent: removing a role the profile does not hold
answers ``NoSuchEntity`` "The role with name NAME cannot be found."; deleting a profile
leaves instances associated with it as they are (they keep showing its ARN and ID, as
EC2's association is its own record).
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.iam import entities
from ec2emu.services.iam.common import Row, iam_operation
from ec2emu.services.iam.entities import ROLE, Entity
from ec2emu.services.iam.errors import (
    instance_profile_exists,
    instance_profile_not_found,
    quota_exceeded,
    role_not_found,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.iam import IamRepository

MAX_ROLES = 1  # per instance profile: IAM's InstanceSessionsPerInstanceProfile
_ROLES_FIRST = "remove roles from instance profile"


def _profile_members(row: Row) -> dict[str, Any]:
    return {"Roles": [ROLE.view(role) for role in row.get("roles", [])]}


INSTANCE_PROFILE = Entity(
    "InstanceProfile", "AIPA", instance_profile_not_found, IamRepository.get_instance_profile,
    IamRepository.insert_instance_profile, IamRepository.list_instance_profiles,
    IamRepository.delete_instance_profile, ((IamRepository.profile_role_ids, _ROLES_FIRST),), _profile_members,
    word="instance_profile", exists=instance_profile_exists,
)


@iam_operation("CreateInstanceProfile")
def create_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.create(ctx, INSTANCE_PROFILE, params)


@iam_operation("GetInstanceProfile")
def get_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.described(ctx, INSTANCE_PROFILE, INSTANCE_PROFILE.named_in(ctx, params))


@iam_operation("ListInstanceProfiles")
def list_instance_profiles(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.listing(ctx, INSTANCE_PROFILE, params)


@iam_operation("ListInstanceProfilesForRole")
def list_instance_profiles_for_role(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _, profiles, more = entities.related(ctx, params, ROLE, INSTANCE_PROFILE, IamRepository.instance_profiles_of_role)
    return {"InstanceProfiles": profiles, **more}


@iam_operation("AddRoleToInstanceProfile")
def add_role_to_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    profile = INSTANCE_PROFILE.named_in(ctx, params)
    role = ROLE.named_in(ctx, params)
    if len(profile["roles"]) >= MAX_ROLES:
        raise quota_exceeded("InstanceSessionsPerInstanceProfile", MAX_ROLES)
    ctx.uow.iam.add_profile_role(profile["instance_profile_id"], role["role_id"])
    return {}


@iam_operation("RemoveRoleFromInstanceProfile")
def remove_role_from_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    profile = INSTANCE_PROFILE.named_in(ctx, params)
    role = ROLE.named_in(ctx, params)
    if not ctx.uow.iam.remove_profile_role(profile["instance_profile_id"], role["role_id"]):
        raise role_not_found(params["RoleName"])
    return {}


@iam_operation("DeleteInstanceProfile")
def delete_instance_profile(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return entities.delete(ctx, INSTANCE_PROFILE, params)


entities.tagging_operations(INSTANCE_PROFILE)
