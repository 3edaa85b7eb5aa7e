"""A rule's targets: PutTargets, RemoveTargets and ListTargetsByRule.

A target is kept with its ``Id``, ``Arn``, ``RoleArn``, its input — ``Input`` (constant
JSON text), ``InputPath`` (a JSON path into the event) or ``InputTransformer`` (paths
and a template), at most one of them — its ``RetryPolicy`` and its ``DeadLetterConfig``
(an SQS queue's ARN), checked as AWS checks them (the wave-2 fact sheet, D.1 and D.2): a
template's ``<placeholder>`` must be a key of ``InputPathsMap`` or one of AWS's reserved
names, and a JSON template (an object or list) may not use one as an object key; keys
may not begin with ``AWS.``. A rule has at most five targets (a put that
would make more is ``LimitExceededException``); a target given again by ``Id`` is
replaced. A target whose ``Arn`` is an API destination's
(``arn:aws:events:REGION:ACCOUNT:api-destination/NAME/UUID``) must name one of the
caller's account and region (``ResourceNotFoundException`` "Failed to describe the
api-destination(s). An api-destination 'NAME' does not exist." otherwise, refusing the
whole call), and keeps its ``HttpParameters`` (``PathParameterValues``,
``HeaderParameters``, ``QueryStringParameters``) as given: they are not matched against
the endpoint's ``*`` segments here, delivery fills those in order. The other
service-specific parameter structures (``SqsParameters``, ``EcsParameters`` and the
others), and ``HttpParameters`` on any other target (API Gateway's included), are
refused by name: nothing here delivers to those services yet.

Choices AWS's documentation leaves open: every refusal here is of the whole call, so
``FailedEntryCount`` is 0 on success (AWS's per-entry failures are concurrent changes
and internal failures, which one transaction per request does not meet); removing an
``Id`` the rule does not have is not a failure; ``InputPath`` and the paths of
``InputPathsMap`` are ``$`` followed by ``.field`` and ``[index]`` steps; ``Force`` of
RemoveTargets changes nothing (no rule here is managed by an AWS service); targets are
listed in ID order. The grammar of paths and placeholders is the one delivery renders a
target's input by (:mod:`ec2emu.services.events.target_input`), so every target put
here renders.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ec2emu.services.events.api_destinations import target_destination
from ec2emu.services.events.common import bus_of, load_rule
from ec2emu.services.events.common import page as page_of
from ec2emu.services.events.errors import (
    invalid_dead_letter,
    invalid_input,
    invalid_input_path,
    invalid_paths_map,
    invalid_placeholder,
    invalid_target_arn,
    limit_exceeded,
    one_input,
    placeholder_as_key,
    unhonoured,
)
from ec2emu.services.events.service import operation
from ec2emu.services.events.target_input import JSON_PATH, PLACEHOLDER, RESERVED, key_placeholders
from ec2emu.services.shared.context import RequestContext

MAX_TARGETS = 5
ARN = re.compile(r"arn:aws[a-z\-]*:[a-z0-9\-]+:[a-z0-9\-]*:[0-9]{0,12}:.+")
SQS_ARN = re.compile(r"arn:aws[a-z\-]*:sqs:[a-z0-9\-]+:[0-9]{12}:[A-Za-z0-9_\-]{1,80}")
NOT_SERVED = ("KinesisParameters", "RunCommandParameters", "EcsParameters", "BatchParameters", "SqsParameters",
              "HttpParameters", "RedshiftDataParameters", "SageMakerPipelineParameters", "AppSyncParameters")


def _check_transformer(target_id: str, transformer: dict[str, Any]) -> None:
    paths = transformer.get("InputPathsMap") or {}
    for key, path in paths.items():
        if key.startswith("AWS."):
            raise invalid_paths_map(target_id, f"the key {key} may not begin with AWS.")
        if not JSON_PATH.fullmatch(path):
            raise invalid_paths_map(target_id, f"{path} is not a valid JSON path")
    for name in PLACEHOLDER.findall(transformer["InputTemplate"]):
        if name not in paths and name not in RESERVED:
            raise invalid_placeholder(target_id, name)
    for name in key_placeholders(transformer["InputTemplate"]):
        raise placeholder_as_key(target_id, name)


def target_row(ctx: RequestContext, target: dict[str, Any]) -> dict[str, Any]:
    """A target as stored, once checked."""
    target_id = target["Id"]
    destination = target_destination(ctx, target["Arn"])
    for member in NOT_SERVED:
        if member in target and not (destination and member == "HttpParameters"):
            raise unhonoured(member)
    if not ARN.fullmatch(target["Arn"]):
        raise invalid_target_arn(target["Arn"])
    if sum(member in target for member in ("Input", "InputPath", "InputTransformer")) > 1:
        raise one_input(target_id)
    if "Input" in target:
        try:
            json.loads(target["Input"])
        except (ValueError, RecursionError):
            raise invalid_input(target_id) from None
    if "InputPath" in target and not JSON_PATH.fullmatch(target["InputPath"]):
        raise invalid_input_path(target_id, target["InputPath"])
    if "InputTransformer" in target:
        _check_transformer(target_id, target["InputTransformer"])
    dead_letter = (target.get("DeadLetterConfig") or {}).get("Arn")
    if dead_letter is not None and not SQS_ARN.fullmatch(dead_letter):
        raise invalid_dead_letter(dead_letter)
    return {
        "target_id": target_id, "arn": target["Arn"], "role_arn": target.get("RoleArn"),
        "input": target.get("Input"), "input_path": target.get("InputPath"),
        "input_transformer": target.get("InputTransformer"), "retry_policy": target.get("RetryPolicy"),
        "dead_letter_arn": dead_letter, "http_parameters": target.get("HttpParameters"),
    }


def target_view(row: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {"Id": row["target_id"], "Arn": row["arn"]}
    for member, column in (("RoleArn", "role_arn"), ("Input", "input"), ("InputPath", "input_path"),
                           ("InputTransformer", "input_transformer"), ("RetryPolicy", "retry_policy"),
                           ("HttpParameters", "http_parameters")):
        if row[column] is not None:
            view[member] = row[column]
    if row["dead_letter_arn"] is not None:
        view["DeadLetterConfig"] = {"Arn": row["dead_letter_arn"]}
    return view


@operation("PutTargets")
def put_targets(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus = bus_of(ctx, params)
    rule = load_rule(ctx, bus, params["Rule"])
    rows = {row["target_id"]: row for row in (target_row(ctx, target) for target in params["Targets"])}
    repository = ctx.uow.event_rules
    if len(set(repository.target_ids(bus, rule["name"])) | set(rows)) > MAX_TARGETS:
        raise limit_exceeded()
    repository.put_targets(bus, rule["name"], rows.values())
    return {"FailedEntryCount": 0, "FailedEntries": []}


@operation("RemoveTargets")
def remove_targets(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus = bus_of(ctx, params)
    rule = load_rule(ctx, bus, params["Rule"])
    ctx.uow.event_rules.remove_targets(bus, rule["name"], params["Ids"])
    return {"FailedEntryCount": 0, "FailedEntries": []}


@operation("ListTargetsByRule")
def list_targets_by_rule(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    bus = bus_of(ctx, params)
    rule = load_rule(ctx, bus, params["Rule"])
    rows, token = page_of(params, lambda after, limit: ctx.uow.event_rules.targets(bus, rule["name"], after, limit),
                          "target_id")
    result: dict[str, Any] = {"Targets": [target_view(row) for row in rows]}
    if token is not None:
        result["NextToken"] = token
    return result
