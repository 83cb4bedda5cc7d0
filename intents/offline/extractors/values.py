"""Finding typed values in free text: codes, emails, money, counts and dates, with their spans.

Each finder returns `Span`s holding the raw text of the value; the caller normalises it with
the catalog's own normaliser, so a value is always in the catalog's form or left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from forms.dates import search_dates
from forms.kinds import EMAIL, Kind
from forms.lexicon import CARDINALS, GROUPS, WEEKDAYS, alternation
from forms.numbers import NUMBER_WORDS
from forms.occupied import Occupied
from intents.offline.extractors.dates import extra_dates, impossible_dates


@dataclass(frozen=True)
class Span:
    """A value found in the text: what it is (kind), the raw text, where, and its value."""

    kind: str
    raw: str
    start: int
    end: int
    value: object = None


_REQUEST_ID = re.compile(r"(?i)\b(?:req|request|ticket)\s*[-#:]?\s*#?\s*(\d{3,7})\b")

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s*(?:k|m|mm)\b|\s+(?:thousand|million|grand|mil|millones?)\b)?"
_WORDS = alternation(sorted(NUMBER_WORDS - GROUPS.keys(), key=len, reverse=True))
_WORD_AMOUNT = rf"(?:(?:{_WORDS})[\s-]+){{0,5}}(?:{_WORDS})"
"""At most six number words ("a hundred and twenty five" is five): an unbounded run, where "a"
could match two ways, took time exponential in the number of "a "s."""
_CURRENCY_AFTER = r"\s*(?:dollars?|bucks|usd|d[oó]lares)\b"
MONEY = [
    re.compile(rf"(?i)(?:\$|usd\s*|us\$\s*)\s*({_AMOUNT}){_SCALE}"),
    re.compile(rf"(?i)\b({_AMOUNT}){_SCALE}{_CURRENCY_AFTER}"),
    re.compile(rf"(?i)\b({_AMOUNT})\s*(?:k|m|mm)\b(?!\w)"),
    re.compile(rf"(?i)\b({_WORD_AMOUNT}){_CURRENCY_AFTER}"),
    re.compile(
        r"(?i)\b(?:value|amount|cost|total|worth|budget|spend|price)\s*(?:is|of|:)?\s+(?P<bare>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{3,})\b"
    ),
    # a bare price per unit: "90 each", "12.50 apiece" (one digit alone is more likely a count)
    re.compile(
        r"(?i)(?<![\w$.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{2,})"
        r"(?=\s*(?:each|ea\b\.?|apiece|a\s+piece|per\s+(?:unit|item)|cada\s+uno|c/u)(?!\w))"
    ),
]
_NOT_A_COUNT = frozenset({"a", "an", "un", "once", "zero"})
"""Number words not read as a count before a word: an article ("a monitor" is one only after a
verb like "need", see `assign`), "once" (English too: "once approved") and "zero"."""
_COUNT_WORD = alternation(
    [
        *sorted(CARDINALS.keys() - _NOT_A_COUNT, key=len, reverse=True),
        "a dozen",
        "dozen",
        "a couple of",
        "a couple",
        "a pair of",
    ]
)
_TENS_AND_ONES = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+(?:one|two|three|four|five|six|seven|eight|nine)"
)
COUNT = re.compile(
    rf"(?i)(?<![\w$.,/-])(\d{{1,4}}|{_TENS_AND_ONES}|{_COUNT_WORD})(?![\w$%/.,-]|\.\d|,\d)\s+(?:x\s+)?([A-Za-z][\w'-]*)"
)


def find_codes(text: str, identifiers: Iterable[Kind]) -> list[Span]:
    """The catalog's identifiers (each kind finds its own: forms/kinds/pattern.py), in the order
    they are declared, then request ids."""
    found = [Span(kind.name, f.raw, f.start, f.end, f.value) for kind in identifiers for f in kind.find(text)]
    found += [Span("request_id", m.group(0), m.start(), m.end(), m.group(1)) for m in _REQUEST_ID.finditer(text)]
    return found


def find_emails(text: str) -> list[Span]:
    return [Span("email", f.raw, f.start, f.end, f.value) for f in EMAIL.find(text)]


_DOT_THOUSANDS = re.compile(r"(?<!\d)(?<!\d[.,])\d{1,3}(?:\.\d{3})+(?!\d|[.,]\d|\s*(?:k|m|mm)\b)", re.I)


_COMMA_CENTS = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+),(\d{2})(?![\d,])(?=\s*(?:d[oó]lares|dollars|usd|euros?|€|pesos)\b|\s*€)"
    r"|(?<![\d.,])(\d{1,3}(?:\.\d{3})+),(\d{2})(?![\d,.])",
    re.I,
)
"""Spanish writes cents after a comma and thousands with dots: "1.845,60 dólares", "2.350,75"."""


def _swap_marks(match: re.Match[str]) -> str:
    """ "1.845,60" → "1,845.60" (same length: offsets stay valid)."""
    return match.group(0).translate(str.maketrans(".,", ",."))


_AND_CENTS = re.compile(
    r"(?i)\b(\d{1,3}(?:,\d{3})*|\d+)\s*(?:dollars?|d[oó]lares|bucks)\s+(?:and|y|con)\s+(\d{1,2})\s*(?:cents?|centavos)\b"
)
""""612 dollars and 40 cents", "612 dólares con 40 centavos"."""


def find_money(text: str, taken: list[Span]) -> list[Span]:
    """Amounts; "1.500 dólares" or "USD 12.500" use dots between thousands (no cents have three
    digits), and "1.845,60 dólares" a comma before the cents."""
    cents = [
        Span("money", f"{m.group(1)}.{int(m.group(2)):02d}", m.start(), m.end()) for m in _AND_CENTS.finditer(text)
    ]
    taken = taken + cents
    text = _COMMA_CENTS.sub(_swap_marks, text)
    text = _DOT_THOUSANDS.sub(lambda m: m.group(0).replace(".", ","), text)
    found: list[Span] = []
    occupied = Occupied(len(text), taken)
    for pattern in MONEY:
        for m in pattern.finditer(text):
            group = "bare" if "bare" in pattern.groupindex else 0
            start, end = m.span(group)
            if occupied.overlaps(start, end):
                continue
            occupied.add(start, end)
            found.append(Span("money", m.group(group).strip(), start, end))
    return sorted(found + cents, key=lambda s: s.start)


_WORDS_THEN_DIGITS = re.compile(rf"(?i)\b((?:{_COUNT_WORD}))\s*\(\d{{1,4}}\)")
"""A count in words with its digits after it, "two (2)": read as the words (blank the digits)."""


def find_counts(text: str, taken: list[Span]) -> list[Span]:
    """`3 monitors`, `twelve headsets`, `a dozen cuffs`: a number followed by a word."""
    found = []
    occupied = Occupied(len(text), taken)
    text = _WORDS_THEN_DIGITS.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    for m in COUNT.finditer(text):
        if occupied.overlaps(m.start(1), m.end(1)):
            continue
        found.append(Span("count", m.group(1), m.start(1), m.end(1), m.group(2).lower()))
    return found


def find_dates(text: str, today: date) -> list[Span]:
    """Dates with spans; ordinal floors ("the 2nd floor") are not dates; "Friday Dec 4" is one date."""
    spans = [Span("date", text[s:e], s, e, d) for d, s, e in extra_dates(text, today)]
    occupied = Occupied(len(text), spans)
    for found, start, end in search_dates(text, today):
        if occupied.overlaps(start, end) or _is_place_ordinal(text, end):
            continue
        occupied.add(start, end)
        spans.append(Span("date", text[start:end], start, end, found))
    spans = [s for s in spans if not _HALF.match(s.raw)]
    return _with_weekdays(text, sorted(spans, key=lambda s: s.start))


_HALF = re.compile(r"(?i)^\s*(?:the\s+)?end\s+of(?:\s+the)?\s*$")
"""forms.dates reads a bare "end of" ("end of day Dec 11") as the end of the month: not a date."""


_JOIN = re.compile(r"^[\s,]*(?:the\s+)?$", re.I)


def _with_weekdays(text: str, spans: list[Span]) -> list[Span]:
    """A weekday right before a date on that weekday ("Friday Dec 4", "Mon, 12/7") is that date."""
    out: list[Span] = []
    for span in spans:
        last = out[-1] if out else None
        day = WEEKDAYS.get(last.raw.strip().lower()) if last is not None else None
        if (
            last is not None
            and day is not None
            and len(last.raw.strip().split()) == 1
            and _JOIN.match(text[last.end : span.start])
            and isinstance(span.value, date)
            and span.value.weekday() == day
        ):
            out[-1] = Span("date", text[last.start : span.end], last.start, span.end, span.value)
            continue
        out.append(span)
    return out


def find_bad_dates(text: str) -> list[Span]:
    return [Span("bad_date", text[s:e], s, e) for s, e in impossible_dates(text)]


_PLACE_AFTER = re.compile(r"^\s*(floor|fl\b|level|shift|wing|st\b|street|ave|avenue|row|bay|grade|place)", re.I)


def _is_place_ordinal(text: str, end: int) -> bool:
    return bool(_PLACE_AFTER.match(text[end : end + 12]))


def mask(text: str, spans: list[Span]) -> str:
    """The text with the spans blanked out (same length, so offsets stay valid)."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = " " * (span.end - span.start)
    return "".join(chars)
