"""An instance's page: every attribute DescribeInstances answers, its protection flags
(DescribeInstanceAttribute), block devices with DeleteOnTermination, network interfaces,
security groups, tags (added and removed with CreateTags and DeleteTags) and its state
history — the outbox's events about it in the principal's account, newest
:data:`HISTORY` (by index: :meth:`ec2emu.store.outbox.OutboxRepository.of_instance`).
Every read and change is an EC2 operation called as the signed-in principal.
"""

from __future__ import annotations

import json
from typing import Any

from ec2emu.console.html import Answer, esc, link, message, page, redirect, state_badge, table
from ec2emu.console.instances import ACTIONS, when
from ec2emu.console.operate import invoke
from ec2emu.console.resources import filtered
from ec2emu.errors import Ec2Error
from ec2emu.pipeline import Pipeline
from ec2emu.store.repository import Store, UnitOfWork

HISTORY = 100
# Members shown in their own sections rather than in the attribute list.
_SECTIONS = {"BlockDeviceMappings", "NetworkInterfaces", "SecurityGroups", "Tags"}


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """A section's table: its heading shows its caption."""
    return table(caption, headers, rows, caption_shown=False)


def route(pipeline: Pipeline, store: Store, scope: Any, instance_id: str, sub: str) -> Answer:
    method = scope.request.method
    if sub == "" and method == "GET":
        return show(pipeline, store, scope, instance_id)
    if sub == "tags" and method == "POST":
        return tags(pipeline, scope, instance_id)
    return page("Not found", message("error", "No such page."), scope.frame, 404)


