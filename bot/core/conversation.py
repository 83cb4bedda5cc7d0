"""The conversation: a draft per person and place that fills over several messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core import approvals, queries
from bot.core import messages as say
from bot.core.cards import closed_review_card, display_value, form_card, review_card
from bot.core.delegation import try_delegation
from bot.core.events import Action, ActionName, Message
from bot.core.queries import request_line
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Turn
from bot.core.typed import typed_action
from bot.store import repo
from bot.store.models import ClosedDraft, Draft
from forms import FieldError, NormalizeContext, RequestTypeSpec, check_form, normalize_field
from intents.base import REQUEST_INTENTS_EXTRA, ConversationIntent, ParseContext, Proposal
from intents.redact import phi_reason

SET_ASIDE_CONFIDENCE = 0.75
"""How sure a proposal of another request type must be for the open draft to be set aside and a
new one started; below it the message goes on filling the open draft."""
_OBEYED_WHILE_ASKED = (ConversationIntent.CANCEL, ConversationIntent.HELP)
"""While an approver's question waits, these are obeyed; any other message is the answer."""


def normalize_context(turn: Turn, person: str) -> NormalizeContext:
    return NormalizeContext(
        today=turn.local_now.date(),
        resolve_person=turn.services.directory.resolve,
        requester=person,
        text_guard=phi_reason,
    )


def _reply(turn: Turn, msg: Message | Action, text: str, kind: OutKind = OutKind.REPLY, ref: str | None = None) -> None:
    turn.send(Outgoing(kind, msg.person, text, ref, place=msg.place))


def handle_message(turn: Turn, msg: Message) -> None:
    """Read a message: answer a question, start or fill a draft, or show it for review."""
    if turn.services.directory.get(msg.person) is None:
        return _reply(turn, msg, say.UNKNOWN_PERSON, OutKind.ERROR)
    if try_delegation(turn, msg):
        return None
    draft = repo.get_draft(turn.session, msg.person, msg.place.key)
    typed = typed_action(msg.text)
    if typed is not None and _typed_button(turn, msg, draft, typed):
        return None
    context = parse_context(turn, msg, draft)
    ahead = turn.parsed
    if ahead is not None and ahead.text == msg.text and same_draft(ahead.context, context):
        proposal = ahead.proposal  # read before the transaction, against this same draft
    else:
        proposal = turn.services.parser.parse(msg.text, context)
    if draft is not None and draft.info_request and proposal.intent not in _OBEYED_WHILE_ASKED:
        return approvals.answer_info(turn, draft, msg.text)
    if proposal.intent in REQUEST_INTENTS_EXTRA and not _is_answer(turn, draft, proposal, msg.text):
        return _conversation_intent(turn, msg, draft, proposal)
    _fill(turn, msg, draft, proposal)


RECENTLY_CLOSED = timedelta(minutes=30)
"""How long after a form was closed a typed "confirm" or "cancel" is taken to mean that form."""


def _typed_button(turn: Turn, msg: Message, draft: Draft | None, typed: ActionName) -> bool:
    """A typed "confirm", "edit" or "cancel" under a review card presses that button, with the same
    checks; right after the form was closed, the person is told what became of it. Only in a direct
    conversation, and not while an approver's question waits for an answer. False when the words
    are to be read as usual (a form still being filled reads them as answers or corrections)."""
    if not msg.place.direct or (draft is not None and draft.info_request):
        return False  # in a shared thread a "yes" may be for a colleague; an approver's question is answered
    if draft is not None and draft.type_id is not None and draft.state == "review":
        turn.source = {**turn.source, "typed": True}
        action = Action(msg.person, msg.place, typed, draft=draft.id, version=draft.version, event_id=msg.event_id)
        handle_draft_action(turn, action)
        return True
    if draft is not None and draft.type_id is not None and typed is ActionName.CONFIRM:
        if _fits_pending(turn, draft, msg.text):
            return False  # "yes" may be the answer to the question asked
        spec = turn.services.catalog.get(draft.type_id)  # never submits: says what is missing, or shows the review
        advance(turn, msg, draft, spec, {}, _still_needed(turn, draft, spec), recap=False)
        return True
    if draft is not None or typed is ActionName.EDIT:
        return False
    closed = repo.last_closed_draft(turn.session, msg.person, msg.place.key)
    if closed is None or turn.now - closed.closed_at > RECENTLY_CLOSED:
        return False
    text = closed_text(turn, closed)
    if typed is ActionName.CANCEL and closed.outcome == "submitted":
        text += " " + say.NOTHING_TO_CANCEL
    _reply(turn, msg, text)
    return True


