"""A date as people write it (`2026-12-01`, `Dec 1`, `next Friday`), resolved against today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from forms import messages
from forms.dates import parse_date
from forms.errors import FieldError
from forms.kinds.base import InputHint, Kind, NormalizeContext

if TYPE_CHECKING:
    from forms.spec import FieldSpec


@dataclass(frozen=True, repr=False)
class DateKind(Kind):
    """An ISO date; a `not_past` field refuses one before today."""

    name = "date"
    hint = InputHint.DATE
    prompt = "date"

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        found = raw if isinstance(raw, date) else parse_date(str(raw), ctx.today)
        if found is None:
            raise FieldError(spec.name, messages.NOT_A_DATE.format(label=spec.display))
        if spec.not_past and found < ctx.today:
            # the refused date is not repeated: a date in the past may be someone's date of birth
            raise FieldError(spec.name, messages.PAST_DATE.format(label=spec.display))
        return found.isoformat()

    def model_type(self, spec: FieldSpec) -> Any:
        return date


DATE = DateKind()
