"""Short text fields (vendor, system, counterparty, location, title, department, names…).

Each text field is found through cues keyed by its name in `training/cues.yaml` (labels,
words before or after the value, the value's shape) plus its own label, and a gazetteer of
the names its question or examples list ("e.g. Epic, Workday, Oracle ERP"). Free-text fields
without cues (descriptions, justifications) are left to the conversation to ask for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from forms.spec import FieldSpec, RequestTypeSpec
from intents.offline.classifier.training import cues
from intents.offline.extractors.people import on_whose_behalf
from intents.offline.extractors.shapes import (
    Tok,
    is_common,
    is_person_name,
    is_title,
    location_run,
    lower_title,
    proper_run,
    scan,
    span_text,
    word_list,
)
from intents.offline.extractors.values import Span
from intents.offline.text import STOP, fold, written_in_lower_case

_EG = re.compile(r"\((?:e\.g\.|for example|like|such as)\s*([^)]*)\)", re.I)
_QUOTED = re.compile(r"'([^']{2,60})'|\"([^\"]{2,60})\"|“([^”]{2,60})”|‘([^’]{2,60})’")
_LABEL_SEP = r"\s*(?:(?:please|pls|por\s+favor)\s*(?=[:=\-–]))?(?:[:=\-–]|\bis\b|\bare\b)?\s*"
_HAS_SEP = re.compile(r"[:=\-–]|\bis\b|\bare\b")
_LINKING = frozenset(["de", "del", "for", "para", "a", "to", "en"])
"""Small linking words that are cues for a name (vendor, system...) only before a capitalised one."""
_TITLE_CUES = frozenset(["as", "as a", "as an", "como", "como un", "como una", "->", "→"])
"""Cues after which a job title may be written in lower case."""


def field_cues(spec: FieldSpec) -> dict[str, Any]:
    found = cues().get("fields", {}).get(spec.name)
    return found if isinstance(found, dict) else {}


def has_cues(spec: FieldSpec) -> bool:
    return bool(field_cues(spec).get("shape")) or bool(gazetteer(spec))


@cache
def gazetteer(spec: FieldSpec) -> tuple[str, ...]:
    """Names a field's question, help or examples list, e.g. the systems of an access request."""
    names = list(spec.examples)
    for text in (spec.question, spec.help):
        for listed in _EG.findall(text):
            names.extend(n.strip(" .") for n in re.split(r",|\bor\b|\band\b", listed))
    return tuple(n for n in names if n and len(n) <= 40)


def _shape_ok(shape: str, words: list[str], article: bool = False) -> bool:
    if shape == "title":
        return is_title(words)
    if shape == "person":
        return is_person_name(words)
    if shape == "department":  # "to the Float Pool": a person's name takes no article
        plain = not is_title(words) and (article or not is_person_name(words))
        return plain and (len(words) <= 2 or bool(set(words) & word_list("department_heads")))
    if shape == "org":
        return bool(set(words) & word_list("org_words"))
    return True


def _run(
    shape: str, text: str, toks: list[Tok], i: int, lower_ok: bool, trim: bool = True, article: bool = False
) -> tuple[int, int] | None:
    if shape == "location":
        return location_run(text, toks, i)
    run = proper_run(text, toks, i, lower_ok, trim, numbered=shape == "quoted")
    if run is None:
        return None
    words = [t.low for t in toks[run[0] : run[1]] if t.is_word]
    if shape == "title" and not is_title(words):
        for k in range(run[1] - 1, run[0], -1):  # "Registered Nurse Emergency" → cut to the head
            if is_title([t.low for t in toks[run[0] : k]]):
                return run[0], k
    return run if _shape_ok(shape, words, article) else None


def _cue_positions(words: list[str], cue: str) -> Iterator[int]:
    """Token indexes right after each occurrence of the cue phrase (`words`: the tokens' folded forms)."""
    parts = cue.lower().split()
    if parts and parts[0] not in words:
        return
    for i in range(len(words) - len(parts) + 1):
        if words[i : i + len(parts)] == parts:
            yield i + len(parts)


_ARTICLES = ("the", "a", "an", "our", "their", "el", "la")


