"""Dates as people write them, resolved against today: ISO, `Dec 1`, `next Friday`, `mañana`."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta

from forms.lexicon import CARDINALS, FEW, GROUPS, MONTHS, WEEKDAYS, alternation
from forms.occupied import Occupied

_COUNTS = {**CARDINALS, **GROUPS, **FEW}
"""Words for how many days, weeks or months ("in two weeks", "en tres días", "in a few days")."""

_MONTH_RE = alternation(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = alternation(sorted(WEEKDAYS, key=len, reverse=True))
_NUM_RE = r"\d{1,2}|" + alternation(sorted(_COUNTS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_REL_DAY = r"\b(day after tomorrow|pasado mañana|pasado manana|today|tonight|hoy|tomorrow|tmrw|tmr|mañana|manana)\b"
_UNIT = r"(days?|weeks?|months?|d[ií]as?|semanas?|mes(?:es)?)"
_END_OF = (
    r"\b(?:end of|by the end of|eom|fin de)\s*(?:the\s+|this\s+|next\s+|el\s+|la\s+)?(month|week|mes|semana|year)?\b"
)
_WEEKDAY_QUALIFIER = r"next|this|coming|this coming|el|el pr[oó]ximo|pr[oó]ximo|este"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("us", re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")),
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}}){_ORD}\b(?:,?\s+(\d{{4}}))?", re.I)),
    (
        "dmy",
        re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:de\s+|of\s+)?({_MONTH_RE})\b(?:,?\s+(?:de\s+)?(\d{{4}}))?", re.I),
    ),
    ("rel_day", re.compile(_REL_DAY, re.I)),
    ("in_n", re.compile(rf"\b(?:in|within|en)\s+(?:a\s+)?({_NUM_RE})?\s*{_UNIT}\b", re.I)),
    ("end_of", re.compile(_END_OF, re.I)),
    ("next_unit", re.compile(r"\b(next|this coming|la pr[oó]xima|el pr[oó]ximo)\s+(week|month|semana|mes)\b", re.I)),
    (
        "last_weekday",
        re.compile(
            rf"\b(?:last|this\s+past|past|previous)\s+({_WEEKDAY_RE})\b|\b(?:el\s+)?({_WEEKDAY_RE})\s+pasado\b", re.I
        ),
    ),
    ("weekday", re.compile(rf"\b({_WEEKDAY_QUALIFIER})?\s*({_WEEKDAY_RE})\b", re.I)),
    ("the_nth", re.compile(r"\b(?:the|el)\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I)),
]

_EL_DIA = re.compile(r"^(?:el\s+)(?:d[ií]a\s+)?(\d{1,2})$", re.I)
"""A day of the month said alone in Spanish ("hasta el 14", "el día 3"): a whole answer only, since
"el 5" inside a sentence may be a floor or a unit."""

_PREFIX = re.compile(r"^(?:by|on|before|for|no later than|starting|from|el|para el|antes del?)\s+", re.I)


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (Feb 30)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def upcoming(today: date, month: int, day: int) -> date | None:
    """A month and day without a year: this year's, or next year's once it is over a week past."""
    found = safe_date(today.year, month, day)
    if found is not None and found < today - timedelta(days=7):
        found = safe_date(today.year + 1, month, day)
    return found


def _year(text: str | None, today: date) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _small(token: str | None) -> int:
    if not token:
        return 1
    return int(token) if token.isdigit() else _COUNTS.get(token.lower(), 1)


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _resolve(kind: str, m: re.Match[str], today: date) -> date | None:  # noqa: C901 - one branch a pattern
    if kind == "iso":
        return safe_date(int(m[1]), int(m[2]), int(m[3]))
    if kind == "us":
        year = _year(m[3], today)
        month, day = int(m[1]), int(m[2])
        return safe_date(year, month, day) if year else upcoming(today, month, day)
    if kind in ("mdy", "dmy"):
        month_word, day_text = (m[1], m[2]) if kind == "mdy" else (m[2], m[1])
        month, day = MONTHS[month_word.lower()], int(day_text)
        year = _year(m[3], today)
        return safe_date(year, month, day) if year else upcoming(today, month, day)
    if kind == "rel_day":
        word = m[1].lower()
        if word in ("today", "tonight", "hoy"):
            return today
        if word.startswith("day after") or word.startswith("pasado"):
            return today + timedelta(days=2)
        return today + timedelta(days=1)
    if kind == "in_n":
        count, unit = _small(m[1]), m[2].lower()
        if unit.startswith(("week", "semana")):
            return today + timedelta(weeks=count)
        if unit.startswith(("month", "mes")):
            return _add_months(today, count)
        return today + timedelta(days=count)
    if kind == "end_of":
        unit = (m[1] or "month").lower()
        if unit in ("week", "semana"):
            return today + timedelta(days=(4 - today.weekday()) % 7)
        if unit == "year":
            return date(today.year, 12, 31)
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    if kind == "next_unit":
        if m[2].lower() in ("week", "semana"):
            return today + timedelta(days=7 - today.weekday())
        return _add_months(today.replace(day=1), 1)
    if kind == "last_weekday":  # "needed by last Monday": a past date, refused where a field wants none
        target = WEEKDAYS[(m[1] or m[2]).lower()]
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    if kind == "weekday":
        target = WEEKDAYS[m[2].lower()]
        qualifier = (m[1] or "").lower()
        ahead = (target - today.weekday()) % 7
        if ahead == 0 and not qualifier.startswith(("this", "este")):
            ahead = 7
        return today + timedelta(days=ahead)
    if kind == "the_nth":
        day = int(m[1])
        found = safe_date(today.year, today.month, day)
        if found is None or found < today:
            nxt = _add_months(today.replace(day=1), 1)
            found = safe_date(nxt.year, nxt.month, day)
        return found
    return None  # pragma: no cover


def search_dates(text: str, today: date) -> Iterator[tuple[date, int, int]]:
    """Every date found in `text`, with its span; earlier patterns win where spans overlap."""
    taken = Occupied(len(text))
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if kind == "weekday" and len(m[2]) <= 3 and not m[1] and m[2].lower() not in ("mon", "fri"):
                continue  # "sat", "sun", "wed" alone are too often ordinary words
            if taken.overlaps(m.start(), m.end()):
                continue
            found = _resolve(kind, m, today)
            if found is not None:
                taken.add(m.start(), m.end())
                yield found, m.start(), m.end()


def parse_date(text: str, today: date) -> date | None:
    """The date that `text` is, when the whole text is one date expression; else None."""
    alone = _EL_DIA.match(text.strip().rstrip(".!").strip())
    if alone:
        return _resolve("the_nth", alone, today)
    cleaned = _PREFIX.sub("", text.strip().rstrip(".!").strip())
    for found, start, end in search_dates(cleaned, today):
        rest = (cleaned[:start] + cleaned[end:]).strip(" ,.")
        if not rest or rest.lower() in ("the", "on", "by", "of", "de", "el"):
            return found
    return None
