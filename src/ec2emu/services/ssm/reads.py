"""Reading parameters: GetParameter, GetParameters, GetParametersByPath,
DescribeParameters and GetParameterHistory — the caller's own parameters of the region,
and AWS's public ones (``/aws/service/...``) for the Get calls.

Pages are cut in name order (history: version order) with the shared paging tokens
(:mod:`ec2emu.services.shared.pagination`); a token not of this listing answers
``InvalidNextToken``. ``MaxResults`` is 1–10 for GetParametersByPath (10 when not given)
and 1–50 for DescribeParameters and GetParameterHistory (50), as the model says.

Choices AWS's documentation leaves open: GetParameters answers its parameters in name
order and lists the references it could not answer (unknown names, versions, labels) in
``InvalidParameters`` as given; DescribeParameters lists the caller's parameters only
(public ones are read by name or path); ``WithDecryption`` changes nothing (no
``SecureString`` is served).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.pagination import decode_token, encode_token
from ec2emu.services.shared.public_images import public_parameters
from ec2emu.services.ssm.common import (
    check_path,
    current,
    find,
    history_view,
    is_public,
    metadata_view,
    public_row,
    value_view,
)
from ec2emu.services.ssm.errors import invalid_next_token, parameter_not_found
from ec2emu.services.ssm.filters import BY_PATH_KEYS, Test, either, matches, parameter_filters, under
from ec2emu.services.ssm.service import operation

CHUNK = 200
Row = dict[str, Any]


def _after(params: dict[str, Any], kind: type) -> Any:
    after = decode_token(params.get("NextToken"), invalid_next_token)
    if after is not None and (not isinstance(after, kind) or isinstance(after, bool)
                              or (isinstance(after, int) and not 0 <= after < 2**31)):
        raise invalid_next_token()
    return after


def _page(fetch: Callable[[Any, int], list[Row]], key: str, tests: list[Test], limit: int,
          after: Any) -> tuple[list[Row], str | None]:
    """Up to ``limit`` rows passing ``tests`` after ``after``, read ``CHUNK`` at a time in
    ``key`` order, and the token of the next page (``None``: the last one)."""
    found: list[Row] = []
    while len(found) <= limit:
        rows = fetch(after, CHUNK)
        found += [row for row in rows if matches(tests, row)]
        if len(rows) < CHUNK:
            break
        after = rows[-1][key]
    if len(found) > limit:
        found = found[:limit]
        return found, encode_token(found[-1][key])
    return found, None


@operation("GetParameter")
def get_parameter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = find(ctx, params["Name"])
    if row is None:
        raise parameter_not_found()
    return {"Parameter": value_view(ctx, row)}


@operation("GetParameters")
def get_parameters(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    found: list[Row] = []
    invalid: list[str] = []
    for reference in dict.fromkeys(params["Names"]):
        try:
            row = find(ctx, reference)
        except Ec2Error:
            row = None
        if row is None:
            invalid.append(reference)
        else:
            found.append(row)
    found.sort(key=lambda row: (row["name"], row.get("selector") or ""))
    return {"Parameters": [value_view(ctx, row) for row in found], "InvalidParameters": invalid}


@operation("GetParametersByPath")
def get_parameters_by_path(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    path = check_path(params["Path"])
    recursive = bool(params.get("Recursive", False))
    tests = [*parameter_filters(params.get("ParameterFilters"), BY_PATH_KEYS),
             lambda row: under(row["name"], path, recursive)]
    after = _after(params, str)
    limit = params.get("MaxResults", 10)
    prefix = path + "/"
    if is_public(prefix):
        public = [public_row(ctx, found) for found in public_parameters(ctx.region) if found.name.startswith(prefix)]

        def fetch(after: Any, count: int) -> list[Row]:
            return [row for row in public if after is None or row["name"] > after][:count]
    else:
        def fetch(after: Any, count: int) -> list[Row]:
            return ctx.uow.ssm_parameters.listing(ctx.account_id, ctx.region, prefix, after, count)

    rows, token = _page(fetch, "name", tests, limit, after)
    result: dict[str, Any] = {"Parameters": [value_view(ctx, row) for row in rows]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("DescribeParameters", defaults={"Shared": False})
def describe_parameters(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    tests = either(params)
    after = _after(params, str)

    def fetch(after: Any, count: int) -> list[Row]:
        return ctx.uow.ssm_parameters.listing(ctx.account_id, ctx.region, "", after, count)

    rows, token = _page(fetch, "name", tests, params.get("MaxResults", 50), after)
    result: dict[str, Any] = {"Parameters": [metadata_view(ctx, row) for row in rows]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("GetParameterHistory")
def get_parameter_history(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Name"]
    latest = current(ctx, name)
    if latest is None:
        raise parameter_not_found()
    after = _after(params, int)
    limit = params.get("MaxResults", 50)
    if latest.get("public"):
        rows = [latest] if after is None else []
    else:
        rows = ctx.uow.ssm_parameters.history(ctx.account_id, ctx.region, name, after, limit + 1)
    token = None
    if len(rows) > limit:
        rows = rows[:limit]
        token = encode_token(rows[-1]["version"])
    result: dict[str, Any] = {"Parameters": [history_view(row) for row in rows]}
    if token is not None:
        result["NextToken"] = token
    return result
