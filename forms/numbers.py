"""Numbers written by people: digits with separators, suffixes (12.5k) and words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from forms.lexicon import CARDINALS, GROUPS, SCALES, SUFFIXES

_MULTIPLIERS = {**SCALES, **GROUPS}
"""Words that multiply the number before them ("four thousand", "two dozen")."""
NUMBER_WORDS = frozenset(CARDINALS) | frozenset(_MULTIPLIERS)
"""Every word of a number written in words; the suffix letters (k, m) count only after digits."""

_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_SUFFIXED = re.compile(rf"^(\d+(?:\.\d+)?)\s*({'|'.join(SUFFIXES)})$", re.IGNORECASE)


def parse_digits(token: str) -> Decimal | None:
    """`12,500` → 12500, `12.5` → 12.5, `12.5k` → 12500; None when not a number."""
    token = token.strip().replace(" ", "")
    suffixed = _SUFFIXED.match(token)
    if suffixed:
        return Decimal(suffixed.group(1)) * SUFFIXES[suffixed.group(2).lower()]
    match = _DIGITS.match(token)
    if not match:
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def words_to_number(text: str) -> int | None:
    """`four thousand` → 4000, `a dozen` → 12, `twenty five` → 25; None if not all number words."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w not in ("and", "y")]
    if not words:
        return None
    total = current = 0
    seen = False
    for word in words:
        if word in CARDINALS:
            current += CARDINALS[word]
        elif word in _MULTIPLIERS:
            scale = _MULTIPLIERS[word]
            current = max(current, 1) * scale
            if scale >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    if not seen:
        return None
    if words == ["a"] or words == ["an"]:
        return None
    return total + current


def to_number(text: str) -> Decimal | None:
    """Digits, suffixed digits, words, or digits followed by a scale word (`4 thousand`)."""
    text = text.strip().lower()
    value = parse_digits(text)
    if value is not None:
        return value
    parts = text.split()
    if len(parts) == 2:
        head = parse_digits(parts[0])
        scale = _MULTIPLIERS.get(parts[1], SUFFIXES.get(parts[1]))
        if head is not None and scale is not None:
            return head * scale
    words = words_to_number(text)
    return Decimal(words) if words is not None else None


_ANSWER_WORD = re.compile(r"[a-záéíóúñ]+|\d[\d,]*(?:\.\d+)?", re.I)
_ARTICLES = frozenset({"a", "an", "un", "una", "uno"})
_MOST_ANSWER_WORDS = 8


def count_in_answer(text: str) -> Decimal | None:
    """The one number in a short answer to "how many?": "five of those", "like I said, 6", "a
    dozen please", "we need 3". None when there is none or more than one ("5 of the 500 mL bags"),
    or the answer is long: a wrong count is worse than asking again."""
    words = _ANSWER_WORD.findall(text.lower())
    if not words or len(words) > _MOST_ANSWER_WORDS:
        return None
    runs: list[list[str]] = []
    previous_was_number = False
    for index, word in enumerate(words):
        nxt = words[index + 1] if index + 1 < len(words) else ""
        is_number = parse_digits(word) is not None or (word in NUMBER_WORDS or (word in _ARTICLES and nxt in GROUPS))
        if is_number and previous_was_number:
            runs[-1].append(word)
        elif is_number:
            runs.append([word])
        previous_was_number = is_number
    if len(runs) != 1:
        return None
    return to_number(" ".join(runs[0]))
