"""Numbers written by people: digits with separators, suffixes (12.5k) and words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_UNITS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    # Spanish
    "uno": 1,
    "una": 1,
    "un": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "veinte": 20,
    "cien": 100,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "grand": 1_000,
    "million": 1_000_000,
    "mil": 1_000,
    "millon": 1_000_000,
    "millones": 1_000_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "cientos": 100,
    "dozen": 12,
    "docena": 12,
    "couple": 2,
    "pair": 2,
}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES) - {"k", "m", "mm", "a"}

_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)\s*(k|m|mm)$", re.IGNORECASE)


def parse_digits(token: str) -> Decimal | None:
    """`12,500` → 12500, `12.5` → 12.5, `12.5k` → 12500; None when not a number."""
    token = token.strip().replace(" ", "")
    suffixed = _SUFFIXED.match(token)
    if suffixed:
        return Decimal(suffixed.group(1)) * _SCALES[suffixed.group(2).lower()]
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
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES and word not in ("k", "m", "mm"):
            scale = _SCALES[word]
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
        if head is not None and parts[1] in _SCALES:
            return head * _SCALES[parts[1]]
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
        is_number = parse_digits(word) is not None or (
            word in NUMBER_WORDS or (word in _ARTICLES and nxt in ("dozen", "docena", "couple", "pair"))
        )
        if is_number and previous_was_number:
            runs[-1].append(word)
        elif is_number:
            runs.append([word])
        previous_was_number = is_number
    if len(runs) != 1:
        return None
    return to_number(" ".join(runs[0]))
