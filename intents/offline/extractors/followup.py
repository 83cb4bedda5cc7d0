"""Messages inside an open draft: answers to the pending question and corrections.

"4", "next friday", "Kronos" answer the field the bot asked for; "change the quantity to 5"
names its field; "actually make it 4" changes the pending field or a field of the draft
that takes such a value. The intent stays the draft's type unless the message clearly
cancels, asks for help, for a status or for approvals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from forms.errors import FieldError
from forms.kinds import (
    ENUM,
    DateKind,
    EmailKind,
    EnumKind,
    IntegerKind,
    Kind,
    MoneyKind,
    NormalizeContext,
    PatternKind,
    PersonKind,
    TextKind,
    normalize,
)
from forms.spec import FieldSpec, RequestTypeSpec
from intents.offline.extractors.enums import find_enums
from intents.offline.extractors.names import field_cues
from intents.offline.extractors.suggest import REASON as _REASON

_FILLER = re.compile(
    r"(?i)^\s*(?:(?:ok(?:ay)?|yes|yeah|sure|oh|um+|so|well|sorry|actually|wait|no|"
    r"it(?:'s|\s+is|\s+will\s+be|\s+should\s+be)|that(?:'s|\s+is)|make\s+it|change\s+it\s+to|set\s+it\s+to|"
    r"let'?s\s+(?:say|do|make\s+it)|use|should\s+be|to|the|about|around|roughly|approximately|maybe)\b[\s,.:!-]*)+"
)
_SET_IT = re.compile(r"(?i)\b(?:make|change|set|update|switch)\s+it\s+(?:to\s+|as\s+)?(.+)$")
_LABEL_WORDS = re.compile(
    r"(?i)\b(?:ein|tax\s+id|tin|po|invoice|inv|asset(?:\s+tag)?|tag|cost\s+cent(?:er|re)|cc|email|e-mail|contact|"
    r"phone|amount|total|by|on|due|is|its|it's|the|and|y|con)\b"
)
"""Words that introduce a value: what is left of a reply without its values and these is a name."""
_AND_MORE = re.compile(r"(?i)\s*(?:,(?=\s)|;|\band\b|\by\b|\bplus\b)\s*")
"""Where "make it …" stops: at a second thing said ("make it 4, and about $1,200 total")."""
_ORDER: tuple[type[Kind], ...] = (
    IntegerKind,
    MoneyKind,
    DateKind,
    EnumKind,
    PatternKind,
    PersonKind,
    EmailKind,
    TextKind,
)
"""Which filled field "make it …" changes first: a number, a date, a choice, a code (in the order
the catalog declares its identifiers), a person, an email; a text only when it was asked for."""


def clean_answer(text: str) -> str:
    return _FILLER.sub("", text).strip(" .!?,;")


def _try(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> Any:
    try:
        return normalize(spec, raw, ctx)
    except FieldError:
        return None


def _names(spec: FieldSpec) -> list[str]:
    labels = [spec.label, spec.name.replace("_", " "), *field_cues(spec).get("label", [])]
    return sorted({str(x).lower() for x in labels if x}, key=len, reverse=True)


def named_correction(spec: RequestTypeSpec, text: str, ctx: NormalizeContext) -> dict[str, Any]:
    """ "change the quantity to 5", "cost center should be 4420", "quantity: 6"."""
    for field in spec.fields:
        for name in _names(field):
            pattern = rf"(?i)\b{re.escape(name)}\s*(?:to|=|:|is|should\s+be|as|será|a)\s+(.+?)\s*[.!]?$"
            m = re.search(pattern, text)
            if m is None:
                continue
            raw = m.group(1)
            value = find_enums(spec, raw).get(field.name) if field.kind == ENUM else None
            value = value if value is not None else _try(field, clean_answer(raw), ctx)
            if value is not None:
                return {field.name: value}
    return {}


def _rank(kind: Kind, identifiers: Sequence[Kind]) -> tuple[int, int]:
    group = next((i for i, cls in enumerate(_ORDER) if isinstance(kind, cls)), len(_ORDER))
    return group, identifiers.index(kind) if kind in identifiers else 0


def _candidates(
    spec: RequestTypeSpec, pending: str | None, filled: Iterable[str], identifiers: Sequence[Kind]
) -> list[FieldSpec]:
    asked = [spec.field(pending)] if pending in spec.field_names and pending else []
    rest = sorted(
        (spec.field(n) for n in filled if n in spec.field_names and n != pending),
        key=lambda f: _rank(f.kind, identifiers),
    )
    typed = [f for f in asked + rest if not f.kind.free_text]
    return typed + [f for f in asked if f.kind.free_text]  # "make it 4" corrects a number before a description


def description_answer(
    spec: RequestTypeSpec, pending: str | None, found: dict[str, Any], draft: Mapping[str, Any]
) -> bool:
    """A reply to a text question whose other readings would only overwrite filled fields."""
    if not pending or pending not in spec.field_names or not spec.field(pending).kind.free_text:
        return False
    numbers = (IntegerKind, MoneyKind)  # a code, a date or a person given again is a correction
    return bool(found) and all(name in draft and isinstance(spec.field(name).kind, numbers) for name in found)


def answer(
    spec: RequestTypeSpec,
    text: str,
    pending: str | None,
    draft: dict[str, Any],
    ctx: NormalizeContext,
    found: dict[str, Any],
    identifiers: Sequence[Kind],
    rest: str = "",
) -> dict[str, Any]:
    """What a short reply sets: a named field, "make it …" (`identifiers`: the catalog's, in the
    order it declares them), or the pending field."""
    named = named_correction(spec, text, ctx)
    if named:
        return named
    set_it = _SET_IT.search(text)
    if set_it:
        said = _AND_MORE.split(set_it.group(1), maxsplit=1)[0]  # "make it 4, and about $1,200 total"
        for field in _candidates(spec, pending, draft, identifiers):
            if field.name in found:
                continue
            value = _try(field, clean_answer(said), ctx)
            if value is not None:
                return {field.name: value}
    if not pending or pending not in spec.field_names or pending in found:
        return {}
    field = spec.field(pending)
    raw = clean_answer(text)
    if field.kind == ENUM:
        choice = find_enums(spec, text).get(pending)
        value = choice if choice is not None else _try(field, raw, ctx)
    elif field.kind.free_text and found and field.narrative == "reason":
        # "actually I need write, I have to enter invoice holds": the level, and the reason
        reason = _REASON.search(text)
        value = _try(field, text[reason.start() :].lstrip(",;- ").strip(), ctx) if reason else None
    elif field.kind.free_text and found and not field.narrative:
        # "Lakeside Scientific Supply Inc, EIN 36-4411207": the name is what the other values leave
        left = _LABEL_WORDS.sub(" ", rest)
        parts = [p.strip(" .;:-–'\"") for p in re.split(r"[,;\n]", left) if p.strip(" .;:-–'\"")]
        one_name = len(parts) == 1 and 1 <= len(parts[0].split()) <= 8 and parts[0][0].isupper()
        value = _try(field, parts[0], ctx) if one_name else None
    elif field.kind.free_text:
        # a reply that gave other fields is not copied into a text field as well
        value = None if found else _try(field, text.strip(), ctx)
    else:
        value = _try(field, raw or text, ctx)
    return {pending: value} if value is not None else {}