def _after(
    shape: str, text: str, toks: list[Tok], words: list[str], cue: str, lower_ok: bool
) -> Iterator[tuple[int, int]]:
    for k in _cue_positions(words, cue):
        article, first = False, k
        while k < len(toks) and k - first < 4 and (toks[k].low in _ARTICLES or toks[k].text == ","):
            article = article or toks[k].low in ("the", "el", "la")
            k += 1
        if shape != "location" and k < len(toks) and toks[k].text in (":", "-", "–"):
            k += 1
        run = _run(shape, text, toks, k, lower_ok, trim=False, article=article) if k < len(toks) else None
        if run is None and shape == "title" and cue in _TITLE_CUES and k < len(toks):
            run = lower_title(toks, k)  # "joining as a unit clerk", "como enfermera"
        if run is not None:
            yield run


def _before(shape: str, text: str, toks: list[Tok], words: list[str], cue: str) -> Iterator[tuple[int, int]]:
    """A name ending right before the cue, maybe with two small words between ("Sodexo food
    service contract"); a capitalised cue belongs to the name ("Emergency Department")."""
    size = len(cue.split())
    for k in _cue_positions(words, cue):
        start = k - size
        if toks[start].is_cap:
            if shape != "department":
                continue
            start = k
        end = start
        while end > max(0, start - 3) and not toks[end - 1].is_cap and toks[end - 1].is_word:
            end -= 1
        begin = end
        while begin > 0 and (toks[begin - 1].is_cap or toks[begin - 1].low in ("&", "-", "of")):
            begin -= 1
        if begin == end:
            continue
        run = _run(shape, text, toks, begin, False)
        if run is not None and run[1] >= end:
            yield run[0], end


_LABELLED_CHARS = 240
"""How far after a label ("Title:") its value is looked for: a value is a few words (at most 14),
and reading only this far keeps a message with the label many times over linear to read."""


def _labelled(shape: str, text: str, labels: list[str], lower_ok: bool) -> Iterator[tuple[int, int]]:
    for label in labels:
        pattern = re.compile(rf"(?i)(?<![\w@.])({re.escape(label)}){_LABEL_SEP}(?=\S)")
        for m in pattern.finditer(text):
            rest = text[m.end() : m.end() + _LABELLED_CHARS]
            if lower_ok and not _HAS_SEP.search(text[m.end(1) : m.end()]):
                continue  # in an all-lower-case message only "label: value" is clear enough
            toks = scan(rest)
            if not toks:
                continue
            run = _run("title" if shape == "title" else "proper", rest, toks, 0, lower_ok, trim=False)
            if run is not None and run[0] == 0:
                yield m.end() + toks[run[0]].start, m.end() + toks[run[1] - 1].end


def _gazetteer_hits(spec: FieldSpec, text: str) -> Iterator[tuple[int, int]]:
    folded = fold(text)
    for name in gazetteer(spec):
        key = fold(name)
        for m in re.finditer(rf"(?<![\w@.]){re.escape(key)}(?![\w@])", folded):
            yield m.start(), m.end()
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[A-Za-z]{5,}", text)]
    for start, end, word in words:  # typos: "Kronoss", "Wokday"
        if any(fuzz.ratio(fold(word), fold(n)) >= 85 and len(n) >= 5 for n in gazetteer(spec)):
            yield start, end


def candidates(spec: FieldSpec, text: str, masked: str) -> Iterator[tuple[int, int]]:
    """Character spans that could be this field's value, best first."""
    cue = field_cues(spec)
    shape = str(cue.get("shape", "proper"))
    lower_ok = written_in_lower_case(masked)
    yield from _gazetteer_hits(spec, masked)
    if shape == "quoted":
        for m in _QUOTED.finditer(masked):
            group = next(g for g in m.groups() if g)
            yield m.start() + 1, m.start() + 1 + len(group)
    if not cue.get("shape"):
        return
    labels = [spec.label.lower(), spec.name.replace("_", " "), *cue.get("label", [])]
    yield from _labelled(shape, masked, sorted(set(labels), key=len, reverse=True), lower_ok)
    toks = scan(masked)
    words = [t.low for t in toks]
    for word in cue.get("after", []):
        if lower_ok and shape in ("proper", "quoted") and str(word) in _LINKING:
            continue  # "cajas de tubos": in lower case a bare "de" or "for" says too little
        yield from _to_chars(toks, _after(shape, masked, toks, words, str(word), lower_ok))
    for word in cue.get("before", []):
        yield from _to_chars(toks, _before(shape, masked, toks, words, str(word)))
    if shape in ("title", "person"):
        yield from _to_chars(toks, (r for i in range(len(toks)) if (r := _run(shape, masked, toks, i, False))))
    if shape == "location":  # no cue: a place that names itself ("…, Building B 1st floor")
        heads = word_list("place_heads")
        starts = (i for i, t in enumerate(toks) if t.is_cap and t.is_word and t.low in heads)
        yield from _to_chars(toks, (r for i in starts if (r := location_run(masked, toks, i))))
        yield from _place_segments(masked)
    yield from _place_codes(shape, masked, toks)


