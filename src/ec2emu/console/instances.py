"""The instances page: pickers, filters, one page of the table, live states, actions.

The table is one page of ``DescribeInstances`` (:data:`PAGE_SIZE` rows, ``MaxResults``
and ``NextToken``) called as the signed-in principal, with EC2's own filter names — one
filter a line, ``name=value,value``; so paging costs the same at 100 000 instances as at
ten. The protection flags, which DescribeInstances does not answer, are read from the
store for the page's instances in the principal's account and region (one indexed
statement). ``GET instances/states`` answers the states of the IDs it is given (an
``instance-id`` filter, so an instance gone answers nothing rather than an error), which
the page's script polls every :data:`POLL_MS`. ``POST instances/action`` runs
StopInstances, StartInstances, RebootInstances, TerminateInstances, or
ModifyInstanceAttribute (``DisableApiTermination``/``DisableApiStop``, one instance a
call) on the selection and answers what each call did or AWS's error.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ec2emu.console import clock
from ec2emu.console.html import Answer, esc, link, message, page, state_badge, table
from ec2emu.console.operate import invoke
from ec2emu.errors import Ec2Error, invalid_parameter_value
from ec2emu.pipeline import Pipeline
from ec2emu.services.ec2.regions import known_regions
from ec2emu.store.repository import Store, UnitOfWork

PAGE_SIZE = 50
POLL_MS = 1500
MAX_SELECTION = 1000

ACTIONS: dict[str, tuple[str, str, bool | None]] = {
    # form value: (label, operation, attribute value)
    "stop": ("Stop", "StopInstances", None),
    "start": ("Start", "StartInstances", None),
    "reboot": ("Reboot", "RebootInstances", None),
    "terminate": ("Terminate", "TerminateInstances", None),
    "termination-protection-on": ("Termination protection on", "DisableApiTermination", True),
    "termination-protection-off": ("Termination protection off", "DisableApiTermination", False),
    "stop-protection-on": ("Stop protection on", "DisableApiStop", True),
    "stop-protection-off": ("Stop protection off", "DisableApiStop", False),
}


def parse_filters(text: str) -> list[dict[str, Any]]:
    """``name=v1,v2`` a line → EC2's ``Filters`` (a line without ``=`` is refused)."""
    filters = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, sep, values = line.partition("=")
        if not sep or not name.strip():
            raise invalid_parameter_value(f"A filter is name=value[,value…]; got '{line}'.")
        filters.append({"Name": name.strip(), "Values": [v.strip() for v in values.split(",")]})
    return filters


def tag_dict(item: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in item.get("Tags", [])}


def when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return "" if value is None else str(value)


def protection(store: Store, pipeline: Pipeline, account: str, region: str,
               ids: list[str]) -> dict[str, tuple[bool, bool]]:
    """Each instance's (termination, stop) protection, read in one statement."""
    def read(uow: UnitOfWork) -> dict[str, tuple[bool, bool]]:
        pipeline.context(uow, "console", region, account)
        rows = uow.instances.get(account, region, ids)
        return {i: (bool(r["disable_api_termination"]), bool(r["disable_api_stop"])) for i, r in rows.items()}
    return store.transaction(read, read_only=True) if ids else {}


def route(pipeline: Pipeline, store: Store, scope: Any, sub: str) -> Answer:
    method = scope.request.method
    if sub == "" and method == "GET":
        return listing(pipeline, store, scope)
    if sub == "states" and method == "GET":
        return states(pipeline, store, scope)
    if sub == "action" and method == "POST":
        return act(pipeline, scope)
    return page("Not found", message("error", "No such page."), scope.frame, 404)


