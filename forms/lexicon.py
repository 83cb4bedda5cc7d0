"""The words people use for months, weekdays and numbers, in English and Spanish.

One table of each, read by the form normalisers (`forms.dates`, `forms.numbers`) and by the
parser's finders alike: a word added here is understood everywhere, so a date or amount the
parser finds in a message is one the field accepts when the person types it as an answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ENGLISH_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
"""Full English month names, January first."""
SPANISH_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
"""Full Spanish month names, enero first."""
MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(ENGLISH_MONTHS, 1)},
    **{name[:3]: number for number, name in enumerate(ENGLISH_MONTHS, 1)},
    "sept": 9,
    **{name: number for number, name in enumerate(SPANISH_MONTHS, 1)},
    **{name[:3]: number for number, name in enumerate(SPANISH_MONTHS, 1)},
    "setiembre": 9,
}
"""Month word (lower case, full or abbreviated as "Dec", "sept", "ago") → month number 1-12."""

ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Full English weekday names, Monday first (as `date.weekday()` counts)."""
SPANISH_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
"""Full Spanish weekday names, lunes first."""
WEEKDAYS: dict[str, int] = {
    **{name: number for number, name in enumerate(ENGLISH_WEEKDAYS)},
    **{name[:3]: number for number, name in enumerate(ENGLISH_WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
    **{name: number for number, name in enumerate(SPANISH_WEEKDAYS)},
    "miercoles": 2,
    "sabado": 5,
}
"""Weekday word (lower case, full or abbreviated; Spanish also without its accent) → 0 for Monday
to 6 for Sunday, as `date.weekday()` counts."""

ENGLISH_CARDINALS: dict[str, int] = {
    "zero": 0,
    "one": 1,
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
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
"""English words for one number each; "twenty five" adds them up."""
SPANISH_CARDINALS: dict[str, int] = {
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
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "cien": 100,
}
"""Spanish words for one number each ("un", "una" are also the article, which counts one)."""
CARDINALS: dict[str, int] = {**ENGLISH_CARDINALS, "a": 1, "an": 1, **SPANISH_CARDINALS}
"""Every word for one number; the English article counts one, as in "a hundred" or "a dozen"."""

SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "grand": 1_000,
    "million": 1_000_000,
    "mil": 1_000,
    "millon": 1_000_000,
    "millones": 1_000_000,
    "cientos": 100,
}
"""Words that multiply the number before them: "four thousand", "a hundred", "dos mil"."""
GROUPS: dict[str, int] = {"dozen": 12, "docena": 12, "couple": 2, "pair": 2}
"""Words for a group of so many things: "a dozen", "two dozen", "a couple"."""
SUFFIXES: dict[str, int] = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000}
"""Letters after digits that multiply them ("12.5k", "1.2m", "2mm"): never numbers on their own."""
FEW: dict[str, int] = {"few": 3}
""""A few" where a rough count will do ("in a few days"); never read as a quantity asked for."""

ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "twenty first": 21,
    "twenty-second": 22,
    "twenty second": 22,
    "twenty-third": 23,
    "twenty third": 23,
    "twenty-fourth": 24,
    "twenty-fifth": 25,
    "thirtieth": 30,
    "thirty-first": 31,
    "thirty first": 31,
}
"""English ordinal words for a day of the month ("the first of January", "January twenty first")."""


def alternation(words: Iterable[str]) -> str:
    """A regular expression that matches what `"|".join(words)` matches, trying the words in the
    same order, but with the words that start alike written once behind what they share
    (`t(?:hree|wo|en)`): where no word starts, a match fails after one test instead of one per
    word, which counts for tables of fifty words tried at every word of a message.

    The words are lower-case text, matched as written (re.escape); put the result in a group, as
    the bare join would be. Only words with different first letters change places, and those
    cannot match at the same place; a word that is the start of a later one ("a" before "an")
    is still tried first."""
    listed = list(words)
    if any(word != word.lower() for word in listed):
        raise ValueError("alternation takes lower-case words, so no two first letters are the same one")
    return _alternation(listed)


def _alternation(words: list[str]) -> str:
    parts: list[str] = []
    run: dict[str, list[str]] = {}  # first letter -> the words that start with it, in order
    for word in [*words, ""]:
        if word:
            run.setdefault(word[0], []).append(word)
            continue
        for alike in run.values():
            low, high = min(alike), max(alike)  # what all share, the first and last in sorted order share
            size = next((i for i, (x, y) in enumerate(zip(low, high, strict=False)) if x != y), len(low))
            start, rests = alike[0][:size], [w[size:] for w in alike]
            parts.append(re.escape(start) + (re.escape(rests[0]) if len(rests) == 1 else f"(?:{_alternation(rests)})"))
        run = {}
        parts.append("")  # the empty word itself, in its place; the one added last is dropped
    return "|".join(parts[:-1])
