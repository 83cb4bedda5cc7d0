"""The conversation: a draft per person and place that fills over several messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.core import approvals, asides, lifecycle, notes, queries, second
from bot.core import messages as say
from bot.core.cards import (
    MAX_CHOICE_BUTTONS,
    choice_card,
    closed_review_card,
    display_value,
    form_card,
    missing_card,
    review_card,
)
from bot.core.delegation import try_delegation
from bot.core.events import Action, ActionName, Message
from bot.core.queries import request_line
from bot.core.replies import InputHint, Outgoing, OutKind
from bot.core.turn import Turn
from bot.core.typed import asks_what_is_missing, says_yes_first, typed_action
from bot.insight import chat as insight_chat
from bot.store import repo
from bot.store.models import ClosedDraft, Draft
from forms import FieldError, FormCheck, NormalizeContext, RequestTypeSpec, check_form, normalize_field
from intents.base import REQUEST_INTENTS_EXTRA, ConversationIntent, ParseContext, Proposal

SET_ASIDE_CONFIDENCE = 0.75
"""How sure a proposal of another request type must be for the open draft to be set aside and a
new one started; below it the message goes on filling the open draft."""
_OBEYED_WHILE_ASKED = (ConversationIntent.CANCEL, ConversationIntent.HELP)
"""While an approver's question waits, these are obeyed; any other message is the answer."""
CLEAR_TYPE = 0.9
"""How sure a reading of the second part of a message must be to count as a request of its own
when it names no value."""
STUCK_AFTER = 2
"""Replies in a row that leave the field asked for empty before it is not asked again in words:
its choices are offered as buttons, or the form so far with Edit."""


def normalize_context(turn: Turn, person: str) -> NormalizeContext:
    """What the catalog's normalisers need; every text is checked for protected data knowing the
    directory, so a member of staff named beside a room ("Emma Wilson in room 3B") is no patient."""
    return NormalizeContext(
        today=turn.local_now.date(),
        resolve_person=turn.services.directory.resolve,
        requester=person,
        text_guard=turn.services.text_guard,
    )


def _reply(turn: Turn, msg: Message | Action, text: str, kind: OutKind = OutKind.REPLY, ref: str | None = None) -> None:
    turn.send(Outgoing(kind, msg.person, text, ref, place=msg.place))


def handle_message(turn: Turn, msg: Message) -> None:
    """Read a message: answer a question, start or fill a draft, or show it for review."""
    if turn.services.directory.get(msg.person) is None:
        return _reply(turn, msg, say.unknown_person(turn.services.help_contact), OutKind.ERROR)
    if try_delegation(turn, msg):
        return None
    if insight_chat.answer(turn, msg):  # "how is my team doing on approvals?" (bot/insight/chat.py)
        return None
    draft = _active(turn, repo.get_draft(turn.session, msg.person, msg.place.key))
    typed = typed_action(msg.text)
    if typed is None and lifecycle.handle(turn, msg, draft, start_again):  # "withdraw REQ-1001", "deny 1001 — …"
        return None
    if typed is not None and _typed_button(turn, msg, draft, typed):
        return None
    if draft is not None and draft.type_id and not draft.info_request and asks_what_is_missing(msg.text):
        return _what_is_missing(turn, msg, draft)
    if draft is not None and asides.answer(turn, msg, draft):  # "did someone pick this up yet?" is no value
        return None
    context = parse_context(turn, msg, draft)
    ahead = turn.parsed
    if ahead is not None and ahead.text == msg.text and same_draft(ahead.context, context):
        proposal = ahead.proposal  # read before the transaction, against this same draft
    else:
        proposal = turn.services.parser.parse(msg.text, context)
    if draft is not None and draft.info_request and proposal.intent not in _OBEYED_WHILE_ASKED:
        return approvals.answer_info(turn, draft, msg.text)
    if draft is not None and notes.get(draft).get(notes.OFFER) and _answer_offer(turn, msg, draft, typed, proposal):
        return None
    if proposal.intent in REQUEST_INTENTS_EXTRA and not _is_answer(turn, draft, proposal, msg.text):
        return _conversation_intent(turn, msg, draft, proposal)
    msg, proposal, later = _second_request(turn, msg, draft, context, proposal)
    _fill(turn, msg, draft, proposal, later)


