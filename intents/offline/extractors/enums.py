"""Enum values from the choices' ids, labels and synonyms: the longest match wins.

Synonyms are matched on word stems ("renamed" finds "rename"), may skip small words inside
("change the owner" finds "change owner"), are refused after a negation ("not an emergency").
When matches disagree, a choice named by its own id or label wins over other choices' synonyms
("the Stryker service agreement renewal" is a renewal, though "service agreement" is a
synonym of new); otherwise the longest match, and if that is a tie the field is left out
rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms.kinds import ENUM
from forms.spec import RequestTypeSpec
from intents.offline.classifier.training import cues
from intents.offline.text import STOP, tokens

_FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "my",
        "our",
        "his",
        "her",
        "their",
        "this",
        "that",
        "its",
        "to",
        "for",
        "el",
        "la",
        "los",
        "las",
        "de",
    ]
)
_LETTER_WRITING = re.compile(
    r"(?i)\b(?:i\s+am|i'm|we\s+are|we're|am)\s+writing\b|\bwriting\s+(?:to|on\s+behalf|because|about|regarding|in\s+regard)\b"
)
""""I am writing on behalf of …" says nothing of write access."""
_PRONOUNS = frozenset(["it", "us", "me", "we", "he", "she", "or", "so", "am", "as"])
_NEGATION = frozenset(["not", "no", "isn't", "isnt", "aren't", "never", "non", "sin", "without"])


@dataclass(frozen=True)
class Phrase:
    stems: tuple[str, ...]
    field: str
    choice: str
    named: bool = False
    """The phrase is the choice's own id or label, not a synonym."""
    capitals: bool = False
    """A name the catalog writes in capitals that is an ordinary word in lower case ("IT", "OR"):
    found only written in capitals ("cancel it" is not IT; "nda" is still an NDA)."""


_CACHE: dict[int, tuple[RequestTypeSpec, dict[str, tuple[Phrase, ...]]]] = {}


def phrases(spec: RequestTypeSpec) -> dict[str, tuple[Phrase, ...]]:
    """The type's phrases by first stem (computed once per type)."""
    cached = _CACHE.get(id(spec))
    if cached is None or cached[0] is not spec:
        by_first: dict[str, list[Phrase]] = {}
        for phrase in _phrases(spec):
            by_first.setdefault(phrase.stems[0], []).append(phrase)
        cached = (spec, {k: tuple(v) for k, v in by_first.items()})
        _CACHE[id(spec)] = cached
    return cached[1]


def _phrases(spec: RequestTypeSpec) -> list[Phrase]:
    """Every (stemmed phrase → field, choice) of the type, without phrases naming two things."""
    weak = {str(w).lower() for w in cues().get("weak_synonyms", [])}
    seen: dict[tuple[str, ...], set[tuple[str, str]]] = {}
    named: set[tuple[str, ...]] = set()
    capitals: set[tuple[str, ...]] = set()
    for field in spec.fields:
        for choice in field.choices:
            own = {choice.id.replace("_", " "), choice.label}
            for name in {*own, *choice.synonyms}:
                if not name or name.lower() in weak:
                    continue
                key = tuple(t.stem for t in tokens(name))
                if key:
                    seen.setdefault(key, set()).add((field.name, choice.id))
                    if name in own:
                        named.add(key)
                    if len(key) == 1 and name.isupper() and (key[0] in STOP or key[0] in _PRONOUNS):
                        capitals.add(key)
    return [
        Phrase(key, *next(iter(targets)), named=key in named, capitals=key in capitals)
        for key, targets in seen.items()
        if len(targets) == 1
    ]


def _match(words: list[str], start: int, phrase: Phrase) -> int:
    """End index (exclusive) of `phrase` matched at `start`, or 0."""
    i = start
    for k, part in enumerate(phrase.stems):
        skipped = 0
        while k and i < len(words) and words[i] != part and words[i] in _FILLER and skipped < 3:
            i, skipped = i + 1, skipped + 1
        if i >= len(words) or words[i] != part:
            return 0
        i += 1
    return i


def find_enums(spec: RequestTypeSpec, masked: str, undecided: set[str] | None = None) -> dict[str, str]:
    """field → choice id for the type's enum fields found in the (masked) text; the fields whose
    matches disagree are added to `undecided`."""
    masked = _LETTER_WRITING.sub(lambda m: " " * len(m.group(0)), masked)
    toks = tokens(masked)
    words = [t.stem for t in toks]
    lows = [t.low for t in toks]
    index = phrases(spec)
    hits: list[tuple[int, int, Phrase]] = []
    for start in range(len(words)):
        for phrase in index.get(words[start], ()):
            if phrase.capitals and not toks[start].text.isupper():
                continue
            end = _match(words, start, phrase)
            if end:
                hits.append((start, end, phrase))
    hits.sort(key=lambda h: (-(len(h[2].stems)), h[0]))
    absent_is_the_issue = {str(name) for name in cues().get("negation_names_the_issue", [])}
    taken: set[int] = set()
    chosen: dict[str, list[tuple[int, str, bool]]] = {}
    for start, end, phrase in hits:
        if taken & set(range(start, end)):
            continue
        taken.update(range(start, end))
        negated = (
            phrase.stems[0] not in _NEGATION
            and phrase.field not in absent_is_the_issue
            and set(lows[max(0, start - 2) : start]) & _NEGATION
        )
        if not negated:
            chosen.setdefault(phrase.field, []).append((len(phrase.stems), phrase.choice, phrase.named))
    decided = {name: choice for name, found in chosen.items() if (choice := _decide(found))}
    if undecided is not None:
        undecided.update(set(chosen) - set(decided))
    return decided


def implied(spec: RequestTypeSpec, filled: set[str], undecided: set[str]) -> dict[str, str]:
    """Enum choices that the fields already filled imply (training/cues.yaml `implied_choices`):
    a new title says a title change, a new name a rename. Only for an enum field no word spoke
    about, and only when the filled fields imply one choice."""
    table = cues().get("implied_choices", {})
    table = table if isinstance(table, dict) else {}
    found: dict[str, set[str]] = {}
    for name in filled & set(table):
        for field in spec.fields:
            if field.kind == ENUM and any(c.id == table[name] for c in field.choices):
                found.setdefault(field.name, set()).add(str(table[name]))
    return {
        name: next(iter(choices))
        for name, choices in found.items()
        if len(choices) == 1 and name not in filled and name not in undecided
    }


def _decide(found: list[tuple[int, str, bool]]) -> str | None:
    choices = {choice for _, choice, _ in found}
    wins = cues().get("choice_wins_over", {})
    wins = wins if isinstance(wins, dict) else {}
    for choice in sorted(choices):  # "transferring …, she'll report to Carol": a transfer
        beaten = {str(c) for c in wins.get(choice, [])}
        if beaten and choices - {choice} <= beaten:
            return choice
    if len(choices) == 1:
        return choices.pop()
    named = {choice for _, choice, own in found if own}
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    longest = max(size for size, _, _ in found)
    top = {choice for size, choice, _ in found if size == longest}
    return top.pop() if len(top) == 1 and longest > 1 else None
