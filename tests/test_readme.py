"""The README's quick starts are the files the tests run: every code block marked
``<!-- example: PATH -->`` is exactly that file, and the two pytest examples pass when
run as a user's own test files (in a fresh pytest process, with the plugin loaded from
its entry point). The other marked files are run by tests/e2e/test_examples.py and
tests/clients/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
MARKED = re.compile(r"<!-- example: (\S+) -->\n```[a-z]*\n(.*?)```", re.DOTALL)


def marked_blocks() -> dict[str, str]:
    return {path: text for path, text in MARKED.findall((ROOT / "README.md").read_text())}


def test_every_marked_block_is_its_file() -> None:
    blocks = marked_blocks()
    assert {"examples/test_in_process.py", "examples/test_with_fixtures.py", "examples/aws_cli.sh",
            "examples/aws_cli_v2.sh", "tests/clients/js/terminate_abcd.mjs", "tests/clients/go/terminate_abcd.go",
            "tests/clients/ansible/ec2_instances.yml"} <= set(blocks)
    for path, text in blocks.items():
        assert text == (ROOT / path).read_text(), f"README block for {path} differs from the file"


@pytest.mark.parametrize("name, passed", [("test_in_process.py", 3), ("test_with_fixtures.py", 3)])
def test_pytest_examples_pass(pytester: pytest.Pytester, name: str, passed: int) -> None:
    pytester.makepyfile(**{name[:-3]: (ROOT / "examples" / name).read_text()})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=passed)
