"""Free text: a description, a justification, a name the directory does not hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms import messages
from forms.errors import FieldError
from forms.kinds.base import Kind, NormalizeContext

if TYPE_CHECKING:
    from forms.spec import FieldSpec


@dataclass(frozen=True, repr=False)
class TextKind(Kind):
    """Any words, with runs of spaces made one, up to the field's `max_length`."""

    name = "text"
    free_text = True

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        value = " ".join(str(raw).split())
        if not value:
            raise FieldError(spec.name, messages.EMPTY.format(label=spec.display))
        if len(value) > spec.max_length:
            raise FieldError(
                spec.name, messages.TOO_LONG.format(label=spec.display, length=len(value), limit=spec.max_length)
            )
        return value  # protected health information was refused by `normalize`, for every kind


TEXT = TextKind()
