"""Parameter Store's filters: DescribeParameters' and GetParametersByPath's
``ParameterFilters`` (``Key``, ``Option``, ``Values``) and DescribeParameters' older
``Filters`` (``Key``, ``Values``), each made once into a test of a parameter's row.

Keys honoured: ``Name`` (``Equals``, ``BeginsWith``, ``Contains``; DescribeParameters
only), ``Path`` (``OneLevel``, the default, or ``Recursive``; DescribeParameters only), ``Type``,
``DataType``, ``Tier``, ``KeyId`` and ``Label`` (``Equals``) and ``tag:KEY`` (``Equals``;
without values, any value). Filters are AND'ed, a filter's values OR'ed.

Choices AWS's documentation leaves open: no parameter here has a KMS key or a label, so
``KeyId`` and ``Label`` filters match nothing; a ``Name`` value is compared as given; the
older ``Filters`` compare ``Name`` and ``Type`` for equality (``KeyId`` matches nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ec2emu.services.ssm.common import check_path
from ec2emu.services.ssm.errors import (
    invalid_filter_key,
    invalid_filter_option,
    invalid_filter_value,
    validation,
)

Test = Callable[[dict[str, Any]], bool]

_EQUALS = ("Equals",)
_COLUMNS = {"Type": "parameter_type", "DataType": "data_type", "Tier": "tier"}
DESCRIBE_KEYS = ("Name", "Path", "Type", "DataType", "Tier", "KeyId", "Label")
BY_PATH_KEYS = ("Type", "DataType", "Tier", "KeyId", "Label")


def _options(key: str) -> tuple[str, ...]:
    if key == "Name":
        return ("Equals", "BeginsWith", "Contains")
    if key == "Path":
        return ("OneLevel", "Recursive")
    return _EQUALS


def _one(spec: dict[str, Any], keys: tuple[str, ...]) -> Test:
    key = str(spec["Key"])
    values = [str(value) for value in spec.get("Values") or []]
    tag = key.startswith("tag:") and len(key) > 4
    if not tag and key not in keys:
        raise invalid_filter_key(key)
    valid = _EQUALS if tag else _options(key)
    option = str(spec.get("Option", valid[0]))
    if option not in valid:
        raise invalid_filter_option(option, f"[{', '.join(valid)}]")
    if tag:
        name = key[4:]
        return lambda row: any(k == name and (not values or v in values) for k, v in row["tags"])
    if not values:
        raise invalid_filter_value(key)
    if key == "Name":
        if option == "BeginsWith":
            return lambda row: any(row["name"].startswith(value) for value in values)
        if option == "Contains":
            return lambda row: any(value in row["name"] for value in values)
        return lambda row: row["name"] in values
    if key == "Path":
        paths = [check_path(value) for value in values]
        recursive = option == "Recursive"
        return lambda row: any(under(row["name"], path, recursive) for path in paths)
    if key in _COLUMNS:
        column = _COLUMNS[key]
        return lambda row: row[column] in values
    return lambda row: False  # KeyId, Label: nothing here has them


def under(name: str, path: str, recursive: bool) -> bool:
    """Whether ``name`` is below ``path`` (``""`` is ``/``): anywhere, or one level down."""
    prefix = path + "/"
    if not name.startswith(prefix):
        return False
    return recursive or "/" not in name[len(prefix):]


def parameter_filters(specs: list[dict[str, Any]] | None, keys: tuple[str, ...]) -> list[Test]:
    return [_one(spec, keys) for spec in specs or []]


def legacy_filters(specs: list[dict[str, Any]] | None) -> list[Test]:
    """DescribeParameters' older ``Filters``."""
    tests: list[Test] = []
    for spec in specs or []:
        key, values = str(spec["Key"]), [str(value) for value in spec.get("Values") or []]
        if key not in ("Name", "Type", "KeyId"):
            raise invalid_filter_key(key)
        column = {"Name": "name", "Type": "parameter_type"}.get(key)
        tests.append(_equals(column, values))
    return tests


def _equals(column: str | None, values: list[str]) -> Test:
    """A row whose ``column`` is one of ``values`` (no column: nothing)."""
    return lambda row: column is not None and row[column] in values


def either(params: dict[str, Any]) -> list[Test]:
    """DescribeParameters' tests: ``Filters`` or ``ParameterFilters``, not both."""
    if params.get("Filters") and params.get("ParameterFilters"):
        raise validation("You can use either Filters or ParameterFilters in a single request.")
    return legacy_filters(params.get("Filters")) + parameter_filters(params.get("ParameterFilters"), DESCRIBE_KEYS)


def matches(tests: list[Test], row: dict[str, Any]) -> bool:
    return all(test(row) for test in tests)
