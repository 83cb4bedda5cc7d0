"""Suggestions: values a first message implies but does not label.

"we need 3 monitors for 4 West" names its item right after the quantity; "the pump on 6 North
keeps alarming" is the problem of an equipment repair in the person's own words; "could I get
read access to Kronos" asks for the person writing. Such values are not certain enough to be
reported as slots (evaluation counts them as readings), so the parser offers them as
suggestions; the engine validates them and shows them on the review card, where the person
confirms or edits them, instead of asking again for what the person just wrote.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from forms.kinds import INTEGER
from forms.lexicon import ENGLISH_CARDINALS, SPANISH_CARDINALS, alternation
from forms.spec import FieldSpec, RequestTypeSpec
from intents.offline.classifier.training import cues
from intents.offline.extractors.me import me_fields
from intents.offline.extractors.names import field_cues, gazetteer
from intents.offline.extractors.values import Span, mask
from intents.offline.text import STOP, fold
from intents.redact import Redactor

_COUNT_WORDS = [
    "a",
    "an",
    *(word for word, n in ENGLISH_CARDINALS.items() if n),
    "a dozen",
    "a couple of",
    "some",
    *SPANISH_CARDINALS,
]
_SPANISH_AFTER = "para|por|en|con|que|porque|unos|unas|aprox|aproximadamente|cerca|centro|costo|cada|alrededor|urgente"
"""Spanish words that end the thing counted ("3 sillas de ruedas para 4 Oeste", "2 monitores con
cargo al centro de costos 4410"); "de" is part of it ("sillas de ruedas")."""
_COUNT = rf"(?:\d+|{alternation(_COUNT_WORDS)})"
"""A quantity in English, as the words after the counted thing are ("for", "from", "costing")."""
_AFTER_COUNT = re.compile(
    rf"(?i)\b{_COUNT}\s+(?:new\s+|more\s+|extra\s+|replacement\s+(?=\w+\s))?"
    r"(?P<thing>[a-zñáéíóú][a-zñáéíóúü0-9&'\"/\- ]{1,60}?)"
    r"(?=\s+(?:for|from|to|at|on|in|by|with|that|which|so|because|costing|priced|about|around|under|totaling|"
    rf"cc|cost|please|pls|asap|each|total|{_SPANISH_AFTER})\b|\s+[\d$]|\s+(?:and|plus|y)\s+"
    rf"{_COUNT}"
    r"\s|[,.;:!?(]|\s*$)"
)
_AFTER_VERB = re.compile(
    r"(?i)\b(?:need|needs|needed|order|ordering|buy|purchase|requesting|request|get\s+us|get\s+me|want|"
    r"necesito|necesitamos|comprar|pedir|quiero|queremos|solicito)\s+"
    r"(?:(?:some|more|new|a\s+few|a\s+couple\s+of|a\s+pair\s+of|a\s+set\s+of|to\s+order|to\s+buy|a|an|"
    r"unos|unas|un|una|m[aá]s|nuevos|nuevas|comprar|pedir)\s+)?"
    r"(?P<thing>[a-zñáéíóú][a-zñáéíóúü0-9&'\"/\- ]{2,60}?)"
    r"(?=\s+(?:for|from|to|at|on|in|by|with|that|which|so|because|costing|priced|about|around|under|totaling|"
    rf"cc|cost|please|pls|asap|each|total|{_SPANISH_AFTER})\b|\s+[\d$]|[,.;:!?(]|\s*$)"
)
_PARTITIVE = re.compile(
    rf"(?i)\b(?:\d+|{_COUNT})\s+of\s+(?:the|those|these|our)\s+(?P<thing>[a-z0-9][a-z0-9&'\"/\-. ]{{2,60}}?)"
    r"(?=\s+(?:for|from|to|at|on|in|by|with|that|which|so|because|costing|priced|about|around|cc|please|pls)\b|[,;:!?(]|\.\s|\s*$)"
)
_NOT_A_THING = re.compile(
    r"(?i)^(?:of (?:them|those|these|the|our)\b|more|thing|things|item|items|few|bit|lot|days?|weeks?)$"
)


REASON = re.compile(
    r"(?i)(?:\b(?:because|cause|cuz|since|so\s+that|so\s+(?:i|we|she|he|they|you)\b|in\s+order\s+to|"
    r"to\s+be\s+able\s+to|porque|para\s+que|para\s+poder|ya\s+que|pues)\b"
    r"|\bpara\s+(?=[a-záéíóú]+(?:ar|er|ir)\b)"
    r"|\b(?:in\s+order\s+)?to\s+(?=(?:build|fix|enter|update|review|approve|post|run|see|view|check|cover|manage|schedule|"
    r"sign|process|complete|help|add|edit|create|make|prepare|pull|print|track|monitor|audit|reconcile|correct|"
    r"submit|order|assign|set\s+up|look\s+up|work\s+on|follow|finish|close|document|chart|verify|train|support)\b)"
    r"|[,;-]\s*(?=(?:he|she|they|we|i|you)(?:'s|'re|'m|’s|’re|’m|\s+is|\s+are|\s+am|\s+will|\s+needs?|"
    r"\s+has|\s+have|\s+must)\b)"
    r"|[,;-]\s*(?=(?:have|has|need|needs)\s+to\b))"
)
"""Where the reason of a request starts: "… so I can add new staff", "…, he's covering the
queue", "… para firmar los controles"."""
_MOST = 500
"""A narrative suggestion holds at most this many characters of the message."""


def suggest(
    spec: RequestTypeSpec,
    body: str,
    slots: dict[str, Any],
    taken: list[Span] | None = None,
    requester: str | None = None,
    others_named: bool = False,
    guard: Redactor | None = None,
) -> dict[str, Any]:
    """Values the message implies for fields it left empty: the thing counted (the first required
    text field of a type with a count), the narrative fields (`FieldSpec.narrative`), and the
    requester where a `likely_me` phrase points at them and nobody else is named. `taken` are
    the spans of values already found (an amount is not a count)."""
    out: dict[str, Any] = {}
    masked = mask(body, taken or [])
    if len(counted_things(spec, masked)) < 2:  # two things counted: asked, never merged into one
        out.update(_item(spec, masked, slots))
    for field in spec.fields:
        if field.narrative and field.name not in slots and field.name not in out:
            own = _words(" ".join((spec.title, "request", "problem", "issue", "help", "need")))
            words = _narrative(
                field, body, own | _words(" ".join(str(v) for v in slots.values())), masked, guard or _PLAIN
            )
            if words:
                out[field.name] = words
    for field in spec.fields:
        if field_cues(field).get("collect") and field.name not in slots:
            listed = _collected(field, body)
            if listed:
                out[field.name] = listed
    if not others_named:
        out.update(me_fields(spec, body, set(slots) | set(out), requester, likely=True))
    return out


def _collected(field: FieldSpec, body: str) -> str | None:
    """The names of a list field's examples the message holds, longest first, in their order
    ("a laptop, a badge and Epic Beaker access" → "laptop, badge" for equipment)."""
    folded, hits = fold(body), list[tuple[int, int]]()
    for name in sorted(gazetteer(field), key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w@.]){re.escape(fold(name))}(?![\w@])", folded):
            if not any(m.start() < e and s < m.end() for s, e in hits):
                hits.append((m.start(), m.end()))
    return ", ".join(body[s:e] for s, e in sorted(hits)) or None


