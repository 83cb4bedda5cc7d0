"""Checking a whole form: every value normalised, every required field present."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms import messages
from forms.errors import FieldError
from forms.kinds import NormalizeContext, normalize
from forms.spec import RequestTypeSpec


@dataclass
class FormCheck:
    """The outcome of checking a form: clean values, refusals by field, and what is missing."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.errors and not self.missing


def normalize_field(spec: RequestTypeSpec, name: str, raw: Any, ctx: NormalizeContext) -> Any:
    """Normalise one value for a field of `spec`; unknown fields are refused."""
    if name not in spec.field_names:
        raise FieldError(name, messages.NO_SUCH_FIELD.format(title=spec.title, name=name))
    return normalize(spec.field(name), raw, ctx)


def check_form(spec: RequestTypeSpec, raw: Mapping[str, Any], ctx: NormalizeContext) -> FormCheck:
    """Normalise every given value, apply defaults, and list missing required fields in order."""
    result = FormCheck()
    for name, value in raw.items():
        if value is None or value == "":
            continue
        try:
            result.values[name] = normalize_field(spec, name, value, ctx)
        except FieldError as exc:
            result.errors[exc.field] = exc.message
    for field_spec in spec.fields:
        if field_spec.name in result.values or field_spec.name in result.errors:
            continue
        if field_spec.default is not None:
            result.values[field_spec.name] = field_spec.default
        elif field_spec.required:
            result.missing.append(field_spec.name)
    return result


def missing_fields(spec: RequestTypeSpec, values: Mapping[str, Any]) -> list[str]:
    """Required fields with neither a value nor a default, in catalog order."""
    return [f.name for f in spec.fields if f.required and f.default is None and values.get(f.name) in (None, "")]
