"""A whole number: `3`, `three`, `a dozen`, or a count in a short answer ("five of those")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from forms import messages
from forms.errors import FieldError
from forms.kinds.base import InputHint, Kind, NormalizeContext, check_bounds
from forms.numbers import count_in_answer, to_number

if TYPE_CHECKING:
    from forms.spec import FieldSpec


@dataclass(frozen=True, repr=False)
class IntegerKind(Kind):
    """An int within the field's bounds."""

    name = "integer"
    hint = InputHint.NUMBER
    prompt = "number"

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> int:
        if isinstance(raw, bool):
            raise FieldError(spec.name, messages.NOT_A_NUMBER.format(label=spec.display))
        number = Decimal(str(raw)) if isinstance(raw, int | float) else to_number(str(raw))
        if number is None and isinstance(raw, str):
            number = count_in_answer(raw)  # "five of those", "like I said, 6"
        if number is None or number != number.to_integral_value():
            raise FieldError(spec.name, messages.NOT_A_COUNT.format(label=spec.display))
        check_bounds(spec, number)
        return int(number)

    def model_type(self, spec: FieldSpec) -> Any:
        return int


INTEGER = IntegerKind()
