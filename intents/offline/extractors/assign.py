"""Tying found values to fields: which date, amount, count or person goes where.

A type with one field of a kind takes the value when the text has one; with several
candidates, the one a cue word points at (its label, "by", "total", "manager is"); with no
clear winner the field stays empty.
"""

from __future__ import annotations

import re
from typing import Any

from forms import messages
from forms.kinds import DATE, INTEGER, MONEY, PERSON
from forms.occupied import Occupied
from forms.spec import FieldSpec, RequestTypeSpec
from intents.offline.classifier.training import cues
from intents.offline.extractors.names import field_cues
from intents.offline.extractors.people import Mention, on_whose_behalf
from intents.offline.extractors.values import Span
from intents.offline.text import STOP, fold

_NOT_COUNTED_EXTRA = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "keeps",
        "keep",
        "won't",
        "doesn't",
        "isn't",
        "a",
        "an",
        "the",
    ]
)
_PLACE_BEFORE = re.compile(r"(?i)(room|rm|bed|bay|suite|floor|unit|ext|station|building|bldg|no\.?|#)\s*$")


def _words(key: str) -> list[str]:
    return [str(w).lower() for w in cues().get(key, [])]


def _before(text: str, start: int, size: int = 30) -> str:
    return " ".join(fold(text[max(0, start - size) : start]).replace(":", " ").split())


def _cued(text: str, span_start: int, phrases: list[str]) -> bool:
    before = _before(text, span_start)
    return any(before == p or before.endswith(" " + p) for p in phrases)


def _labels(spec: FieldSpec) -> list[str]:
    return [w for w in {spec.label.lower(), spec.name.replace("_", " ")} if w]


def assign_dates(spec: RequestTypeSpec, dates: list[Span], bad: list[Span], text: str) -> dict[str, Any]:
    fields = [f for f in spec.fields if f.kind == DATE]
    if not fields:
        return {}
    cue_words = _words("date_cues")
    out: dict[str, Any] = {}
    distinct = list(dict.fromkeys(d.value for d in dates))
    if len(fields) == 1:
        if len(distinct) == 1:
            out[fields[0].name] = distinct[0]
        elif len(distinct) > 1:
            cued = list(dict.fromkeys(d.value for d in dates if _cued(text, d.start, cue_words)))
            if len(cued) == 1:
                out[fields[0].name] = cued[0]
        elif bad:
            out[fields[0].name] = bad[0].raw
        return out
    for spec_field in fields:
        for span in dates:
            if _cued(text, span.start, _labels(spec_field)) and span.value not in out.values():
                out[spec_field.name] = span.value
                break
    return out


_DIFFERENCE = re.compile(
    r"(?i)\s*(?:higher|lower|more|less|over|under|short|off|too\s+much|too\s+little|extra|difference|"
    r"m[aá]s|menos|de\s+m[aá]s|de\s+menos)\b"
)


def assign_money(spec: RequestTypeSpec, money: list[Span], counts: list[Span], text: str) -> dict[str, Any]:
    fields = [f for f in spec.fields if f.kind == MONEY]
    if not fields or not money:
        return {}
    each = [str(w) for w in cues().get("money", {}).get("each", [])]
    totals = [str(w) for w in cues().get("money", {}).get("total", [])]
    per_unit = [m for m in money if any(fold(text[m.end : m.end + 14]).lstrip(" /").startswith(w) for w in each)]
    whole = [m for m in money if m not in per_unit]
    if len(whole) > 1:  # "$4,218.37 … $2 higher than contract": a difference is not the amount
        whole = [m for m in whole if not _DIFFERENCE.match(text, m.end)] or whole
    if len(fields) == 1:
        distinct = list(dict.fromkeys(m.raw for m in whole))
        if len(distinct) == 1:
            return {fields[0].name: distinct[0]}
        cued = [m.raw for m in whole if _cued(text, m.start, [*_labels(fields[0]), *totals])]
        if len(set(cued)) == 1:
            return {fields[0].name: cued[0]}
        if not whole and len(per_unit) == 1 and len(counts) == 1:
            from forms.numbers import to_number

            unit = to_number(re.sub(r"[^\d.,km]", "", per_unit[0].raw.lower()))
            qty = to_number(counts[0].raw)
            if unit is not None and qty is not None:
                return {fields[0].name: unit * qty}
        return {}
    out: dict[str, Any] = {}
    for spec_field in fields:
        for span in whole:
            if _cued(text, span.start, _labels(spec_field)) and span.raw not in out.values():
                out[spec_field.name] = span.raw
                break
    return out


def _countable(span: Span, text: str, taken: Occupied, skip: set[str]) -> bool:
    if str(span.value) in skip or _PLACE_BEFORE.search(text[max(0, span.start - 12) : span.start]):
        return False
    return not taken.taken(span.start)


_ARTICLE = re.compile(r"(?i)\b(?:{verbs})\s+(?:a|an|one|una|un)\s+(?:new\s+|nuevo\s+|nueva\s+)?([a-z][\w-]*)")


