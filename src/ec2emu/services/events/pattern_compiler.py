"""Checking an event pattern as AWS checks it and compiling it into a tree of
:class:`Node` s: one pass over the pattern's tokens, in the order AWS's reader takes
them, so the first fault AWS would name is the one named here, at the position AWS
names (``\\n at [Source: (String)"..."; line: L, column: C]``). Refusals AWS raises
while collecting a list inside ``anything-but`` carry that suffix twice, as AWS's do;
CIDR refusals and the "too complex" wildcard refusal carry none.

Choices where AWS's documentation is silent: a repeated leaf key keeps its last array;
a repeated object key merges its fields (as AWS's flattened field names do); an empty
list inside ``anything-but`` (``{"prefix": []}``) is refused as an empty array; a
``prefix``/``suffix`` object whose one key is not ``equals-ignore-case`` is refused as
not a string. Ruler's ``exactly`` operator is accepted as an exact string match.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.events import pattern_values as values
from ec2emu.services.events.pattern_json import (
    END_ARRAY,
    END_OBJECT,
    FIELD,
    LITERAL,
    NUMBER,
    START_ARRAY,
    START_OBJECT,
    STRING,
    Tokens,
)
from ec2emu.services.events.pattern_values import PatternError, Test
from ec2emu.services.events.pattern_wildcards import TOO_COMPLEX, Wildcard, parse, too_complex

OR = "$or"
RESERVED_IN_OR = frozenset({
    "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric",
    "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
    "date-on-or-after", "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range",
    "ip-address-not-in-range"})
ONE_KEY = "Only one key allowed in match expression"
TOO_MANY = "Too many elements in numeric expression"
ANYTHING_BUT_VALUE = "Value of anything-but must be an array or single string/number value."
IGNORE_CASE_TYPES = "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
LIST_TYPES = "Inside anything but list, start|null|boolean is not supported."
MIXED = "Inside anything but list, either all values are number or string, mixed type is not supported"
_LOWER = {">": False, ">=": True}
_UPPER = {"<": False, "<=": True}


class Node:
    """One object level of a pattern: its leaves (key → tests, whether absence matches),
    its nested objects, its ``$or`` groups (each a list of alternative nodes), and whether
    anything in it matches a present value (``picks``: set by :meth:`settle`)."""

    __slots__ = ("children", "leaves", "ors", "picks")

    def __init__(self) -> None:
        self.leaves: dict[str, tuple[tuple[Test, ...], bool]] = {}
        self.children: dict[str, Node] = {}
        self.ors: list[list[Node]] = []
        self.picks = True

    def settle(self) -> bool:
        """Marks the nodes that only ask for absent fields (``exists: false`` and nothing
        else): such a node, met inside an array of objects, must hold for every element,
        since no matched field ties it to one element."""
        picks = any(tests for tests, _ in self.leaves.values())
        for child in self.children.values():
            picks = child.settle() or picks
        for group in self.ors:
            for branch in group:
                picks = branch.settle() or picks
        self.picks = picks
        return picks

    def combinations(self) -> int:
        total = 1
        for child in self.children.values():
            total *= child.combinations()
        for group in self.ors:
            total *= sum(branch.combinations() for branch in group)
        return total


class Compiler:
    def __init__(self, text: str, start: int) -> None:
        self.tokens = Tokens(text, start)
        self.deferred: PatternError | None = None
        self.field_wildcards: list[Wildcard] = []

    def pattern(self) -> Node:
        tokens = self.tokens
        if tokens.next() != START_OBJECT:
            raise tokens.barf("Filter is not an object")
        root = self.object(Node(), False)
        if self.deferred is not None:
            raise self.deferred
        root.settle()
        return root

    # ---------------------------------------------------------------- structure

    def object(self, node: Node, in_or: bool) -> Node:
        tokens = self.tokens
        present = False
        while tokens.next() != END_OBJECT:
            present = True
            key = tokens.value
            if key == OR:
                node.ors.append(self.or_group())
                continue
            if in_or and key in RESERVED_IN_OR:
                raise tokens.barf(f"{key} is Ruler reserved fieldName which cannot be used inside {OR}.")
            kind = tokens.next()
            if kind == START_OBJECT:
                self.object(node.children.setdefault(key, Node()), in_or)
            elif kind == START_ARRAY:
                node.leaves[key] = self.leaf()
            else:
                raise tokens.barf(f'"{key}" must be an object or an array')
        if not present:
            raise tokens.barf("Empty objects are not allowed")
        return node

    def or_group(self) -> list[Node]:
        tokens = self.tokens
        if tokens.next() != START_ARRAY:
            raise tokens.barf(f"It must be an Array followed with {OR}.")
        branches: list[Node] = []
        while (kind := tokens.next()) != END_ARRAY:
            if kind != START_OBJECT:
                raise tokens.barf(f"Only JSON object is allowed in array of {OR} relationship.")
            branches.append(self.object(Node(), True))
        if len(branches) < 2:
            raise tokens.barf(f"There must have at least 2 Objects in {OR} relationship.")
        return branches

    def leaf(self) -> tuple[tuple[Test, ...], bool]:
        tokens = self.tokens
        tests: list[Test] = []
        absent_ok = False
        count = 0
        self.field_wildcards = []
        while (kind := tokens.next()) != END_ARRAY:
            count += 1
            if kind == START_OBJECT:
                test, absent = self.expression()
                absent_ok = absent_ok or absent
                if test is not None:
                    tests.append(test)
            elif kind == STRING:
                tests.append(values.exact(tokens.string()))
            elif kind in (NUMBER, LITERAL):
                tests.append(values.exact(tokens.value))
            else:
                raise tokens.barf("Match value must be String, number, true, false, or null")
        if not count:
            raise tokens.barf("Empty arrays are not allowed")
        if self.deferred is None and too_complex(self.field_wildcards):
            # Refused once the whole pattern has been read, naming no position, as AWS refuses it.
            self.deferred = PatternError(TOO_COMPLEX)
        return tuple(tests), absent_ok

    def close(self, message: str = ONE_KEY) -> None:
        if self.tokens.next() != END_OBJECT:
            raise self.tokens.barf(message)

    # ---------------------------------------------------------------- match expressions

    def expression(self) -> tuple[Test | None, bool]:
        """One ``{operator: operand}`` entry of a value array: its test (``None`` for
        ``exists: false``, which only absence satisfies) and whether absence matches."""
        tokens = self.tokens
        if tokens.next() != FIELD:
            raise tokens.barf("Match expression name not found")
        operator = tokens.value
        if operator == "exists":
            if tokens.next() != LITERAL or not isinstance(tokens.value, bool):
                raise tokens.barf("exists match pattern must be either true or false.")
            exists = tokens.value
            self.close()
            return (lambda v: True, False) if exists else (None, True)
        if operator == "numeric":
            if tokens.next() != START_ARRAY:
                raise tokens.barf("Value of numeric must be an array.")
            test = self.numeric()
            self.close(TOO_MANY)
            return test, False
        if operator == "anything-but":
            return self.anything_but(), False
        if operator in ("prefix", "suffix"):
            test = self.affix(operator)
        elif operator in ("exactly", "equals-ignore-case", "wildcard", "cidr"):
            # AWS words a cidr that is not a string as it words a prefix.
            word = {"exactly": "exact", "cidr": "prefix"}.get(operator, operator)
            if tokens.next() != STRING:
                raise tokens.barf(f"{word} match pattern must be a string")
            text = tokens.string()
            if operator == "exactly":
                test = values.exact(text)
            elif operator == "equals-ignore-case":
                test = values.equals_ignore_case(text)
            elif operator == "wildcard":
                wildcard = self.wildcard(text)
                self.field_wildcards.append(wildcard)
                test = values.wildcard(wildcard.regex)
            else:
                test = values.cidr(text)
        else:
            raise tokens.barf(f"Unrecognized match type {operator}")
        self.close()
        return test, False

    def affix(self, operator: str) -> Test:
        tokens = self.tokens
        build = values.prefix if operator == "prefix" else values.suffix
        message = f"{operator} match pattern must be a string"
        kind = tokens.next()
        if kind == STRING:
            return build(tokens.string())
        if kind != START_OBJECT or tokens.next() != FIELD or tokens.value != "equals-ignore-case" \
                or tokens.next() != STRING:
            raise tokens.barf(message)
        test = build(tokens.string(), True)
        self.close()
        return test

    def wildcard(self, text: str) -> Wildcard:
        try:
            return parse(text)
        except PatternError as error:
            raise self.tokens.barf(error.reason) from None

    def numeric(self) -> Test:
        tokens = self.tokens
        if tokens.next() != STRING:
            raise tokens.barf(f"Invalid member in numeric match: {tokens.raw()}")
        operator = tokens.string()
        if operator not in ("=", *_LOWER, *_UPPER):
            tokens.next()
            raise tokens.barf(f"Unrecognized numeric range operator: {operator}")
        if tokens.next() != NUMBER:
            raise tokens.barf(f"Value of {'equals' if operator == '=' else operator} must be numeric")
        bound = values.double(tokens.value)
        if operator in ("=", *_UPPER):
            if tokens.next() != END_ARRAY:
                raise tokens.barf(TOO_MANY)
            if operator == "=":
                return values.numeric_equals(bound)
            return values.numeric_range(None, False, bound, _UPPER[operator])
        if tokens.next() == END_ARRAY:
            return values.numeric_range(bound, _LOWER[operator], None, False)
        if tokens.kind != STRING:
            raise tokens.barf(f"Bad value in numeric range: {tokens.raw()}")
        upper = tokens.string()
        if upper not in _UPPER:
            raise tokens.barf(f"Bad numeric range operator: {upper}")
        if tokens.next() != NUMBER:
            raise tokens.barf(f"Value of {upper} must be numeric")
        top = values.double(tokens.value)
        if tokens.next() != END_ARRAY:
            raise tokens.barf("Too many terms in numeric range expression")
        if not bound < top:
            raise tokens.barf("Bottom must be less than top")
        return values.numeric_range(bound, _LOWER[operator], top, _UPPER[upper])

    # ---------------------------------------------------------------- anything-but

    def strings(self, message: str) -> list[str]:
        """A string or a list of strings (the operand of anything-but's prefix, suffix or
        wildcard)."""
        tokens = self.tokens
        kind = tokens.next()
        if kind == STRING:
            return [tokens.string()]
        if kind == START_OBJECT:
            raise tokens.barf(ANYTHING_BUT_VALUE)
        if kind != START_ARRAY:
            raise tokens.barf(message)
        return self.string_list(message)

    def anything_but(self) -> Test:
        tokens = self.tokens
        kind = tokens.next()
        if kind == START_OBJECT:
            return self.anything_but_object()
        if kind == START_ARRAY:
            items: list[Any] = []
            while (kind := tokens.next()) != END_ARRAY:
                if kind not in (STRING, NUMBER):
                    raise tokens.barf(tokens.barf(LIST_TYPES).reason)
                items.append(tokens.string() if kind == STRING else tokens.value)
            if len({isinstance(item, str) for item in items}) != 1:
                raise tokens.barf(MIXED)
        elif kind in (STRING, NUMBER):
            items = [tokens.string() if kind == STRING else tokens.value]
        else:
            raise tokens.barf(ANYTHING_BUT_VALUE)
        self.close(TOO_MANY)
        return values.anything_but_values(items)

    def anything_but_object(self) -> Test:
        tokens = self.tokens
        if tokens.next() != FIELD:
            raise tokens.barf("Anything-But expression name not found")
        operator = tokens.value
        if operator in ("prefix", "suffix"):
            texts = self.strings("prefix/suffix match pattern must be a string")
            if not all(texts):
                raise tokens.barf("Null prefix/suffix not allowed")
            self.close()
            self.close()
            if operator == "prefix":
                return values.anything_but_prefix(texts)
            return values.anything_but_suffix(texts)
        if operator == "wildcard":
            regexes = [self.wildcard(text).regex for text in self.strings("wildcard match pattern must be a string")]
            self.close()
            self.close()
            return values.anything_but_wildcard(regexes)
        if operator == "equals-ignore-case":
            kind = tokens.next()
            if kind in (LITERAL, START_OBJECT):
                raise tokens.barf(ANYTHING_BUT_VALUE)
            if kind == NUMBER:
                raise tokens.barf(IGNORE_CASE_TYPES)
            texts = [tokens.string()] if kind == STRING else self.string_list(IGNORE_CASE_TYPES)
            self.close(TOO_MANY)
            self.close(TOO_MANY)
            return values.anything_but_ignore_case(texts)
        raise tokens.barf(f"Unsupported anything-but pattern: {operator}")

    def string_list(self, message: str) -> list[str]:
        """The strings of a list whose opening bracket has been read; a member that is not
        a string is refused with ``message`` and its position named twice, as AWS names
        faults it finds while collecting a list."""
        tokens = self.tokens
        texts: list[str] = []
        while (kind := tokens.next()) != END_ARRAY:
            if kind != STRING:
                raise tokens.barf(tokens.barf(message).reason)
            texts.append(tokens.string())
        if not texts:
            raise tokens.barf("Empty arrays are not allowed")
        return texts
