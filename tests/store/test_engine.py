"""Opening the database (``ec2emu.store.engine``): what JSON columns read back as."""

from __future__ import annotations

import json

import pytest

from ec2emu.store.engine import json_loads


@pytest.mark.parametrize("text", [
    "[]", "[1,2.5,-3e2]", '{"a":[1,{"b":null}],"c":"\\u00e9\\n"}', ' [1] ', '"x"', "3", "null", "true",
    '[["Name","web"],["Env","prod"]]', b'{"bytes":1}',
])
def test_json_columns_read_back_as_json_loads_reads_them(text: str | bytes) -> None:
    assert json_loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ["", "[1,", "[1] x", "nul", "{'a': 1}"])
def test_malformed_json_is_an_error_as_with_json_loads(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json_loads(text)
