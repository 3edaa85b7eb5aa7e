"""The store's newer criteria on every dialect: spans of times, patterns on times written
as ISO-8601 text, and patterns with optional characters (as ``LIKE`` texts, and past
their number as a regular expression), with literal ``%``, ``_`` and ``\\``."""

from __future__ import annotations

import pytest

from ec2emu.store.queries import TAG_VALUE, Between, Pattern, TimeText, Wildcard, iso_time
from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row

ANY, OPTIONAL = Wildcard.ANY, Wildcard.OPTIONAL
LAUNCHED = (1_632_913_483.305, 1_632_913_483.3057, 1_632_999_999.0)
LABELS = ("web-", "web-1", "web-12", "a%b_c\\d", "aXbYc\\d")


@pytest.fixture
def ids(store: Store) -> dict[object, str]:
    rows = [make_instance_row(launch_time=when) for when in LAUNCHED]
    rows += [make_instance_row() for _ in LABELS]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)
        for row, label in zip(rows[len(LAUNCHED):], LABELS, strict=True):
            uow.tags.put(ACCOUNT, REGION, row["instance_id"], "instance", [("label", label)])
    by_key: dict[object, str] = {when: row["instance_id"] for when, row in zip(LAUNCHED, rows, strict=False)}
    by_key.update({label: row["instance_id"] for label, row in zip(LABELS, rows[len(LAUNCHED):], strict=True)})
    return by_key


def found(store: Store, match: Match) -> set[str]:
    with store.unit_of_work() as uow:
        return {row["instance_id"] for row in uow.instances.find(ACCOUNT, REGION, [match])}


def test_times_as_text_and_spans(store: Store, ids: dict[object, str]) -> None:
    assert iso_time(LAUNCHED[1]) == "2021-09-29T11:04:43.305Z"
    same_ms = {ids[LAUNCHED[0]], ids[LAUNCHED[1]]}
    day = TimeText(Pattern(("2021-09-29T", ANY)))
    assert found(store, Match("launch_time", (day,))) == same_ms
    exact_text = TimeText(Pattern(("2021-09-29T11:04:43.30", OPTIONAL, "Z")))
    assert found(store, Match("launch_time", (exact_text,))) == same_ms
    assert found(store, Match("launch_time", (Between(1_632_913_483.0, 1_632_913_484.0),))) == same_ms
    either = Match("launch_time", (Between(1_632_999_999.0, 1_633_000_000.0), day))
    assert found(store, either) == {ids[w] for w in LAUNCHED}


def labelled(store: Store, *parts: str | Wildcard) -> set[str]:
    return found(store, Match(TAG_VALUE, (Pattern(parts),), tag="label"))


def test_optional_characters_and_literals(store: Store, ids: dict[object, str]) -> None:
    assert labelled(store, "web-", OPTIONAL) == {ids["web-"], ids["web-1"]}
    assert labelled(store, "web-", OPTIONAL, OPTIONAL) == {ids["web-"], ids["web-1"], ids["web-12"]}
    assert labelled(store, "a%b_c\\", OPTIONAL) == {ids["a%b_c\\d"]}
    # More spellings than LIKE is given: a regular expression, with the same literals.
    many = (OPTIONAL, "w", OPTIONAL, "e", OPTIONAL, "b", OPTIONAL, "-", OPTIONAL, "1", OPTIONAL)
    assert labelled(store, *many) == {ids["web-1"], ids["web-12"]}
    literal = (OPTIONAL, "a", OPTIONAL, "%", OPTIONAL, "b", OPTIONAL, "_", OPTIONAL, "c\\d")
    assert labelled(store, *literal) == {ids["a%b_c\\d"]}