def closed_text(turn: Turn, closed: ClosedDraft) -> str:
    """What became of a closed form: "Already submitted as REQ-1001 · … · waiting for …"."""
    if closed.outcome == "submitted" and closed.request_ref:
        request = repo.request_by_ref(turn.session, closed.request_ref)
        line = request_line(turn, request) if request is not None else closed.request_ref
        return say.ALREADY_SUBMITTED.format(line=line)
    if closed.outcome == "set_aside":
        return say.SET_ASIDE
    return say.ALREADY_CANCELLED


def parse_context(turn: Turn, msg: Message, draft: Draft | None) -> ParseContext:
    """What the parser is told besides the text: the time, the person and their open draft."""
    return ParseContext(
        now=turn.local_now,
        requester=msg.person,
        draft_type=draft.type_id if draft else None,
        draft_values=dict(draft.values) if draft else {},
        pending_field=draft.pending_field if draft else None,
        people=turn.services.directory,
    )


def same_draft(first: ParseContext, second: ParseContext) -> bool:
    """Whether two contexts describe the same person and draft (the time may differ)."""
    return (first.requester, first.draft_type, dict(first.draft_values), first.pending_field) == (
        second.requester,
        second.draft_type,
        dict(second.draft_values),
        second.pending_field,
    )


def _is_answer(turn: Turn, draft: Draft | None, proposal: Proposal, text: str) -> bool:
    """An out-of-scope reading of a reply to our question is really an answer ("Kronos")."""
    return proposal.intent == ConversationIntent.OUT_OF_SCOPE and _fits_pending(turn, draft, text)


def _fits_pending(turn: Turn, draft: Draft | None, text: str) -> bool:
    """Whether `text` is a value for the question the draft asked."""
    if draft is None or draft.type_id is None or not draft.pending_field:
        return False
    spec = turn.services.catalog.get(draft.type_id)
    try:
        normalize_field(spec, draft.pending_field, text, normalize_context(turn, draft.person))
    except FieldError:
        return False
    return True


def _conversation_intent(turn: Turn, msg: Message, draft: Draft | None, proposal: Proposal) -> None:
    if proposal.intent == ConversationIntent.CANCEL:
        if draft is None or draft.type_id is None:
            return _reply(turn, msg, say.NOTHING_TO_CANCEL)
        return _cancel(turn, msg, draft, turn.services.catalog.get(draft.type_id))
    if proposal.intent == ConversationIntent.CHECK_STATUS:
        return _reply(turn, msg, queries.status_text(turn, msg.person, proposal.slots.get("request_id")))
    if proposal.intent == ConversationIntent.LIST_APPROVALS:
        return queries.list_approvals(turn, msg)
    if proposal.intent == ConversationIntent.HELP:
        types = say.bullet(t.title + " — " + t.description for t in turn.services.catalog.types.values())
        text = f"{say.HELP_INTRO}\n{types}\n{say.HELP_TAIL}"
    else:
        text = _not_a_request(turn, msg, proposal)
    if draft is not None and draft.type_id and draft.pending_field:
        spec = turn.services.catalog.get(draft.type_id)
        text += f"\n\nBack to your {spec.title.lower()}: {spec.field(draft.pending_field).ask}"
    _reply(turn, msg, text)


_THANKS = ("thank", "thx", "ty", "gracias", "cheers")
_WHO = ("bot", "robot", "human", "who are", "what are you", "real", "person", "humano", " ai")


def _not_a_request(turn: Turn, msg: Message, proposal: Proposal) -> str:
    """The answer to a message that is not a request, fitted to why (a short line, no catalog)."""
    lowered = f" {msg.text.lower()}"
    if proposal.reason == "smalltalk":
        if any(word in lowered for word in _WHO):
            return say.WHO_I_AM
        return say.THANKS if any(word in lowered for word in _THANKS) else say.GREETING
    if proposal.reason == "clinical":
        return say.CLINICAL.format(resource=turn.services.clinical_resource)
    if proposal.reason == "policy_question":
        return say.POLICY
    choices = [turn.services.catalog.get(t).title.lower() for t in proposal.alternatives if t in turn.services.catalog]
    if choices:
        return say.WHICH_TYPE.format(choices=" or ".join(f"{'an' if c[0] in 'aeiou' else 'a'} {c}" for c in choices))
    return say.REFUSED


