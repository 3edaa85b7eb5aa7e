"""The walker's reading of the table: every row module's ``ROWS`` merged into one table,
and the test functions that ``Honoured`` and tested ``Refused`` rows name.

Every module of ``tests/members/`` other than :data:`HELPERS` is a row module and must
declare ``ROWS``; the rows of one operation may be spread over several modules, but a
member may have one row only.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import textwrap
from functools import cache
from pathlib import Path

import tests.members
from tests.members.rows import Default, Honoured, Refused, Row

HELPERS = frozenset({"rows", "walk", "values"})
ROOT = Path(__file__).resolve().parents[2]

Table = dict[str, dict[str, Row]]


def row_modules() -> list[str]:
    """The names of the row modules, sorted."""
    return sorted(info.name for info in pkgutil.iter_modules(tests.members.__path__) if info.name not in HELPERS)


def collect() -> tuple[Table, list[str]]:
    """The merged table and the problems found while merging (a module without
    ``ROWS``, a member given twice, a row of no known kind)."""
    table: Table = {}
    problems: list[str] = []
    for name in row_modules():
        module = importlib.import_module(f"tests.members.{name}")
        rows = getattr(module, "ROWS", None)
        if not isinstance(rows, dict):
            problems.append(f"tests/members/{name}.py declares no ROWS")
            continue
        for operation, members in rows.items():
            merged = table.setdefault(operation, {})
            for member, row in members.items():
                if not isinstance(row, Honoured | Default | Refused):
                    problems.append(f"{name}: {operation}.{member} is not a row: {row!r}")
                elif member in merged:
                    problems.append(f"{name}: {operation}.{member} has a row already")
                else:
                    merged[member] = row
    return table, problems


@cache
def _functions(path: str) -> dict[str, str]:
    """The source of each test function of the file at ``path`` (relative to the
    repository), by its node ID's name (``test_x`` or ``Class::test_x``)."""
    file = ROOT / path
    if not file.is_file():
        return {}
    source = file.read_text()
    lines = source.splitlines()

    def text(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:  # with its decorators
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        return "\n".join(lines[first - 1:node.end_lineno])

    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = text(node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"{node.name}::{item.name}"] = text(item)
    return found


def source_of(node_id: str) -> str | None:
    """The source of the test function ``node_id`` names (``path::name``, a
    parametrization's ``[...]`` ignored) and of the functions of its file it calls, or
    ``None`` when there is no such test."""
    path, _, name = node_id.partition("::")
    name = name.split("[", 1)[0]
    if not path.startswith("tests/") or not name.split("::")[-1].startswith("test"):
        return None
    functions = _functions(path)
    source = functions.get(name)
    if source is None:
        return None
    called = {node.func.id for node in ast.walk(ast.parse(textwrap.dedent(source)))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return "\n".join([source, *(functions[helper] for helper in sorted(called) if helper in functions)])