def _active(turn: Turn, draft: Draft | None) -> Draft | None:
    """The person wrote in the place of `draft`: its last activity is now, so the one nudge of an
    unfinished form waits from now (`bot.core.nudge`)."""
    if draft is not None:
        draft.updated_at = turn.now
    return draft


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
    if draft is not None and draft.type_id is not None and typed in (ActionName.CONFIRM, ActionName.CANCEL):
        if _answers_pending(turn, draft, msg.text):
            return False  # "yes" may be the answer to the question asked; "sí, envíalo" is no description
        spec = turn.services.catalog.get(draft.type_id)
        if typed is ActionName.CANCEL:
            _cancel(turn, msg, draft, spec)
            return True
        advance(turn, msg, draft, spec, {}, _still_needed(turn, draft, spec), recap=False)  # never submits
        return True
    if draft is not None or typed is ActionName.EDIT:
        return False
    closed = repo.last_closed_draft(turn.session, msg.person, msg.place.key)
    if closed is None or turn.now - closed.closed_at > RECENTLY_CLOSED:
        return False
    text = closed_text(turn, closed)
    if typed is ActionName.CANCEL and closed.outcome == "submitted":
        text += " " + say.NOTHING_TO_CANCEL
        if closed.request_ref:
            text += " " + say.TO_WITHDRAW.format(ref=closed.request_ref)
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


def _answers_pending(turn: Turn, draft: Draft, text: str) -> bool:
    """Whether words that press a button ("yes", "sí, envíalo", "cancel") are rather the answer to
    the question asked: only where the field reads them as a value of its own (a yes/no, a choice),
    never as the free words of a description."""
    if not draft.type_id or not draft.pending_field or not _fits_pending(turn, draft, text):
        return False
    spec = turn.services.catalog.get(draft.type_id)
    return draft.pending_field in spec.field_names and not spec.field(draft.pending_field).kind.free_text


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
        needed = _needed(turn, draft, spec) if proposal.intent == ConversationIntent.HELP else []
        still = say.STILL_NEED.format(needed=say.listed(needed)) if needed else ""
        text += say.BACK_TO.format(title=spec.title.lower(), still=still, ask=spec.field(draft.pending_field).ask)
    _reply(turn, msg, text)


def _what_is_missing(turn: Turn, msg: Message, draft: Draft) -> None:
    """ "What else do you need?" in the middle of a form: what it still needs, then the question
    (or, when nothing is missing, the review card). Not an answer, and not a reply that missed."""
    spec = turn.services.catalog.get(str(draft.type_id))
    needed = _needed(turn, draft, spec)
    lead = say.still_needed(spec.title.lower(), needed) if needed else say.NOTHING_MISSING
    advance(turn, msg, draft, spec, {}, lead, recap=False, counted=False)


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
        return say.CLINICAL.format(resource=turn.services.clinical_resource or str(say.CLINICAL_RESOURCE))
    if proposal.reason == "policy_question":
        return say.POLICY
    choices = [turn.services.catalog.get(t).title.lower() for t in proposal.alternatives if t in turn.services.catalog]
    if choices:
        return say.WHICH_TYPE.format(choices=str(say.OR).join(say.a_or_an(c) for c in choices))
    return say.REFUSED


