"""One of a field's listed choices, named by its id, its label or one of its synonyms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from forms import messages
from forms.errors import FieldError
from forms.kinds.base import InputHint, Kind, NormalizeContext, People, fold
from forms.language import current

if TYPE_CHECKING:
    from forms.spec import Choice, FieldSpec


@dataclass(frozen=True, repr=False)
class EnumKind(Kind):
    """The choice's id; words are compared without case, accents or punctuation."""

    name = "enum"
    hint = InputHint.CHOICE

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        wanted = fold(str(raw))
        for choice in spec.choices:
            if wanted in _names(choice):
                return choice.id
        listed = ", ".join(_listed(c) for c in spec.choices)
        raise FieldError(spec.name, messages.NOT_A_CHOICE.format(label=spec.display, choices=listed))

    def check(self, spec: FieldSpec) -> None:
        if not spec.choices:
            raise ValueError("an enum field lists its choices")
        if spec.default is not None and spec.default not in {c.id for c in spec.choices}:
            raise ValueError(f"default {spec.default!r} is not one of the choices")

    def display(self, spec: FieldSpec, value: Any, people: People | None = None) -> str:
        """The choice's label."""
        return next((choice.display for choice in spec.choices if choice.id == value), str(value))

    def described(self, spec: FieldSpec) -> str:
        return f"={'|'.join(c.id for c in spec.choices)}"

    def model_type(self, spec: FieldSpec) -> Any:
        return Literal[tuple(c.id for c in spec.choices)]


@cache
def _names(choice: Choice) -> frozenset[str]:
    """The words that name a choice (its id, label, translated labels and synonyms), folded as
    `normalize` compares them: once per choice, not on every value read."""
    translated = (fold(words) for words in choice.display.translations.values())
    return frozenset({fold(choice.id), fold(choice.label), *translated, *(fold(s) for s in choice.synonyms)} - {""})


def _listed(choice: Choice) -> str:
    """How a refusal names a choice: its id in English, its label in a language it is translated to."""
    label = choice.display
    return label.said() if current() in label.translations else choice.id


ENUM = EnumKind()