def _open_draft(turn: Turn, msg: Message, draft: Draft | None, type_id: str) -> tuple[Draft, str]:
    """The draft to fill: the open one, or a new one for `type_id` (setting aside another type)."""
    note = ""
    if draft is not None and draft.type_id not in (None, type_id):
        old = turn.services.catalog.get(str(draft.type_id)).title.lower()
        note = f"(I've set aside the {old} you started.) "
        repo.close_draft(turn.session, draft, "set_aside", turn.now)
        draft = None
    if draft is None:
        draft = Draft(
            person=msg.person,
            place=msg.place.key,
            place_info=msg.place.as_dict(),
            type_id=type_id,
            values={},
            state="filling",
            version=1,
            unsure=[],
            created_at=turn.now,
            updated_at=turn.now,
        )
        turn.session.add(draft)  # written once it is filled (one INSERT), see `_draft_id`
    elif draft.type_id is None:
        draft.type_id = type_id
    return draft, note


def _fill(turn: Turn, msg: Message, draft: Draft | None, proposal: Proposal) -> None:
    type_id = proposal.intent if proposal.intent in turn.services.catalog else (draft.type_id if draft else None)
    if draft is not None and draft.type_id and proposal.intent != draft.type_id:
        switch = proposal.intent in turn.services.catalog and proposal.confidence >= SET_ASIDE_CONFIDENCE
        type_id = proposal.intent if switch else draft.type_id
    if type_id is None:
        return _conversation_intent(
            turn, msg, draft, proposal.model_copy(update={"intent": ConversationIntent.OUT_OF_SCOPE})
        )
    draft, note = _open_draft(turn, msg, draft, type_id)
    spec = turn.services.catalog.get(type_id)
    raw = {**{k: v for k, v in proposal.suggestions.items() if k not in draft.values}, **proposal.slots}
    if not raw and draft.pending_field and proposal.intent in (type_id, ConversationIntent.OUT_OF_SCOPE):
        raw[draft.pending_field] = msg.text
    errors = _merge(turn, draft, spec, raw)
    unsure = {k for k, c in proposal.slot_confidence.items() if c < turn.services.fill_threshold and k in raw}
    draft.unsure = sorted((set(draft.unsure or []) - set(raw)) | (unsure & set(draft.values)))
    errors.update({k: v for k, v in proposal.errors.items() if k in spec.field_names})
    advance(turn, msg, draft, spec, errors, note)


def _merge(turn: Turn, draft: Draft, spec: RequestTypeSpec, raw: dict[str, Any]) -> dict[str, str]:
    """Validate every proposed value with the catalog's own code; keep what passes."""
    values, errors = dict(draft.values), {}
    context = normalize_context(turn, draft.person)
    for name, value in raw.items():
        if name not in spec.field_names:
            continue
        try:
            values[name] = normalize_field(spec, name, value, context)
        except FieldError as exc:
            errors[name] = exc.message
    if values != draft.values:
        draft.values = values
        draft.version += 1
    draft.updated_at = turn.now
    return errors


def advance(
    turn: Turn,
    msg: Message | Action,
    draft: Draft,
    spec: RequestTypeSpec,
    errors: dict[str, str],
    note: str = "",
    recap: bool = True,
) -> None:
    """Ask for the next missing field, or show the filled form for review."""
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    errors = {**check.errors, **errors}
    lead = note + (say.refused_values(errors) + " " if errors else "")
    pending = next(iter(errors), None) or (check.missing[0] if check.missing else None)
    if pending is not None:
        draft.pending_field, draft.state = pending, "filling"
        if not draft.values and not errors and not note:
            lead = f"Let's set up a {spec.title.lower()}. "
        elif not errors and recap:
            lead += _understood(turn, spec, draft.values)
        return _reply(turn, msg, lead + spec.field(pending).ask)
    draft.pending_field, draft.state = None, "review"
    card = review_card(spec, check.values, _draft_id(turn, draft), draft.version, turn.services.directory)
    text = lead + f"Here is your {spec.title.lower()}. Confirm to submit, or edit it."
    if draft.unsure:
        labels = ", ".join(spec.field(n).display.lower() for n in draft.unsure if n in spec.field_names)
        text += f" Please check the {labels}: I wasn't sure I read it right."
    turn.send(Outgoing.new_card(draft.person, text, card, f"draft:{draft.id}", place=msg.place))


def _draft_id(turn: Turn, draft: Draft) -> int:
    """The draft's id, writing a new draft first."""
    if draft.id is None:
        turn.session.flush()
    return draft.id


def _understood(turn: Turn, spec: RequestTypeSpec, values: dict[str, Any]) -> str:
    shown = [
        f"{f.display.lower()} {display_value(f, values[f.name], turn.services.directory)}"
        for f in spec.fields
        if f.name in values
    ][:4]
    return f"Got it ({', '.join(shown)}). " if shown else ""


