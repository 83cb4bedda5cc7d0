"""Questions about approvals in chat: "how is my team doing on approvals?", "what's overdue in
finance?". A short summary from the insight views, limited to what the person may see
(`bot.insight.access.scope_for`), with a link to the page.

Only these two shapes of question are recognised (`question`); anything else is left to the
conversation. No free text is shown: request references, types, roles and approvers' names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bot.core import messages as say
from bot.directory import Directory
from bot.insight.access import scope_for
from bot.insight.queries import Calendars, Filters, Insight

if TYPE_CHECKING:
    from bot.core.events import Message
    from bot.core.turn import Turn

PAGE_URL = "http://127.0.0.1:3000/insight"
"""Where the page is; set from FRONTDOOR_PUBLIC_URL (or the HTTP host and port) when the HTTP
server adds /insight (`bot.insight.web.add_routes`)."""
RECENT_DAYS = 28
"""The team summary covers the decisions of the last four weeks."""

_TEAM = re.compile(
    r"^\s*how(?:'s|’s|\s+is|\s+are)\s+(?:my|our)\s+(?:team|teams|org|organi[sz]ation|department|people|reports)"
    r"(?:\s+\w+){0,2}?\s+(?:doing|going|tracking)\b(?:\s+(?:on|with)\s+(?:the\s+)?(?:approvals?|requests?|slas?))?"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_OVERDUE = re.compile(
    r"^\s*what(?:'s|’s|\s+is|\s+are)\s+(?P<what>overdue|late|past\s+(?:due|sla)|at\s+risk)"
    r"(?:\s+(?:in|for|at|with)\s+(?:the\s+)?(?P<where>[\w .&/-]{1,60}?))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    kind: str  # "team" or "overdue"
    where: str | None = None


def question(text: str) -> Question | None:
    """The insight question `text` asks, if it is one."""
    if _TEAM.match(text):
        return Question("team")
    found = _OVERDUE.match(text)
    if found:
        return Question("overdue", (found.group("where") or "").strip() or None)
    return None


def place_filters(directory: Directory, where: str) -> tuple[Filters, str] | None:
    """A role (its id or label), a legal entity (its id or name) or a department (cost center)
    named in `where`, as filters and the name to say; None when it names none of these."""
    key = " ".join(where.lower().replace("team", "").replace("department", "").split())
    for role in directory.roles:
        label = directory.role_label(role)
        if key in (role.lower(), role.lower().replace("_", " "), label.lower()):
            return Filters(role=role), label
    for entity, name in directory.entities.items():
        if key in (entity.lower(), name.lower()):
            return Filters(entity=entity), name
    for person in directory.people.values():
        if person.cost_center and key == person.cost_center.lower():
            return Filters(department=person.cost_center), person.cost_center
    return None


def answer(turn: Turn, msg: Message) -> bool:
    """Answer `msg` if it is an insight question (True), else leave it (False)."""
    asked = question(msg.text)
    if asked is None:
        return False
    from bot.core.replies import Outgoing, OutKind

    text = summary(turn, msg.person, asked)
    turn.send(Outgoing(OutKind.REPLY, msg.person, text, None, place=msg.place))
    return True


def summary(turn: Turn, person: str, asked: Question) -> str:
    directory = turn.services.directory
    scope = scope_for(directory, person)
    if not scope.everything and not scope.requesters and not scope.roles:
        return str(say.INSIGHT_NOT_ALLOWED)
    calendars = _calendars(turn)
    connection = turn.session.connection()
    today = turn.now.astimezone(turn.services.zone).date()
    if asked.kind == "team":
        recent = Filters(since=today - timedelta(days=RECENT_DAYS - 1), until=today)
        insight = Insight(connection, directory, calendars, turn.now, recent, scope, turn.services.timezone)
        return _team(insight, scope.everything)
    filters, name = Filters(), ""
    if asked.where:
        found = place_filters(directory, asked.where)
        if found is None:
            return say.INSIGHT_UNKNOWN_TEAM.format(name=asked.where[:40])
        filters, name = found
    insight = Insight(connection, directory, calendars, turn.now, filters, scope, turn.services.timezone)
    return _overdue(insight, name, filters)


def _team(insight: Insight, everything: bool) -> str:
    queue = insight.queue().table("summary").rows
    risk = insight.at_risk().table("summary").rows[0][1]
    sla = insight.sla().table("overall").rows[0]
    latency = insight.latency().table("overall").rows[0]
    open_steps, past = queue[1][1], queue[2][1]
    whose = str(say.INSIGHT_ALL if everything else say.INSIGHT_YOUR_TEAM)
    weeks = RECENT_DAYS // 7
    if sla[1]:
        decided = say.INSIGHT_DECIDED.format(whose=whose, weeks=weeks, decided=sla[1], within=sla[3], median=latency[1])
    else:
        decided = say.INSIGHT_NONE_DECIDED.format(whose=whose, weeks=weeks)
    waiting = say.INSIGHT_OPEN.format(steps=_steps(open_steps), past=past, risk=risk)
    return say.INSIGHT_TEAM.format(decided=decided, waiting=waiting, link=PAGE_URL)


def _overdue(insight: Insight, name: str, filters: Filters) -> str:
    steps = insight.open_steps()
    late = [s for s in steps if s["due_100"] is not None and s["due_100"] <= insight.now]
    risk = insight.at_risk().table("summary").rows[0][1]
    shown = "; ".join(
        say.INSIGHT_LATE_STEP.format(
            ref=s["ref"],
            type=s["type_id"].replace("_", " "),
            hours=f"{s['age']:.1f}",
            who=insight.waiting_for(s["assignee"], s["role"]),
        )
        for s in late[:3]
    )
    link = PAGE_URL + ("?" + urlencode(_query(filters)) if _query(filters) else "")
    if not late:
        head = say.INSIGHT_NOTHING_OVERDUE_IN.format(name=name) if name else str(say.INSIGHT_NOTHING_OVERDUE)
    else:
        more = say.INSIGHT_AND_MORE.format(count=len(late) - 3) if len(late) > 3 else ""
        overdue = say.INSIGHT_OVERDUE_IN if name else say.INSIGHT_OVERDUE
        head = overdue.format(name=name, steps=_steps(len(late)), shown=shown, more=more)
    return say.INSIGHT_AT_RISK.format(head=head, risk=risk, link=link)


def _query(filters: Filters) -> dict[str, str]:
    return {
        k: v for k, v in (("role", filters.role), ("entity", filters.entity), ("department", filters.department)) if v
    }


def _steps(count: int) -> str:
    """ "1 step", "3 steps"."""
    return str(say.INSIGHT_ONE_STEP) if count == 1 else say.INSIGHT_STEPS.format(count=count)


def _calendars(turn: Turn) -> Calendars:
    deadlines: Any = turn.services.deadlines
    if hasattr(deadlines, "calendar"):
        return deadlines  # type: ignore[no-any-return]
    from bot.deadlines import business_deadlines

    return business_deadlines(turn.services.directory, turn.services.timezone)
