"""The event-pattern module against the case table of ``pattern_cases`` (AWS's documented
examples and AWS-validated behaviour), plus properties that hold for any event."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2emu.services.events.patterns import MAX_PATTERN_CHARS, PatternError, compile_pattern
from tests.services.events.pattern_cases import ERROR_CASES, EXACT_MESSAGES, MATCH_CASES, event, pattern_text


@pytest.mark.parametrize(("pattern", "body", "expected"), [case[1:] for case in MATCH_CASES],
                         ids=[case[0] for case in MATCH_CASES])
def test_documented_matches(pattern: Any, body: dict[str, Any], expected: bool) -> None:
    compiled = compile_pattern(pattern_text(pattern))
    assert compiled.matches(body) is expected
    # The same compiled pattern gives the same answer again (nothing is consumed).
    assert compiled.matches(json.loads(json.dumps(body))) is expected


@pytest.mark.parametrize(("pattern", "fragment"), [case[1:] for case in ERROR_CASES],
                         ids=[case[0] for case in ERROR_CASES])
def test_documented_refusals(pattern: Any, fragment: str) -> None:
    with pytest.raises(PatternError) as raised:
        compile_pattern(pattern_text(pattern))
    message = str(raised.value)
    assert message.startswith("Event pattern is not valid. Reason: ")
    assert fragment in message


@pytest.mark.parametrize(("text", "reason"), [case[1:] for case in EXACT_MESSAGES],
                         ids=[case[0] for case in EXACT_MESSAGES])
def test_recorded_messages_word_for_word(text: str, reason: str) -> None:
    with pytest.raises(PatternError) as raised:
        compile_pattern(text)
    assert str(raised.value) == "Event pattern is not valid. Reason: " + reason


def test_case_names_are_unique() -> None:
    names = [case[0] for case in MATCH_CASES + ERROR_CASES + EXACT_MESSAGES]
    assert len(names) == len(set(names))


def test_location_suffix_of_a_json_fault_names_line_and_column() -> None:
    with pytest.raises(PatternError) as raised:
        compile_pattern('{\n  "a": ["b"],\n  oops: ["c"]\n}')
    assert str(raised.value) == (
        "Event pattern is not valid. Reason: Unexpected character ('o' (code 111)): was expecting double-quote "
        'to start field name\n at [Source: (String)"{\n  "a": ["b"],\n  oops: ["c"]\n}"; line: 3, column: 3]')


def test_a_json_fault_in_a_long_pattern_shows_500_characters() -> None:
    text = '{"a": ["' + "x" * 600 + '"], b}'
    with pytest.raises(PatternError) as raised:
        compile_pattern(text)
    assert f'[Source: (String)"{text[:500]}"[truncated {len(text) - 500} chars]; line: 1, column: ' in str(raised.value)


def test_pattern_length_is_bounded() -> None:
    filler = "x" * MAX_PATTERN_CHARS
    with pytest.raises(PatternError):
        compile_pattern(json.dumps({"source": [filler]}))
    assert compile_pattern(json.dumps({"source": ["x" * (MAX_PATTERN_CHARS - 20)]})).matches(event()) is False


def test_text_after_the_pattern_is_ignored() -> None:
    assert compile_pattern('{"source": ["aws.ec2"]} trailing').matches(event()) is True


# ------------------------------------------------------------------ properties

_scalars = st.one_of(st.text(max_size=8), st.integers(-10**6, 10**6), st.booleans(), st.none(),
                     st.floats(allow_nan=False, allow_infinity=False, width=64))
_keys = st.text(alphabet="abcdeXYZ-_.$", min_size=1, max_size=6).filter(lambda key: key != "$or")
_values = st.recursive(
    st.one_of(_scalars, st.lists(_scalars, max_size=4)),
    lambda inner: st.one_of(st.dictionaries(_keys, inner, max_size=4), st.lists(inner, max_size=3)),
    max_leaves=12)
_events = st.dictionaries(_keys, _values, min_size=1, max_size=5)


def _flat(items: list[Any]) -> list[Any]:
    return [leaf for item in items for leaf in (_flat(item) if isinstance(item, list) else [item])]


def _exact_pattern(body: dict[str, Any]) -> dict[str, Any]:
    """A pattern listing every leaf of ``body`` with its own value (arrays as OR lists; for
    an array holding objects, the leaves of its last non-empty object)."""
    pattern: dict[str, Any] = {}
    for key, value in body.items():
        if isinstance(value, list):
            leaves = _flat(value)
            objects = [_exact_pattern(leaf) for leaf in leaves if isinstance(leaf, dict)]
            objects = [inner for inner in objects if inner]
            scalars = [leaf for leaf in leaves if not isinstance(leaf, dict)]
            if objects:
                pattern[key] = objects[-1]
            elif scalars:
                pattern[key] = scalars
        elif isinstance(value, dict):
            inner = _exact_pattern(value)
            if inner:
                pattern[key] = inner
        else:
            pattern[key] = [value]
    return pattern


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_events)
def test_a_pattern_of_an_events_own_values_matches_it(body: dict[str, Any]) -> None:
    pattern = _exact_pattern(body)
    if not pattern:
        return
    assert compile_pattern(json.dumps(pattern)).matches(body)


@settings(max_examples=150, deadline=None)
@given(_scalars.filter(lambda value: isinstance(value, str) or (
    isinstance(value, int | float) and not isinstance(value, bool))))
def test_anything_but_a_value_refuses_exactly_that_value(value: Any) -> None:
    compiled = compile_pattern(json.dumps({"k": [{"anything-but": value}]}))
    assert compiled.matches({"k": value}) is False
    assert compiled.matches({"k": None}) is True
    assert compiled.matches({}) is False


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_a_wildcard_of_an_escaped_string_matches_only_that_string(text: str) -> None:
    escaped = text.replace("\\", "\\\\").replace("*", "\\*")
    compiled = compile_pattern(json.dumps({"k": [{"wildcard": escaped}]}))
    assert compiled.matches({"k": text})
    assert not compiled.matches({"k": text + "x"})
    assert compiled.matches({"k": text}) == compile_pattern(json.dumps({"k": [text]})).matches({"k": text})


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_a_wildcard_matches_what_its_parts_surround(head: str, middle: str, tail: str) -> None:
    def escape(part: str) -> str:
        return part.replace("\\", "\\\\").replace("*", "\\*")

    try:
        compiled = compile_pattern(json.dumps({"k": [{"wildcard": f"{escape(head)}*{escape(tail)}"}]}))
    except PatternError as error:
        # A star followed by a run of one character is refused as AWS refuses it.
        assert "Rule is too complex" in str(error)
        assert len(set(tail)) < len(tail)
        return
    assert compiled.matches({"k": head + middle + tail})


_operators = st.sampled_from(["prefix", "suffix", "equals-ignore-case", "wildcard", "numeric", "anything-but",
                              "exists", "cidr", "exactly", "$or", "k", "detail", "=", "<", ">="])
_operands = st.recursive(
    st.one_of(_scalars, st.sampled_from(["*", "a*b", "\\", "10.0.0.0/24", "::/64", "1/2/3", "<", ">", "="])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_operators, inner, max_size=3)),
    max_leaves=10)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_operators, _operands, max_size=4), _events)
def test_any_pattern_is_compiled_or_refused_and_matching_never_fails(pattern: dict[str, Any],
                                                                      body: dict[str, Any]) -> None:
    try:
        compiled = compile_pattern(json.dumps(pattern))
    except PatternError as error:
        assert str(error).startswith("Event pattern is not valid. Reason: ")
        return
    assert compiled.matches(body) in (True, False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]":, \\ntrufalsenl0123456789.-eE*$abc', max_size=40))
def test_any_text_is_compiled_or_refused(text: str) -> None:
    try:
        compile_pattern(text)
    except PatternError as error:
        assert str(error).startswith("Event pattern is not valid. Reason: ")
