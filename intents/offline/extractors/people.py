"""People named in a message: emails, and names the directory knows (never a guess).

A first name alone counts only when it is written with a capital and is not followed by
another surname ("Emma Stone" is not Emma Wilson). The directory decides: a name that fits
two people is reported as ambiguous, not picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from forms.errors import AmbiguousValue
from intents.base import People
from intents.offline.extractors.shapes import scan
from intents.offline.text import fold, written_in_lower_case


@dataclass(frozen=True)
class Mention:
    """A person found in the text: the email when known, else the candidates."""

    raw: str
    start: int
    end: int
    email: str | None
    candidates: tuple[str, ...] = ()


@dataclass
class PeopleIndex:
    """Name keys of the directory (full names, first + last, first names)."""

    people: People
    keys: dict[str, int] = field(default_factory=dict)
    full: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name, _email in self.people.known_names():
            parts = fold(name).replace("-", " ").split()
            if not parts:
                continue
            self.full.append(" ".join(parts))
            self.keys[" ".join(parts)] = len(parts)
            self.keys[f"{parts[0]} {parts[-1]}"] = 2
            self.keys.setdefault(parts[0], 1)

    def _key_at(self, words: list[str], caps: list[bool], i: int, lower_ok: bool) -> tuple[str, int] | None:
        for size in (3, 2):
            key = " ".join(words[i : i + size])
            if len(words[i : i + size]) == size and self.keys.get(key) == size:
                return key, size
        if i + 1 < len(words) and caps[i] and caps[i + 1] and len(words[i]) > 2:
            pair = f"{words[i]} {words[i + 1]}"
            best = process.extractOne(pair, self.full, scorer=fuzz.ratio, score_cutoff=88)
            if best is not None:
                return str(best[0]), 2
        if self.keys.get(words[i]) == 1 and (caps[i] or lower_ok):
            if i + 1 < len(words) and caps[i + 1]:
                return None  # another person's surname follows
            return words[i], 1
        return None

    def find(self, masked: str) -> list[Mention]:
        toks = [t for t in scan(masked) if t.is_word]
        words = [t.low.removesuffix("'s").removesuffix("’s") for t in toks]
        caps = [t.text[0].isupper() for t in toks]
        lower_ok = written_in_lower_case(masked)
        found: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = self._key_at(words, caps, i, lower_ok)
            if hit is None:
                i += 1
                continue
            key, size = hit
            start, end = toks[i].start, toks[i + size - 1].end
            found.append(self._resolve(key, masked[start:end], start, end))
            i += size
        return [m for m in found if m.email or m.candidates]

    def _resolve(self, key: str, raw: str, start: int, end: int) -> Mention:
        try:
            return Mention(raw, start, end, self.people.resolve(key).lower())
        except AmbiguousValue as exc:
            return Mention(raw, start, end, None, tuple(exc.candidates))
        except LookupError:
            return Mention(raw, start, end, None)


_BEHALF_BEFORE = re.compile(
    r"(?i)(?:on\s+behalf\s+of|this\s+is|de\s+parte\s+de|en\s+nombre\s+de|writing\s+for|i\s+am|i'm|soy)"
    r"\s+(?:dr\.?|mr\.?|mrs\.?|ms\.?|dra\.?|sr\.?|sra\.?)?\s*$"
)
_BEHALF_AFTER = re.compile(
    r"(?i)^\W{0,3}(?:has\s+asked\s+me|asked\s+me|wants\s+me|would\s+like\s+me|me\s+pidi[oó]|me\s+ha\s+pedido)\b"
)


def on_whose_behalf(text: str, start: int, end: int) -> bool:
    """A person named as the one asking ("on behalf of Dr. Patel", "this is bob", "Dr. Diaz asked
    me to …"), who is not a value of the request."""
    return bool(_BEHALF_BEFORE.search(text[max(0, start - 30) : start]) or _BEHALF_AFTER.match(text[end : end + 30]))
