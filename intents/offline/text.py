"""Text helpers of the offline parser: folding, word tokens with spans, stems, n-gram features."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:['’][A-Za-z]+)?")
_NUMBER = re.compile(r"^\d+(?:st|nd|rd|th|k|m)?$")
NGRAMS = (3, 4, 5)
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "be",
        "been",
        "was",
        "were",
        "it",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "me",
        "us",
        "them",
        "and",
        "or",
        "with",
        "from",
        "as",
        "so",
        "just",
        "please",
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "un",
        "una",
        "y",
        "o",
        "en",
        "para",
        "por",
        "con",
        "mi",
        "mis",
        "su",
        "sus",
    ]
)


def fold(text: str) -> str:
    """Lower case without accents; punctuation kept (spans stay aligned with the original)."""
    if text.isascii():
        return text.lower()
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(base.lower() if len(base) == 1 else char.lower())
    return "".join(out)


def stem(word: str) -> str:
    """A light, language-agnostic suffix stripper: enough to match "renamed" with "rename"."""
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ied"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("es") and word[-3] in "sxzh":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Token:
    """A word of the original text with its span, folded form and stem."""

    text: str
    start: int
    end: int
    low: str
    stem: str


def tokens(text: str) -> list[Token]:
    found = []
    for m in _WORD.finditer(text):
        low = fold(m.group(0)).replace("’", "'")
        found.append(Token(m.group(0), m.start(), m.end(), low, stem(low.split("'")[0])))
    return found


def _norm_word(low: str) -> str:
    return "0" if _NUMBER.match(low) else low


def features(text: str) -> dict[str, float]:
    """Word stems, word bigrams and character n-grams, L2-normalised counts (sublinear)."""
    counts: dict[str, float] = {}
    words = [_norm_word(t.low) for t in tokens(text)]
    stems = [w if w == "0" else stem(w.split("'")[0]) for w in words]
    for index, word in enumerate(stems):
        counts["w:" + word] = counts.get("w:" + word, 0.0) + 1.0
        if index:
            key = f"b:{stems[index - 1]}_{word}"
            counts[key] = counts.get(key, 0.0) + 1.0
        if word == "0" or words[index] in STOP:
            continue
        padded = f"<{words[index]}>"
        weight = 1.0 / max(1, len(padded) - 3)
        for size in NGRAMS:
            for i in range(len(padded) - size + 1):
                key = "c:" + padded[i : i + size]
                counts[key] = counts.get(key, 0.0) + weight
    for key, value in counts.items():
        counts[key] = 1.0 + math.log(value) if value > 1.0 else value
    return counts


def normalise(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else vector


_LETTERS = re.compile(r"[^\W\d_]+")


def written_in_lower_case(text: str) -> bool:
    """No capitalised word: "invoice 66210 from stericycle, no PO on it" counts (acronyms
    such as PO, AP, EIN or HVAC are written in capitals by people who type in lower case)."""
    return not any(w[0].isupper() and not w.isupper() for w in _LETTERS.findall(text))


_SALUTATION = re.compile(
    r"(?i)^\s*(?:dear|hello|hi|hey|greetings|good\s+(?:morning|afternoon|evening|day)|to\s+whom\s+it\s+may\s+concern|"
    r"hola|buen[oa]s\s+(?:d[ií]as|tardes|noches)|estimad[oa]s?|saludos)\b[^\n]{0,60}$"
)
_CLOSING = re.compile(
    r"(?i)^\s*(?:thanks|thank\s+you|many\s+thanks|thanks\s+(?:so\s+much|again|in\s+advance)|kind(?:est)?\s+regards|"
    r"best(?:\s+regards|\s+wishes)?|warm(?:est)?\s+regards|regards|sincerely|respectfully|cheers|with\s+thanks|"
    r"gracias|muchas\s+gracias|saludos(?:\s+cordiales)?|atentamente|cordialmente|un\s+saludo)\b[^\n]{0,50}$"
)
_FOOTER = re.compile(
    r"(?i)^\s*(?:confidentiality\s+notice|confidential(?:ity)?\s*:|this\s+e-?mail(?:\s+message)?(?:,\s+including"
    r"[^\n]*)?\s+(?:is|and\s+any|may)|sent\s+from\s+my\s+\w+|aviso\s+de\s+confidencialidad|-- ?$|__+$)"
)
_PLEASANTRY = re.compile(
    r"(?i)\b(?:i\s+)?hope\s+(?:this\s+(?:message|e-?mail|note)\s+finds\s+you\s+well|you(?:'re|\s+are)\s+"
    r"(?:doing\s+)?well|all\s+is\s+well|you\s+had\s+a\s+(?:good|great|nice)\s+\w+)[^.!?\n]*[.!?]?\s*"
)


def email_body(text: str) -> str:
    """A message pasted from an email, without its salutation, pleasantries, closing, signature and
    confidentiality footer: what a service desk agent would read. A chat message (one line, or no
    closing) comes back as it was, less its pleasantries."""
    if "\n" not in text.strip():
        return _PLEASANTRY.sub("", text) or text
    lines = text.strip().splitlines()
    if lines and _SALUTATION.match(lines[0]) and len(lines[0].split()) <= 8:
        lines = lines[1:]
    body: list[str] = []
    for line in lines:
        if _FOOTER.match(line):
            break
        if _CLOSING.match(line) and any(b.strip() for b in body):
            break
        body.append(line)
    kept = _PLEASANTRY.sub("", "\n".join(body)).strip()
    return kept or text


_SHORTHAND = (
    (re.compile(r"(?i)(?<![\w/])w/o(?![\w/])"), "without"),
    (re.compile(r"(?i)(?<![\w/])w/\s*(?=[a-z0-9])"), "with "),
    (
        re.compile(
            r"(?i)(?<![\w/])eff\.?(?=\s+(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
            r"mon|tue|wed|thu|fri|next|this|today|tomorrow))"
        ),
        "effective",
    ),
    (re.compile(r"(?i)(?<![\w/])thru(?!\w)"), "through"),
)
"""Chat shorthand read as the words it stands for: "NDA w/ Qventus", "eff Jan 4"."""


def expand_shorthand(text: str) -> str:
    for pattern, words in _SHORTHAND:
        text = pattern.sub(words, text)
    return text


_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2190-\u21ff\u2b00-\u2bff\ufe0f\u200d]+"
)
_STRETCHED = re.compile(r"([a-zA-Z])\1{2,}")
_CHAT_NOISE = re.compile(
    r"(?i)(?<![\w'])(?:lol+|lmao+|rofl|haha(?:ha)*|hehe(?:he)*|omg|jaja(?:ja)*|xd|:\)+|:-\)|;\)|:d|<3)(?![\w'])"
)


def denoise(text: str) -> str:
    """A chat message without what says nothing of the request: emoji, "lol", letters stretched
    for effect ("hiii", "thank youuu" → "hii", "thank youu")."""
    text = _EMOJI.sub(" ", text)
    text = _CHAT_NOISE.sub(" ", text)
    return _STRETCHED.sub(r"\1\1", text)
