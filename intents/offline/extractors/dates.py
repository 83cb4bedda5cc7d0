"""Date forms the parser reads besides `forms.dates`: ordinal words and impossible dates.

"the first of January", "January first", "the 1st of next month"; and "Feb 30" or "2/31",
which are found so they can be refused instead of read as something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from forms.dates import safe_date, upcoming
from forms.lexicon import MONTHS, ORDINALS, alternation

_MONTH_RE = alternation(sorted(MONTHS, key=len, reverse=True))
_ORD_RE = alternation(sorted(ORDINALS, key=len, reverse=True)) + r"|\d{1,2}(?:st|nd|rd|th)"
_DAY_OF = re.compile(
    rf"(?i)\b(?:the\s+)?({_ORD_RE})\s+(?:day\s+)?of\s+(?:(?:the\s+)?(next|this|following)\s+month|({_MONTH_RE})\b\.?)"
)
_MONTH_ORD = re.compile(rf"(?i)\b({_MONTH_RE})\.?\s+(?:the\s+)?({alternation(ORDINALS)})\b")
_END_OF = re.compile(r"(?i)\b(?:the\s+)?end\s+of\s+(?:the\s+)?(next|following|this)\s+month\b")
_BAD_MD = re.compile(rf"(?i)\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})/(\d{{1,2}})\b(?!/)")


def _day(token: str) -> int:
    token = token.lower()
    return ORDINALS[token] if token in ORDINALS else int(re.sub(r"\D", "", token))


def _next_month(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def extra_dates(text: str, today: date) -> Iterator[tuple[date, int, int]]:
    """Ordinal-word dates with their spans."""
    for m in _DAY_OF.finditer(text):
        day = _day(m[1])
        if m[2]:
            base = today.replace(day=1) if m[2].lower() == "this" else _next_month(today)
            found = safe_date(base.year, base.month, day)
        else:
            found = upcoming(today, MONTHS[m[3].lower()], day)
        if found is not None:
            yield found, m.start(), m.end()
    for m in _MONTH_ORD.finditer(text):
        found = upcoming(today, MONTHS[m[1].lower()], ORDINALS[m[2].lower()])
        if found is not None:
            yield found, m.start(), m.end()
    for m in _END_OF.finditer(text):  # "end of next month": the last day of that month
        base = _next_month(today) if m[1].lower() in ("next", "following") else today.replace(day=1)
        yield _next_month(base) - timedelta(days=1), m.start(), m.end()


def impossible_dates(text: str) -> Iterator[tuple[int, int]]:
    """Spans of month-and-day forms that name no real day ("Feb 30", "2/31", "13/45")."""
    for m in _BAD_MD.finditer(text):
        if m[1]:
            month, day = MONTHS[m[1].lower()], int(m[2])
        else:
            month, day = int(m[3]), int(m[4])
            if month > 12 and day <= 12:
                continue  # "24/7" and friends are not meant as dates
        if 1 <= month <= 12 and safe_date(2024, month, day) is None and day <= 31:
            yield m.start(), m.end()