def _open_draft(turn: Turn, msg: Message, draft: Draft | None, type_id: str) -> tuple[Draft, str]:
    """The draft to fill: the open one, or a new one for `type_id` (setting aside another type)."""
    note, carried = "", []
    if draft is not None and draft.type_id not in (None, type_id):
        old = turn.services.catalog.get(str(draft.type_id)).title.lower()
        note = say.SET_ASIDE_NOTE.format(title=old)
        carried = [n for n in notes.get(draft).get(notes.LATER) or [] if n.get("type") != type_id]
        repo.close_draft(turn.session, draft, "set_aside", turn.now)
        draft = None
    if draft is None:
        draft = _new_draft(turn, msg.person, msg.place.key, msg.place.as_dict(), type_id, "filling")
        notes.put(draft, notes.LATER, carried)
        turn.session.add(draft)  # written once it is filled (one INSERT), see `_draft_id`
    elif draft.type_id is None:
        draft.type_id = type_id
    return draft, note


def _new_draft(
    turn: Turn, person: str, place: str, place_info: dict[str, Any], type_id: str | None, state: str
) -> Draft:
    """A form not yet written: the caller adds it to the session."""
    return Draft(
        person=person,
        place=place,
        place_info=place_info,
        type_id=type_id,
        values={},
        state=state,
        version=1,
        unsure=[],
        created_at=turn.now,
        updated_at=turn.now,
    )


def _fill(turn: Turn, msg: Message, draft: Draft | None, proposal: Proposal, later: dict[str, Any] | None) -> None:
    type_id = proposal.intent if proposal.intent in turn.services.catalog else (draft.type_id if draft else None)
    if draft is not None and draft.type_id and proposal.intent != draft.type_id:
        switch = proposal.intent in turn.services.catalog and proposal.confidence >= SET_ASIDE_CONFIDENCE
        type_id = proposal.intent if switch else draft.type_id
    if type_id is None:
        return _conversation_intent(
            turn, msg, draft, proposal.model_copy(update={"intent": ConversationIntent.OUT_OF_SCOPE})
        )
    draft, note = _open_draft(turn, msg, draft, type_id)
    told = ""
    if later is not None:  # a second request in the same message: kept, offered when this one closes
        notes.put(draft, notes.LATER, [*(notes.get(draft).get(notes.LATER) or []), later])
        told = say.NOTED_LATER.format(what=_describe(turn, later, "the"))
    spec = turn.services.catalog.get(type_id)
    raw = {**{k: v for k, v in proposal.suggestions.items() if k not in draft.values}, **proposal.slots}
    if not raw and draft.pending_field and proposal.intent in (type_id, ConversationIntent.OUT_OF_SCOPE):
        raw[draft.pending_field] = msg.text
    errors = _merge(turn, draft, spec, raw)
    unsure = {k for k, c in proposal.slot_confidence.items() if c < turn.services.fill_threshold and k in raw}
    draft.unsure = sorted((set(draft.unsure or []) - set(raw)) | (unsure & set(draft.values)))
    errors.update({k: v for k, v in proposal.errors.items() if k in spec.field_names})
    advance(turn, msg, draft, spec, errors, note, told=told)


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
    counted: bool = True,
    told: str = "",
) -> None:
    """Ask for the next missing field, or show the filled form for review. `told` opens the reply;
    `counted`: whether a field asked for again counts as a reply that missed it (after
    STUCK_AFTER in a row it is offered as buttons or as the form, not asked again in words)."""
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    errors = {**check.errors, **errors}
    lead = note + (say.refused_values(errors) + " " if errors else "")
    pending = next(iter(errors), None) or (check.missing[0] if check.missing else None)
    if pending is not None:
        misses = _count_misses(draft, pending, counted)
        draft.pending_field, draft.state = pending, "filling"
        if misses >= STUCK_AFTER:
            return _offer_field(turn, msg, draft, spec, pending, told + lead, check)
        if not draft.values and not errors and not note:
            lead = say.LETS_SET_UP.format(title=say.a_or_an(spec.title.lower()))
        elif not errors and recap:
            lead += _understood(turn, spec, draft.values)
        return _reply(turn, msg, told + lead + spec.field(pending).ask)
    notes.put(draft, notes.MISSED, None)
    draft.pending_field, draft.state = None, "review"
    card = review_card(spec, check.values, _draft_id(turn, draft), draft.version, turn.services.directory)
    text = told + lead + say.HERE_IS_FORM.format(title=spec.title.lower())
    if draft.unsure:
        labels = ", ".join(spec.field(n).display.lower() for n in draft.unsure if n in spec.field_names)
        text += say.PLEASE_CHECK.format(labels=labels)
    turn.send(Outgoing.new_card(draft.person, text, card, f"draft:{draft.id}", place=msg.place))


