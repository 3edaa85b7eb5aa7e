"""Launch templates as a whole: CreateLaunchTemplate, ModifyLaunchTemplate,
DescribeLaunchTemplates and DeleteLaunchTemplate.

Rules (``networking-facts.md`` §6, with its sources):

* CreateLaunchTemplate makes the template (``lt-`` and 17 hex digits) and its version 1,
  the default and the latest; the data is kept as given (EC2 validates little at
  creation: bad combinations surface at launch). A name taken in the account and region
  answers ``InvalidLaunchTemplateName.AlreadyExistsException``; a deleted template's name
  is free again. The 5,000th template is the last (quota ``launch-templates-per-region``,
  ``MaxTemplateLimitExceeded``). ``TagSpecifications`` tag the ``launch-template`` (the
  only type this call tags: versions cannot be tagged); the created template shows them.
* ``ClientToken``: a repeated token answers the template it made, as long as the name is
  the same (``IdempotentParameterMismatch`` otherwise); ModifyLaunchTemplate's token needs
  nothing, its change being the same however often it is made.
* ModifyLaunchTemplate sets the default version (``SetDefaultVersion`` on the wire), a
  number the template has.
* DescribeLaunchTemplates: ``LaunchTemplateIds`` (malformed or unknown: the first answers
  its error), ``LaunchTemplateNames`` (likewise), the filters ``create-time`` (an exact
  time, ``2026-01-02T03:04:05.000Z``), ``launch-template-name``, ``tag:<Key>``,
  ``tag-key`` and ``tag-value``; pages of 1–200 in ID order.
* DeleteLaunchTemplate forgets the template, every version and its tags, and answers
  what it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ec2emu.services.ec2.errors import idempotent_parameter_mismatch
from ec2emu.services.ec2.launch_templates.common import (
    TEMPLATES,
    check_name,
    created_by,
    encode_data,
    iso,
    named_template,
    template_version,
    template_view,
)
from ec2emu.services.ec2.launch_templates.errors import (
    description_too_long,
    name_in_use,
    name_not_found,
    template_limit,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_repository
from ec2emu.services.shared.pagination import PageSize
from ec2emu.services.shared.tagging import tags_from_specifications

Row = dict[str, Any]
MAX_DESCRIPTION = 255


def check_description(params: dict[str, Any]) -> str | None:
    description = params.get("VersionDescription")
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise description_too_long()
    return description


def version_row(ctx: RequestContext, template_id: str, number: int, params: dict[str, Any],
                data: dict[str, Any]) -> Row:
    return {
        "launch_template_id": template_id,
        "version_number": number,
        "account_id": ctx.account_id,
        "region": ctx.region,
        "version_description": check_description(params),
        "created_by": created_by(ctx),
        "create_time": ctx.now_ts,
        "data": encode_data(data),
        "client_token": params.get("ClientToken") or None,
    }


def _tags_of(ctx: RequestContext, template_id: str) -> list[tuple[str, str]]:
    return ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [template_id]).get(template_id, [])


@operation("CreateLaunchTemplate", refuses=("Operator",))
def create_launch_template(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = check_name(params.get("LaunchTemplateName"))
    check_description(params)
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("launch-template",))
    repository = ctx.uow.launch_templates
    token = ids.client_token(params)
    if token:
        earlier = repository.by_client_token(ctx.account_id, ctx.region, token)
        if earlier is not None:
            if earlier["launch_template_name"] != name:
                raise idempotent_parameter_mismatch()
            ctx.dry_run(params)
            return {"LaunchTemplate": template_view(earlier, _tags_of(ctx, earlier["launch_template_id"]))}
    if repository.by_names(ctx.account_id, ctx.region, [name]):
        raise name_in_use()
    limit = ctx.quota("launch-templates-per-region")
    if repository.count(ctx.account_id, ctx.region) >= limit:
        raise template_limit(limit)
    ctx.dry_run(params)
    row: Row = {
        "launch_template_id": ids.new_id("lt"),
        "account_id": ctx.account_id,
        "region": ctx.region,
        "launch_template_name": name,
        "created_by": created_by(ctx),
        "create_time": ctx.now_ts,
        "default_version": 1,
        "latest_version": 1,
        "issued_version": 1,
        "client_token": token or None,
    }
    repository.insert(row)
    repository.insert_version(version_row(ctx, row["launch_template_id"], 1, params, params["LaunchTemplateData"]))
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["launch_template_id"], "launch-template", tags)
    return {"LaunchTemplate": template_view(row, tags)}


@operation("ModifyLaunchTemplate")
def modify_launch_template(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    template = named_template(ctx, params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    default = params.get("DefaultVersion")
    number = template["default_version"]
    if default is not None:
        number = template_version(ctx, template, default)["version_number"]
    ctx.dry_run(params)
    if number != template["default_version"]:
        ctx.uow.launch_templates.update(ctx.account_id, ctx.region, template["launch_template_id"],
                                        default_version=number)
        template["default_version"] = number
    return {"LaunchTemplate": template_view(template, _tags_of(ctx, template["launch_template_id"]))}


@operation("DeleteLaunchTemplate")
def delete_launch_template(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    template = named_template(ctx, params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    ctx.dry_run(params)
    view = template_view(template, _tags_of(ctx, template["launch_template_id"]))
    ctx.uow.launch_templates.delete(ctx.account_id, ctx.region, template["launch_template_id"])
    return {"LaunchTemplate": view}


# --------------------------------------------------------------------------- DescribeLaunchTemplates


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], Mapping[str, Row]]:
    """The templates ``LaunchTemplateIds`` and ``LaunchTemplateNames`` name (each must
    exist), by ID, in the order first named: by ID, then by name."""
    found: dict[str, Row] = {}
    if params.get("LaunchTemplateIds"):
        found.update(TEMPLATES.load(ctx, params["LaunchTemplateIds"])[1])
    names = list(dict.fromkeys(params.get("LaunchTemplateNames") or []))
    for name in names:
        check_name(name)
    by_name = ctx.uow.launch_templates.by_names(ctx.account_id, ctx.region, names) if names else {}
    for name in names:
        if name not in by_name:
            raise name_not_found(name)
        found.setdefault(by_name[name]["launch_template_id"], by_name[name])
    return list(found), found


def _views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [row["launch_template_id"] for row in rows])
    return [template_view(row, tags.get(row["launch_template_id"])) for row in rows]


DESCRIBE_LAUNCH_TEMPLATES = Describe(
    result="LaunchTemplates",
    key="launch_template_id",
    find=in_repository("launch_templates"),
    view=lambda ctx, rows: _timed_views(ctx, rows),
    filters={"launch-template-name": "launch_template_name"},
    view_filters={"create-time": "CreateTimeText"},
    named=Naming(("LaunchTemplateIds", "LaunchTemplateNames"), _named),
    page_size=PageSize(minimum=1, maximum=200),
)


@operation("DescribeLaunchTemplates", defaults={"IncludeManagedResources": False})
def describe_launch_templates(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    result = describe(ctx, params, DESCRIBE_LAUNCH_TEMPLATES)
    for view in result["LaunchTemplates"]:
        view.pop("CreateTimeText", None)
    return result


def _timed_views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    """The views with their creation time as the ``create-time`` filter takes it (dropped
    before the answer)."""
    views = _views(ctx, rows)
    for view, row in zip(views, rows, strict=True):
        view["CreateTimeText"] = iso(row["create_time"])
    return views

