"""Guardrails on what a model answers: it is checked as if the model were compromised.

Whatever the message said and whatever the model returned, a reading can only carry an
intent from the fixed list (catalog type ids and the conversation intents) and values of the
chosen type's fields that pass the catalog's own normalisers. Unknown fields, unknown
intents, values that are not strings or numbers, values holding protected data, and values
that repeat the system prompt are dropped. No free text from the model reaches the user:
refusal messages are the product's own, and name a value only when the user wrote it.
There is no field, intent or path here that approves, skips a step or changes a role.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from forms import messages
from forms.catalog import Catalog
from forms.errors import FieldError
from forms.kinds import EMAIL, Kind, NormalizeContext, normalize
from forms.spec import FieldSpec
from intents.base import ConversationIntent, ParseContext
from intents.prompts import INSTRUCTIONS, REQUEST_ID, allowed_intents
from intents.redact import clean, phi_reason, restore, restored_reason

SURE, UNSURE, UNGROUNDED = 0.9, 0.6, 0.3
"""A value's confidence: read by the model; marked unsure by it; not seen in the message."""
_REQUEST_ID = re.compile(r"^(?:req(?:uest)?|ticket)?\s*[-#:]?\s*#?\s*(\d{3,7})$", re.I)
_WORD = re.compile(r"[a-z0-9_]+")
_SHINGLE = 7


@dataclass
class Reading:
    """A model's answer after the guard: a fixed-list intent and normalised values only."""

    intent: str
    confidence: float
    type_id: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    slot_confidence: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    intent_refused: bool = False
    """The model's intent was not one of the allowed ones (this one is a stand-in)."""


def plain(value: str) -> str:
    """NFKC, no invisible characters, single spaces: the form values are compared in."""
    return " ".join(clean(value).split())


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _digits(value: Any) -> str:
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return re.sub(r"\D", "", str(value))
    return re.sub(r"\D", "", format(number, "f")).rstrip("0") or "0"


def grounded(kind: Kind, value: Any, text: str) -> bool:
    """Whether the text shows the value: the email, most words of a free-text value, or the
    digits of a value the offline parser reads with certainty (`Kind.certain`: codes, amounts).

    Kinds with a closed form (enum, date, integer, person) are always taken as seen: the
    catalog's normaliser already limits what they can be.
    """
    lowered = plain(text).lower()
    if kind == EMAIL:
        return str(value).lower() in lowered
    if kind.free_text:
        return _words_seen(str(value), lowered)
    return _digits_seen(value, lowered) if kind.certain else True


def _digits_seen(value: Any, lowered: str) -> bool:
    """The value's digits in the text, read across the separators between digits ("12-345")."""
    joined = re.sub(r"(?<=\d)[-\s.,](?=\d)", "", lowered)
    return any(_digits(value) in run for run in re.findall(r"\d+", joined))


def _words_seen(value: str, text: str) -> bool:
    """At least half the words (of three letters or more) of `value` appear in `text` (by 5-letter stems)."""
    words = [w[:5] for w in _WORD.findall(plain(value).lower()) if len(w) >= 3]
    seen = {w[:5] for w in _WORD.findall(text)}
    return 2 * sum(w in seen for w in words) >= len(words)