def _place_codes(shape: str, masked: str, toks: list[Tok]) -> Iterator[tuple[int, int]]:
    """A unit or room code anywhere: "4W", "rm 5E-310" (a department takes a unit only)."""
    if shape not in ("location", "department"):
        return
    for m in _PLACE_CODE.finditer(masked):
        if shape == "location":
            yield _around(masked, toks, m.start(), m.end())
        elif m.group("unit"):
            yield m.start(), m.end()


def _around(text: str, toks: list[Tok], start: int, end: int) -> tuple[int, int]:
    """The place a code stands in, with the place words around it ("4W hallway", "habitación 412
    de la Torre 2, piso 4", "dirty utility 6 north"): the longest place run that holds it."""
    best = (start, end)
    first = next((i for i, t in enumerate(toks) if t.start >= start), None)
    if first is None:
        return best
    place = word_list("location_words")
    for i in range(max(0, first - 3), first + 1):
        if i < first and not (toks[i].is_cap or toks[i].low in place):
            continue  # "lights out 4W hallway": a place starts with a place word or a name
        run = location_run(text, toks, i)
        if run is not None and toks[run[0]].start <= start and toks[run[1] - 1].end >= end:
            span = (toks[run[0]].start, toks[run[1] - 1].end)
            if span[1] - span[0] > best[1] - best[0]:
                best = span
    return best


_UNIT = r"\d{1,2}\s?(?:[NESW]|NW|NE|SW|SE)(?:-\d{2,4}[A-Z]?)?|\d{1,2}[A-Z]-\d{2,4}[A-Z]?"
_UNIT_WORDS = r"\d{1,2}(?:st|nd|rd|th)?\s+(?:west|east|north|south|oeste|este|norte|sur)"
_PLACE_CODE = re.compile(
    rf"(?<![\w-])(?:(?P<room>(?:rm|room|rooms|suite|ste|bay|cuarto|habitaci[oó]n|consultorio|office)\.?\s*#?\s*"
    rf"(?:{_UNIT}|[A-Z]?\d{{1,4}}[A-Z]?(?:-\d{{1,4}}[A-Z]?)?))|(?P<unit>{_UNIT}|(?i:{_UNIT_WORDS})))(?![\w-])"
)
"""A hospital unit ("4W", "5E-310", "6 North", "4 Oeste") or a room ("rm 415", "suite D-9") named
without a cue word: a place by its shape."""
_SEGMENT = re.compile(r"(?:^|(?<=[,;(]))\s*([^,;()\n]{2,60}?)\s*(?=[,;)]|$)")


def _place_segments(masked: str) -> Iterator[tuple[int, int]]:
    """A part of the message between commas made only of place words and codes ("…, main lab",
    "4W breakroom"): a place named by itself."""
    place, links = word_list("location_words"), word_list("location_links")
    for m in _SEGMENT.finditer(masked):
        words = [w for w in re.findall(r"[\w'’]+", fold(m.group(1)))]
        if not 1 <= len(words) <= 5 or all(w in links or w in STOP for w in words):
            continue
        only_places = all(w in place or w in links or _PLACE_CODE.fullmatch(w.upper()) for w in words)
        named = any(w in place - links - STOP - _NOT_ALONE for w in words) or _PLACE_CODE.search(m.group(1))
        if only_places and named:
            yield m.start(1), m.end(1)


_NOT_ALONE = frozenset(["side", "main", "front", "back", "staff", "patient", "supply", "waiting", "admin", "break"])