def _count_misses(draft: Draft, pending: str, counted: bool) -> int:
    """How many replies in a row left `pending` empty: one more when it was the field asked for
    and is asked for again; none once another field is asked for (it was filled, or another
    needs fixing first)."""
    missed = notes.get(draft).get(notes.MISSED) or {}
    times = int(missed.get("times", 0)) if missed.get("field") == pending else 0
    if counted and draft.state == "filling" and draft.pending_field == pending:
        times += 1
    notes.put(draft, notes.MISSED, {"field": pending, "times": times} if times else None)
    return times


def _offer_field(
    turn: Turn, msg: Message | Action, draft: Draft, spec: RequestTypeSpec, pending: str, lead: str, check: FormCheck
) -> None:
    """Instead of a third time the same question: a choice field's choices as buttons, or what the
    form holds so far with Edit to fill it in, naming the field still missing."""
    field = spec.field(pending)
    label = field.display.lower()
    draft_id, directory = _draft_id(turn, draft), turn.services.directory
    if field.choices and len(field.choices) <= MAX_CHOICE_BUTTONS:
        card = choice_card(spec, field, check.values, draft_id, draft.version, directory)
        text = say.PICK_CHOICE.format(label=label, choices=", ".join(str(c.display) for c in field.choices))
    else:
        needed = list(dict.fromkeys(spec.field(n).display.lower() for n in [pending, *check.errors, *check.missing]))
        card = missing_card(spec, check.values, draft_id, draft.version, directory, say.listed(needed))
        text = say.FILL_IN_FORM.format(label=label)
    turn.send(Outgoing.new_card(draft.person, lead + text, card, f"draft:{draft_id}", place=msg.place))


def _draft_id(turn: Turn, draft: Draft) -> int:
    """The draft's id, writing a new draft first."""
    if draft.id is None:
        turn.session.flush()
    return draft.id


def _understood(turn: Turn, spec: RequestTypeSpec, values: dict[str, Any]) -> str:
    shown = _shown(turn, spec, values, 4)
    return say.GOT_IT.format(values=", ".join(shown)) if shown else ""


_SHOWN_CHARS = 60
"""A value longer than this is cut in a sentence that names what the form holds."""


def _shown(turn: Turn, spec: RequestTypeSpec, values: dict[str, Any], most: int, cut: bool = False) -> list[str]:
    """The first `most` values, as "label value"."""
    shown = []
    for f in spec.fields:
        if f.name in values:
            text = display_value(f, values[f.name], turn.services.directory)
            if cut and len(text) > _SHOWN_CHARS:
                text = text[: _SHOWN_CHARS - 1].rstrip() + "…"
            shown.append(f"{f.display.lower()} {text}")
    return shown[:most]


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
    draft.updated_at = turn.now  # a press is activity too
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
    draft_id, later = draft.id, notes.get(draft).get(notes.LATER) or []
    if not repo.close_draft(turn.session, draft, "submitted", turn.now):
        return _closed_meanwhile(turn, action, draft_id)  # a Confirm or Cancel at the same moment won
    request = approvals.submit(turn, draft, check.values)
    if draft_id is not None:
        repo.closed_as(turn.session, draft_id, request.ref)
    _close_review(turn, draft, spec, say.SUBMITTED_AS.format(ref=request.ref), check.values)
    _offer_later(turn, action, draft, later)


