"""Slot extraction for one request type: find values by kind, tie them to fields, normalise.

Values are found in this order, each kind blanking out what the earlier ones took: codes
and emails, dates, money, counts, people, short names, enum synonyms. Every value goes
through the catalog's normaliser; one that is refused becomes an error, never a slot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from forms.errors import FieldError
from forms.kinds import EMAIL, PERSON, Kind, NormalizeContext, normalize
from forms.occupied import Occupied
from forms.spec import FieldSpec, RequestTypeSpec
from intents.offline.extractors.assign import assign_counts, assign_dates, assign_money, assign_people
from intents.offline.extractors.enums import find_enums, implied
from intents.offline.extractors.me import me_fields
from intents.offline.extractors.names import find_names
from intents.offline.extractors.people import Mention, PeopleIndex
from intents.offline.extractors.values import (
    Span,
    find_bad_dates,
    find_codes,
    find_counts,
    find_dates,
    find_emails,
    find_money,
    mask,
)


@dataclass
class Found:
    """What the text says, before it is tied to fields."""

    text: str
    codes: list[Span]
    emails: list[Span]
    dates: list[Span]
    bad_dates: list[Span]
    money: list[Span]
    counts: list[Span]
    mentions: list[Mention]
    taken: list[Span] = field(default_factory=list)


def find_all(text: str, today: date, people: PeopleIndex | None, identifiers: Iterable[Kind]) -> Found:
    """Every value the text holds; `identifiers` are the catalog's identifier kinds (`Kinds.identifiers`)."""
    codes = find_codes(text, identifiers)
    occupied = Occupied(len(text), codes)
    emails = [e for e in find_emails(text) if not occupied.overlaps(e.start, e.end)]
    occupied = Occupied(len(text), [*codes, *emails])
    dates = [d for d in find_dates(text, today) if not occupied.overlaps(d.start, d.end)]
    occupied = Occupied(len(text), dates)
    bad = [b for b in find_bad_dates(text) if not occupied.overlaps(b.start, b.end)]
    taken = codes + emails + dates + bad
    money = find_money(text, taken)
    taken = taken + money
    counts = find_counts(text, taken)
    mentions = people.find(mask(text, taken)) if people is not None else []
    taken = taken + [Span("person", m.raw, m.start, m.end) for m in mentions]
    return Found(text, codes, emails, dates, bad, money, counts, mentions, taken)


@dataclass
class Extraction:
    slots: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _put(out: Extraction, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> None:
    if spec.name in out.slots or raw is None:
        return
    try:
        out.slots[spec.name] = normalize(spec, raw, ctx)
    except FieldError as exc:
        out.errors.setdefault(spec.name, exc.message)


def _codes(spec: RequestTypeSpec, found: Found, out: Extraction, ctx: NormalizeContext) -> None:
    """A code field takes the one code of its kind the text holds (kinds in the order the catalog
    declares them, as `find_codes` found them)."""
    for name in dict.fromkeys(span.kind for span in found.codes):
        fields = [f for f in spec.fields if f.kind.name == name]
        values = list(dict.fromkeys(str(s.value) for s in found.codes if s.kind == name))
        if len(fields) == 1 and len(values) == 1:
            _put(out, fields[0], values[0], ctx)


def _emails(spec: RequestTypeSpec, found: Found, out: Extraction, ctx: NormalizeContext) -> None:
    fields = [f for f in spec.fields if f.kind == EMAIL]
    values = list(dict.fromkeys(str(s.value) for s in found.emails))
    home = ctx.requester.rpartition("@")[2].lower() if ctx.requester else ""
    if len(values) > 1 and home:  # "questions to me at chloe.reed@…": an email field is someone else's
        values = [v for v in values if v.rpartition("@")[2].lower() != home] or values
    if len(fields) == 1 and len(values) == 1 and not any(f.kind == PERSON for f in spec.fields):
        _put(out, fields[0], values[0], ctx)


def extract(spec: RequestTypeSpec, found: Found, ctx: NormalizeContext) -> Extraction:
    """Slots (normalised) and errors for the type's fields in the text."""
    out = Extraction()
    text = found.text
    _codes(spec, found, out, ctx)
    _emails(spec, found, out, ctx)
    for name, raw in assign_dates(spec, found.dates, found.bad_dates, text).items():
        _put(out, spec.field(name), raw, ctx)
    for name, raw in assign_money(spec, found.money, found.counts, text).items():
        _put(out, spec.field(name), raw, ctx)
    for name, raw in assign_counts(spec, found.counts, text, found.taken).items():
        _put(out, spec.field(name), raw, ctx)
    people, ambiguous = assign_people(spec, found.mentions, found.emails, text)
    for name, raw in people.items():
        _put(out, spec.field(name), raw, ctx)
    for name, message in ambiguous.items():
        out.errors.setdefault(name, message)
    for name, raw in me_fields(spec, text, set(out.slots) | set(out.errors), ctx.requester, likely=False).items():
        _put(out, spec.field(name), raw, ctx)
    masked = mask(text, found.taken)
    names = find_names(spec, text, masked, skip=set(out.slots))
    for span in names:
        _put(out, spec.field(span.kind), span.value, ctx)
    undecided: set[str] = set()
    for name, choice in find_enums(spec, mask(text, found.taken + names), undecided).items():
        _put(out, spec.field(name), choice, ctx)
    for name, choice in implied(spec, set(out.slots), undecided).items():
        _put(out, spec.field(name), choice, ctx)
    return out
