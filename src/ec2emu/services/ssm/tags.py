"""Tags on parameters: AddTagsToResource, ListTagsForResource and RemoveTagsFromResource
with ``ResourceType`` ``Parameter`` and the parameter's name as ``ResourceId``.

Other resource types of Systems Manager (documents, maintenance windows, ...) are not
served: ``InvalidResourceType``. A name no parameter of the caller's has (a public one
included) is ``InvalidResourceId``. A parameter holds at most 50 tags
(``TooManyTagsError``); a key given again replaces its value.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.shared.context import RequestContext
from ec2emu.services.ssm.errors import invalid_resource_id, invalid_resource_type, too_many_tags
from ec2emu.services.ssm.parameters import MAX_TAGS
from ec2emu.services.ssm.service import operation

PARAMETER = "Parameter"


def _parameter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if params["ResourceType"] != PARAMETER:
        raise invalid_resource_type(params["ResourceType"])
    row = ctx.uow.ssm_parameters.get(ctx.account_id, ctx.region, params["ResourceId"])
    if row is None:
        raise invalid_resource_id(params["ResourceId"])
    return row


@operation("AddTagsToResource")
def add_tags_to_resource(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = _parameter(ctx, params)
    tags = {key: value for key, value in row["tags"]}
    tags.update({str(tag["Key"]): str(tag.get("Value", "")) for tag in params["Tags"]})
    if len(tags) > MAX_TAGS:
        raise too_many_tags()
    ctx.uow.ssm_parameters.set_tags(ctx.account_id, ctx.region, row["name"], [[k, v] for k, v in tags.items()])
    return {}


@operation("RemoveTagsFromResource")
def remove_tags_from_resource(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = _parameter(ctx, params)
    removed = set(params["TagKeys"])
    ctx.uow.ssm_parameters.set_tags(ctx.account_id, ctx.region, row["name"],
                                    [[k, v] for k, v in row["tags"] if k not in removed])
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = _parameter(ctx, params)
    return {"TagList": [{"Key": key, "Value": value} for key, value in row["tags"]]}
