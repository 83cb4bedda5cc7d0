"""`when` conditions of approval steps, parsed into a small tree and evaluated without eval().

Grammar (a subset of Python expressions): field names, the requester's directory attributes
(`requester.department`, `requester.title`, `requester.legal_entity`, ... see REQUESTER_ATTRIBUTES),
numbers, strings, true/false, comparisons (== != < <= > >= in, not in), lists of literals, `and`,
`or`, `not`, parentheses. A comparison with a field or attribute that has no value is false.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_OPS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_LITERALS = {"true": True, "false": False, "null": None, "none": None}
REQUESTER = "requester"
REQUESTER_ATTRIBUTES = frozenset(
    {"email", "name", "title", "department", "legal_entity", "entity", "cost_center", "manager", "roles"}
)
"""What a condition may read of the requester (`requester.<attribute>`): their directory entry;
`legal_entity` and `entity` are the same, `roles` the roles they hold (`'finance' in requester.roles`)."""


class ConditionError(ValueError):
    """A condition that is not in the grammar, or names an unknown field."""


@dataclass(frozen=True)
class Condition:
    """A parsed condition; `fields` are the names it reads (`requester.title` for an attribute)."""

    source: str
    tree: ast.expr
    fields: frozenset[str]

    def __call__(self, values: Mapping[str, Any]) -> bool:
        return bool(_eval(self.tree, values))


def parse_condition(source: str, known_fields: frozenset[str] | None = None) -> Condition:
    """Parse `source`; raise ConditionError naming the problem (an unknown field when
    `known_fields` is given, an unknown requester attribute always)."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"cannot read condition {source!r}: {exc.msg}") from None
    names: set[str] = set()
    _check(tree, names)
    attributes = {name for name in names if name.startswith(f"{REQUESTER}.")}
    unknown_attributes = sorted(a for a in attributes if a.partition(".")[2] not in REQUESTER_ATTRIBUTES)
    if unknown_attributes:
        known = ", ".join(sorted(REQUESTER_ATTRIBUTES))
        raise ConditionError(
            f"condition {source!r} names unknown requester attribute(s): {', '.join(unknown_attributes)}"
            f" (a requester has: {known})"
        )
    fields = names - attributes
    if known_fields is not None and not fields <= known_fields:
        unknown = ", ".join(sorted(fields - known_fields))
        raise ConditionError(f"condition {source!r} names unknown field(s): {unknown}")
    return Condition(source, tree, frozenset(names))


def _check(node: ast.expr, names: set[str]) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, names)
    elif isinstance(node, ast.Compare):
        if not all(type(op) in _OPS for op in node.ops):
            raise ConditionError("only == != < <= > >= in and not in compare values")
        for part in (node.left, *node.comparators):
            _check_operand(part, names)
    elif isinstance(node, ast.Name | ast.Attribute):
        _check_operand(node, names)
    else:
        raise ConditionError(f"unsupported expression: {ast.dump(node)[:60]}")


def _check_operand(node: ast.expr, names: set[str]) -> None:
    if isinstance(node, ast.Name):
        if node.id.lower() not in _LITERALS:
            names.add(node.id)
    elif isinstance(node, ast.Attribute):
        names.add(_attribute(node))
    elif isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | None):
        return
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            if not isinstance(item, ast.Constant):
                raise ConditionError("lists in conditions hold literal values only")
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check_operand(node.operand, names)
    else:
        raise ConditionError(f"unsupported operand: {ast.dump(node)[:60]}")


def _attribute(node: ast.Attribute) -> str:
    """`requester.title` → "requester.title"; any other dotted name is refused."""
    if not isinstance(node.value, ast.Name) or node.value.id != REQUESTER:
        dotted = ast.unparse(node)
        raise ConditionError(f"only the requester's attributes are read with a dot (requester.title), not {dotted}")
    return f"{REQUESTER}.{node.attr}"


def requester_values(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The values a condition reads of a requester, from their directory attributes."""
    return {f"{REQUESTER}.{name}": attributes.get(name) for name in REQUESTER_ATTRIBUTES}


def _eval(node: ast.expr, values: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.BoolOp):
        results = (bool(_eval(v, values)) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return (not operand) if isinstance(node.op, ast.Not) else -operand
    if isinstance(node, ast.Compare):
        left = _eval(node.left, values)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, values)
            if left is None or right is None:
                return False
            try:
                if not _OPS[type(op)](left, right):
                    return False
            except TypeError:
                return False
            left = right
        return True
    if isinstance(node, ast.Name):
        lowered = node.id.lower()
        return _LITERALS[lowered] if lowered in _LITERALS else values.get(node.id)
    if isinstance(node, ast.Attribute):
        return values.get(_attribute(node))
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(item, values) for item in node.elts]
    raise ConditionError("unsupported expression")  # pragma: no cover - _check refuses these