def _to_chars(toks: list[Tok], runs: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for i, j in runs:
        yield toks[i].start, toks[j - 1].end


def find_names(spec: RequestTypeSpec, text: str, masked: str, skip: set[str]) -> list[Span]:
    """Values for the type's short text fields, each span used by one field at most."""
    found: list[Span] = []
    for field in spec.fields:
        if not field.kind.free_text or field.name in skip or not has_cues(field) or field_cues(field).get("collect"):
            continue  # a list field is offered whole (`suggest`), never one name of it
        spans = list(candidates(field, text, masked)) if field_cues(field).get("shape") == "location" else None
        for start, end in spans if spans is not None else candidates(field, text, masked):
            if spans:  # a place named twice: the fuller naming ("main lobby near the elevators")
                start, end = max(
                    ((s, e) for s, e in spans if s <= start and e >= end and not _THING_IN.search(text[s:start])),
                    key=lambda se: se[1] - se[0],
                )
            value = text[start:end].strip(" ,.;:-–'\"")
            if not value or any(start < s.end and s.start < end for s in found) or len(value.split()) > 14:
                continue
            if _not_a_name_of(spec, field, text, start, end, value):
                continue
            if field_cues(field).get("shape") == "person":  # "Dr. Rafael Ortiz" is Rafael Ortiz
                value = _HONORIFIC.sub("", value) or value
            suffix = _LEGAL_SUFFIX.match(text, end) if field_cues(field).get("not_a_place") else None
            if suffix is not None:  # "Suministros Médicos del Pacífico, S.A. de C.V."
                end = suffix.end()
                value = text[start:end].strip(" ,;:-–'\"")
            more = _NAMED_PART.match(text, end) if gazetteer(field) and text[end - 1] not in ".,;:" else None
            if more is not None and not is_common(fold(more.group(1))):  # "Epic Beaker", not "Epic"
                end = more.end()
                value = text[start:end].strip(" ,.;:-–'\"")
            found.append(Span(field.name, value, start, end, value))
            break
    return found


_THING_IN = re.compile(r"(?i)\b(?:in|en|at)\b")
"""A longer naming that starts with the thing and then "in …" ("AC in OPD room 2-217") is not the place."""
_LEGAL_SUFFIX = re.compile(
    r",?\s+(?:S\.?\s?A\.?(?:\s+de\s+C\.?\s?V\.?)?|S\.?\s?de\s+R\.?L\.?(?:\s+de\s+C\.?V\.?)?|Inc\.?|LLC|L\.L\.C\.|LLP|Ltd\.?|"
    r"PC|P\.C\.|PLLC|Corp\.?|Co\.|GmbH|S\.L\.)(?![\w])"
)
"""A company's legal form after its name belongs to the name."""
_NAMED_PART = re.compile(r"\s+([A-Z][a-z]+)(?=[\s,.;:!?)]|$)")
"""A capitalised word right after a listed name names its part ("Epic Beaker", "Oracle ERP GL")."""
_HONORIFIC = re.compile(r"(?i)^(?:dr|dra|mr|mrs|ms|miss|mx|sr|sra|srta|prof)\.?\s+(?=\S)")
_PRONOUNS = frozenset(["i", "me", "we", "us", "you", "he", "she", "they", "them", "it", "someone", "somebody"])
_SERVICE_WORDS = frozenset(["servicio", "service", "equipo", "team", "area", "departamento", "department", "unidad"])


def _not_a_name_of(spec: RequestTypeSpec, field: FieldSpec, text: str, start: int, end: int, value: str) -> bool:
    """A vendor or a counterparty that is a place, a department or another field's value: "for 5E
    ward", "for the Nursing Administration conference room", "servicio de Pediatría", "IT"."""
    if field_cues(field).get("shape") == "person":
        return on_whose_behalf(text, start, end)
    if not field_cues(field).get("not_a_place"):
        return False
    words = [w for w in re.findall(r"[\w'’]+", fold(value))]
    place = word_list("location_words") | word_list("department_heads")
    after = re.match(r"\s*([\w'’]+)", fold(text[end : end + 30]))
    before = re.findall(r"[\w'’]+", fold(text[max(0, start - 30) : start]))
    if _PLACE_CODE.search(value) or (after is not None and after.group(1) in place - STOP - {"services", "center"}):
        return True
    if len(before) >= 2 and before[-1] in ("de", "del", "of") and before[-2] in place | _SERVICE_WORDS:
        return True
    if words and all(w in place or w in STOP or w in _PRONOUNS for w in words):
        return True  # a place, or no name at all ("how do I get them set up" names no vendor)
    others = {fold(str(n)) for f in spec.fields if f.name != field.name for n in gazetteer(f)}
    labels = {fold(c.label) for f in spec.fields for c in f.choices} | {c.id for f in spec.fields for c in f.choices}
    return fold(value) in others or fold(value) in labels


__all__ = ["field_cues", "find_names", "gazetteer", "has_cues", "span_text"]
