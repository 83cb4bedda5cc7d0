"""The offline parser: no network, no model download; trained from the catalog on first use.

    parser = OfflineParser(load_catalog(), load_directory())
    parser.parse("we need 3 monitors for 4 West, cost center 4410, about $900",
                 ParseContext(now=datetime.now()))

Intent: rules for the conversation intents, a small linear classifier over word and
character n-grams for the request types and out-of-scope (intents/offline/classifier/intent.py).
Slots: typed finders, cue words and the catalog's synonyms (intents/offline/extractors/slots.py), each
value normalised by the catalog's own code. Inside a draft, replies answer the pending
question or correct a field (intents/offline/extractors/followup.py).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from forms import messages
from forms.catalog import Catalog
from forms.kinds import NormalizeContext
from forms.spec import RequestTypeSpec
from intents import asides
from intents.base import ConversationIntent, ParseContext, People, Proposal
from intents.offline.classifier.intent import IntentModel, Reading, strip_small_talk
from intents.offline.classifier.reasons import out_of_scope_reason
from intents.offline.extractors.followup import answer, description_answer, named_correction
from intents.offline.extractors.people import PeopleIndex
from intents.offline.extractors.slots import Extraction, Found, extract, find_all
from intents.offline.extractors.suggest import counted_things, suggest
from intents.offline.extractors.values import mask
from intents.offline.text import email_body, expand_shorthand
from intents.redact import Redactor, phi_reason

COMMANDS = frozenset(ConversationIntent) - {ConversationIntent.OUT_OF_SCOPE}
"""The conversation intents a message asks for by itself (a rule reads each): one of them may
leave an open draft, while out of scope never does, as it is what an answer looks like."""
COMMAND_IN_DRAFT_CONFIDENCE = 0.95
"""How sure a command read inside a draft must be to be obeyed rather than read as an answer."""
NEW_TYPE_IN_DRAFT_CONFIDENCE = 0.9
"""How sure the classifier must be that a message of six words or more inside a draft asks for
another request type, for it to be read as that request rather than as answers for the draft
(the engine then sets the draft aside at `bot.core.conversation.SET_ASIDE_CONFIDENCE`)."""
UNSURE_OUT_OF_SCOPE = 0.75
"""Below this confidence, an out-of-scope reading offers the likeliest request types instead."""
_REQUEST_ID = re.compile(r"(?i)\b(?:REQ|request|ticket)\s*[-#:]?\s*#?\s*(\d{3,7})\b")


_PLACEHOLDER = re.compile(r"\[[A-Z]+_\d+\]")
_PLAIN = Redactor()
_MY_COST_CENTER = re.compile(
    r"(?i)\b(?:my|our|the\s+usual|same|mi|nuestro)\s+(?:own\s+)?(?:cost\s*cent(?:er|re)|cc|centro\s+de\s+costos?)\b"
    r"|\b(?:bill|charge)\s+(?:it\s+)?to\s+(?:me|us|my\s+unit|my\s+department)\b"
)


def _own_cost_center(spec: RequestTypeSpec, text: str, people: People | None, requester: str | None) -> dict[str, Any]:
    """ "use my cost center": the requester's own, from the directory, for the type's cost center field."""
    if people is None or not requester or not _MY_COST_CENTER.search(text):
        return {}
    person = getattr(people, "get", lambda _email: None)(requester)
    code = getattr(person, "cost_center", "") or ""
    field = next((f for f in spec.fields if f.kind.name == "cost_center"), None)
    return {field.name: code} if field is not None and code else {}


def _without_protected_data(text: str, redactor: Redactor) -> str:
    """The message as the classifier reads it: a patient's name or record number says nothing of
    the request ("el paciente Juan Pérez … el lavabo gotea" is no new hire)."""
    return _PLACEHOLDER.sub(" ", redactor.redact(text).text)


def _adds_to(spec: RequestTypeSpec, body: str, found: Extraction, values: Any) -> bool:
    """The message gives values the open form still lacks ("para LCH, gasto anual de unos
    150.000 dólares" while a vendor is being set up): it answers the form, whatever type its
    words alone would suggest."""
    if len(body.split()) > 25:
        return False  # a long message may well be a new request that happens to share a value
    new = [name for name in found.slots if name not in values and not spec.field(name).kind.free_text]
    return len(new) >= 2 or (len(new) == 1 and len(found.slots) == len(new) and len(body.split()) <= 8)


class OfflineParser:
    """Reads a message into a Proposal with the catalog and (optionally) the directory."""

    name = "offline"

    def __init__(self, catalog: Catalog, people: People | None = None) -> None:
        self.catalog = catalog
        self.people = people
        self.intents = IntentModel(catalog)
        self._indexes: dict[int, tuple[People, PeopleIndex]] = {}
        self._redactors: dict[int, tuple[People, Redactor]] = {}

    def warm(self) -> None:
        """Train the classifier and fill the per-type caches now instead of on the first messages."""
        _ = self.intents.model
        context = ParseContext(now=datetime.now())
        for spec in self.catalog.types.values():
            for example in spec.examples[:1]:
                self.parse(example, context)

    def _redactor(self, people: People | None) -> Redactor:
        if people is None:
            return _PLAIN
        cached = self._redactors.get(id(people))
        if cached is None or cached[0] is not people:
            cached = (people, Redactor.for_people(people))
            self._redactors[id(people)] = cached
        return cached[1]

    def _index(self, people: People | None) -> PeopleIndex | None:
        if people is None:
            return None
        cached = self._indexes.get(id(people))
        if cached is None or cached[0] is not people:
            cached = (people, PeopleIndex(people))
            self._indexes[id(people)] = cached
        return cached[1]

    def parse(self, text: str, context: ParseContext) -> Proposal:
        people = context.people or self.people
        redactor = self._redactor(people)  # knowing the directory: a staff name is no patient's
        ctx = NormalizeContext(
            today=context.now.date(),
            resolve_person=people.resolve if people is not None else None,
            requester=context.requester,
            text_guard=redactor.reason,  # no protected data in a proposed value, as in every field
        )
        # an email pasted in: its salutation, closing and signature say nothing; "w/" says "with"
        text = expand_shorthand(email_body(text))
        body = strip_small_talk(text).strip() or text
        reading = self.intents.read(_without_protected_data(text, redactor))
        draft = context.draft_type if context.draft_type in self.catalog else None
        if draft is not None:  # the message read as answers to the open form: once, for both uses
            spec = self.catalog.get(draft)
            values = find_all(body, ctx.today, self._index(people), self.catalog.kinds.identifiers)
            found = extract(spec, values, ctx)
            corrects = bool(named_correction(spec, body, ctx)) or _adds_to(spec, body, found, context.draft_values)
            if corrects or not self._leaves_draft(reading, body, draft):
                return self._in_draft(spec, body, values, found, context, ctx, people)
        if reading.intent in self.catalog:
            return self._new_request(self.catalog.get(reading.intent), reading, body, ctx, people)
        if reading.intent == ConversationIntent.OUT_OF_SCOPE:
            reason = out_of_scope_reason(body if body.strip() else text)
            return Proposal(
                intent=ConversationIntent.OUT_OF_SCOPE,
                confidence=reading.confidence,
                parser=self.name,
                reason=reason,
                alternatives=self._alternatives(reading) if reason == "other" else [],
            )
        slots: dict[str, Any] = {}
        if reading.intent == ConversationIntent.CHECK_STATUS:
            match = _REQUEST_ID.search(body)
            if match:
                slots["request_id"] = f"REQ-{match.group(1)}"
        return Proposal(intent=reading.intent, confidence=reading.confidence, slots=slots, parser=self.name)

    def _in_draft(
        self,
        spec: RequestTypeSpec,
        body: str,
        values: Found,
        found: Extraction,
        context: ParseContext,
        ctx: NormalizeContext,
        people: People | None,
    ) -> Proposal:
        """Replies and corrections inside an open form ("switch the cost center to 5120" edits it)."""
        aside = asides.read(body) if context.pending_field else None
        if aside is not None:  # "did someone pick this up yet?": a question of its own, no value for the form
            return self._aside(aside)
        found.slots.update(_own_cost_center(spec, body, people, context.requester))  # "use my cost center"
        if description_answer(spec, context.pending_field, found.slots, context.draft_values):
            found.slots.clear()  # "24-inch monitors" describes the item; it does not change the quantity
        found.slots.update(
            answer(
                spec,
                body,
                context.pending_field,
                dict(context.draft_values),
                ctx,
                found.slots,
                self.catalog.kinds.identifiers,
                rest=mask(body, values.taken),
            )
        )
        pending = context.pending_field
        if pending in spec.field_names and pending and pending not in found.slots and not found.slots:
            reason = ctx.text_guard(body) if ctx.text_guard else phi_reason(body)  # say why, as the field would
            if reason:
                found.errors[pending] = messages.PROTECTED.format(label=spec.field(pending).display, reason=reason)
        return self._proposal(spec.id, 0.9, spec, found.slots, found.errors, context.draft_values)

    def _aside(self, aside: asides.Aside) -> Proposal:
        """A question about something else asked inside a form (`intents.asides`): a status
        question, or a question about the policy (who approves, how long), never a value."""
        if aside.kind in ("this", "status"):
            slots = {"request_id": aside.ref} if aside.ref else {}
            return Proposal(intent=ConversationIntent.CHECK_STATUS, confidence=0.9, slots=slots, parser=self.name)
        return Proposal(
            intent=ConversationIntent.OUT_OF_SCOPE, confidence=0.9, reason="policy_question", parser=self.name
        )

    def _new_request(
        self, spec: RequestTypeSpec, reading: Reading, body: str, ctx: NormalizeContext, people: People | None
    ) -> Proposal:
        """A first message of a request type: what it says, and what it implies (suggestions)."""
        values = find_all(body, ctx.today, self._index(people), self.catalog.kinds.identifiers)
        found = extract(spec, values, ctx)
        proposal = self._proposal(spec.id, reading.confidence, spec, found.slots, found.errors, {})
        named = bool(values.mentions or values.emails)
        proposal.suggestions = suggest(
            spec, body, found.slots, values.taken, ctx.requester, others_named=named, guard=self._redactor(people)
        )
        for name, code in _own_cost_center(spec, body, people, ctx.requester).items():
            if name not in found.slots:
                proposal.suggestions.setdefault(name, code)
        things = counted_things(spec, mask(body, values.taken))
        item = next((f for f in spec.fields if f.required and f.kind.free_text and not f.narrative), None)
        if len(things) > 1 and item is not None and item.name not in found.slots:
            listed = messages.joined(things, messages.AND)
            proposal.errors.setdefault(item.name, messages.MORE_THAN_ONE_ITEM.format(items=listed))
        return proposal

    def _alternatives(self, reading: Reading) -> list[str]:
        """When out of scope is a close call, the two request types that scored best: better to
        ask which than to turn a real request away."""
        if reading.confidence >= UNSURE_OUT_OF_SCOPE:
            return []
        ranked = sorted((t for t in reading.scores if t in self.catalog), key=lambda t: -reading.scores[t])
        return ranked[:2]

    def _leaves_draft(self, reading: Reading, body: str, draft: str) -> bool:
        if reading.intent in COMMANDS:
            return reading.confidence >= COMMAND_IN_DRAFT_CONFIDENCE
        if reading.intent in self.catalog and reading.intent not in (ConversationIntent.OUT_OF_SCOPE, draft):
            return reading.confidence >= NEW_TYPE_IN_DRAFT_CONFIDENCE and len(body.split()) >= 6
        return False

    def _proposal(
        self,
        intent: str,
        confidence: float,
        spec: RequestTypeSpec,
        slots: dict[str, Any],
        errors: dict[str, str],
        draft: Any,
    ) -> Proposal:
        have = set(slots) | set(draft)
        missing = [f.name for f in spec.required if f.name not in have and f.default is None]
        return Proposal(
            intent=intent,
            confidence=confidence,
            slots=slots,
            slot_confidence=dict.fromkeys(slots, 0.9),
            errors={k: v for k, v in errors.items() if k not in slots},
            missing=missing,
            parser=self.name,
        )
