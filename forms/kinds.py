"""Field kinds: each turns what a person typed into the catalog's normalised value or refuses it.

Every normaliser takes the raw value (text, or a value already typed, such as a number from a
form input) and a `NormalizeContext`, and returns the normalised value or raises FieldError
with a message naming the field and the expected form. Nothing is guessed or silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from forms.dates import parse_date
from forms.errors import AmbiguousValue, FieldError
from forms.numbers import count_in_answer, to_number
from forms.spec import FieldSpec

PersonResolver = Callable[[str], str]
"""Maps an email, mention or name to a directory email; raises LookupError or AmbiguousValue."""


@dataclass(frozen=True)
class NormalizeContext:
    """What normalisation needs from outside: today, the directory, the requester."""

    today: date
    resolve_person: PersonResolver | None = None
    requester: str | None = None
    text_guard: Callable[[str], str | None] | None = None
    """Returns a reason when a text must not be stored (protected health information)."""
    extra: dict[str, Any] = field(default_factory=dict)


_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}$")
_MONEY_NOISE = re.compile(r"(?i)\b(usd|us\$|dollars?|bucks|d[oó]lares|approx\.?|about|around|roughly|~)\b|[$~≈]")
_CODE_FORMS: dict[str, tuple[re.Pattern[str], str, str]] = {
    "cost_center": (
        re.compile(r"^(?:cc|cost\s*cent(?:er|re)|centro\s+de\s+costos?)?\s*[-#:]?\s*(\d{4})$", re.I),
        "CC-{}",
        "CC- and four digits, e.g. CC-4410",
    ),
    "tax_id": (
        re.compile(r"^(?:ein|tax\s*id|tin|fein)?\s*[-#:]?\s*(\d{2})-?(\d{7})$", re.I),
        "{}-{}",
        "a US EIN of nine digits, e.g. 12-3456789",
    ),
    "po_number": (
        re.compile(r"^(?:po|p\.o\.|purchase\s+order)?\s*[-#:]?\s*(\d{5,8})$", re.I),
        "PO-{}",
        "PO- and 5 to 8 digits, e.g. PO-104233",
    ),
    "invoice_number": (
        re.compile(r"^(?:inv|invoice|factura)?\s*[-#:]?\s*(?:no\.?|number|n[uú]mero)?\s*[-#:]?\s*(\d{3,10})$", re.I),
        "INV-{}",
        "INV- and its digits, e.g. INV-88812",
    ),
    "asset_tag": (
        re.compile(r"^(?:at|asset(?:\s*tag)?|tag)?\s*[-#:]?\s*(\d{5})$", re.I),
        "AT-{}",
        "AT- and five digits, e.g. AT-20931",
    ),
}


def _text(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
    value = " ".join(str(raw).split())
    if not value:
        raise FieldError(spec.name, f"{spec.display} cannot be empty.")
    if len(value) > spec.max_length:
        raise FieldError(spec.name, f"{spec.display} is too long ({len(value)} characters; at most {spec.max_length}).")
    return value  # protected health information was refused by `normalize`, for every kind


def _email(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
    value = str(raw).strip().strip("<>").removeprefix("mailto:").lower()
    if "|" in value:  # Slack's <mailto:a@b|a@b>
        value = value.split("|", 1)[0]
    if not _EMAIL.match(value):
        raise FieldError(spec.name, f"{spec.display} should be an email address, like jane.doe@example.org.")
    return value


_MYSELF = re.compile(
    r"(?i)^\s*(?:(?:it'?s|it\s+is|that'?s|this\s+is|that\s+would\s+be|just|only|oh)\s+)?(?:for\s+)?"
    r"(?:me|myself|me\s+myself|yours\s+truly|mi|m[ií]\s+mism[oa]|yo|es\s+para\s+m[ií]|para\s+m[ií])"
    r"(?:\s+(?:please|pls|thanks|thank\s+you|por\s+favor|gracias))?\s*[.!]*\s*$"
)
"""The requester speaking of themselves: "me", "it's for me", "myself", "para mí"."""


def _person(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
    value = str(raw).strip()
    if not value:
        raise FieldError(spec.name, f"{spec.display} cannot be empty.")
    if _MYSELF.match(value) and ctx.requester:
        return ctx.requester.lower()
    if ctx.resolve_person is None:
        return _email(spec, value, ctx)
    try:
        return ctx.resolve_person(value).lower()
    except AmbiguousValue as exc:
        names = " or ".join(exc.candidates)
        raise AmbiguousValue(
            spec.name, f"{spec.display}: {value!r} could be {names}. Which one (email)?", exc.candidates
        ) from None
    except LookupError:
        # the name is not repeated: one that is not in the directory may be a patient's (or a
        # chat platform's user id, from a person picked in a form whose profile has no email)
        raise FieldError(
            spec.name, f"{spec.display}: I can't find that person in the directory; give their work email."
        ) from None


def _bounds(spec: FieldSpec, number: Decimal) -> None:
    if spec.gt is not None and number <= Decimal(str(spec.gt)):
        raise FieldError(spec.name, f"{spec.display} must be more than {spec.gt:g}.")
    if spec.min is not None and number < Decimal(str(spec.min)):
        raise FieldError(spec.name, f"{spec.display} must be at least {spec.min:g}.")
    if spec.max is not None and number > Decimal(str(spec.max)):
        raise FieldError(spec.name, f"{spec.display} must be at most {spec.max:g}.")


def _money(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> int | float:
    if isinstance(raw, bool):
        raise FieldError(spec.name, f"{spec.display} should be an amount in US dollars, like $12,500.")
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
    else:
        cleaned = _MONEY_NOISE.sub(" ", str(raw)).strip()
        parsed = to_number(cleaned) if cleaned else None
        if parsed is None:
            raise FieldError(spec.name, f"{spec.display} should be an amount in US dollars, like $12,500 or 12.5k.")
        number = parsed
    _bounds(spec, number)
    number = number.quantize(Decimal("0.01"))
    return int(number) if number == number.to_integral_value() else float(number)


def _integer(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> int:
    if isinstance(raw, bool):
        raise FieldError(spec.name, f"{spec.display} should be a whole number, like 3.")
    number = Decimal(str(raw)) if isinstance(raw, int | float) else to_number(str(raw))
    if number is None and isinstance(raw, str):
        number = count_in_answer(raw)  # "five of those", "like I said, 6"
    if number is None or number != number.to_integral_value():
        raise FieldError(spec.name, f"{spec.display} should be a whole number, like 3 or three.")
    _bounds(spec, number)
    return int(number)


def _date(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
    found = raw if isinstance(raw, date) else parse_date(str(raw), ctx.today)
    if found is None:
        raise FieldError(spec.name, f"{spec.display} should be a date, like 2026-12-01, Dec 1 or next Friday.")
    if spec.not_past and found < ctx.today:
        # the refused date is not repeated: a date in the past may be someone's date of birth
        raise FieldError(spec.name, f"{spec.display} cannot be in the past; please give a date from today on.")
    return found.isoformat()


def fold(text: str) -> str:
    """Lower case without accents and punctuation, for matching words."""
    stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", stripped.lower()).split())


def _enum(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
    wanted = fold(str(raw))
    for choice in spec.choices:
        names = {fold(choice.id), fold(choice.label), *(fold(s) for s in choice.synonyms)}
        if wanted in names - {""}:
            return choice.id
    listed = ", ".join(c.id for c in spec.choices)
    raise FieldError(spec.name, f"{spec.display} should be one of: {listed}.")


def _code(kind: str) -> Callable[[FieldSpec, Any, NormalizeContext], str]:
    pattern, template, form = _CODE_FORMS[kind]

    def normalise(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        match = pattern.match(" ".join(str(raw).split()).strip(" .,"))
        if not match:
            raise FieldError(spec.name, f"{spec.display} should be {form}.")
        return template.format(*match.groups())

    return normalise


NORMALISERS: dict[str, Callable[[FieldSpec, Any, NormalizeContext], Any]] = {
    "text": _text,
    "email": _email,
    "person": _person,
    "money": _money,
    "integer": _integer,
    "date": _date,
    "enum": _enum,
    **{kind: _code(kind) for kind in _CODE_FORMS},
}


def normalize(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> Any:
    """The normalised value of `raw` for the field, or FieldError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise FieldError(spec.name, f"{spec.display} cannot be empty.")
    if isinstance(raw, str) and ctx.text_guard is not None:  # every field, before it is read or echoed
        reason = ctx.text_guard(raw)
        if reason:
            raise FieldError(spec.name, f"{spec.display} must not contain {reason}; please leave it out.")
    return NORMALISERS[spec.kind](spec, raw, ctx)
