"""RunInstances with ``LaunchTemplate``: the template's data merged into the call's own
parameters, and the launch-template tags of the instances launched.

As EC2 documents it (``networking-facts.md`` §6, with its sources):

* The template is named by ``LaunchTemplateId`` or ``LaunchTemplateName`` (not both), its
  version by ``Version`` (a number, ``$Latest``, ``$Default``; omitted: the default), with
  the launch-template errors of the other calls.
* A parameter the call gives wins over the template's (key pair, image, instance type,
  block devices, metadata options, instance profile, protections, ...): a member given
  replaces the template's whole member. ``TagSpecifications`` merge per resource type and
  key, the call's value winning on the same key. A call's ``NetworkInterfaces`` replace
  the template's (EC2 documents no merge of them).
* A template with ``NetworkInterfaces`` launched by a call giving ``SubnetId`` or
  security groups answers ``InvalidParameterCombination`` with EC2's texts.
* Template members named otherwise in RunInstances are renamed (``RamDiskId`` is
  ``RamdiskId``, ``ElasticGpuSpecifications`` ``ElasticGpuSpecification``); the merged
  parameters then go through RunInstances' own refusals, as if the call had given them,
  so a template member RunInstances does not honour is refused by name at launch
  (``InstanceRequirements``, which RunInstances does not take, too).
* Every instance launched carries the tags ``aws:ec2launchtemplate:id`` and
  ``aws:ec2launchtemplate:version`` (the version number launched); ``aws:`` keys cannot be
  given, changed or deleted by users.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.launch_templates.common import decode_data, named_template, template_version
from ec2emu.services.ec2.launch_templates.errors import interfaces_and_groups, interfaces_and_subnet
from ec2emu.services.ec2.service import SERVICE
from ec2emu.services.shared.context import RequestContext

Row = dict[str, Any]
RENAMED = {"RamDiskId": "RamdiskId", "ElasticGpuSpecifications": "ElasticGpuSpecification"}
NOT_RUN_MEMBERS = ("InstanceRequirements",)


def _merged_tags(template: list[dict[str, Any]], call: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_type: dict[str, dict[str, str]] = {}
    for spec in [*template, *call]:
        tags = by_type.setdefault(spec.get("ResourceType", ""), {})
        for tag in spec.get("Tags") or []:
            tags[tag.get("Key", "")] = tag.get("Value", "")
    return [{"ResourceType": kind, "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}
            for kind, tags in by_type.items()]


def merged(ctx: RequestContext, params: dict[str, Any]) -> tuple[dict[str, Any], Row | None]:
    """RunInstances' parameters with the template's data merged in, and the version
    launched (``None``, and the parameters as they are, without ``LaunchTemplate``)."""
    spec = params.get("LaunchTemplate")
    if not spec:
        return params, None
    template = named_template(ctx, spec.get("LaunchTemplateId"), spec.get("LaunchTemplateName"))
    version = template_version(ctx, template, spec.get("Version"))
    data = {RENAMED.get(key, key): value for key, value in decode_data(version["data"]).items()}
    for member in NOT_RUN_MEMBERS:
        if member in data:
            raise SERVICE.unsupported(member)
    own = {key: value for key, value in params.items() if key != "LaunchTemplate"}
    if data.get("NetworkInterfaces") and "NetworkInterfaces" not in own:
        if own.get("SubnetId"):
            raise interfaces_and_subnet()
        if own.get("SecurityGroupIds") or own.get("SecurityGroups"):
            raise interfaces_and_groups()
    result = {**data, **own}
    if data.get("TagSpecifications") and own.get("TagSpecifications"):
        result["TagSpecifications"] = _merged_tags(data["TagSpecifications"], own["TagSpecifications"])
    SERVICE.screen("RunInstances", result)
    return result, {**version, "launch_template_name": template["launch_template_name"]}


def tag_launched(ctx: RequestContext, launched: Row | None, instances: list[Row]) -> None:
    """Give the instances launched from a template its ``aws:ec2launchtemplate:*`` tags."""
    if launched is None:
        return
    ctx.uow.tags.put_many(ctx.account_id, ctx.region, [row["instance_id"] for row in instances], "instance",
                          [("aws:ec2launchtemplate:id", launched["launch_template_id"]),
                           ("aws:ec2launchtemplate:version", str(launched["version_number"]))])
