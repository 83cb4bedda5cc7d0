"""A question about something else in the middle of a form: answered, and the form kept open.

While a form asks for a field, "did someone pick this up yet?", "any news on my other request?",
"who approves this?" or "how long does this usually take?" (read by `intents.asides`, whatever
parser is configured) is not stored as the field's value: it gets an answer — this form is not
sent yet; the status of the person's requests; who approves a request like this one; how long it
takes — then the field is asked again (or, once the form is under review, the person is pointed
back to its card). It is not a reply that missed the field (the count that
offers a field's buttons after two misses is left as it was).
"""

from __future__ import annotations

from bot.core import messages as say
from bot.core import queries, stages
from bot.core.events import Message
from bot.core.replies import Outgoing
from bot.core.turn import Turn
from bot.directory import MANAGER
from bot.store.models import Draft
from forms import RequestTypeSpec
from intents.asides import Aside, read


def answer(turn: Turn, msg: Message, draft: Draft) -> bool:
    """Answer a question aside while `draft` waits for a field or is under review (its card shown,
    waiting for Confirm); False when the message is not one (or an approver's question waits)."""
    if draft.type_id is None or draft.info_request or draft.type_id not in turn.services.catalog:
        return False
    spec = turn.services.catalog.get(draft.type_id)
    reviewing = draft.state == "review"
    if not reviewing and (not draft.pending_field or draft.pending_field not in spec.field_names):
        return False
    aside = read(msg.text)
    if aside is None:
        return False
    text = _answer(turn, msg.person, draft, spec, aside)
    if draft.pending_field and not reviewing:
        back = say.ASIDE_BACK.format(title=spec.title.lower(), ask=spec.field(draft.pending_field).ask)
    else:
        back = say.ASIDE_REVIEW_BACK.format(title=spec.title.lower())
    turn.send(Outgoing.reply(msg.person, text + back, place=msg.place))
    return True


def _answer(turn: Turn, person: str, draft: Draft, spec: RequestTypeSpec, aside: Aside) -> str:
    if aside.kind == "status":
        return queries.status_text(turn, person, aside.ref)
    title = spec.title.lower()
    if aside.kind == "this":
        return say.ASIDE_NOT_SENT.format(title=title)
    values = {**{f.name: f.default for f in spec.fields if f.default is not None}, **draft.values}
    requester = turn.services.directory.get(person)  # a step's `when` may read the requester's attributes
    chain = turn.services.catalog.approval_chain(spec.id, values, requester.attributes() if requester else None)
    if aside.kind == "approver":
        if not chain:
            return say.ASIDE_NO_APPROVAL.format(title=title, team=spec.team or title)
        names = [stages.stage_label(turn, step, lambda role: _approver(turn, person, role)) for step in chain]
        return say.ASIDE_APPROVERS.format(title=title, approvers=str(say.ASIDE_THEN).join(names))
    hours = turn.services.catalog.response_hours(spec.id, values)
    if chain:
        longest = max(step.sla_hours for step in chain)
        return say.ASIDE_APPROVAL_TIME.format(steps=len(chain), hours=_hours(longest))
    if hours is not None:
        return say.ASIDE_RESPONSE_TIME.format(team=spec.team or title, hours=_hours(hours))
    return str(say.POLICY)


def _approver(turn: Turn, person: str, role: str) -> str:
    directory = turn.services.directory
    if role == MANAGER:
        manager = directory.manager_of(person)
        return say.ASIDE_YOUR_MANAGER.format(name=manager.name) if manager else str(say.ASIDE_YOUR_MANAGER_UNNAMED)
    return directory.role_label(role)


def _hours(hours: float) -> str:
    return str(int(hours)) if float(hours).is_integer() else f"{hours:g}"
