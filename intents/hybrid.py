"""The hybrid parser: the model reads the message, the offline parser checks what it can be sure of.

Codes, emails and amounts (kinds with `certain` set, forms/kinds/) are read by the offline parser with
certainty; when the model read one of them differently, the value is not guessed: the slot is
left empty with a low confidence and `errors` asks the user which it is. Every slot then gets
a decision from its confidence:

    fill     (>= fill threshold)     the value is used
    confirm  (>= confirm threshold)  the value is used and shown for checking on the review card;
                                     its slot_confidence tells the engine it is less sure
    ask      (below)                 the value is left out and `errors` asks for it again
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from forms import messages
from forms.catalog import Catalog
from forms.spec import FieldSpec, RequestTypeSpec
from intents.base import ConversationIntent, ParseContext, Parser, People, Proposal
from intents.guard import Reading
from intents.llm import LLMParser
from intents.prompts import REQUEST_ID

Decision = Literal["fill", "confirm", "ask"]
TextGuard = Callable[[str], str | None]
"""What protected data a value holds (`phi_reason`, knowing the directory when there is one)."""
AGREED = 1.0
DISAGREED = 0.1
OFFLINE_CERTAIN, OFFLINE_OTHER = 0.9, 0.7


@dataclass(frozen=True)
class Thresholds:
    """Per-slot confidence thresholds (FRONTDOOR_LLM_FILL_THRESHOLD, FRONTDOOR_LLM_CONFIRM_THRESHOLD)."""

    fill: float = 0.8
    confirm: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.confirm <= self.fill <= 1.0:
            raise ValueError("thresholds need 0 <= confirm <= fill <= 1")


def decide(confidence: float, thresholds: Thresholds = Thresholds()) -> Decision:
    """Fill, ask the user to confirm, or ask for the value again."""
    if confidence >= thresholds.fill:
        return "fill"
    if confidence >= thresholds.confirm:
        return "confirm"
    return "ask"


def shown(spec: FieldSpec, value: Any) -> str:
    """A normalised value as the user reads it in a question."""
    return spec.kind.quoted(value)


@dataclass
class _Slots:
    values: dict[str, Any]
    confidence: dict[str, float]
    errors: dict[str, str]


class HybridParser:
    """A Parser: the LLM parser's reading, cross-checked by the offline parser."""

    name = "hybrid"

    def __init__(
        self,
        llm: LLMParser,
        offline: Parser,
        thresholds: Thresholds | None = None,
        *,
        fill_threshold: float | None = None,
        confirm_threshold: float | None = None,
    ) -> None:
        base = thresholds or Thresholds()
        self.thresholds = Thresholds(
            fill_threshold if fill_threshold is not None else base.fill,
            confirm_threshold if confirm_threshold is not None else base.confirm,
        )
        self.llm = llm
        self.offline = offline
        self.catalog: Catalog = llm.catalog

    def parse(self, text: str, context: ParseContext) -> Proposal:
        offline = self.offline.parse(text, context)
        reading = self.llm.read(text, context)
        if reading is None:
            return offline.model_copy(update={"llm_calls": 1})
        if reading.intent_refused:
            return offline.model_copy(update={"llm_calls": 1})
        if (
            reading.intent == ConversationIntent.OUT_OF_SCOPE
            and (offline.slots or offline.errors)
            and offline.intent == context.draft_type
        ):
            reading = Reading(offline.intent, offline.confidence, offline.intent)  # an answer inside the draft
        if reading.type_id is None:
            return self._conversation(reading, offline, context)
        spec = self.catalog.get(reading.type_id)
        merged = self._merge(spec, reading, offline, self.llm.text_guard(context))
        confidence = (
            max(reading.confidence, offline.confidence) if offline.intent == reading.intent else reading.confidence
        )
        return Proposal(
            intent=reading.intent,
            confidence=confidence,
            slots=merged.values,
            slot_confidence=merged.confidence,
            errors=merged.errors,
            missing=self.llm.missing(reading.type_id, merged.values, context),
            parser=self.name,
            llm_calls=1,
        )

    def _conversation(self, reading: Reading, offline: Proposal, context: ParseContext) -> Proposal:
        """check_status, help...: the model's intent; a request id the model missed comes from offline."""
        proposal = self.llm.proposal(reading, context).model_copy(update={"parser": self.name})
        if reading.intent == offline.intent == ConversationIntent.CHECK_STATUS and REQUEST_ID not in reading.slots:
            found = offline.slots.get(REQUEST_ID)
            if found:
                proposal.slots[REQUEST_ID] = found
        return proposal

    def _merge(self, spec: RequestTypeSpec, reading: Reading, offline: Proposal, text_guard: TextGuard) -> _Slots:
        out = _Slots({}, {}, {})
        names = [f.name for f in spec.fields if f.name in reading.slots or f.name in offline.slots]
        for name in names:
            self._slot(out, spec.field(name), reading, offline, text_guard)
        for name, message in {**offline.errors, **reading.errors}.items():
            if name in spec.field_names and name not in out.values:
                out.errors.setdefault(name, message)
        return out

    def _slot(self, out: _Slots, spec: FieldSpec, reading: Reading, offline: Proposal, text_guard: TextGuard) -> None:
        name = spec.name
        mine, theirs = reading.slots.get(name), offline.slots.get(name)
        offline_conf = offline.slot_confidence.get(name, OFFLINE_CERTAIN if spec.kind.certain else OFFLINE_OTHER)
        if mine is not None and theirs is not None and mine != theirs and spec.kind.certain:
            out.confidence[name] = DISAGREED
            label = messages.lowered(spec.display)
            out.errors[name] = messages.READ_TWO_WAYS.format(
                label=label, first=shown(spec, theirs), second=shown(spec, mine)
            )
            return
        if mine is None:
            value, confidence = theirs, offline_conf
        elif mine == theirs:
            value, confidence = mine, AGREED
        else:
            value, confidence = mine, reading.slot_confidence.get(name, 0.0)
        out.confidence[name] = confidence
        reason = text_guard(value) if isinstance(value, str) else None
        if reason:  # the offline reading refuses such data too; checked again whatever the parser
            out.errors[name] = messages.PROTECTED.format(label=spec.display, reason=reason)
            return
        if decide(confidence, self.thresholds) == "ask":
            quoted = "" if spec.kind.free_text else f" ({shown(spec, value)})"  # never the model's free text
            out.errors[name] = messages.NOT_SURE.format(label=messages.lowered(spec.display), shown=quoted)
            return
        out.values[name] = value


class LLMSettings(Protocol):
    """The settings the LLM parser reads (bot.settings.Settings has them)."""

    llm: str
    llm_timeout: float
    llm_fill_threshold: float
    llm_confirm_threshold: float
    debug_log_text: bool


def build_llm_parser(settings: LLMSettings, catalog: Catalog, people: People, offline: Parser) -> HybridParser:
    """The parser for FRONTDOOR_LLM=<provider:model>: the model, checked by and falling back to `offline`.
    What the model is sent is redacted knowing `people` (`Redactor.for_people`): the directory's
    staff are not taken for patients, emails outside its domains are redacted."""
    llm = LLMParser(
        catalog,
        people,
        model_spec=settings.llm,
        fallback=offline,
        timeout=settings.llm_timeout,
        debug_log_text=settings.debug_log_text,
    )
    return HybridParser(llm, offline, Thresholds(settings.llm_fill_threshold, settings.llm_confirm_threshold))


__all__ = ["REQUEST_ID", "HybridParser", "LLMSettings", "Thresholds", "build_llm_parser", "decide"]
