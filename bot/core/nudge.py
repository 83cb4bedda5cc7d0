"""An unfinished form is not forgotten: one nudge, in the place it was being written.

A form left open — a type chosen, not submitted, not cancelled, not set aside, no approver's
question waiting — whose person has not written there for a while gets one message from the
sweep (`bot.core.sweep.Sweeper.nudge`): what the form is for, what it still needs (or that it
only needs Confirm), with the card again so that one press finishes it (the review card with
Confirm; a choice's buttons when one choice is all it needs; else the form so far with Edit).

When: an emergency or urgent form (its `priority` field, as a facilities work order has) after a
few minutes (`FRONTDOOR_NUDGE_URGENT_MINUTES`, default 5); any other after one business hour
(`FRONTDOOR_NUDGE_BUSINESS_HOURS`) of the organisation's calendar in the person's zone, so a
form left on Friday at 17:30 is nudged on Monday at 09:00, not at 18:30. The clock runs from the
person's last message or press in that place (`Draft.updated_at`); writing again restarts it.

Once per draft, ever: `Draft.nudged_at` is set by compare-and-set with the message queued
(`bot.store.nudges`), and a later edit does not re-arm it — a second reminder about the same
form is noise, and the person has plainly seen the first. A form started anew is a new draft.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core import messages as say
from bot.core import notes
from bot.core.cards import MAX_CHOICE_BUTTONS, choice_card, display_value, missing_card, review_card
from bot.core.conversation import normalize_context
from bot.core.events import Place
from bot.core.replies import Outgoing
from bot.core.turn import Turn
from bot.store.models import Draft
from forms import RequestTypeSpec, check_form
from reminders.business_time import BusinessCalendar

PRIORITY_FIELD = "priority"
URGENT = ("emergency", "urgent")
"""The priorities whose forms are nudged after minutes rather than a business hour."""
SHOWN_VALUES = 2
"""How many of the form's values name it in the nudge ("facilities work order (location 4W, …)")."""
_SHOWN_CHARS = 40
FORGOTTEN = timedelta(days=14)
"""A form quiet for longer than this is not nudged at all (left long ago, before nudges began)."""


def urgent(draft: Draft) -> bool:
    """Whether the form says it is an emergency or urgent."""
    return str((draft.values or {}).get(PRIORITY_FIELD, "")) in URGENT


def due_at(draft: Draft, calendar: BusinessCalendar, urgent_after: timedelta, business_hours: float) -> datetime:
    """When the draft's nudge is due: minutes after its last activity when urgent, else business
    hours in `calendar` (the person's)."""
    if urgent(draft):
        return draft.updated_at + urgent_after
    return calendar.add(draft.updated_at, business_hours)


def nudge(turn: Turn, draft: Draft) -> None:
    """Send the draft's nudge to its person, in its place, with its card, in their language."""
    with turn.speaking_to(draft.person):
        _nudge(turn, draft)


def _nudge(turn: Turn, draft: Draft) -> None:
    spec = turn.services.catalog.get(str(draft.type_id))
    check = check_form(spec, draft.values, normalize_context(turn, draft.person))
    directory = turn.services.directory
    what = _what(turn, spec, dict(draft.values))  # what the person said, not the defaults
    if check.complete:
        card = review_card(spec, check.values, draft.id, draft.version, directory)
        text = say.NUDGE_CONFIRM.format(what=what)
    else:
        names = [n for n in dict.fromkeys([*check.errors, *check.missing]) if n in spec.field_names]
        needed = say.listed([spec.field(n).display.lower() for n in names])
        only = spec.field(names[0]) if len(names) == 1 else None
        if only is not None and only.choices and len(only.choices) <= MAX_CHOICE_BUTTONS:
            card = choice_card(spec, only, check.values, draft.id, draft.version, directory)
            text = say.NUDGE_PICK.format(what=what, needed=needed)
        else:
            card = missing_card(spec, check.values, draft.id, draft.version, directory, needed)
            text = say.NUDGE_MISSING.format(what=what, needed=needed)
    place = notes.source(draft.place_info)
    where = Place.from_dict(place) if place.get("channel") and place.get("conversation") else None
    turn.send(Outgoing.new_card(draft.person, text, card, f"draft:{draft.id}", place=where))


def _what(turn: Turn, spec: RequestTypeSpec, values: dict[str, Any]) -> str:
    """ "facilities work order (location 4W dirty utility room, issue plumbing)"."""
    shown: list[str] = []
    for field in spec.fields:
        if field.name in values and len(shown) < SHOWN_VALUES:
            text = display_value(field, values[field.name], turn.services.directory)
            if len(text) > _SHOWN_CHARS:
                text = text[: _SHOWN_CHARS - 1].rstrip() + "…"
            shown.append(say.NUDGE_VALUE.format(label=field.display.lower(), value=text))
    title = spec.title.lower()
    return say.NUDGE_WHAT.format(title=title, values=", ".join(shown)) if shown else title
