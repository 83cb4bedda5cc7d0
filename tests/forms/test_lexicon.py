"""One lexicon: a month, weekday or number word the form fields read, the parser's finders read too."""

from __future__ import annotations

import re
from datetime import date

import pytest

from forms.dates import parse_date, upcoming
from forms.lexicon import CARDINALS, GROUPS, MONTHS, ORDINALS, SCALES, WEEKDAYS, alternation
from forms.numbers import NUMBER_WORDS, words_to_number
from intents.offline.extractors.dates import extra_dates, impossible_dates
from intents.offline.extractors.values import find_dates

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize("word", sorted(MONTHS))
def test_every_month_word_is_read_by_the_field_and_the_parser(word: str) -> None:
    day = upcoming(TODAY, MONTHS[word], 3)
    assert parse_date(f"{word} 3", TODAY) == day
    assert [found for found, _, _ in extra_dates(f"the third of {word.title()}", TODAY)] == [day]


@pytest.mark.parametrize("word", ["feb", "febrero", "abril", "junio", "septiembre", "noviembre"])
def test_a_day_the_month_does_not_have_is_refused_in_either_language(word: str) -> None:
    assert list(impossible_dates(f"{word} 31")) == [(0, len(word) + 3)]


@pytest.mark.parametrize("word", sorted(WEEKDAYS))
def test_every_weekday_word(word: str) -> None:
    found = parse_date(f"next {word}", TODAY)
    assert found is not None and found.weekday() == WEEKDAYS[word]


def test_a_weekday_before_its_date_is_one_date_in_spanish_too() -> None:
    (span,) = find_dates("viernes, 4 de diciembre", TODAY)
    assert span.value == date(2026, 12, 4) and span.start == 0


@pytest.mark.parametrize("word", sorted(set(CARDINALS) - {"a", "an"}))
def test_every_number_word(word: str) -> None:
    assert words_to_number(word) == CARDINALS[word]
    assert word in NUMBER_WORDS


def test_number_words_are_cardinals_scales_and_groups() -> None:
    assert {*CARDINALS, *SCALES, *GROUPS} == NUMBER_WORDS
    assert words_to_number("two dozen") == 24 and words_to_number("dos mil") == 2000


def test_ordinal_days() -> None:
    assert ORDINALS["twenty first"] == ORDINALS["twenty-first"] == 21
    assert [found for found, _, _ in extra_dates("January twenty first", TODAY)] == [date(2027, 1, 21)]


TABLES = [
    sorted(MONTHS, key=len, reverse=True),
    list(ORDINALS),
    sorted(WEEKDAYS, key=len, reverse=True),
    ["a", "an", "one", "a dozen", "a couple of", "a couple", "some"],
    ["abc", "", "abd"],
]


@pytest.mark.parametrize("words", TABLES)
def test_an_alternation_matches_as_the_words_joined(words: list[str]) -> None:
    joined = re.compile(rf"(?i)\b({'|'.join(words)})")
    grouped = re.compile(rf"(?i)\b({alternation(words)})")
    texts = [*words, *(w.upper() for w in words), " ".join(words), "-".join(words[::-1]), "a couple of dozen"]
    for text in texts:
        assert [m.span(1) for m in grouped.finditer(text)] == [m.span(1) for m in joined.finditer(text)], text


def test_an_alternation_shares_what_the_words_start_with() -> None:
    assert alternation(["twenty first", "twenty", "two", "ten"]) == r"t(?:w(?:enty(?:\ first|)|o)|en)"
    assert alternation(["a", "an", "one"]) == "a(?:|n)|one"  # "a" is still tried before "an"
    assert alternation([]) == ""
    with pytest.raises(ValueError, match="lower-case"):
        alternation(["Dec"])
