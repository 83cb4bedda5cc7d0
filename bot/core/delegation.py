"""Delegation and out-of-office: an approver's approvals go to someone else until a date.

"delegate my approvals to frank.ito@example.org until Dec 5", "I'm away next week, Carol Diaz can
approve for me until the 14th" or "estaré fuera hasta el viernes, Carol puede aprobar por mí" starts
one (the words are read by `bot.core.delegation_words`; one named without an end is asked "until
when?" and the answer taken); "I'm back, stop forwarding", "ya volví" or "end delegation" ends it
early; it also ends by itself. No one delegates to themselves, to someone not in the directory, or
to the requester of one of their pending approvals. While it lasts the delegate is authorised for the
delegator's steps, new and pending cards go to the delegate, and reminders follow them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import approvals
from bot.core import delegation_words as words
from bot.core import messages as say
from bot.core.cards import delegation_card
from bot.core.events import Action, Message
from bot.core.replies import Card, Outgoing, OutKind
from bot.core.turn import Turn
from bot.store import delegations, repo
from forms import AmbiguousValue
from forms.dates import parse_date, search_dates

ASK_LASTS = timedelta(minutes=30)
"""How long a question "until when?" waits for its answer; after it a date alone is no answer."""
REPOST_LIMIT = 50
"""At most this many open steps are posted again to a new delegate (the newest)."""
_REQUESTER_SCAN = 500
"""How many of the delegator's open steps are read to find one the delegate asked for."""


def try_delegation(turn: Turn, msg: Message) -> bool:
    """Handle a delegation said in words (`bot.core.delegation_words`), or the answer to "until
    when?"; False when the message is neither."""
    reading = words.read(msg.text)
    if reading is None:
        return _answer_asked(turn, msg)
    if reading.end:
        _end(turn, msg)
    elif reading.show:
        _show(turn, msg)
    else:
        _start(turn, msg, reading.who, reading.until)
    return True


def _reply(turn: Turn, msg: Message | Action, text: str, kind: OutKind = OutKind.REPLY) -> None:
    turn.send(Outgoing(kind, msg.person, text, place=msg.place))


def _start(turn: Turn, msg: Message, who: str, until_text: str | None) -> None:
    directory = turn.services.directory
    try:
        delegate = directory.resolve(who.strip())
    except AmbiguousValue as ambiguous:  # "Carol" with two Carols
        names = ", ".join(f"{directory.name(p)} ({p})" for p in ambiguous.candidates)
        return _reply(turn, msg, say.DELEGATE_AMBIGUOUS.format(who=who, names=names), OutKind.ERROR)
    except LookupError:
        # the name is not repeated: one that is not in the directory may be a patient's
        return _reply(turn, msg, say.DELEGATE_UNKNOWN, OutKind.ERROR)
    if delegate == msg.person:
        return _reply(turn, msg, say.DELEGATE_SELF, OutKind.ERROR)
    if directory.get(delegate) is None:
        return _reply(turn, msg, say.DELEGATE_UNKNOWN, OutKind.ERROR)
    asked_by = _a_request_of(turn, msg.person, delegate)
    if asked_by is not None:
        text = say.DELEGATE_REQUESTER.format(name=directory.name(delegate), ref=asked_by)
        return _reply(turn, msg, text, OutKind.ERROR)
    if until_text is None:
        repo.audit(turn.session, turn.now, msg.person, ASKED, detail={"to": delegate}, source=turn.source)
        return _reply(turn, msg, say.DELEGATE_UNTIL_WHEN.format(name=directory.name(delegate)))
    _begin(turn, msg, delegate, until_text)


def _begin(turn: Turn, msg: Message, delegate: str, until_text: str) -> None:
    directory = turn.services.directory
    zone = _zone_of(turn, msg.person)
    today = turn.now.astimezone(zone).date()
    until = _date(until_text, today)
    if until is None or until < today:
        return _reply(turn, msg, f'{until_text!r} isn\'t a future date; try "until Dec 5".', OutKind.ERROR)
    ends_at = datetime.combine(until + timedelta(days=1), time(0), zone)  # the end of that day, their time
    delegations.start(turn.session, msg.person, delegate, turn.now, ends_at)
    repo.audit(
        turn.session,
        turn.now,
        msg.person,
        "delegated",
        detail={"to": delegate, "until": until.isoformat()},
        source=turn.source,
    )
    name = directory.name(delegate)
    _reply(turn, msg, say.DELEGATION_STARTED.format(until=say.day(until), name=name))
    with turn.speaking_to(delegate):
        text = say.DELEGATED_TO_YOU.format(name=directory.name(msg.person), until=say.day(until))
        turn.send(Outgoing.notice(delegate, text))
    _repost_pending(turn, msg.person, delegate)