def counted_things(spec: RequestTypeSpec, masked: str) -> list[str]:
    """The things a message counts ("eight privacy screens and two linen carts" → two), when the
    type has a count; more than one is more than one request line."""
    if not any(f.kind == INTEGER for f in spec.fields):
        return []
    own_words = _words(" ".join((spec.title, *spec.keywords, "request")))
    things = []
    for match in _AFTER_COUNT.finditer(masked):
        thing = " ".join(match.group("thing").split()).strip(" -'\"")
        counted = match.group(0).split()[0].lower() not in (
            "a",
            "an",
            "some",
            "un",
            "una",
            "uno",
        )  # "a bariatric patient"
        if counted and _a_thing(thing, own_words):
            things.append(" ".join(match.group(0).split()))
    return list(dict.fromkeys(things))


def _item(spec: RequestTypeSpec, masked: str, slots: dict[str, Any]) -> dict[str, Any]:
    """The first required text field, read as the phrase counted by the type's integer field, or
    as what the message asks to buy ("need heel protector boots for 4w")."""
    counted = [f for f in spec.fields if f.kind == INTEGER]
    wanted = next((f for f in spec.fields if f.required and f.kind.free_text and not f.narrative), None)
    if not counted or wanted is None or wanted.name in slots:
        return {}
    own_words = _words(" ".join((spec.title, *spec.keywords, "request")))
    partitive = _PARTITIVE.search(masked)  # "25 of the 500 mL saline bags": a size is part of the thing
    if partitive is not None and "$" not in partitive.group("thing"):
        return {wanted.name: " ".join(partitive.group("thing").split())}
    for pattern in (_AFTER_COUNT, _AFTER_VERB):
        for match in pattern.finditer(masked):
            thing = " ".join(match.group("thing").split()).strip(" -'\"")
            if _a_thing(thing, own_words):
                return {wanted.name: thing}
    return {}


