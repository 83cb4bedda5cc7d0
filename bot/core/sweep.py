"""The SLA sweep: send each due rung of the escalation ladder exactly once.

The sweep claims the due steps and decides, for each, the rung, who hears of it (the approver
or the role's holders, each replaced by their delegate; the requester for an information
request; the manager for an escalation) and when (a rung due in quiet time waits for the first
recipient's next business morning). What it says is the ladder's (`reminders.ladder`). The
store claims the steps so that sweeps and replicas never take the same one, and records each
rung once with the messages that carry it (`bot.store.rungs`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from bot.core import assign, expiry, nudge
from bot.core import messages as say
from bot.core.approvals import approval_card_for, may_decide
from bot.core.cards import display_value
from bot.core.engine import chat_key
from bot.core.escalation import escalation_manager
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Services, Turn
from bot.directory import MANAGER
from bot.store import nudges, repo, rungs
from bot.store.db import Database
from bot.store.delegations import running
from bot.store.models import ApprovalStep, Request
from bot.store.repo import Session
from bot.store.status import RequestStatus, StepStatus
from forms.language import speaking
from reminders import ladder
from reminders.business_time import BusinessCalendar, QuietHours
from reminders.sla import calendar_for

log = logging.getLogger("frontdoor.reminders")

WAITING = RequestStatus.PENDING_APPROVAL
"""The request state a reminder is sent for: a rejected, cancelled or failed request gets none."""
MAX_RECIPIENTS = 20
SUMMARY_FIELDS = 3


@dataclass
class _Due:
    step: ApprovalStep
    request: Request
    rung: int
    recipients: list[str]
    asker: str | None = None
    since: datetime | None = None
    """When the requester was asked (a nudge); else the step's activation."""


@dataclass(frozen=True)
class _Asked:
    count: int
    actor: str | None
    at: datetime | None