class OutputGuard:
    """Checks one model answer against the catalog; see the module docstring."""

    def __init__(self, catalog: Catalog, instructions: str = INSTRUCTIONS) -> None:
        self.catalog = catalog
        self.intents = frozenset(allowed_intents(catalog))
        self._prompt = _shingles(instructions)  # the catalog's lines are public (the help text shows them)

    def intent(self, raw: Any) -> str | None:
        """The intent if it is exactly one of the allowed ones (after Unicode clean-up)."""
        if not isinstance(raw, str):
            return None
        value = plain(raw).lower()
        return value if value in self.intents else None

    def leaks_prompt(self, value: str) -> bool:
        """Whether `value` repeats seven words in a row of the model's instructions."""
        return bool(self._prompt & _shingles(value))

    def check(
        self, parsed: Any, text: str, context: ParseContext, ctx: NormalizeContext, mapping: Mapping[str, str]
    ) -> Reading:
        """The reading of `parsed` (the model's arguments) for the message `text`."""
        answer: Mapping[Any, Any] = parsed if isinstance(parsed, Mapping) else {}
        slots = answer.get("slots")
        slots = slots if isinstance(slots, Mapping) else {}
        reading = self._reading(answer, context, bool(slots))
        unsure = answer.get("unsure")
        doubtful = {str(n) for n in unsure} if isinstance(unsure, list) else set()
        if reading.intent == ConversationIntent.CHECK_STATUS:
            self._request_id(reading, slots.get(REQUEST_ID), text)
        elif reading.type_id is not None:
            spec = self.catalog.get(reading.type_id)
            for name, value in slots.items():
                if isinstance(name, str) and name in spec.field_names:
                    self._value(reading, spec.field(name), value, text, context, ctx, mapping, name in doubtful)
        return reading

    def _reading(self, answer: Mapping[Any, Any], context: ParseContext, has_slots: bool) -> Reading:
        """The intent: exactly an allowed one; else the open draft's type, else out_of_scope."""
        draft = context.draft_type if context.draft_type and context.draft_type in self.catalog else None
        intent = self.intent(answer.get("intent"))
        if intent is None:
            return Reading(draft or ConversationIntent.OUT_OF_SCOPE, 0.0, draft, intent_refused=True)
        confidence = _confidence(answer.get("confidence"))
        if intent in self.catalog:
            return Reading(intent, confidence, intent)
        if intent == ConversationIntent.OUT_OF_SCOPE and draft and has_slots:
            return Reading(draft, confidence, draft)  # a bare answer to the bot's question
        return Reading(intent, confidence)

    def _request_id(self, reading: Reading, value: Any, text: str) -> None:
        if not isinstance(value, str | int) or isinstance(value, bool):
            return
        match = _REQUEST_ID.match(plain(str(value)))
        if match and _digits_seen(match.group(1), plain(text).lower()):
            reading.slots[REQUEST_ID] = f"REQ-{match.group(1)}"
            reading.slot_confidence[REQUEST_ID] = SURE

    def _value(
        self,
        reading: Reading,
        spec: FieldSpec,
        value: Any,
        text: str,
        context: ParseContext,
        ctx: NormalizeContext,
        mapping: Mapping[str, str],
        doubtful: bool,
    ) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            reading.errors[spec.name] = _again(spec)
            return
        raw = plain(restore(value, mapping)) if isinstance(value, str) else value
        refusal = self._refusal(spec, raw, restored_reason(value, mapping), ctx.text_guard)
        if refusal:
            reading.errors[spec.name] = refusal
            return
        try:
            normalised = normalize(spec, raw, ctx)
        except FieldError as exc:
            quoted = re.search(rf"(?<!\w){re.escape(str(raw))}(?!\w)", exc.message, re.I)
            reading.errors[spec.name] = exc.message if not quoted or _users_words(raw, text) else _again(spec)
            return
        reading.slots[spec.name] = normalised
        sure = UNSURE if doubtful else SURE
        if not grounded(spec.kind, normalised, text) and context.draft_values.get(spec.name) != normalised:
            sure = UNGROUNDED
        reading.slot_confidence[spec.name] = sure

    def _refusal(
        self, spec: FieldSpec, raw: Any, restored: str | None, text_guard: Callable[[str], str | None] | None = None
    ) -> str | None:
        """Protected data (found, or put back from a placeholder), or the system prompt repeated.
        `text_guard` finds the protected data (a directory-aware `phi_reason`); `phi_reason` without it."""
        if not isinstance(raw, str):
            return None
        if self.leaks_prompt(raw):
            return _again(spec)
        reason = restored or (text_guard or phi_reason)(raw)
        return messages.PROTECTED.format(label=spec.display, reason=reason) if reason else None


def _confidence(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return 0.5
    return min(1.0, max(0.0, float(value)))


def _again(spec: FieldSpec) -> str:
    return messages.READ_AGAIN.format(label=messages.lowered(spec.display))


def _users_words(raw: Any, text: str) -> bool:
    """Whether a refused value is the user's own words (so a message may quote it)."""
    return plain(str(raw)).lower() in plain(text).lower()