_LABELLED_COUNT = re.compile(r"(?i)\b(?:quantity|qty|cantidad|count|units?)\s*(?:of|is|:|=|-)?\s*(\d{1,4})\b(?![.,]\d)")
_OF_THE = re.compile(r"(?i)\s+(?:of\s+(?:the|those|these|them|our)|de\s+(?:los|las|esos|esas|estos|estas))\b")


_IN_DIGITS = re.compile(r"\s*\((\d{1,4})\)")


def _twice(text: str, count: Span) -> bool:
    """A count in words repeated in digits right after it, as formal letters write it."""
    from forms.numbers import to_number

    again = _IN_DIGITS.match(text, count.end)
    return again is not None and not count.raw.isdigit() and to_number(count.raw) == int(again.group(1))


def assign_counts(spec: RequestTypeSpec, counts: list[Span], text: str, taken: list[Span]) -> dict[str, Any]:
    fields = [f for f in spec.fields if f.kind == INTEGER]
    if len(fields) != 1:
        return {}
    skip = set(_words("not_counted")) | STOP | _NOT_COUNTED_EXTRA
    occupied = Occupied(len(text), taken)
    good = [c for c in counts if _countable(c, text, occupied, skip)]
    partitive = [c for c in counts if _OF_THE.match(text, c.end) and not occupied.taken(c.start)]  # "3 of the 27 inch"
    said_twice = [c for c in good if _twice(text, c)]  # "two (2) centrifuges"
    good = partitive or said_twice or good
    distinct = list(dict.fromkeys(fold(c.raw) for c in good))
    if len(distinct) == 1:
        return {fields[0].name: distinct[0]}
    labelled = _LABELLED_COUNT.search(text)
    if not distinct and labelled is not None and not occupied.taken(labelled.start(1)):
        return {fields[0].name: labelled.group(1)}  # "quantity: 2", "qty 12", "cantidad 5"
    if not distinct and fields[0].name in _words("counts_with_article"):
        verbs = "|".join(re.escape(v) for v in _words("article_verbs"))
        found = re.search(_ARTICLE.pattern.format(verbs=verbs), text)
        if found and found.group(1).lower() not in _words("not_items"):
            return {fields[0].name: 1}
    return {}


def assign_people(
    spec: RequestTypeSpec, mentions: list[Mention], emails: list[Span], text: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Person fields from emails and directory names: cued ones first, then in order."""
    fields = [f for f in spec.fields if f.kind == PERSON]
    if not fields:
        return {}, {}
    people = sorted(
        [(e.start, e.raw, str(e.value), ()) for e in emails]
        + [(m.start, m.raw, m.email or "", m.candidates) for m in mentions],
        key=lambda p: p[0],
    )
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    loose = []
    for start, raw, email, candidates in people:
        if on_whose_behalf(text, start, start + len(raw)):
            continue  # "on behalf of Bob Martin, …": who asks, not whom the request is about
        target = _cued_field(fields, text, start) or _cued_after(fields, text, start + len(raw))
        if target is None:
            loose.append((raw, email, candidates))
        elif target.name not in out and target.name not in errors:
            _place(target, raw, email, candidates, out, errors)
    free = [f for f in fields if f.name not in out and f.name not in errors and not field_cues(f).get("needs_cue")]
    for target, (raw, email, candidates) in zip(free, loose, strict=False):
        _place(target, raw, email, candidates, out, errors)
    return out, errors


def _place(
    target: FieldSpec, raw: str, email: str, candidates: tuple[str, ...], out: dict[str, Any], errors: dict[str, str]
) -> None:
    if email:
        out[target.name] = email
    elif candidates:
        names = messages.joined(candidates, messages.OR)
        errors[target.name] = messages.WHICH_PERSON.format(label=target.display, value=raw, names=names)


def _cued_after(fields: list[FieldSpec], text: str, end: int) -> FieldSpec | None:
    """A person field that a phrase right after the name points at ("make George Hall the owner")."""
    after = fold(text[end : end + 40]).lstrip(" ,")
    for spec_field in fields:
        for phrase in sorted((str(p) for p in field_cues(spec_field).get("people_after", [])), key=len, reverse=True):
            if after.startswith(phrase) and (len(after) == len(phrase) or not after[len(phrase)].isalnum()):
                return spec_field
    return None


def _cued_field(fields: list[FieldSpec], text: str, start: int) -> FieldSpec | None:
    best: tuple[int, FieldSpec] | None = None
    for spec_field in fields:
        phrases = [str(p) for p in field_cues(spec_field).get("people", [])] + _labels(spec_field)
        for phrase in phrases:
            longer = best is None or len(phrase) > best[0]
            if longer and _cued(text, start, [phrase, phrase + " is", phrase + " will be", phrase + " be"]):
                best = (len(phrase), spec_field)
    return best[1] if best else None
