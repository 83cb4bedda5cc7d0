"""Shapes of short names in a message: capitalised names, places, job titles, people's names.

Works on the message with already-found values blanked out, over word and punctuation
tokens with their spans, so a name never swallows a date, an amount or a code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from rapidfuzz import fuzz, process

from forms.lexicon import ENGLISH_MONTHS, ENGLISH_WEEKDAYS
from intents.offline.classifier.training import TRAINING_DIR, cues, read_lines
from intents.offline.text import STOP, fold

_TOKEN = re.compile(r"[A-Za-z0-9À-ÿ]+(?:['’][A-Za-z]*)?\.?|->|→|[&/'’\"“”]|[-–—]|[,;:()!?.]")
_ABBREV = frozenset(["st.", "inc.", "co.", "dr.", "jr.", "sr.", "mt.", "ltd.", "corp.", "no.", "e.g."])
_FINAL = frozenset(["inc.", "co.", "ltd.", "corp.", "llc.", "llp."])
_CONNECT = frozenset(["&", "-", "–", "of", "and", "de", "del", "y", "for", "the"])
_TIME = re.compile(r"^\d{1,2}(am|pm|:\d\d)$|^(noon|midnight)$")
_NOT_NAME = frozenset(
    [
        *ENGLISH_WEEKDAYS,  # English only: Domingo, Julio and Mayo are also names
        *ENGLISH_MONTHS,
        "today",
        "tomorrow",
        "hi",
        "hello",
        "hey",
        "thanks",
        "please",
        "low",
        "high",
        "priority",
        "ein",
        "tax",
        "id",
        "po",
        "inv",
        "invoice",
        "req",
        "following",  # a capitalised word that opens a sentence: "Following our reorganization, …"
        "regarding",
        "further",
        "kindly",
        "also",
    ]
)


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int

    @cached_property
    def low(self) -> str:
        return fold(self.text).rstrip(".")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper() or (self.text[0].isdigit() and any(c.isalpha() for c in self.text))


def scan(text: str) -> list[Tok]:
    toks = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if word.endswith(".") and len(word) > 1 and fold(word) not in _ABBREV:
            toks.append(Tok(word[:-1], m.start(), m.end() - 1))
            toks.append(Tok(".", m.end() - 1, m.end()))
        else:
            toks.append(Tok(word, m.start(), m.end()))
    return toks


@cache
def common_words() -> frozenset[str]:
    """Ordinary words (seen in lower case in the utterance files): not names by themselves."""
    words: set[str] = set(STOP) | _NOT_NAME
    for path in sorted(TRAINING_DIR.rglob("*.txt")):
        for line in read_lines(path):
            line = re.sub(r"\S+@\S+", " ", line)
            words.update(re.findall(r"(?<![\w.])[a-z][a-z']*(?![\w.])", line))
    return frozenset(words)


@cache
def _long_common() -> tuple[str, ...]:
    return tuple(sorted(w for w in common_words() if len(w) >= 6))


@lru_cache(maxsize=4096)
def is_common(word: str) -> bool:
    """An ordinary word, or a typo of a long one ("onbaording"): not a name in a lower-case message."""
    if word in common_words():
        return True
    if len(word) < 6:
        return False
    return process.extractOne(word, _long_common(), scorer=fuzz.ratio, score_cutoff=85) is not None


@cache
def word_list(key: str) -> frozenset[str]:
    value = cues().get(key, [])
    return frozenset(str(v).lower() for v in value)


def _sentence_start(toks: list[Tok], i: int) -> bool:
    return i == 0 or toks[i - 1].text in (".", "!", "?", ":", "-", "(", '"', "“")


def _gap(text: str, a: Tok, b: Tok) -> bool:
    return b.start - a.end > 2 or "\n" in text[a.end : b.start]


MOST_NAME_TOKENS = 16
"""A name, title or place is a few words: a capitalised run is cut there, so a paste in capitals
is not read as one name thousands of words long (and the cuts tried on it stay few)."""


def proper_run(
    text: str, toks: list[Tok], i: int, lower_ok: bool = False, trim: bool = True, numbered: bool = False
) -> tuple[int, int] | None:
    """The capitalised name starting at token i, as token indexes [i, j); None if none.

    With `trim`, ordinary words that are capitalised only because they start a sentence
    ("Please", "New") are skipped first."""
    common = common_words()
    while trim and i < len(toks) and _sentence_start(toks, i) and toks[i].low in common and toks[i].is_word:
        i += 1
    if i >= len(toks) or not toks[i].is_word:
        return None
    numbered = numbered and toks[i].text.isdigit() and i + 1 < len(toks) and toks[i + 1].is_cap  # "4 West Med Surg"
    plain_name = lower_ok and not toks[i].text.isdigit() and not is_common(toks[i].low)
    if not (toks[i].is_cap or numbered or plain_name):
        return None
    if toks[i].low in _NOT_NAME or _TIME.match(toks[i].low):
        return None
    j = i + 1
    while j < len(toks) and j - i < MOST_NAME_TOKENS and not _gap(text, toks[j - 1], toks[j]):
        tok = toks[j]
        if fold(toks[j - 1].text) in _FINAL:
            break
        if tok.is_word and (tok.is_cap or tok.text.isdigit() or (lower_ok and tok.low not in common)):
            if tok.low in _NOT_NAME:
                break
            j += 1
        elif tok.low in _CONNECT and j + 1 < len(toks) and toks[j + 1].is_word and toks[j + 1].is_cap:
            j += 1
        else:
            break
    return i, j


def span_text(text: str, toks: list[Tok], i: int, j: int) -> str:
    return text[toks[i].start : toks[j - 1].end].strip(" -–")


def is_title(words: list[str]) -> bool:
    """A job title ends with a title word, or has one before "of" ("Director of Nursing")."""
    heads = word_list("title_heads")
    if not words:
        return False
    head = words[: words.index("of")] if "of" in words else words
    if not head:
        return False
    last = head[-1]  # also "Cytotechnologist", "Psychotherapist": a word ending in a long title word
    return last in heads or any(len(h) >= 7 and len(last) > len(h) and last.endswith(h) for h in heads)


def lower_title(toks: list[Tok], i: int) -> tuple[int, int] | None:
    """A job title written in lower case at token i ("a unit clerk in ...", "como enfermera"):
    up to four plain words, cut after the last title word."""
    end = i
    while end < len(toks) and end - i < 4 and toks[end].is_word and not toks[end].is_cap:
        end += 1
    for j in range(end, i, -1):
        if is_title([t.low for t in toks[i:j]]) and toks[i].low not in STOP:
            return i, j
    return None


def is_person_name(words: list[str]) -> bool:
    common = common_words() | word_list("title_heads") | word_list("department_heads")
    return 2 <= len(words) <= 3 and all(w.isalpha() and w not in common for w in words)


def location_run(text: str, toks: list[Tok], i: int) -> tuple[int, int] | None:
    """A place starting at token i: capitalised words, numbers, place words, links, commas."""
    place, links = word_list("location_words"), word_list("location_links")

    def placey(tok: Tok) -> bool:
        if not tok.is_word or _TIME.match(tok.low):
            return False
        return tok.is_cap or tok.text[0].isdigit() or tok.low in place or tok.low.rstrip("'") in place

    while i < len(toks) and toks[i].low in ("the", "a", "an", "our", "la", "el"):
        i += 1
    j = i
    while j < len(toks):
        tok = toks[j]
        if j > i and _gap(text, toks[j - 1], tok):
            break
        if (
            (tok.text in "-–" and j > i and _joins_code(text, toks, j))
            or (tok.text == "," and j > i and _continues_place(toks, j + 1, placey))
            or ((tok.low in links or tok.text in "'’") and j > i and _place_follows(toks, j + 1, place, links, placey))
            or (tok.text != "," and tok.low not in links and placey(tok))
            or _modifies_place(toks, j, place, links)
        ):
            j += 1
        else:
            break
    while j > i and (toks[j - 1].low in links or not toks[j - 1].is_word):
        j -= 1
    return _good_place(toks, i, j)


def _joins_code(text: str, toks: list[Tok], j: int) -> bool:
    """A hyphen inside a room code ("5E-310", "D-9"): no space on either side, a digit after."""
    before, after = toks[j - 1], toks[j + 1] if j + 1 < len(toks) else None
    return (
        after is not None
        and before.end == toks[j].start
        and toks[j].end == after.start
        and after.text[0].isdigit()
        and before.is_word
    )


def _modifies_place(toks: list[Tok], k: int, place: frozenset[str], links: frozenset[str]) -> bool:
    """One or two plain words that describe a place word right after them: "women's restroom",
    "men's locker room", "segundo piso"."""
    for n in range(k, min(k + 2, len(toks) - 1)):
        tok = toks[n]
        if not tok.is_word or tok.low in links or tok.low in STOP or _TIME.match(tok.low):
            return False
        after = toks[n + 1]
        if after.is_word and after.low.rstrip("'") in place - links:
            return True
    return False


def _place_follows(
    toks: list[Tok], k: int, place: frozenset[str], links: frozenset[str], placey: Callable[[Tok], bool]
) -> bool:
    while k < len(toks) and toks[k].low in links:
        k += 1
    return k < len(toks) and (placey(toks[k]) or _modifies_place(toks, k, place, links))


def _continues_place(toks: list[Tok], k: int, placey: Callable[[Tok], bool]) -> bool:
    """After a comma: does the place go on ("..., Building C", "..., 2nd floor")?"""
    place = word_list("location_words") - word_list("location_links")
    run = [t for t in toks[k : k + 3] if t.is_word]
    return bool(run) and placey(run[0]) and any(t.low in place for t in run)


def _good_place(toks: list[Tok], i: int, j: int) -> tuple[int, int] | None:
    if j <= i:
        return None
    words = toks[i:j]
    strong = any(t.is_cap or t.text[0].isdigit() for t in words if t.is_word)
    return (i, j) if strong or sum(t.is_word for t in words) >= 2 else None
