"""YAML (and JSON, which YAML reads too) with the line each value starts on, so that a check made
after loading can name the file and line at fault."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

Path_ = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and list indexes from the top."""


def load_with_lines(text: str) -> tuple[Any, dict[Path_, int]]:
    """The document (as `yaml.safe_load` reads it) and the 1-based line of each of its values;
    raises yaml.YAMLError as `safe_load` does."""
    data = yaml.safe_load(text)
    lines: dict[Path_, int] = {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            _walk(value, (*path, name), lines)
            lines[(*path, name)] = key.start_mark.line + 1  # a key's line, where the entry starts
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def line_of(lines: Mapping[Path_, int], path: Path_) -> int | None:
    """The line of `path`, else of the nearest enclosing value that has one."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]
