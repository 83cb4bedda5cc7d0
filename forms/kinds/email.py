"""An email address, typed or pasted from a chat platform's mail link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms import messages
from forms.errors import FieldError
from forms.kinds.base import Found, InputHint, Kind, NormalizeContext

if TYPE_CHECKING:
    from forms.spec import FieldSpec

_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}$")
_IN_TEXT = re.compile(r"(?<![\w.+%'-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
"""Starts only where a run of address characters starts, so a long run is read once."""


@dataclass(frozen=True, repr=False)
class EmailKind(Kind):
    """An address in lower case; the offline parser reads it with certainty."""

    name = "email"
    hint = InputHint.EMAIL
    placeholder = "name@example.org"
    prompt = "email"
    certain = True

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        value = str(raw).strip().strip("<>").removeprefix("mailto:").lower()
        if "|" in value:  # Slack's <mailto:a@b|a@b>
            value = value.split("|", 1)[0]
        if not _EMAIL.match(value):
            raise FieldError(spec.name, messages.NOT_AN_EMAIL.format(label=spec.display))
        return value

    def find(self, text: str) -> list[Found]:
        return [Found(m.start(), m.end(), m.group(0), m.group(0).lower()) for m in _IN_TEXT.finditer(text)]


EMAIL = EmailKind()
