"""A person in the directory, named by email, chat mention or name ("me" is the requester)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms import messages
from forms.errors import AmbiguousValue, FieldError
from forms.kinds.base import InputHint, Kind, NormalizeContext, People
from forms.kinds.email import EMAIL

if TYPE_CHECKING:
    from forms.spec import FieldSpec

_MYSELF = re.compile(
    r"(?i)^\s*(?:(?:it'?s|it\s+is|that'?s|this\s+is|that\s+would\s+be|just|only|oh)\s+)?(?:for\s+)?"
    r"(?:me|myself|me\s+myself|yours\s+truly|mi|m[ií]\s+mism[oa]|yo|es\s+para\s+m[ií]|para\s+m[ií])"
    r"(?:\s+(?:please|pls|thanks|thank\s+you|por\s+favor|gracias))?\s*[.!]*\s*$"
)
"""The requester speaking of themselves: "me", "it's for me", "myself", "para mí"."""


@dataclass(frozen=True, repr=False)
class PersonKind(Kind):
    """The person's directory email (lower case); without a directory, an email address."""

    name = "person"
    hint = InputHint.PERSON
    placeholder = messages.PERSON_PLACEHOLDER
    prompt = "person"

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        value = str(raw).strip()
        if not value:
            raise FieldError(spec.name, messages.EMPTY.format(label=spec.display))
        if _MYSELF.match(value) and ctx.requester:
            return ctx.requester.lower()
        if ctx.resolve_person is None:
            return EMAIL.normalize(spec, value, ctx)
        try:
            return ctx.resolve_person(value).lower()
        except AmbiguousValue as exc:
            names = messages.joined(exc.candidates, messages.OR)
            raise AmbiguousValue(
                spec.name, messages.WHICH_PERSON.format(label=spec.display, value=value, names=names), exc.candidates
            ) from None
        except LookupError:
            # the name is not repeated: one that is not in the directory may be a patient's (or a
            # chat platform's user id, from a person picked in a form whose profile has no email)
            raise FieldError(spec.name, messages.UNKNOWN_PERSON.format(label=spec.display)) from None

    def display(self, spec: FieldSpec, value: Any, people: People | None = None) -> str:
        """Their name and email when the directory knows them."""
        person = people.get(str(value)) if people is not None else None
        return f"{person.name} ({person.email})" if person is not None else str(value)


PERSON = PersonKind()
