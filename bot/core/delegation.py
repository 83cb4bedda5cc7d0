"""Delegation and out-of-office: an approver's approvals go to someone else until a date.

"delegate my approvals to frank.ito@example.org until Dec 5" starts one; "end delegation"
ends it early; it also ends by itself. While it lasts the delegate is authorised for the
delegator's steps, new and pending cards go to the delegate, and reminders follow them.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import approvals
from bot.core.events import Message
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Turn
from bot.store import delegations, repo
from forms.dates import parse_date

_START = re.compile(
    r"^\s*(?:please\s+)?(?:delegate|forward|hand over)\s+(?:all\s+(?:of\s+)?)?my\s+approvals\s+to\s+(?P<who>.+?)"
    r"\s+(?:until|till|through|thru)\s+(?P<until>.+?)\s*[.!]?\s*$",
    re.I,
)
_AWAY = re.compile(
    r"^\s*(?:i'?m\s+|i\s+am\s+|i'?ll\s+be\s+)?(?:out\s+of\s+(?:the\s+)?office|ooo|on\s+leave|away)\s+"
    r"(?:until|till|through|thru)\s+(?P<until>.+?)\s*[,;:.\-–]\s*(?:please\s+)?(?:delegate|send|forward|route)\s+"
    r"(?:all\s+(?:of\s+)?)?my\s+approvals\s+to\s+(?P<who>.+?)\s*[.!]?\s*$",
    re.I,
)
_END = re.compile(r"^\s*(?:stop|end|cancel)\s+(?:my\s+)?(?:approval\s+)?delegat(?:ion|ing)\b", re.I)
REPOST_LIMIT = 50
"""At most this many open steps are posted again to a new delegate (the newest)."""


def try_delegation(turn: Turn, msg: Message) -> bool:
    """Handle a delegation command; False when the message is not one."""
    if _END.match(msg.text):
        _end(turn, msg)
        return True
    match = _START.match(msg.text) or _AWAY.match(msg.text)
    if not match:
        return False
    _start(turn, msg, match.group("who"), match.group("until"))
    return True


def _reply(turn: Turn, msg: Message, text: str, kind: OutKind = OutKind.REPLY) -> None:
    turn.send(Outgoing(kind, msg.person, text, place=msg.place))


def _start(turn: Turn, msg: Message, who: str, until_text: str) -> None:
    directory = turn.services.directory
    try:
        delegate = directory.resolve(who.strip())
    except LookupError:
        # the name is not repeated: one that is not in the directory may be a patient's
        return _reply(turn, msg, "I can't find that person in the directory; give their work email.", OutKind.ERROR)
    if directory.get(delegate) is None or delegate == msg.person:
        return _reply(turn, msg, "Delegate to someone else in the directory (their work email).", OutKind.ERROR)
    zone = _zone_of(turn, msg.person)
    today = turn.now.astimezone(zone).date()
    until = parse_date(until_text, today)
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
    _reply(turn, msg, f'Until {until:%a %b %d} your approvals go to {name}. Say "end delegation" to stop earlier.')
    text = f"{directory.name(msg.person)} has delegated their approvals to you until {until:%a %b %d}."
    turn.send(Outgoing.notice(delegate, text))
    _repost_pending(turn, msg.person, delegate)


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


def _end(turn: Turn, msg: Message) -> None:
    if not delegations.end(turn.session, msg.person, turn.now):
        return _reply(turn, msg, "You have no delegation running.")
    repo.audit(turn.session, turn.now, msg.person, "delegation_ended", source=turn.source)
    _reply(turn, msg, "Delegation ended: your approvals come to you again.")
