"""What each Systems Manager action asks permission for (its describer, see
:mod:`ec2emu.services.shared.permissions`), and SSM's denial.

Parameter actions check the parameters they name —
``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`` (the name without its leading ``/`` and
without a ``:version`` selector; a public parameter's ARN has no account) — with the
parameter's tags (``aws:ResourceTag/k``) when it exists, and the request's tags
(``aws:RequestTag/k``, ``aws:TagKeys``) for PutParameter and AddTagsToResource;
GetParametersByPath checks the path as a parameter ARN; DescribeParameters checks ``*``
(AWS's service authorization reference lists no resource for it).

A denial is ``AccessDeniedException`` (400) "User: ARN is not authorized to perform:
ssm:ACTION on resource: ARN because no identity-based policy allows the ssm:ACTION action".
"""

from __future__ import annotations

from typing import Any

from ec2emu.auth.authorization import Resource
from ec2emu.auth.policy import ContextValue
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import Describer, denies_with, describes_by_default, request_tags, tag_keys
from ec2emu.services.ssm.common import is_public, parameter_arn, split_reference
from ec2emu.services.ssm.errors import access_denied

denies_with("ssm", access_denied)


def _references(params: dict[str, Any]) -> list[str]:
    if isinstance(params.get("Name"), str):
        return [params["Name"]]
    if isinstance(params.get("Names"), list):
        return [name for name in params["Names"] if isinstance(name, str)]
    if isinstance(params.get("Path"), str):
        return [params["Path"].rstrip("/") or "/"]
    if params.get("ResourceType") == "Parameter" and isinstance(params.get("ResourceId"), str):
        return [params["ResourceId"]]
    return []


def _resource(ctx: RequestContext, reference: str, extra: dict[str, ContextValue]) -> Resource:
    names, _ = split_reference(ctx, reference)
    if not names:  # an ARN of another account or region: checked as given, without a selector
        return Resource(reference if reference.count(":") <= 5 else reference.rsplit(":", 1)[0], dict(extra))
    name = names[0]
    if is_public(name):
        return Resource(parameter_arn(ctx.region, "", name), dict(extra))
    keys = dict(extra)
    row = ctx.uow.ssm_parameters.get(ctx.account_id, ctx.region, name)
    if row is not None:
        keys.update(tag_keys(("aws:ResourceTag",), [(k, v) for k, v in row["tags"]]))
    return Resource(parameter_arn(ctx.region, ctx.account_id, name), keys)


@describes_by_default("ssm")
def _ssm(action: str) -> Describer:
    def describe(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
        references = _references(params)
        if action == "DescribeParameters" or not references:
            return [Resource("*")]
        extra = request_tags(params.get("Tags")) if action in ("PutParameter", "AddTagsToResource") else {}
        return [_resource(ctx, reference, extra) for reference in references]

    return describe
