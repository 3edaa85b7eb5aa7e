"""The one pipeline every EC2 Describe call runs: filters, then criteria (the neutral
query spec the store understands), then a page, then the view.

A resource family declares its call once (:class:`Describe`): the result member, the
key its resources are ordered, paged and named by, its repository's ``find`` (or a
catalogue held in memory, matched by :func:`~ec2emu.services.shared.filters.matching`),
its filter table, the request members that name resources and their look-up, its page
sizes and its view. :func:`describe` answers the call:

1. resources named together with ``MaxResults`` answer ``InvalidParameterCombination``
   ("The parameter instancesSet cannot be used with the parameter maxResults");
2. the filters are checked (``InvalidParameterValue`` "The filter 'x' is invalid" for an
   unknown name) and become criteria, with those the family draws from its other members;
3. ``MaxResults`` is checked against the family's page sizes and ``NextToken`` read
   (another call's token answers ``InvalidParameterValue``);
4. named resources are looked up (the family's ``Malformed`` and ``NotFound`` errors);
5. ``DryRun`` answers ``DryRunOperation``;
6. named resources are answered in the order named, less those the criteria exclude;
   otherwise one page is read in key order after the token (a catalogue asked for no
   page keeps its own order);
7. the rows become views, and filters only a view can answer (``view_filters``) are
   applied to the page's views.

When a request has several faults, the first in this order is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ec2emu.errors import ids_with_max_results
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import (
    Extractor,
    FilterTable,
    TagRule,
    criteria,
    matching,
    normalized,
    resource_tags,
)
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.services.shared.pagination import PageSize, fetch_page, key_of, page_after, read_next_token
from ec2emu.store.queries import Match

Row = dict[str, Any]
# (ctx, criteria, after, limit) -> rows meeting every criterion, in key order, after ``after``.
Finder = Callable[[RequestContext, list[Match], Any, "int | None"], list[Row]]
# (ctx, params) -> the keys of the resources named (in order) and, when read already, their rows.
Loader = Callable[[RequestContext, dict[str, Any]], "tuple[list[str], Mapping[str, Row] | None]"]
Criteria = Callable[[RequestContext, dict[str, Any]], list[Match]]
View = Callable[[RequestContext, list[Row]], list[dict[str, Any]]]


def in_repository(repository: str, **options: Any) -> Finder:
    """The ``find`` of a repository of the unit of work (``ctx.uow.<repository>``), in the
    request's account and region; keyword options go to it (``details=True``)."""

    def find(ctx: RequestContext, matches: list[Match], after: Any, limit: int | None) -> list[Row]:
        rows: list[Row] = getattr(ctx.uow, repository).find(ctx.account_id, ctx.region, matches, after_id=after,
                                                            limit=limit, **options)
        return rows

    return find


def in_memory(key: str | tuple[str, ...], items: Callable[[RequestContext], list[Row]],
              computed: Mapping[str, Extractor] | None = None) -> Finder:
    """A ``find`` over views made for the request (a built-in catalogue): the criteria's
    fields are paths into the views or ``computed``'s fields. A page is cut in ``key``
    order; asked for no page, the catalogue keeps its own order."""

    def find(ctx: RequestContext, matches: list[Match], after: Any, limit: int | None) -> list[Row]:
        chosen = matching(items(ctx), matches, computed)
        if after is None and limit is None:
            return chosen
        return page_after(chosen, key, after, limit)

    return find


@dataclass(frozen=True)
class Naming:
    """The request members that name resources (``InstanceIds``), their look-up, and
    their name in the refusal of ``MaxResults`` beside them (``instancesSet``; ``""``:
    ``MaxResults`` is not refused, the call has none)."""

    members: tuple[str, ...]
    load: Loader
    refusal: str = ""


def by_ids(member: str, refusal: str, kind: ResourceKind, *, read: bool = True, **options: Any) -> Naming:
    """Resources named by the IDs ``member`` lists, looked up as ``kind`` (``Malformed``,
    ``NotFound``; keyword options go to its look-up). ``read=False``: the IDs are only
    checked, and the views read through the family's ``find`` (a catalogue's views are
    made there)."""

    def load(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], Mapping[str, Row] | None]:
        unique, found = kind.load(ctx, params[member], **options)
        return unique, found if read else None

    return Naming((member,), load, refusal)


def as_they_are(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    """The view of rows that are views already (a catalogue's)."""
    return rows


@dataclass(frozen=True)
class Describe:
    """One family's Describe call."""

    result: str  # the result member holding the views ("Reservations")
    key: str | tuple[str, ...]  # what rows are ordered, paged and named by
    find: Finder
    view: View = as_they_are
    filters: FilterTable = field(default_factory=dict)
    tags: TagRule | None = resource_tags  # how tag filters become criteria (None: not understood)
    view_filters: FilterTable = field(default_factory=dict)  # filters matched on the page's views
    criteria: Criteria | None = None  # criteria from members other than Filters
    named: Naming | None = None  # how requests name resources
    page_size: PageSize | None = field(default_factory=PageSize)  # None: the call does not page


def describe(ctx: RequestContext, params: dict[str, Any], family: Describe) -> dict[str, Any]:
    """Answer a Describe call of ``family`` (see the module's steps)."""
    naming = family.named
    if naming is not None and not any(params.get(member) for member in naming.members):
        naming = None
    if naming is not None and naming.refusal and "MaxResults" in params:
        raise ids_with_max_results(naming.refusal)
    matches: list[Match] = []
    on_views: list[Match] = []
    checked = normalized(params.get("Filters"))
    if checked:
        matches = criteria([f for f in checked if f[0] not in family.view_filters], family.filters, family.tags,
                           ctx)
        on_views = criteria([f for f in checked if f[0] in family.view_filters], family.view_filters, None, ctx)
    if family.criteria is not None:
        matches += family.criteria(ctx, params)
    limit = after = None
    if family.page_size is not None:
        limit = family.page_size.of(params.get("MaxResults"))
        after = read_next_token(params.get("NextToken"), family.key)
    chosen = None if naming is None else naming.load(ctx, params)
    ctx.dry_run(params)
    token = None
    if chosen is not None:
        rows = _named(ctx, family, matches, *chosen)
    else:
        rows, token = fetch_page(lambda cursor, size: family.find(ctx, matches, cursor, size), family.key, limit,
                                 after)
    result: dict[str, Any] = {family.result: matching(family.view(ctx, rows), on_views)}
    if token:
        result["NextToken"] = token
    return result


def _named(ctx: RequestContext, family: Describe, matches: list[Match], keys: list[str],
           found: Mapping[str, Row] | None) -> list[Row]:
    """The named resources in the order named, less those the criteria exclude."""
    if found is not None and not matches:
        return [found[key] for key in keys]
    assert isinstance(family.key, str), "resources are named by one field"
    rows = {key_of(row, family.key): row for row in family.find(ctx, [*matches, Match(family.key, tuple(keys))],
                                                                None, None)}
    return [found[key] if found is not None else rows[key] for key in keys if key in rows]