def _still_needed(turn: Turn, draft: Draft, spec: RequestTypeSpec) -> str:
    """ "Nothing was submitted yet: the form still needs …", or "" when it is complete."""
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    if check.complete:
        return ""
    return say.not_complete(_needed(turn, draft, spec))


def _needed(turn: Turn, draft: Draft, spec: RequestTypeSpec) -> list[str]:
    """The labels of the fields the form still needs (refused values first), in order."""
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    needed = [spec.field(n).display.lower() for n in [*check.errors, *check.missing] if n in spec.field_names]
    return list(dict.fromkeys(needed))


def _cancel(turn: Turn, event: Message | Action, draft: Draft, spec: RequestTypeSpec) -> None:
    draft_id, later = draft.id, notes.get(draft).get(notes.LATER) or []
    if not repo.close_draft(turn.session, draft, "cancelled", turn.now):
        return _closed_meanwhile(turn, event, draft_id)
    _close_review(turn, draft, spec, say.DRAFT_CANCELLED)
    _reply(turn, event, say.DRAFT_CANCELLED)
    return _offer_later(turn, event, draft, later)


# A second request in the same message: noted while the first is filled, offered once it is closed.


def _second_request(
    turn: Turn, msg: Message, draft: Draft | None, context: ParseContext, proposal: Proposal
) -> tuple[Message, Proposal, dict[str, Any] | None]:
    """The message's first request, and a second one joined to it ("… and also …") noted for
    later: the part after the join is read alone, and kept only when it reads as a request by
    itself that is not more of the first (its values all fitting the first form's empty fields).
    The first part is read alone too, so the first form takes no value of the second."""
    catalog, parser = turn.services.catalog, turn.services.parser
    parts = second.split(msg.text)
    if parts is None:
        return msg, proposal, None
    head, tail = parts
    alone = ParseContext(now=context.now, requester=context.requester, people=context.people)
    after = parser.parse(tail, alone)
    if not (
        after.intent in catalog
        and after.confidence >= SET_ASIDE_CONFIDENCE
        and (after.slots or after.confidence >= CLEAR_TYPE)
    ):
        return msg, proposal, None  # a suggestion alone (its own words as a description) makes no request
    first = parser.parse(head, context)
    if first.intent not in catalog and not (
        first.intent == ConversationIntent.OUT_OF_SCOPE and _fits_pending(turn, draft, head)
    ):
        if proposal.intent not in catalog or proposal.intent == after.intent:
            return msg, proposal, None  # the first part is no request by itself: one request
        first = _without(proposal, after)  # the whole message's reading, less what the second part says
    first_type = first.intent if first.intent in catalog else (draft.type_id if draft is not None else None)
    if first_type is None or _more_of(turn, draft, first_type, first, after):
        return msg, proposal, None
    later = _noted(turn, msg.person, after)
    if second.names_same_person(tail):  # "she'll also need …": the person the first part names
        held = dict(draft.values) if draft is not None and draft.type_id == first_type else {}
        _same_person(turn, msg.person, later, catalog.get(first_type), {**held, **_values(first)})
    return replace(msg, text=head), first, later


def _values(proposal: Proposal) -> dict[str, Any]:
    return {**proposal.suggestions, **proposal.slots}


def _same_value(first: Any, other: Any) -> bool:
    return str(first).strip().lower() == str(other).strip().lower()


def _without(proposal: Proposal, after: Proposal) -> Proposal:
    """`proposal` less the values the second part alone gives (the same field, the same value)."""
    theirs = _values(after)

    def mine(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if not (k in theirs and _same_value(v, theirs[k]))}

    return proposal.model_copy(update={"slots": mine(proposal.slots), "suggestions": mine(proposal.suggestions)})


