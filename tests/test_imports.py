"""Imports run one way, and these tests keep them so.

A cycle between modules is easy to add and easy to hide behind an import inside a function, and
one import of a chat SDK or an HTTP client in the engine would load it for every channel, every
script and every test. Ruff bans those imports where they are written (`banned-api` in
pyproject.toml); here the modules are read as a whole, and the engine is loaded in a fresh
interpreter to see what it really pulls in.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "forms", "intents", "backend_client", "reminders")

MAY_IMPORT = {
    "forms": set[str](),
    "intents": {"forms"},
    "reminders": set[str](),
    "backend_client": set[str](),
    "bot": {"forms", "intents", "reminders", "backend_client"},
}
"""Which of the product's packages each may import (docs/contributing.md, "Layout")."""

PLATFORMS = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "httpx", "aiohttp", "langchain", "langchain_core")
"""What the engine, the forms and the offline parser never load."""


# -- the import graph, read from the source ------------------------------------------------------
def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the packages: dotted name → (file, is a package). Migrations are left out:
    Alembic loads them by path, nothing imports them."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _statements(tree: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import that runs (not those under `if TYPE_CHECKING:`), and whether it is in a function."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _statements(node, inner)


def _targets(name: str, is_package: bool, node: ast.Import | ast.ImportFrom, modules: set[str]) -> set[str]:
    """The product's modules an import runs: the one named and the packages above it that the
    importing module is not already inside of."""
    if isinstance(node, ast.Import):
        named = [alias.name for alias in node.names]
    else:
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        else:
            prefix = node.module or ""
        named = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix for alias in node.names]
    found = set()
    for target in named:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            inside = name == module or name.startswith(module + ".")
            if module in modules and module != name and not inside:
                found.add(module)
    return found


def _graph(with_functions: bool) -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():
        for node, in_function in _statements(ast.parse(path.read_text(encoding="utf-8"))):
            if with_functions or not in_function:
                graph[name] |= _targets(name, is_package, node, set(modules))
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for following in sorted(graph[node]):
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in on_stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back() -> None:
    """Module-level imports form no cycle: each module can be read, and loaded, after the ones
    it imports."""
    assert _cycles(_graph(with_functions=False)) == []


def test_no_cycle_is_hidden_in_a_function() -> None:
    """An import inside a function that closes a cycle only hides it: the modules still depend
    on each other. (Imports inside functions that defer a heavy library are fine.)"""
    assert _cycles(_graph(with_functions=True)) == []


def test_packages_import_one_way() -> None:
    """The packages are layered: forms under intents, both and reminders under bot."""
    crossing = {
        (name, target)
        for name, targets in _graph(with_functions=True).items()
        for target in targets
        if target.partition(".")[0] != name.partition(".")[0]
    }
    wrong = sorted(
        (name, target)
        for name, target in crossing
        if target.partition(".")[0] not in MAY_IMPORT[name.partition(".")[0]]
    )
    assert wrong == []


def test_the_check_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


# -- what the engine loads ------------------------------------------------------------------------
def _loaded(code: str) -> set[str]:
    """The top-level names of the modules a fresh interpreter has loaded after running `code`."""
    shown = "import json, sys\n" + code + "\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", shown], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return {name.partition(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}


@pytest.mark.timeout(240)
def test_the_engine_loads_no_platform() -> None:
    """The engine, its sweep, the forms and the offline parser load no chat SDK, HTTP client or
    language model. SQLAlchemy is loaded: the engine's rows are the store's mapped classes and its
    transaction the store's session; the engine itself imports none of it (ruff's banned-api)."""
    loaded = _loaded(
        "import bot.core.engine, bot.core.sweep, forms, intents\n"
        "from bot.directory import load_directory\n"
        "from intents.offline import OfflineParser\n"
        "OfflineParser(forms.load_catalog(), load_directory())"
    )
    assert "bot" in loaded
    assert sorted(loaded & set(PLATFORMS)) == []


@pytest.mark.timeout(240)
def test_forms_and_the_parser_load_no_store() -> None:
    """Without the engine, the forms and the offline parser load no store either."""
    loaded = _loaded(
        "import forms, intents\nfrom intents.offline import OfflineParser\nOfflineParser(forms.load_catalog())"
    )
    assert "intents" in loaded
    assert sorted(loaded & {*PLATFORMS, "sqlalchemy", "bot"}) == []
