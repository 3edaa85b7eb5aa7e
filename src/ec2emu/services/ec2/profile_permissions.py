"""What the IAM instance profile association actions ask permission for (their
describers, see :mod:`ec2emu.services.shared.permissions`): AssociateIamInstanceProfile
its instance, ReplaceIamInstanceProfileAssociation and DisassociateIamInstanceProfile the
association's instance (``instance/…`` with the instance's condition keys and tags), and
Associate and Replace ``iam:PassRole`` on the role of the profile named
(:func:`~ec2emu.services.ec2.instance_profiles.passed_role`).
DescribeIamInstanceProfileAssociations checks ``*``. An unknown instance or association
is left to the handler's error."""

from __future__ import annotations

from typing import Any

from ec2emu.auth.authorization import Resource
from ec2emu.services.ec2.instance_profiles import passed_role
from ec2emu.services.ec2.permissions import instance_resources
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes


def _association_instance(ctx: RequestContext, params: dict[str, Any]) -> list[str]:
    association_id = params.get("AssociationId")
    if not isinstance(association_id, str):
        return []
    row = ctx.uow.profile_associations.by_ids(ctx.account_id, ctx.region, [association_id]).get(association_id)
    return [] if row is None else [row["instance_id"]]


@describes("ec2", "AssociateIamInstanceProfile")
def _associate(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return instance_resources(ctx, [params.get("InstanceId")]) + passed_role(ctx, params.get("IamInstanceProfile"))


@describes("ec2", "ReplaceIamInstanceProfileAssociation")
def _replace(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    instances = instance_resources(ctx, _association_instance(ctx, params))
    return instances + passed_role(ctx, params.get("IamInstanceProfile"))


@describes("ec2", "DisassociateIamInstanceProfile")
def _disassociate(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return instance_resources(ctx, _association_instance(ctx, params))