def _more_of(turn: Turn, draft: Draft | None, first_type: str, first: Proposal, after: Proposal) -> bool:
    """Whether the second part only says more about the first request: every value it names is of
    a field the first form has, and none differs from what that form holds ("… and also cost
    center 4410"); a part that names a type and no value is more of a first request of that type.
    Its suggestions (its own words offered as a description) do not count: any part has those."""
    theirs = after.slots
    if not theirs:
        return after.intent == first_type
    spec = turn.services.catalog.get(first_type)
    held = dict(draft.values) if draft is not None and draft.type_id == first_type else {}
    held.update(_values(first))
    return all(k in spec.field_names and (k not in held or _same_value(held[k], v)) for k, v in theirs.items())


def _noted(turn: Turn, person: str, after: Proposal) -> dict[str, Any]:
    """The second request as kept for later: its type, the values that pass the catalog's checks."""
    spec = turn.services.catalog.get(after.intent)
    context, values = normalize_context(turn, person), {}
    for name, value in _values(after).items():
        if name in spec.field_names:
            try:
                values[name] = normalize_field(spec, name, value, context)
            except FieldError:
                continue  # asked for when the request is started
    threshold = turn.services.fill_threshold
    unsure = sorted(k for k, c in after.slot_confidence.items() if c < threshold and k in values)
    return {"type": after.intent, "values": values, "unsure": unsure}


def _same_person(turn: Turn, person: str, later: dict[str, Any], first: RequestTypeSpec, held: dict[str, Any]) -> None:
    """Give the noted request's first person field the one person the first request names, when
    it has no person of its own."""
    spec = turn.services.catalog.get(str(later["type"]))
    fields = [f for f in spec.fields if f.kind.hint is InputHint.PERSON]
    values = later["values"]
    if not fields or any(f.name in values for f in fields):
        return
    named = {str(v) for k, v in held.items() if k in first.field_names and first.field(k).kind.hint is InputHint.PERSON}
    named.discard(person)  # "she" is not the one writing
    if len(named) != 1:
        return
    try:
        values[fields[0].name] = normalize_field(spec, fields[0].name, named.pop(), normalize_context(turn, person))
    except FieldError:
        return


def _describe(turn: Turn, later: dict[str, Any], article: str) -> str:
    """ "a facilities work order (location 4W dirty utility room, issue plumbing)"."""
    spec = turn.services.catalog.get(str(later["type"]))
    title = spec.title.lower()
    named = say.a_or_an(title) if article == "a" else say.THE_TYPE.format(title=title)
    shown = _shown(turn, spec, dict(later.get("values") or {}), 2, cut=True)
    return named + (f" ({', '.join(shown)})" if shown else "")


def _offer_later(turn: Turn, event: Message | Action, closed: Draft, later: list[Any]) -> None:
    """Once a form is closed, the first request noted with it is offered (the others wait their
    turn): an idle draft in the same place keeps it until the person answers."""
    later = [n for n in later if isinstance(n, dict) and n.get("type") in turn.services.catalog]
    if not later:
        return
    idle = _new_draft(turn, closed.person, closed.place, notes.source(closed.place_info), None, "idle")
    turn.session.add(idle)
    _offer(turn, event, idle, later)


def _offer(turn: Turn, event: Message | Action, idle: Draft, later: list[dict[str, Any]]) -> None:
    notes.put(idle, notes.OFFER, later[0])
    notes.put(idle, notes.LATER, later[1:])
    _reply(turn, event, say.OFFER_LATER.format(what=_describe(turn, later[0], "a")))


