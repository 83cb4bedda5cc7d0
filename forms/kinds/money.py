"""An amount in US dollars, as people write it: `$12,500`, `12.5k`, `four thousand dollars`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from forms import messages
from forms.errors import FieldError
from forms.kinds.base import InputHint, Kind, NormalizeContext, People, check_bounds
from forms.numbers import to_number

if TYPE_CHECKING:
    from forms.spec import FieldSpec

_MONEY_NOISE = re.compile(r"(?i)\b(usd|us\$|dollars?|bucks|d[oó]lares|approx\.?|about|around|roughly|~)\b|[$~≈]")


@dataclass(frozen=True, repr=False)
class MoneyKind(Kind):
    """A number of dollars to the cent (an int when whole); the offline parser reads it with certainty."""

    name = "money"
    hint = InputHint.DECIMAL
    placeholder = "Amount in $"
    prompt = "$"
    certain = True

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> int | float:
        if isinstance(raw, bool):
            raise FieldError(spec.name, messages.NOT_AN_AMOUNT.format(label=spec.display))
        if isinstance(raw, int | float | Decimal):
            number = Decimal(str(raw))
        else:
            cleaned = _MONEY_NOISE.sub(" ", str(raw)).strip()
            parsed = to_number(cleaned) if cleaned else None
            if parsed is None:
                raise FieldError(spec.name, messages.NOT_AN_AMOUNT_SHORT.format(label=spec.display))
            number = parsed
        check_bounds(spec, number)
        number = number.quantize(Decimal("0.01"))
        return int(number) if number == number.to_integral_value() else float(number)

    def display(self, spec: FieldSpec, value: Any, people: People | None = None) -> str:
        """$7,500, or $7,500.50 with cents."""
        amount = float(value)
        return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"

    def quoted(self, value: Any) -> str:
        if isinstance(value, int | float):
            return f"${value:,.2f}".removesuffix(".00")
        return str(value)

    def model_type(self, spec: FieldSpec) -> Any:
        return float


MONEY = MoneyKind()
