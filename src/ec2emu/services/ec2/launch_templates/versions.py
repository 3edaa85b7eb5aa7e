"""A launch template's versions: CreateLaunchTemplateVersion,
DescribeLaunchTemplateVersions and DeleteLaunchTemplateVersions.

Rules (``networking-facts.md`` §6, with its sources), and the choices made here:

* CreateLaunchTemplateVersion numbers the version one past the highest number the
  template has issued (numbers are never reused, even after a delete), makes it the
  latest and leaves the default as it is. With ``SourceVersion`` the new data is the
  source's with the given data's members on top, member by member at the top level (a
  member given replaces the source's whole member); without it, only what is given.
  10,000 versions per template (``MaxTemplateVersionLimitExceeded``). A repeated
  ``ClientToken`` answers the version it made.
* DescribeLaunchTemplateVersions of one template (by ID or name): every version, or those
  ``Versions`` names (numbers, ``$Latest``, ``$Default``; each must exist), bounded by
  ``MinVersion``/``MaxVersion``, in number order, paged (1–200). Without a template, only
  ``$Latest`` and ``$Default`` may be asked for (``InvalidParameterValue`` otherwise):
  those versions of every template of the account and region, by template ID, a page
  counting templates. Filters are matched on the versions: ``create-time``,
  ``ebs-optimized``, ``http-endpoint``, ``http-protocol-ipv4`` (here the metadata
  endpoint's ``HttpEndpoint``: template data has no separate IPv4 member),
  ``http-tokens``, ``host-resource-group-arn``, ``iam-instance-profile`` (the profile's
  ARN), ``image-id``, ``instance-type``, ``is-default-version``, ``kernel-id``,
  ``license-configuration-arn``, ``network-card-index`` and ``ram-disk-id``.
* DeleteLaunchTemplateVersions: up to 200 versions; each that cannot be deleted is
  answered in ``UnsuccessfullyDeletedLaunchTemplateVersions`` with AWS's response code:
  the template's (``launchTemplateIdMalformed``, ``launchTemplateIdDoesNotExist``,
  ``launchTemplateNameMalformed``, ``launchTemplateNameDoesNotExist``), a version it does
  not have or a text that is no number (``launchTemplateVersionDoesNotExist``), and the
  default version (``unexpectedError``: the enumeration has no code of its own for it).
  The messages are ours. Deleting the latest version makes the highest remaining one the
  latest.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import Ec2Error, invalid_next_token
from ec2emu.services.ec2.launch_templates.common import (
    DEFAULT,
    LATEST,
    MAX_VERSION_NUMBER,
    MAX_VERSIONS_PER_TEMPLATE,
    NAME,
    TEMPLATES,
    decode_data,
    iso,
    named_template,
    number_in,
    template_version,
    version_number,
    version_view,
)
from ec2emu.services.ec2.launch_templates.errors import (
    alias_only,
    bad_version,
    id_or_name,
    too_many_versions,
    version_limit,
    version_not_found,
)
from ec2emu.services.ec2.launch_templates.templates import check_description, version_row
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import criteria, matching, normalized
from ec2emu.services.shared.pagination import PageSize, decode_token, encode_token

Row = dict[str, Any]
MAX_VERSIONS_PER_DELETE = 200
PAGES = PageSize(minimum=1, maximum=200)


@operation("CreateLaunchTemplateVersion", defaults={"ResolveAlias": False})
def create_launch_template_version(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    template = named_template(ctx, params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    template_id = template["launch_template_id"]
    check_description(params)
    repository = ctx.uow.launch_templates
    token = ids.client_token(params)
    earlier = repository.version_by_client_token(template_id, token) if token else None
    data = dict(params["LaunchTemplateData"])
    if params.get("SourceVersion") is not None:
        source = template_version(ctx, template, params["SourceVersion"])
        data = {**decode_data(source["data"]), **data}
    if earlier is None and repository.version_count(template_id) >= MAX_VERSIONS_PER_TEMPLATE:
        raise version_limit(MAX_VERSIONS_PER_TEMPLATE)
    ctx.dry_run(params)
    if earlier is not None:
        return {"LaunchTemplateVersion": version_view(template, earlier)}
    number = template["issued_version"] + 1
    row = version_row(ctx, template_id, number, params, data)
    repository.insert_version(row)
    repository.update(ctx.account_id, ctx.region, template_id, latest_version=number, issued_version=number)
    return {"LaunchTemplateVersion": version_view(template, row)}


# --------------------------------------------------------------------------- DescribeLaunchTemplateVersions

_DATA = "LaunchTemplateData."
FILTERS = {
    "create-time": "create-time",
    "ebs-optimized": _DATA + "EbsOptimized",
    "http-endpoint": _DATA + "MetadataOptions.HttpEndpoint",
    "http-protocol-ipv4": _DATA + "MetadataOptions.HttpEndpoint",
    "http-tokens": _DATA + "MetadataOptions.HttpTokens",
    "host-resource-group-arn": _DATA + "Placement.HostResourceGroupArn",
    "iam-instance-profile": _DATA + "IamInstanceProfile.Arn",
    "image-id": _DATA + "ImageId",
    "instance-type": _DATA + "InstanceType",
    "is-default-version": "DefaultVersion",
    "kernel-id": _DATA + "KernelId",
    "license-configuration-arn": _DATA + "LicenseSpecifications.LicenseConfigurationArn",
    "network-card-index": _DATA + "NetworkInterfaces.NetworkCardIndex",
    "ram-disk-id": _DATA + "RamDiskId",
}


def _bound(value: Any) -> int | None:
    if value is None:
        return None
    text = str(value)
    number = number_in(text)
    if number is None or number < 1:
        raise bad_version(text)
    return min(number, MAX_VERSION_NUMBER + 1)


def _one_template(ctx: RequestContext, template: Row, params: dict[str, Any]) -> list[Row]:
    """The versions of one template the request asks for, in number order."""
    low, high = _bound(params.get("MinVersion")), _bound(params.get("MaxVersion"))
    asked = list(dict.fromkeys(params.get("Versions") or []))
    repository = ctx.uow.launch_templates
    if asked:
        numbers = {version: version_number(template, version) for version in asked}
        found = {row["version_number"]: row for row in repository.versions(template["launch_template_id"],
                                                                              numbers.values())}
        for version, number in numbers.items():
            if number not in found:
                raise version_not_found(version, template["launch_template_id"])
        rows = sorted(found.values(), key=lambda row: row["version_number"])
    else:
        rows = repository.versions(template["launch_template_id"])
    return [row for row in rows
            if (low is None or row["version_number"] >= low) and (high is None or row["version_number"] <= high)]


def _filtered(ctx: RequestContext, pairs: list[tuple[Row, Row]], matches: list[Any]) -> list[dict[str, Any]]:
    views = [version_view(template, row) for template, row in pairs]
    for view, (_, row) in zip(views, pairs, strict=True):
        view["create-time"] = iso(row["create_time"])
    chosen = matching(views, matches)
    for view in views:
        view.pop("create-time")
    return chosen


def _invalid_token(token: Any) -> Ec2Error:
    return invalid_next_token(token)


@operation("DescribeLaunchTemplateVersions", defaults={"ResolveAlias": False, "IncludeManagedResources": False})
def describe_launch_template_versions(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    matches = criteria(normalized(params.get("Filters")), FILTERS, None)
    limit = PAGES.of(params.get("MaxResults"))
    token = params.get("NextToken")
    after = decode_token(token, lambda: _invalid_token(token))
    repository = ctx.uow.launch_templates
    if params.get("LaunchTemplateId") or params.get("LaunchTemplateName"):
        template = named_template(ctx, params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
        after_number = number_in(after) if isinstance(after, str) else None
        if after is not None and after_number is None:
            raise _invalid_token(token)
        rows = _one_template(ctx, template, params)
        ctx.dry_run(params)
        if after_number is not None:
            rows = [row for row in rows if row["version_number"] > after_number]
        page = rows if limit is None else rows[:limit]
        result: dict[str, Any] = {"LaunchTemplateVersions": _filtered(ctx, [(template, row) for row in page],
                                                                       matches)}
        if limit is not None and len(rows) > limit:
            result["NextToken"] = encode_token(str(page[-1]["version_number"]))
        return result
    asked = list(dict.fromkeys(params.get("Versions") or []))
    if not asked:
        raise id_or_name()
    if any(version not in (LATEST, DEFAULT) for version in asked):
        raise alias_only()
    if after is not None and not (isinstance(after, str) and ids.is_well_formed("lt", after)):
        raise _invalid_token(token)
    ctx.dry_run(params)
    templates = repository.find(ctx.account_id, ctx.region, after_id=after,
                                limit=None if limit is None else limit + 1)
    page = templates if limit is None else templates[:limit]
    pairs: list[tuple[Row, Row]] = []
    for template in page:
        numbers = sorted({version_number(template, version) for version in asked})
        pairs += [(template, row) for row in repository.versions(template["launch_template_id"], numbers)]
    result = {"LaunchTemplateVersions": _filtered(ctx, pairs, matches)}
    if limit is not None and len(templates) > limit:
        result["NextToken"] = encode_token(page[-1]["launch_template_id"])
    return result


# --------------------------------------------------------------------------- DeleteLaunchTemplateVersions


def _failure(template_id: str | None, name: str | None, version: str, code: str, message: str) -> dict[str, Any]:
    item: dict[str, Any] = {"ResponseError": {"Code": code, "Message": message}}
    if template_id:
        item["LaunchTemplateId"] = template_id
    if name:
        item["LaunchTemplateName"] = name
    number = number_in(version)
    if number is not None and number <= MAX_VERSION_NUMBER:
        item["VersionNumber"] = number
    return item


def _template_or_failure(ctx: RequestContext, params: dict[str, Any]) -> tuple[Row | None, str, str]:
    """The template the call names, or ``None`` with the response code and message every
    version then fails with."""
    template_id, name = params.get("LaunchTemplateId"), params.get("LaunchTemplateName")
    if template_id and not name:
        if not ids.is_well_formed("lt", template_id):
            return None, "launchTemplateIdMalformed", f"The launch template ID '{template_id}' is malformed."
        found = TEMPLATES.get(ctx, [template_id]).get(template_id)
        if found is None:
            return None, "launchTemplateIdDoesNotExist", (
                f"The specified launch template, with template ID {template_id}, does not exist.")
        return dict(found), "", ""
    if name and not template_id and NAME.fullmatch(name) is None:
        return None, "launchTemplateNameMalformed", f"The launch template name '{name}' is malformed."
    if name and not template_id:
        by_name = ctx.uow.launch_templates.by_names(ctx.account_id, ctx.region, [name])
        if name not in by_name:
            return None, "launchTemplateNameDoesNotExist", (
                f"The specified launch template, with template name {name}, does not exist.")
    return named_template(ctx, template_id, name), "", ""


@operation("DeleteLaunchTemplateVersions")
def delete_launch_template_versions(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    versions = [str(version) for version in dict.fromkeys(params["Versions"])]
    if len(versions) > MAX_VERSIONS_PER_DELETE:
        raise too_many_versions(MAX_VERSIONS_PER_DELETE)
    template, code, message = _template_or_failure(ctx, params)
    ctx.dry_run(params)
    if template is None:
        return {"SuccessfullyDeletedLaunchTemplateVersions": [], "UnsuccessfullyDeletedLaunchTemplateVersions": [
            _failure(params.get("LaunchTemplateId"), params.get("LaunchTemplateName"), version, code, message)
            for version in versions]}
    template_id, name = template["launch_template_id"], template["launch_template_name"]
    asked = {version: number_in(version) for version in versions}
    numbers = [number for number in asked.values() if number is not None and number <= MAX_VERSION_NUMBER]
    repository = ctx.uow.launch_templates
    existing = {row["version_number"] for row in repository.versions(template_id, numbers)}
    deleted: list[int] = []
    done, failed = [], []
    for version in versions:
        number = asked[version]
        if number is None or number not in existing:  # a number too large for any version too
            failed.append(_failure(template_id, name, version, "launchTemplateVersionDoesNotExist",
                                   "The specified launch template version does not exist."))
        elif number == template["default_version"]:
            failed.append(_failure(template_id, name, version, "unexpectedError",
                                   "The default version of a launch template cannot be deleted. Set another "
                                   "version as the default, or delete the launch template."))
        else:
            deleted.append(number)
            done.append({"LaunchTemplateId": template_id, "LaunchTemplateName": name,
                         "VersionNumber": number})
    if deleted:
        repository.delete_versions(template_id, deleted)
        if template["latest_version"] in deleted:
            remaining = repository.versions(template_id)
            repository.update(ctx.account_id, ctx.region, template_id,
                              latest_version=max(row["version_number"] for row in remaining))
    return {"SuccessfullyDeletedLaunchTemplateVersions": done, "UnsuccessfullyDeletedLaunchTemplateVersions": failed}