def _answer_offer(turn: Turn, msg: Message, draft: Draft, typed: ActionName | None, proposal: Proposal) -> bool:
    """The answer to "shall I start that request now?": yes (or the request said again) starts it
    with the values noted; no declines it (and offers the next, if any). False when the message is
    about something else: the offer is then forgotten and the message read as usual."""
    offer = notes.get(draft).get(notes.OFFER) or {}
    notes.put(draft, notes.OFFER, None)
    catalog = turn.services.catalog
    type_id = str(offer.get("type") or "")
    if type_id not in catalog:
        return False
    spec = catalog.get(type_id)
    other = proposal.intent in catalog and proposal.intent != type_id and proposal.confidence >= SET_ASIDE_CONFIDENCE
    said = proposal if proposal.intent == type_id else None
    noted = dict(offer.get("values") or {})
    again = said is not None and all(k not in noted or _same_value(noted[k], v) for k, v in said.slots.items())
    if typed is ActionName.CONFIRM or (typed is None and (again or (says_yes_first(msg.text) and not other))):
        _start_later(turn, msg, draft, spec, offer, said)
        return True
    if typed in (ActionName.CANCEL, ActionName.EDIT):
        rest = [n for n in notes.get(draft).get(notes.LATER) or [] if n.get("type") in catalog]
        notes.put(draft, notes.LATER, None)
        _reply(turn, msg, say.LATER_DECLINED.format(title=spec.title.lower()))
        if rest:
            _offer(turn, msg, draft, rest)
        elif not draft.info_request:
            repo.drop_draft(turn.session, draft)
        return True
    return False


def _start_later(
    turn: Turn, msg: Message, draft: Draft, spec: RequestTypeSpec, offer: dict[str, Any], said: Proposal | None
) -> None:
    """Start the offered request on the idle draft, with its noted values and any said now."""
    draft.type_id, draft.state, draft.pending_field, draft.values = spec.id, "filling", None, {}
    raw = dict(offer.get("values") or {})
    if said is not None:
        raw.update({k: v for k, v in said.suggestions.items() if k not in raw})
        raw.update(said.slots)
    errors = _merge(turn, draft, spec, raw)
    restated = said.slots if said is not None else {}
    draft.unsure = sorted(n for n in offer.get("unsure") or [] if n in draft.values and n not in restated)
    if said is not None:
        errors.update({k: v for k, v in said.errors.items() if k in spec.field_names})
    advance(turn, msg, draft, spec, errors, say.START_LATER.format(title=spec.title.lower()))


def start_again(turn: Turn, msg: Message, draft: Draft | None, request: Any, change: str) -> None:
    """A new form filled from a rejected request, with the change said applied (read by the parser
    inside that form, as a correction would be), shown for review; nothing is submitted."""
    spec = turn.services.catalog.get(request.type_id)
    note = ""
    if draft is not None:
        if draft.type_id is not None:
            note = say.SET_ASIDE_NOTE.format(title=turn.services.catalog.get(draft.type_id).title.lower())
            repo.close_draft(turn.session, draft, "set_aside", turn.now)
        else:
            repo.drop_draft(turn.session, draft)
    fresh = _new_draft(turn, msg.person, msg.place.key, msg.place.as_dict(), spec.id, "filling")
    turn.session.add(fresh)
    errors = _merge(turn, fresh, spec, dict(request.fields or {}))
    before, changed = dict(fresh.values), ""
    if change:
        proposal = turn.services.parser.parse(change, parse_context(turn, msg, fresh))
        raw = dict(proposal.slots) if proposal.intent in (spec.id, ConversationIntent.OUT_OF_SCOPE) else {}
        errors.update(_merge(turn, fresh, spec, raw))
        shown = [
            f"{f.display.lower()} {display_value(f, fresh.values[f.name], turn.services.directory)}"
            for f in spec.fields
            if f.name in fresh.values and fresh.values[f.name] != before.get(f.name)
        ]
        changed = say.WITH_THE.format(values=say.listed(shown)) if shown else ""
        if not shown and not errors:
            note += say.RESUBMIT_UNCHANGED
    lead = note + say.RESUBMIT_LEAD.format(ref=request.ref, changed=changed)
    advance(turn, msg, fresh, spec, errors, lead, recap=False)


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