def _call(pipeline: Pipeline, scope: Any, action: str, params: dict[str, Any]) -> Any:
    return invoke(pipeline, scope.principal, scope.access_key_id, action, params, scope.region,
                  scope.request.request_id, scope.request.client)


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``value``'s scalars by dotted name (a list's members numbered)."""
    if isinstance(value, dict):
        pairs: list[tuple[str, str]] = []
        for key in sorted(value):
            if not prefix and key in _SECTIONS:
                continue
            pairs += flatten(value[key], f"{prefix}.{key}" if prefix else key)
        return pairs
    if isinstance(value, list):
        if not value:
            return [(prefix, "(none)")]
        return [pair for index, item in enumerate(value) for pair in flatten(item, f"{prefix}[{index}]")]
    return [(prefix, when(value) if not isinstance(value, bool) else str(value).lower())]


def show(pipeline: Pipeline, store: Store, scope: Any, instance_id: str) -> Answer:
    try:
        result = _call(pipeline, scope, "DescribeInstances", {"InstanceIds": [instance_id]})
    except Ec2Error as refused:
        return page(instance_id, message("error", f"{refused.code}: {refused.message}"), scope.frame,
                    refused.status)
    item = result["Reservations"][0]["Instances"][0]
    back = link("instances", account=scope.account, region=scope.region)
    parts = [f'<p><a href="{esc(back)}">All instances</a></p>',
             f'<p>State: {state_badge(item["State"]["Name"])}</p>',
             _protection(pipeline, scope, instance_id)]
    parts.append("<h2>Attributes</h2><dl class=\"attributes\">"
                 + "".join(f"<dt>{esc(k)}</dt><dd>{_attribute(scope, k, v)}</dd>" for k, v in flatten(item))
                 + "</dl>")
    parts.append("<h2>Block devices</h2>" + _table("Block devices", [
        "Device", "Volume", "Status", "Attached", "Delete on termination"], [
        [esc(m.get("DeviceName")), _to(scope, "volumes", "volume-id", m.get("Ebs", {}).get("VolumeId")),
         esc(m.get("Ebs", {}).get("Status")),
         esc(when(m.get("Ebs", {}).get("AttachTime"))),
         esc("yes" if m.get("Ebs", {}).get("DeleteOnTermination") else "no")]
        for m in item.get("BlockDeviceMappings", [])]))
    parts.append("<h2>Network interfaces</h2>" + _table("Network interfaces", [
        "Interface", "Subnet", "VPC", "Private IP", "Public IP", "MAC", "Security groups", "Delete on termination"], [
        [esc(n.get("NetworkInterfaceId")), _to(scope, "subnets", "subnet-id", n.get("SubnetId")),
         _to(scope, "vpcs", "vpc-id", n.get("VpcId")),
         esc(n.get("PrivateIpAddress")), esc(n.get("Association", {}).get("PublicIp")), esc(n.get("MacAddress")),
         esc(", ".join(f'{g["GroupId"]} ({g["GroupName"]})' for g in n.get("Groups", []))),
         esc("yes" if n.get("Attachment", {}).get("DeleteOnTermination") else "no")]
        for n in item.get("NetworkInterfaces", [])]))
    parts.append("<h2>Security groups</h2>" + _table("Security groups", ["Group", "Name"], [
        [_to(scope, "security-groups", "group-id", g.get("GroupId")), esc(g.get("GroupName"))]
        for g in item.get("SecurityGroups", [])]))
    parts.append(_tags(scope, instance_id, item.get("Tags", [])))
    parts.append(_history(store, pipeline, scope, instance_id))
    return page(instance_id, "".join(parts), scope.frame)


# Attributes naming a resource another table shows: (table, filter name).
_LINKED = {"KeyName": ("key-pairs", "key-name"), "SubnetId": ("subnets", "subnet-id"), "VpcId": ("vpcs", "vpc-id")}


def _attribute(scope: Any, name: str, value: str) -> str:
    if name in _LINKED:
        return _to(scope, *_LINKED[name], value)
    return esc(value)


def _to(scope: Any, path: str, filter_name: str, value: str | None) -> str:
    """``value`` linked to its table, filtered to it."""
    if not value:
        return ""
    return f'<a href="{filtered(path, scope, filter_name, value)}">{esc(value)}</a>'


def _protection(pipeline: Pipeline, scope: Any, instance_id: str) -> str:
    shown = []
    for attribute, member, on, off in (("disableApiTermination", "DisableApiTermination",
                                        "termination-protection-on", "termination-protection-off"),
                                       ("disableApiStop", "DisableApiStop", "stop-protection-on",
                                        "stop-protection-off")):
        try:
            found = _call(pipeline, scope, "DescribeInstanceAttribute",
                          {"InstanceId": instance_id, "Attribute": attribute})
            value = bool(found.get(member, {}).get("Value"))
            text = "on" if value else "off"
        except Ec2Error as refused:
            value, text = False, f"unknown ({refused.code})"
        action = off if value else on
        shown.append(
            f'<form method="post" action="{esc(link("instances/action"))}" class="inline">'
            f'<input type="hidden" name="csrf" value="{esc(scope.frame.csrf)}">'
            f'<input type="hidden" name="account" value="{esc(scope.account)}">'
            f'<input type="hidden" name="region" value="{esc(scope.region)}">'
            f'<input type="hidden" name="id" value="{esc(instance_id)}">'
            f'{esc(ACTIONS[on][0].rsplit(" ", 1)[0])}: <strong>{esc(text)}</strong> '
            f'<button type="submit" name="action" value="{action}">{esc(ACTIONS[action][0])}</button></form>')
    return '<div class="protection-flags">' + "".join(shown) + "</div>"


def _tags(scope: Any, instance_id: str, pairs: list[dict[str, str]]) -> str:
    target = esc(link(f"instances/{instance_id}/tags"))
    hidden = (f'<input type="hidden" name="csrf" value="{esc(scope.frame.csrf)}">'
              f'<input type="hidden" name="account" value="{esc(scope.account)}">'
              f'<input type="hidden" name="region" value="{esc(scope.region)}">')
    rows = [[esc(t["Key"]), esc(t["Value"]),
             f'<form method="post" action="{target}" class="inline">{hidden}'
             f'<input type="hidden" name="op" value="delete"><input type="hidden" name="key" value="{esc(t["Key"])}">'
             f'<button type="submit" aria-label="Remove tag {esc(t["Key"])}">Remove</button></form>']
            for t in sorted(pairs, key=lambda t: t["Key"])]
    add = (f'<form method="post" action="{target}" class="tag-form">{hidden}<input type="hidden" name="op" value="add">'
           '<label for="tag-key">Key</label><input id="tag-key" name="key" required maxlength="128">'
           '<label for="tag-value">Value</label><input id="tag-value" name="value" maxlength="256">'
           '<button type="submit">Add or change tag</button></form>')
    return "<h2>Tags</h2>" + _table("Tags", ["Key", "Value", "Remove"], rows) + add


def _history(store: Store, pipeline: Pipeline, scope: Any, instance_id: str) -> str:
    def read(uow: UnitOfWork) -> list[tuple[int, dict[str, Any]]]:
        return uow.outbox.of_instance(scope.account, instance_id, HISTORY)

    found = store.transaction(read, read_only=True)
    rows = [[esc(event.get("time", "")), state_badge(str(event.get("detail", {}).get("state", ""))),
             esc(event.get("detail-type", ""))] for _, event in reversed(found)]
    return "<h2>State history</h2>" + _table("State history, newest first", ["Time", "State", "Event"], rows)


def tags(pipeline: Pipeline, scope: Any, instance_id: str) -> Answer:
    key = scope.one("key")
    try:
        if scope.one("op") == "delete":
            _call(pipeline, scope, "DeleteTags", {"Resources": [instance_id], "Tags": [{"Key": key}]})
        else:
            _call(pipeline, scope, "CreateTags", {"Resources": [instance_id],
                                                  "Tags": [{"Key": key, "Value": scope.one("value")}]})
    except Ec2Error as refused:
        if "application/json" in scope.request.headers.get("accept", ""):
            return Answer(refused.status, json.dumps({"error": {"code": refused.code,
                                                                "message": refused.message}}).encode(),
                          "application/json")
        return page(instance_id, message("error", f"{refused.code}: {refused.message}"), scope.frame,
                    refused.status)
    return redirect(link(f"instances/{instance_id}", account=scope.account, region=scope.region))