def handle_draft_action(turn: Turn, action: Action) -> None:
    """Confirm, Edit, Cancel or a submitted edit form on a review card."""
    draft = repo.get_draft(turn.session, action.person, action.place.key)
    if draft is not None and action.draft is not None and draft.id != action.draft:
        draft = None
    if draft is None or draft.type_id is None:
        other = turn.session.get(Draft, action.draft) if action.draft is not None else None
        closed = repo.closed_draft(turn.session, action.draft) if action.draft is not None else None
        owner = other.person if other is not None else closed.person if closed is not None else action.person
        if owner != action.person:
            name = turn.services.directory.name(owner)
            return _reply(turn, action, say.NOT_YOUR_DRAFT.format(name=name), OutKind.ERROR)
        if closed is not None:  # a second Confirm (a double click), a late Cancel or Edit
            return _reply(turn, action, closed_text(turn, closed))
        return _reply(turn, action, say.NO_DRAFT, OutKind.ERROR)
    spec = turn.services.catalog.get(draft.type_id)
    if action.action is ActionName.CANCEL:
        return _cancel(turn, action, draft, spec)
    if action.action is ActionName.EDIT:
        draft.state = "filling"
        card = form_card(spec, draft.values, draft.id, draft.version)
        turn.send(Outgoing.new_card(action.person, say.EDIT_PROMPT, card, f"form:{draft.id}", place=action.place))
        return None
    if action.action is ActionName.SUBMIT_EDIT:
        return _submit_edit(turn, action, draft, spec)
    if action.version is not None and action.version != draft.version:
        _reply(turn, action, say.STALE_FORM, OutKind.ERROR)
        return advance(turn, action, draft, spec, {})
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    if not check.complete:  # say what is still missing, then ask for it
        return advance(turn, action, draft, spec, {}, _still_needed(turn, draft, spec), recap=False)
    draft_id = draft.id
    if not repo.close_draft(turn.session, draft, "submitted", turn.now):
        return _closed_meanwhile(turn, action, draft_id)  # a Confirm or Cancel at the same moment won
    request = approvals.submit(turn, draft, check.values)
    if draft_id is not None:
        repo.closed_as(turn.session, draft_id, request.ref)
    _close_review(turn, draft, spec, f"Submitted as {request.ref}.", check.values)


def _still_needed(turn: Turn, draft: Draft, spec: RequestTypeSpec) -> str:
    """ "Nothing was submitted yet: the form still needs …", or "" when it is complete."""
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    if check.complete:
        return ""
    needed = [spec.field(n).display.lower() for n in [*check.errors, *check.missing] if n in spec.field_names]
    return say.not_complete(list(dict.fromkeys(needed)))


def _cancel(turn: Turn, event: Message | Action, draft: Draft, spec: RequestTypeSpec) -> None:
    draft_id = draft.id
    if not repo.close_draft(turn.session, draft, "cancelled", turn.now):
        return _closed_meanwhile(turn, event, draft_id)
    _close_review(turn, draft, spec, "Cancelled — nothing was submitted.")
    return _reply(turn, event, say.DRAFT_CANCELLED)


def _closed_meanwhile(turn: Turn, event: Message | Action, draft_id: int | None) -> None:
    closed = repo.closed_draft(turn.session, draft_id) if draft_id is not None else None
    _reply(turn, event, closed_text(turn, closed) if closed is not None else say.NO_DRAFT)


def _close_review(
    turn: Turn, draft: Draft, spec: RequestTypeSpec, status: str, values: dict[str, Any] | None = None
) -> None:
    """Take the buttons off the draft's review card, and say what became of it (a draft that never
    reached review has no card posted, and the update goes nowhere)."""
    card = closed_review_card(spec, values if values is not None else draft.values, turn.services.directory, status)
    turn.send(Outgoing.card_changed(draft.person, status, card, f"draft:{draft.id}"))


def _submit_edit(turn: Turn, action: Action, draft: Draft, spec: RequestTypeSpec) -> None:
    raw = {k: v for k, v in (action.values or {}).items() if k in spec.field_names}
    cleared = [k for k, v in raw.items() if v in (None, "")]
    errors = _merge(turn, draft, spec, {k: v for k, v in raw.items() if k not in cleared})
    for name in cleared:
        if not spec.field(name).required:
            draft.values = {k: v for k, v in draft.values.items() if k != name}
    if errors:
        card = form_card(spec, {**draft.values, **raw}, draft.id, draft.version, errors)
        turn.send(
            Outgoing.error(
                action.person,
                say.refused_values(errors),
                None,
                card=card,
                card_key=f"form:{draft.id}",
                place=action.place,
            )
        )
        return None
    advance(turn, action, draft, spec, {})
