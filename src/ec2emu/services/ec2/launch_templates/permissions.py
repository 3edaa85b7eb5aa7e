"""What the launch-template actions ask permission for (their describers, see
:mod:`ec2emu.services.shared.permissions`), by the resource type of AWS's service
authorization reference, ``launch-template/<id>`` (``ec2:Region``, its tags as
``ec2:ResourceTag/k`` and ``aws:ResourceTag/k``):

* CreateLaunchTemplate ``launch-template/*`` with the request's tags (and
  ``ec2:CreateTags`` on it when tagged, with ``ec2:CreateAction``);
* CreateLaunchTemplateVersion, ModifyLaunchTemplate, DeleteLaunchTemplate and
  DeleteLaunchTemplateVersions the template named, by ID or by name;
* RunInstances with ``LaunchTemplate``: the template too, and every other resource and
  key as the launch's parameters are once the template's data is merged in (its image,
  instance type, key pair, ...: called from RunInstances' describer);
* GetLaunchTemplateData the instance;
* CreateTags/DeleteTags on ``lt-`` IDs the template
  (:data:`~ec2emu.services.ec2.permissions.TAGGABLE`);
* DescribeLaunchTemplates and DescribeLaunchTemplateVersions ``*``.

A template that does not exist in the caller's account and region is left to the
handler (its ``NotFound``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ec2emu.auth.arn import ec2_arn
from ec2emu.auth.authorization import Resource
from ec2emu.errors import Ec2Error
from ec2emu.services.ec2.launch_templates.launch import merged
from ec2emu.services.ec2.permissions import TAGGABLE, created, existing, instance_resources, spec_tags
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes


def _arn(ctx: RequestContext, template_id: str) -> str:
    return ec2_arn(ctx.region, ctx.account_id, "launch-template", template_id)


def templates(ctx: RequestContext, template_ids: Iterable[Any]) -> list[Resource]:
    """The named templates that exist here, with their tags."""
    return existing(ctx, ctx.uow.launch_templates, template_ids, lambda template_id: _arn(ctx, template_id),
                    lambda row: {"ec2:Region": ctx.region})


def named(ctx: RequestContext, spec: Mapping[str, Any] | None) -> list[Resource]:
    """The template a request names by ``LaunchTemplateId`` or ``LaunchTemplateName``."""
    if not isinstance(spec, Mapping):
        return []
    template_id, name = spec.get("LaunchTemplateId"), spec.get("LaunchTemplateName")
    if not template_id and isinstance(name, str):
        found = ctx.uow.launch_templates.by_names(ctx.account_id, ctx.region, [name]).get(name)
        template_id = found["launch_template_id"] if found is not None else None
    return templates(ctx, [template_id]) if isinstance(template_id, str) else []


def effective(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    """A launch's parameters with its template's data merged in (``LaunchTemplate`` kept);
    as they are when the template or version cannot be found (the handler answers that)."""
    if not params.get("LaunchTemplate"):
        return params
    try:
        return {**merged(ctx, params)[0], "LaunchTemplate": params["LaunchTemplate"]}
    except Ec2Error:
        return params


TAGGABLE["lt"] = templates


@describes("ec2", "CreateLaunchTemplate")
def _create(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return created(ctx, "CreateLaunchTemplate", _arn(ctx, "*"), {"ec2:Region": ctx.region},
                   spec_tags(params, "launch-template"))


@describes("ec2", "CreateLaunchTemplateVersion", "ModifyLaunchTemplate", "DeleteLaunchTemplate",
           "DeleteLaunchTemplateVersions")
def _one_template(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return named(ctx, params)


@describes("ec2", "GetLaunchTemplateData")
def _instance(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return instance_resources(ctx, [params.get("InstanceId")])