_FILLER_WORDS = frozenset(
    [
        "have",
        "has",
        "got",
        "need",
        "needs",
        "there",
        "some",
        "help",
        "with",
        "from",
        "it",
        "its",
        "one",
        "quick",
        "tengo",
        "hay",
    ]
)


_PLAIN = Redactor()
_REMOVED = "…"
_INTRODUCED = re.compile(
    r"(?i)[(\[]?\s*\b(?:mrn|dob|ssn|mr#|member\s+id|record(?:\s+(?:no|number))?|chart(?:\s+number)?|born|"
    r"expediente|fecha\s+de\s+nacimiento)\s*[:#.]?\s*…\s*[)\]]?"
)


def _without_protected_data(text: str, guard: Redactor) -> str:
    """The person's words with a patient's name, record number or birth date left out, marked
    "…" ("pt … in rm 412 says the heat isnt working"): what the request needs, none of what it
    must not keep."""
    redacted = guard.redact(text).text
    if redacted == text:
        return text
    out = re.sub(r"\[[A-Z]+_\d+\]", _REMOVED, redacted)
    out = _INTRODUCED.sub(_REMOVED, out)
    out = re.sub(r"…(?:[\s,;]*…)+", _REMOVED, " ".join(out.split()))
    return re.sub(r"[\s,;]*…[\s,;.]*$", "", out).strip(" ,;")


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if w not in STOP and len(w) > 2}


def _narrative(field: FieldSpec, body: str, own_words: set[str], masked: str, guard: Redactor) -> str | None:
    """The person's own words for a narrative field, or None: the whole message for a `message`
    field, the clause giving the reason for a `reason` field; never a text holding protected
    data (the field would refuse it: it is asked for instead)."""
    text = " ".join(body.split())
    if field.narrative == "reason":
        found = REASON.search(text)
        if found is None:
            return None
        text = text[found.start() :].lstrip(",;- ")
    text = _without_protected_data(text.strip(" ,;-"), guard)
    if len(text.split()) < 2 or guard.reason(text):
        return None
    if field.narrative == "message" and not _content(masked) - own_words - _FILLER_WORDS:
        return None  # "I have an invoice problem": a start, not a description yet
    if len(text) > min(_MOST, field.max_length):
        cut = text[: min(_MOST, field.max_length)]
        text = cut[: cut.rfind(" ")] if " " in cut else cut
    return text


def _a_thing(thing: str, own_words: set[str]) -> bool:
    """A counted phrase that names a thing: not "of the", not a unit or a size ("4 West", "500 mL"),
    not the request itself ("a requisition", "a PO request")."""
    if not thing or _NOT_A_THING.match(thing) or re.search(r"\d{3,}|\$", thing):
        return False
    first = thing.split()[0].lower()
    return first not in _not_counted() and not _words(thing) & own_words


@cache
def _not_counted() -> frozenset[str]:
    return frozenset(str(w).lower() for w in cues().get("not_counted", [])) - {"x", "of", "to", "and", "or"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 1}