def _describe(pipeline: Pipeline, scope: Any, params: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """One page of DescribeInstances as the principal, and the token of the next."""
    result = invoke(pipeline, scope.principal, scope.access_key_id, "DescribeInstances", params, scope.region,
                    scope.request.request_id, scope.request.client)
    items = [item for reservation in result.get("Reservations", []) for item in reservation["Instances"]]
    return items, result.get("NextToken") or ""


def listing(pipeline: Pipeline, store: Store, scope: Any) -> Answer:
    filters_text = scope.one("filters")
    token = scope.one("next")
    error = ""
    items: list[dict[str, Any]] = []
    next_token = ""
    try:
        params: dict[str, Any] = {"MaxResults": PAGE_SIZE, "Filters": parse_filters(filters_text)}
        if token:
            params["NextToken"] = token
        items, next_token = _describe(pipeline, scope, params)
    except Ec2Error as refused:
        error = f"{refused.code}: {refused.message}"
    flags = protection(store, pipeline, scope.account, scope.region, [i["InstanceId"] for i in items])
    content = pickers(scope, filters_text) + (message("error", error) if error else "")
    if scope.frame.admin:
        here = link("instances", account=scope.account, region=scope.region, filters=filters_text, next=token)
        content += clock.controls(scope.frame.csrf, scope.account, scope.region, here)
    content += _actions(scope) + _table(scope, items, flags)
    pager = [f'<a href="{esc(link("instances", account=scope.account, region=scope.region, filters=filters_text))}"'
             f'>First page</a>'] if token else []
    if next_token:
        following = link("instances", account=scope.account, region=scope.region, filters=filters_text,
                         next=next_token)
        pager.append(f'<a rel="next" href="{esc(following)}">Next page</a>')
    content += f'<nav class="pager" aria-label="Pages">{" ".join(pager)}</nav>'
    return page("Instances", content, scope.frame)


def pickers(scope: Any, filters_text: str, hint: str = "instance-state-name=running, tag:Name=web, "
                                                             "availability-zone=us-east-1a") -> str:
    """The account and region pickers and the filters' field, for any table."""
    if scope.frame.admin:
        known = "".join(f'<option value="{esc(a)}"></option>' for a in scope.frame.accounts)
        account = (f'<label for="account">Account</label><input id="account" name="account" list="accounts" '
                   f'value="{esc(scope.account)}" inputmode="numeric" pattern="[0-9]{{12}}" size="14">'
                   f'<datalist id="accounts">{known}</datalist>')
    else:
        account = (f'<label for="account">Account</label><input id="account" name="account" '
                   f'value="{esc(scope.account)}" readonly size="14">')
    regions = "".join(f'<option{" selected" if r == scope.region else ""}>{esc(r)}</option>' for r in known_regions())
    return (f'<form method="get" action="" class="pickers">{account}'
            f'<label for="region">Region</label><select id="region" name="region">{regions}</select>'
            f'<label for="filters">Filters (one a line: name=value,value — e.g. {esc(hint)})</label>'
            f'<textarea id="filters" name="filters" rows="2">{esc(filters_text)}</textarea>'
            f'<button type="submit">Apply</button></form>')


def _actions(scope: Any) -> str:
    buttons = "".join(f'<button type="submit" form="act" name="action" value="{key}">{esc(label)}</button>'
                      for key, (label, _, _) in ACTIONS.items())
    return (f'<div class="actions" role="group" aria-label="Actions on the selected instances">{buttons}</div>'
            '<div id="outcome" class="outcome" aria-live="polite"></div>')


def _table(scope: Any, items: list[dict[str, Any]], flags: dict[str, tuple[bool, bool]]) -> str:
    rows, attrs = [], []
    for item in items:
        instance_id = item["InstanceId"]
        tags = tag_dict(item)
        href = link(f"instances/{instance_id}", account=scope.account, region=scope.region)
        rows.append([
            f'<input type="checkbox" name="id" value="{esc(instance_id)}" form="act" '
            f'aria-label="Select {esc(instance_id)}">',
            f'<a href="{esc(href)}">{esc(instance_id)}</a>',
            esc(tags.get("Name", "")),
            state_badge(item["State"]["Name"]),
            esc(item.get("InstanceType", "")),
            esc(item.get("Placement", {}).get("AvailabilityZone", "")),
            esc(item.get("PrivateIpAddress", "")),
            esc(item.get("PublicIpAddress", "")),
            f'<span class="protection">{esc(guards(flags.get(instance_id, (False, False))))}</span>',
            esc(when(item.get("LaunchTime"))),
            "".join(f'<span class="tag">{esc(k)}={esc(v)}</span> ' for k, v in tags.items()),
        ])
        attrs.append(f'data-id="{esc(instance_id)}"')
    select_all = '<input type="checkbox" id="select-all" aria-label="Select all on this page">'
    headers = [select_all, "ID", "Name", "State", "Type", "Zone", "Private IP", "Public IP", "Protection",
               "Launch time", "Tags"]
    form = (f'<form id="act" method="post" action="{esc(link("instances/action"))}" '
            f'data-poll="{esc(link("instances/states", account=scope.account, region=scope.region))}" '
            f'data-poll-ms="{POLL_MS}">'
            f'<input type="hidden" name="csrf" value="{esc(scope.frame.csrf)}">'
            f'<input type="hidden" name="account" value="{esc(scope.account)}">'
            f'<input type="hidden" name="region" value="{esc(scope.region)}"></form>')
    return form + table(f"Instances in {scope.account} {scope.region}", headers, rows,
                        attrs='id="instances" class="grid"', row_attrs=attrs)


def guards(flags: tuple[bool, bool]) -> str:
    """The protection column's text."""
    return ", ".join(name for name, on in zip(("termination", "stop"), flags) if on) or "none"


def states(pipeline: Pipeline, store: Store, scope: Any) -> Answer:
    """The states (and protection) of the IDs asked for that the principal may describe."""
    ids = [i for i in scope.data.get("id", []) if i][:MAX_SELECTION]
    found: dict[str, str] = {}
    if ids:
        try:
            items, _ = _describe(pipeline, scope, {"Filters": [{"Name": "instance-id", "Values": ids}]})
        except Ec2Error as refused:
            return _json(refused.status, {"error": {"code": refused.code, "message": refused.message}})
        found = {item["InstanceId"]: item["State"]["Name"] for item in items}
    flags = protection(store, pipeline, scope.account, scope.region, list(found))
    return _json(200, {"states": found, "protection": {i: guards(f) for i, f in flags.items()}})


def act(pipeline: Pipeline, scope: Any) -> Answer:
    """Run the chosen action on the selection, as the principal: what each call did."""
    action = scope.one("action")
    ids = [i for i in scope.data.get("id", []) if i]
    if action not in ACTIONS:
        return _json(400, {"error": {"code": "InvalidParameterValue", "message": f"Unknown action '{action}'."}})
    if not ids or len(ids) > MAX_SELECTION:
        return _json(400, {"error": {"code": "InvalidParameterValue",
                                     "message": f"Select from 1 to {MAX_SELECTION} instances."}})
    _, operation, value = ACTIONS[action]
    errors: list[dict[str, str]] = []
    changed: list[dict[str, str]] = []

    def call(name: str, params: dict[str, Any]) -> Any:
        try:
            return invoke(pipeline, scope.principal, scope.access_key_id, name, params, scope.region,
                          scope.request.request_id, scope.request.client)
        except Ec2Error as refused:
            errors.append({"code": refused.code, "message": refused.message})
            return None

    if value is None:
        result = call(operation, {"InstanceIds": ids})
        for change in (result or {}).get(_CHANGES.get(operation, ""), []):
            changed.append({"id": change["InstanceId"], "state": change["CurrentState"]["Name"]})
        if result is not None and operation == "RebootInstances":
            changed = [{"id": i, "state": "rebooting"} for i in ids]
    else:
        for instance_id in ids:
            if call("ModifyInstanceAttribute", {"InstanceId": instance_id, operation: {"Value": value}}) is not None:
                changed.append({"id": instance_id, "state": f"{operation}={str(value).lower()}"})
    body = {"action": action, "changed": changed, "errors": errors}
    if "application/json" in scope.request.headers.get("accept", ""):
        return _json(200 if not errors else 400, body)
    lines = [message("error", f"{e['code']}: {e['message']}") for e in errors]
    lines += [message("ok", f"{c['id']}: {c['state']}") for c in changed]
    back = link("instances", account=scope.account, region=scope.region)
    return page("Action", "".join(lines) + f'<p><a href="{esc(back)}">Back to the instances</a></p>', scope.frame,
                200 if not errors else 400)


_CHANGES = {"StopInstances": "StoppingInstances", "StartInstances": "StartingInstances",
            "TerminateInstances": "TerminatingInstances"}


def _json(status: int, body: dict[str, Any]) -> Answer:
    return Answer(status, json.dumps(body).encode(), "application/json")