def _date(text: str, today: date) -> date | None:
    """A date said in words ("the 14th", "Monday", "el viernes"), or the first one in the text."""
    found = parse_date(text, today)
    if found is None:
        found = next((day for day, _start, _end in search_dates(text, today)), None)
    return found


ASKED = "delegation_asked"
"""The audit action of a delegation named without an end: its answer is awaited."""
ASK_CLOSED = "delegation_ask_closed"
"""The audit action of a question "until when?" dropped: the person said something else."""


def _answer_asked(turn: Turn, msg: Message) -> bool:
    """The answer to "until when?": a date starts the delegation, "never mind" drops it, anything
    else drops it quietly and is read as usual (False)."""
    asked = delegations.asked(turn.session, msg.person, turn.now - ASK_LASTS, (ASKED, ASK_CLOSED, "delegated"))
    if asked is None or asked.action != ASKED:
        return False
    delegate = str(asked.detail.get("to") or "")
    zone = _zone_of(turn, msg.person)
    until_text = words.answer_date_text(msg.text)
    if delegate and parse_date(until_text, turn.now.astimezone(zone).date()) is not None:  # the whole answer
        _begin(turn, msg, delegate, until_text)
        return True
    repo.audit(turn.session, turn.now, msg.person, ASK_CLOSED, detail={"to": delegate}, source=turn.source)
    if words.drops_question(msg.text):
        _reply(turn, msg, say.DELEGATE_DROPPED)
        return True
    return False


def _a_request_of(turn: Turn, delegator: str, delegate: str) -> str | None:
    """The reference of an open step of the delegator's that the delegate asked for, if any: they
    may not approve their own request."""
    person = turn.services.directory.get(delegator)
    roles = {held.partition(":")[0] for held in person.roles} if person is not None else set()
    for step, request in delegations.open_steps_of(turn.session, delegator, roles, _REQUESTER_SCAN):
        if request.requester == delegate and approvals.allowed_directly(turn, request, step, delegator):
            return request.ref
    return None


def _zone_of(turn: Turn, person: str) -> ZoneInfo:
    """The person's own zone from the directory, else the organisation's."""
    found = turn.services.directory.get(person)
    return ZoneInfo(found.timezone) if found is not None and found.timezone else turn.services.zone


def _repost_pending(turn: Turn, delegator: str, delegate: str) -> None:
    """Post the delegator's open steps to the delegate (the newest REPOST_LIMIT of them): the steps
    assigned to them, and those of the roles they hold, read through indexes."""
    person = turn.services.directory.get(delegator)
    roles = {held.partition(":")[0] for held in person.roles} if person is not None else set()
    posted = 0
    for step, request in delegations.open_steps_of(turn.session, delegator, roles, REPOST_LIMIT * 4):
        if posted == REPOST_LIMIT:
            break
        if approvals.allowed_directly(turn, request, step, delegator) and request.requester != delegate:
            approvals.post_step_card(turn, request, step, delegate)
            posted += 1


def _end(turn: Turn, msg: Message | Action) -> None:
    if not delegations.end(turn.session, msg.person, turn.now):
        return _reply(turn, msg, say.NO_DELEGATION)
    repo.audit(turn.session, turn.now, msg.person, "delegation_ended", source=turn.source)
    _reply(turn, msg, say.DELEGATION_ENDED)


def current_card(turn: Turn, person: str) -> Card | None:
    """The card of the person's running delegation, with End; None when none runs."""
    running = delegations.running_of(turn.session, person, turn.now)
    if running is None:
        return None
    last_day = (running.ends_at.astimezone(_zone_of(turn, person)) - timedelta(seconds=1)).date()
    return delegation_card(turn.services.directory.name(running.delegate), say.day(last_day))


def _show(turn: Turn, msg: Message) -> None:
    """ "my delegation": the running one as a card with End, or that none runs."""
    card = current_card(turn, msg.person)
    if card is None:
        return _reply(turn, msg, say.NO_DELEGATION)
    turn.send(Outgoing(OutKind.CARD, msg.person, say.DELEGATION_SHOWN, card=card, place=msg.place))


def pressed(turn: Turn, action: Action) -> None:
    """End on the delegation's card (App Home, "my delegation")."""
    _end(turn, action)
