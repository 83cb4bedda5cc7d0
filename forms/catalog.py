"""Loading the service catalog: declarative files in, checked request types out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError, create_model

from forms.conditions import Condition, ConditionError, parse_condition, requester_values
from forms.errors import CatalogError
from forms.kinds.pattern import PatternKind
from forms.kinds.registry import Kinds, declare, standard
from forms.marks import Path_, line_of, load_with_lines
from forms.spec import ApprovalStepSpec, FieldSpec, RequestTypeSpec

DEFAULT_CATALOG = Path(__file__).parent / "catalog"


@dataclass(frozen=True)
class Catalog:
    """The request types, their compiled `when` conditions, the field kinds they may name (the
    built-in ones and the identifiers, the catalog's own included) and their pydantic models."""

    types: Mapping[str, RequestTypeSpec]
    conditions: Mapping[tuple[str, int], Condition] = field(default_factory=dict)
    source: str = ""
    kinds: Kinds = field(default_factory=standard)
    step_lines: Mapping[tuple[str, int], str] = field(default_factory=dict)
    """Where each approval step is written, `file:line`, by (type id, index in `approvals`)."""

    def get(self, type_id: str) -> RequestTypeSpec:
        try:
            return self.types[type_id]
        except KeyError:
            raise KeyError(f"unknown request type {type_id!r}") from None

    def __contains__(self, type_id: object) -> bool:
        return type_id in self.types

    def __iter__(self) -> Iterator[RequestTypeSpec]:
        return iter(self.types.values())

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.types)

    def approval_chain(
        self, type_id: str, values: Mapping[str, Any], requester: Mapping[str, Any] | None = None
    ) -> list[ApprovalStepSpec]:
        """The steps the policy selects for these values and this requester (their directory
        attributes, read by `requester.<attribute>` in `when`; unknown ones have no value), in order."""
        spec = self.get(type_id)
        numeric = {
            k: float(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
            for k, v in values.items()
        }
        numeric.update(requester_values(requester or {}))
        return [
            step
            for index, step in enumerate(spec.approvals)
            if step.when is None or self.conditions[(type_id, index)](numeric)
        ]

    def response_hours(self, type_id: str, values: Mapping[str, Any]) -> float | None:
        """The wall-clock response SLA of a type with no approvals (work orders), if any."""
        sla = self.get(type_id).response_sla
        if sla is None:
            return None
        return sla.hours.get(str(values.get(sla.field)), sla.default_hours)

    def model(self, type_id: str) -> type[BaseModel]:
        """A pydantic model of the type's normalised form (for schemas and final checks)."""
        return _model(self.get(type_id))


@cache
def _model(spec: RequestTypeSpec) -> type[BaseModel]:
    definitions: dict[str, Any] = {}
    for f in spec.fields:
        py_type: Any = f.kind.model_type(f)
        if f.required and f.default is None:
            definitions[f.name] = (py_type, ...)
        else:
            definitions[f.name] = (py_type | None, f.default)
    model: type[BaseModel] = create_model(
        "".join(part.capitalize() for part in spec.id.split("_")),
        __config__={"extra": "forbid"},
        **definitions,
    )
    return model


def _check_type(
    spec: RequestTypeSpec, file: str, step_lines: Mapping[tuple[str, int], str]
) -> dict[tuple[str, int], Condition]:
    names = frozenset(spec.field_names)
    if len(names) != len(spec.fields):
        raise CatalogError("a field name is used twice", file=file, type_id=spec.id)
    conditions: dict[tuple[str, int], Condition] = {}
    for index, step in enumerate(spec.approvals):
        if step.when is None:
            continue
        try:
            conditions[(spec.id, index)] = parse_condition(step.when, names)
        except ConditionError as exc:
            where = step_lines.get((spec.id, index), file)
            raise CatalogError(str(exc), file=where, type_id=spec.id, field=f"approvals[{index}].when") from None
    if spec.response_sla is not None:
        if spec.response_sla.field not in names:
            raise CatalogError(
                "response_sla names an unknown field", file=file, type_id=spec.id, field=spec.response_sla.field
            )
        target: FieldSpec = spec.field(spec.response_sla.field)
        unknown = set(spec.response_sla.hours) - {c.id for c in target.choices}
        if unknown:
            raise CatalogError(
                f"response_sla keys are not choices: {sorted(unknown)}", file=file, type_id=spec.id, field=target.name
            )
    return conditions


def _parse_type(raw: Any, file: str, kinds: Kinds, lines: Mapping[Path_, int] | None = None) -> RequestTypeSpec:
    if not isinstance(raw, dict):
        raise CatalogError("a request type is a mapping", file=file)
    type_id = str(raw.get("id", ""))
    try:
        return RequestTypeSpec.model_validate(raw, context={"kinds": kinds})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        line = line_of(lines or {}, tuple(part for part in loc if isinstance(part, str | int)))
        file = f"{file}:{line}" if line and loc else file
        field_name = ""
        if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
            fields = raw.get("fields") or []
            entry = fields[loc[1]] if loc[1] < len(fields) else {}
            field_name = str(entry.get("name", f"fields[{loc[1]}]")) if isinstance(entry, dict) else ""
            loc = loc[2:]
        where = ".".join(str(part) for part in loc)
        message = f"{where}: {first['msg']}" if where else first["msg"]
        raise CatalogError(message, file=file, type_id=type_id, field=field_name) from None


def _parse_identifier(raw: Any, file: str) -> PatternKind:
    name = str(raw.get("name", "")) if isinstance(raw, dict) else ""
    try:
        return declare(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = f"{where}: {first['msg']}" if where else first["msg"]
        raise CatalogError(f"identifier {name or '?'}: {message}", file=file) from None


def _documents(path: Path) -> Iterable[tuple[str, str, Any, dict[Path_, int]]]:
    """(file, "type" or "identifier", entry, lines): a file is one request type, or has a `types`
    list, an `identifiers` list (identifier kinds, forms/kinds/pattern.py), or both. `lines`: the
    line each value of the entry starts on (paths from the entry)."""
    files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
    if not files:
        raise CatalogError("no catalog files (*.yaml) found", file=str(path))
    for file in files:
        try:
            data, lines = load_with_lines(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogError(f"cannot read: {exc}", file=str(file)) from None
        listed = isinstance(data, dict) and ("types" in data or "identifiers" in data)
        if listed and "identifiers" in data and set(data) - {"types", "identifiers"}:
            raise CatalogError("a file with `identifiers` holds only `identifiers` and `types` lists", file=str(file))
        for entry in (data.get("identifiers") if listed else None) or []:
            yield str(file), "identifier", entry, {}
        for index, entry in enumerate((data.get("types") if listed else [data]) or []):
            prefix: Path_ = ("types", index) if listed else ()
            size = len(prefix)
            yield str(file), "type", entry, {p[size:]: n for p, n in lines.items() if p[:size] == prefix}


def _kinds(documents: list[tuple[str, str, Any, dict[Path_, int]]]) -> Kinds:
    """The standard kinds with the catalog's own identifiers: each declared once, none named
    like a built-in kind; one named like a shipped identifier replaces it."""
    declared: dict[str, PatternKind] = {}
    for file, what, raw, _lines in documents:
        if what != "identifier":
            continue
        kind = _parse_identifier(raw, file)
        if kind.name in declared:
            raise CatalogError(f"identifier {kind.name} declared twice", file=file)
        if kind.name in standard() and not isinstance(standard()[kind.name], PatternKind):
            raise CatalogError(f"identifier {kind.name}: the name of a built-in field kind", file=file)
        declared[kind.name] = kind
    return standard().with_identifiers(declared.values())


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and check a catalog directory (one file per type, and any identifier kinds it
    declares) or a single file."""
    root = Path(path) if path is not None else DEFAULT_CATALOG
    if not root.exists():
        raise CatalogError("no such file or directory", file=str(root))
    documents = list(_documents(root))
    kinds = _kinds(documents)
    types: dict[str, RequestTypeSpec] = {}
    conditions: dict[tuple[str, int], Condition] = {}
    step_lines: dict[tuple[str, int], str] = {}
    for file, what, raw, lines in documents:
        if what != "type":
            continue
        spec = _parse_type(raw, file, kinds, lines)
        if spec.id in types:
            raise CatalogError("type id defined twice", file=file, type_id=spec.id)
        for index in range(len(spec.approvals)):
            line = line_of(lines, ("approvals", index))
            step_lines[(spec.id, index)] = f"{file}:{line}" if line else file
        conditions.update(_check_type(spec, file, step_lines))
        types[spec.id] = spec
    return Catalog(types=types, conditions=conditions, source=str(root), kinds=kinds, step_lines=step_lines)