@dataclass
class Sweeper:
    """Runs sweeps against one database; call it with the instant to sweep at."""

    db: Database
    services: Services
    quiet: QuietHours | None = field(default_factory=QuietHours)
    fallback: str | None = None
    """Who escalations go to when the approver (or the role) has no manager."""
    batch: int = 1000
    """Steps claimed a transaction."""
    nudge_urgent: timedelta = timedelta(minutes=5)
    """How long an emergency or urgent form waits before its one nudge (`bot.core.nudge`)."""
    nudge_business_hours: float = 1.0
    """How many business hours any other unfinished form waits before its one nudge."""

    def __call__(self, now: datetime) -> list[Outgoing]:
        """Expire every request whose step waited past its expiry, then send every rung due at
        `now`, then nudge each unfinished form due one; returns the messages queued in the outbox."""
        sent: list[Outgoing] = self.expire(now)
        sent.extend(self.nudge(now))
        while True:
            with self.db.transaction() as session:
                rows = rungs.claim_due(session, now, self.batch, skip_locked=self.db.is_postgres)
                turn = Turn(session=session, now=now, services=self.services, source={"channel": "scheduler"})
                if rows:
                    self._sweep_batch(turn, rows)
                sent.extend(turn.out)
            if len(rows) < self.batch:
                return sent

    # -- expiry ----------------------------------------------------------------------------
    def expire(self, now: datetime) -> list[Outgoing]:
        """Close as expired each request whose open step has waited its type's `expiry` business
        days (in the step's SLA calendar), once whatever the sweeps and replicas (`bot.core.expiry`)."""
        specs = list(self.services.catalog)
        shortest = min((spec.expiry for spec in specs), default=10)
        since = now - timedelta(days=max(shortest - 1, 0))  # a business day is never shorter than a day
        sent: list[Outgoing] = []
        while True:
            with self.db.transaction() as session:
                rows = rungs.claim_waiting(session, since, self.batch, skip_locked=self.db.is_postgres)
                turn = Turn(session=session, now=now, services=self.services, source={"channel": "scheduler"})
                closed = 0
                for step, request in rows:
                    if request.type_id not in self.services.catalog or step.activated_at is None:
                        continue
                    days = self.services.catalog.get(request.type_id).expiry
                    calendar = self.calendar(step.assignee, step.role)
                    if expiry.expires_at(calendar, step.activated_at, days) > now:
                        continue
                    first = len(turn.out)
                    if expiry.expire(turn, request, step, days):
                        closed += 1
                        log.info("request expired", extra={"request": request.ref, "step": step.seq})
                        chat = [
                            repo.OutboxRow("chat", chat_key(o), f"expired:{step.id}:{n}", o.as_dict())
                            for n, o in enumerate(turn.out[first:])
                        ]
                        repo.enqueue_many(session, chat, now)
                repo.enqueue_many(session, [repo.OutboxRow("backend", *row) for row in turn.backend], now)
                sent.extend(turn.out)
            if len(rows) < self.batch or not closed:
                return sent

    # -- unfinished forms ------------------------------------------------------------------
    def nudge(self, now: datetime) -> list[Outgoing]:
        """Nudge once each open form whose person has been quiet past its threshold (a few minutes
        when urgent, a business hour otherwise; `bot.core.nudge`), in the place it was written;
        recorded by compare-and-set with the messages queued, whatever the sweeps and replicas."""
        since = now - min(self.nudge_urgent, timedelta(hours=self.nudge_business_hours))
        with self.db.transaction() as session:
            oldest = now - nudge.FORGOTTEN
            drafts = nudges.candidates(session, since, oldest, self.batch, skip_locked=self.db.is_postgres)
            turn = Turn(session=session, now=now, services=self.services, source={"channel": "scheduler"})
            rows: list[repo.OutboxRow] = []
            for draft in drafts:
                if draft.type_id not in self.services.catalog:
                    continue
                calendar = self.calendar(draft.person, None)
                if nudge.due_at(draft, calendar, self.nudge_urgent, self.nudge_business_hours) > now:
                    continue
                if not nudges.mark(session, draft, now):
                    continue  # nudged by another sweep, or the person wrote meanwhile
                first = len(turn.out)
                with turn.speaking_to(draft.person):  # in the language the person last wrote in
                    nudge.nudge(turn, draft)
                log.info("unfinished form nudged", extra={"draft": draft.id, "type": draft.type_id})
                rows.extend(
                    repo.OutboxRow("chat", chat_key(o), f"nudge:{draft.id}:{n}", o.as_dict())
                    for n, o in enumerate(turn.out[first:])
                )
            repo.enqueue_many(session, rows, now)
        return turn.out

    # -- reading ---------------------------------------------------------------------------
    def _info_requests(self, session: Session, rows: list[tuple[ApprovalStep, Request]]) -> dict[Any, _Asked]:
        """For steps waiting on the requester: how many times information was asked (the n-th
        request is nudged as its own rung), who asked last and when, from the append-only audit."""
        refs = {request.ref for step, request in rows if step.status == StepStatus.INFO_REQUESTED}
        if not refs:
            return {}
        found: dict[tuple[str | None, int | None], _Asked] = {}
        for ref, seq, actor, at in rungs.info_requests(session, refs):
            earlier = found.get((ref, seq))
            found[(ref, seq)] = _Asked((earlier.count if earlier else 0) + 1, actor, at)
        return found

    # -- one batch -------------------------------------------------------------------------
    def _sweep_batch(self, turn: Turn, rows: list[tuple[ApprovalStep, Request]]) -> None:
        """Decide each claimed step's rung, record them all in one statement, and queue the
        messages of the rungs recorded now (a rung recorded before is never sent again)."""
        delegates = running(turn.session, turn.now)
        asked = self._info_requests(turn.session, rows)
        moves: list[rungs.Move] = []
        due: list[_Due] = []
        for step, request in rows:
            if request.status != WAITING:  # decided, cancelled or failed elsewhere: the ladder stops
                moves.append((step.id, None, None))
                continue
            if step.status == StepStatus.INFO_REQUESTED:
                last = asked.get((request.ref, step.seq), _Asked(1, None, None))
                item = _Due(step, request, ladder.INFO_NUDGE + last.count - 1, [request.requester], last.actor, last.at)
            else:
                rung = step.next_rung or ladder.REMINDER
                item = _Due(step, request, rung, self._approvers(turn, step, request, delegates))
            later = self._quiet_until(turn, item)
            if later is not None:  # quiet time: the same rung, at the next business morning
                moves.append((step.id, step.next_rung, later))
                continue
            due.append(item)
        records = [
            {"step_id": d.step.id, "rung": d.rung, "recipient": (d.recipients or ["-"])[0], "sent_at": turn.now}
            for d in due
        ]
        fresh = rungs.record_rungs(turn.session, records)
        audits: list[dict[str, Any]] = []
        outbox: list[dict[str, Any]] = []
        for item in due:
            if (item.step.id, item.rung) in fresh:
                for notice in self._notices(turn, item):
                    outbox.append(self._message(turn, item, notice))
                audits.append(
                    {
                        "at": turn.now,
                        "actor": "scheduler",
                        "action": f"sla_{ladder.rung_name(item.rung)}",
                        "request_ref": item.request.ref,
                        "step_seq": item.step.seq,
                        "detail": {"to": item.recipients, "rung": item.rung},
                        "source": {},
                    }
                )
            moves.append((item.step.id, *self._following(item)))
        rungs.write_batch(turn.session, audits, outbox, moves)

    def _following(self, item: _Due) -> tuple[int | None, datetime | None]:
        """The rung after `item.rung` and its due time; none after a nudge or the escalation."""
        step = item.step
        if step.status == StepStatus.INFO_REQUESTED or item.rung >= ladder.INFO_NUDGE:
            return None, None
        following = ladder.next_rung(set(range(1, item.rung + 1)), (step.due_50, step.due_100, step.due_150))
        return following if following else (None, None)

    # -- who and when ----------------------------------------------------------------------
    def _approvers(self, turn: Turn, step: ApprovalStep, request: Request, delegates: dict[str, str]) -> list[str]:
        """Who is reminded: the assignee or the role's holders, each replaced by their delegate
        (unless the delegate is the requester); the role's channel when it has no holder."""
        people = (
            [step.assignee]
            if step.assignee
            else [p.email for p in turn.services.directory.holders(step.role, request.entity)]
        )
        routed = []
        for person in people:
            delegate = delegates.get(person)
            routed.append(delegate if delegate and delegate != request.requester else person)
        found = list(dict.fromkeys(p for p in routed if p != request.requester))[:MAX_RECIPIENTS]
        if not found and not step.assignee:
            return [turn.services.directory.role_channel(step.role)]
        return found

    def calendar(self, person: str | None, role: str | None) -> BusinessCalendar:
        """The business calendar of a person working for a role: the configured hours, days and
        holidays in their zone. Business deadlines (`bot.deadlines.BusinessDeadlines`) know it; it
        is asked of them by name, so that the engine needs nothing of the settings behind them.
        Without them (wall-clock deadlines), the default calendar in the person's zone."""
        known: Callable[[str | None, str | None], BusinessCalendar] | None = getattr(
            self.services.deadlines, "calendar", None
        )
        if known is not None:
            return known(person, role)
        found = self.services.directory.get(person)
        return calendar_for(found.timezone if found and found.timezone else self.services.timezone)

    def _quiet_until(self, turn: Turn, item: _Due) -> datetime | None:
        """When a rung due in quiet time may go out: the first recipient's next business morning."""
        if self.quiet is None:
            return None
        person = item.recipients[0] if item.recipients and not item.recipients[0].startswith("#") else None
        role = None if item.rung >= ladder.INFO_NUDGE else item.step.role
        later = self.calendar(person, role).defer_out_of_quiet(turn.now, self.quiet)
        return later if later > turn.now else None

    # -- what is said ----------------------------------------------------------------------
    def _notices(self, turn: Turn, item: _Due) -> list[ladder.Notice]:
        """The rung's messages, each composed in its recipient's language (a room: the organisation's)."""
        manager = self._manager(turn, item.step, item.request) if item.rung == ladder.ESCALATION else None
        addresses = [*item.recipients, item.request.requester, *([manager] if manager else [])]
        languages = {address: turn.language_of(address) for address in addresses}
        said: list[ladder.Notice] = []
        for spoken in dict.fromkeys(languages.values()):
            with speaking(spoken):
                said += [n for n in self._said(turn, item, manager) if languages.get(n.to) == spoken]
        return said

    def _said(self, turn: Turn, item: _Due, manager: str | None) -> list[ladder.Notice]:
        """The rung's messages in the language being spoken."""
        directory = turn.services.directory
        step, request = item.step, item.request
        label = directory.role_label(step.role)
        if item.rung >= ladder.INFO_NUDGE:
            asked = step.info_question or ""
            names = directory.name(item.asker) if item.asker else str(say.REMIND_THE_APPROVER)
        elif step.role == MANAGER:
            asked = say.REMIND_DECISION.format(seq=step.seq, label=label)
            shown = item.recipients[0] if item.recipients else step.assignee
            names = directory.name(shown)
            if shown != step.assignee:
                names = say.REMIND_STANDING_IN.format(name=names, absent=directory.name(step.assignee))
        else:  # a role's step: its team, or whoever has taken it or been given it
            names = (
                say.STEP_FOR.format(name=directory.name(step.assignee), role=label)
                if step.assignee
                else say.REMIND_ROLE_TEAM.format(label=label)
            )
            asked = say.REMIND_DECISION.format(seq=step.seq, label=label)
        words = _words()
        subject = ladder.Subject(
            ref=request.ref,
            title=turn.services.catalog.get(request.type_id).title,
            requester=request.requester,
            requester_name=directory.name(request.requester),
            summary=_summary(turn, request),
            asked=asked,
            approver_names=names,
            waited_for=self._waited(item, turn.now, words),
        )
        may = manager is not None and may_decide(turn, request, step, manager) is None
        choices = assign.candidates(turn, request, step) if manager is not None else []
        others = bool([p for p in choices if not (may and p == manager)])  # the card's Reassign buttons
        return ladder.notices(item.rung, subject, item.recipients, manager, may, others, words)

    def _waited(self, item: _Due, now: datetime, words: ladder.Words) -> str:
        """How long the step has waited, in hours and (when they differ) the business hours the SLA
        counts, in the calendar of whom it waits for."""
        since = item.since or item.step.activated_at
        if since is None:
            return ladder.waited(since, now, words)
        nudge = item.rung >= ladder.INFO_NUDGE  # a nudge waits for the requester
        person = item.request.requester if nudge else item.step.assignee
        counted = self.calendar(person, None if nudge else item.step.role)
        return ladder.waited_in_business_hours(since, now, counted.elapsed(since, now), words)

    def _manager(self, turn: Turn, step: ApprovalStep, request: Request) -> str | None:
        """Who an escalation goes to: the approver's manager (the role's manager for a channel
        step), else the configured fallback; never the requester."""
        return escalation_manager(turn, request, step, self.fallback)

    def _message(self, turn: Turn, item: _Due, notice: ladder.Notice) -> dict[str, Any]:
        step, request = item.step, item.request
        with turn.speaking_to(notice.to):  # the card in its reader's language, as the notice
            card = approval_card_for(turn, request, step) if notice.with_card else None
            if card is not None and notice.kind == "escalation":  # Reassign, and the decision buttons if allowed
                card = assign.escalation_card(
                    turn, request, step, notice.to, may_decide(turn, request, step, notice.to) is None
                )
            key = f"step:{request.ref}:{step.seq}" if card else None
            outgoing = Outgoing(OutKind(notice.kind), notice.to, notice.text, request.ref, card=card, card_key=key)
            turn.send(outgoing)
        return {
            "topic": "chat",
            "key": chat_key(outgoing),
            "payload": outgoing.as_dict(),
            "status": "pending",
            "idempotency_key": f"reminder:{step.id}:{item.rung}:{notice.kind}:{notice.to}",
            "attempts": 0,
            "next_attempt_at": turn.now,
            "created_at": turn.now,
        }


def _words() -> ladder.Words:
    """The ladder's sentences from the catalogue, in the language being spoken."""
    return ladder.Words(*(str(getattr(say, f"LADDER_{f.name.upper()}")) for f in fields(ladder.Words)))


def _summary(turn: Turn, request: Request) -> str:
    """The first few filled fields of a request, labelled, as people read them."""
    spec = turn.services.catalog.get(request.type_id)
    parts = []
    for spec_field in spec.fields:
        value = request.fields.get(spec_field.name)
        if value in (None, ""):
            continue
        shown = display_value(spec_field, value, turn.services.directory)
        parts.append(f"{spec_field.display}: {shown if len(shown) <= 60 else shown[:59] + '…'}")
        if len(parts) == SUMMARY_FIELDS:
            break
    return ", ".join(parts)
