"""The SLA sweep: send each due rung of the escalation ladder exactly once.

Due rows are found by an indexed query on `approval_steps.next_due_at` (each step stores its
due times when it is activated). Rows are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL,
so overlapping sweeps and several replicas never take the same step; the rung is recorded in
`reminders_sent` (unique per step and rung) in the same transaction as the outbox messages
that carry it, so a crash before commit sends nothing and a crash after commit sends once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.approvals import approval_card_for
from bot.core.delegation import running
from bot.core.engine import chat_key
from bot.core.replies import Outgoing
from bot.core.turn import Services, Turn
from bot.directory import MANAGER
from bot.store import repo
from bot.store.db import Database
from bot.store.models import ApprovalStep, AuditEvent, OutboxMessage, ReminderSent, Request
from reminders import ladder
from reminders.business_time import QuietHours
from reminders.sla import calendar_for

log = logging.getLogger("frontdoor.reminders")


@dataclass
class Sweeper:
    """Runs sweeps against one database; call it with the instant to sweep at."""

    db: Database
    services: Services
    quiet: QuietHours | None = field(default_factory=QuietHours)
    fallback: str | None = None
    batch: int = 500

    def __call__(self, now: datetime) -> list[Outgoing]:
        sent: list[Outgoing] = []
        while True:
            with self.db.transaction() as session:
                rows = self._claim(session, now)
                turn = Turn(session=session, now=now, services=self.services, source={"channel": "scheduler"})
                self._sweep_batch(turn, rows)
                sent.extend(turn.out)
            if len(rows) < self.batch:
                return sent

    def _claim(self, session: Session, now: datetime) -> list[tuple[ApprovalStep, Request]]:
        steps = list(session.scalars(self._claim_query(now)))
        if not steps:
            return []
        wanted = {step.request_id for step in steps}
        requests = {r.id: r for r in session.scalars(select(Request).where(Request.id.in_(wanted)))}
        return [(step, requests[step.request_id]) for step in steps]

    def _claim_query(self, now: datetime) -> Any:
        """Due steps, oldest first, read through the partial index on next_due_at and locked
        with SKIP LOCKED on PostgreSQL so that overlapping sweeps and replicas share the work."""
        query = (
            select(ApprovalStep)
            .where(ApprovalStep.next_due_at <= now, ApprovalStep.status.in_(repo.OPEN_STEP))
            .order_by(ApprovalStep.next_due_at)
            .limit(self.batch)
        )
        if self.db.is_postgres:
            query = query.with_for_update(skip_locked=True)
        return query

    def _sweep_batch(self, turn: Turn, rows: list[tuple[ApprovalStep, Request]]) -> None:
        """Record every due rung in one statement; only rungs recorded now are sent."""
        delegates = running(turn.session, turn.now)
        due: list[tuple[ApprovalStep, Request, int, list[str]]] = []
        for step, request in rows:
            approvers = self._approvers(turn, step, request, delegates)
            later = self._quiet_until(turn, approvers)
            if later is not None:
                step.next_due_at = later
                continue
            due.append((step, request, step.next_rung or ladder.REMINDER, approvers))
        records = [{"step_id": s.id, "rung": rung, "recipient": (a or ["-"])[0], "sent_at": turn.now}
                   for s, _r, rung, a in due]  # fmt: skip
        fresh = {(row[0], row[1]) for row in repo.insert_many_once(
            turn.session, ReminderSent, records, (ReminderSent.step_id, ReminderSent.rung))}  # fmt: skip
        audits, outbox = [], []
        for step, request, rung, approvers in due:
            if (step.id, rung) in fresh:
                for notice in self._notices(turn, step, request, rung, approvers):
                    outbox.append(self._message(turn, step, request, rung, notice))
                audits.append({"at": turn.now, "actor": "scheduler", "action": f"sla_{ladder.RUNG_NAMES[rung]}",
                               "request_ref": request.ref, "step_seq": step.seq, "detail": {"to": approvers},
                               "source": {}})  # fmt: skip
            self._advance(step, rung)
        repo.insert_many_once(turn.session, AuditEvent, audits)
        repo.insert_many_once(turn.session, OutboxMessage, outbox)

    def _quiet_until(self, turn: Turn, approvers: list[str]) -> datetime | None:
        if self.quiet is None:
            return None
        person = turn.services.directory.get(approvers[0] if approvers else None)
        zone = (person.timezone if person and person.timezone else None) or turn.services.timezone
        later = calendar_for(zone).defer_out_of_quiet(turn.now, self.quiet)
        return later if later > turn.now else None

    def _message(self, turn: Turn, step: ApprovalStep, request: Request, rung: int,
                 notice: ladder.Notice) -> dict[str, Any]:  # fmt: skip
        card = approval_card_for(turn, request, step) if notice.with_card else None
        key = f"step:{request.ref}:{step.seq}" if card else None
        outgoing = Outgoing(notice.kind, notice.to, notice.text, request.ref, card=card, card_key=key)  # type: ignore[arg-type]
        turn.out.append(outgoing)
        return {"topic": "chat", "key": chat_key(outgoing), "payload": outgoing.as_dict(), "status": "pending",
                "idempotency_key": f"reminder:{step.id}:{rung}:{notice.kind}:{notice.to}", "attempts": 0,
                "next_attempt_at": turn.now, "created_at": turn.now}  # fmt: skip

    def _advance(self, step: ApprovalStep, rung: int) -> None:
        if step.status == "info_requested" or rung == ladder.INFO_NUDGE:
            step.next_rung, step.next_due_at = None, None
            return
        following = ladder.next_rung(set(range(1, rung + 1)), (step.due_50, step.due_100, step.due_150))
        step.next_rung, step.next_due_at = following if following else (None, None)

    def _approvers(self, turn: Turn, step: ApprovalStep, request: Request, delegates: dict[str, str]) -> list[str]:
        """Who is reminded: the assignee or the role's holders, each replaced by their delegate."""
        if step.status == "info_requested":
            return [request.requester]
        people = (
            [step.assignee]
            if step.assignee
            else [p.email for p in turn.services.directory.holders(step.role, request.entity)]
        )
        routed = [delegates.get(p, p) for p in people]
        return list(dict.fromkeys(p for p in routed if p != request.requester))[:20]

    def _notices(self, turn: Turn, step: ApprovalStep, request: Request, rung: int,
                 approvers: list[str]) -> list[ladder.Notice]:  # fmt: skip
        directory = turn.services.directory
        spec = turn.services.catalog.get(request.type_id)
        if step.role == MANAGER:
            manager = directory.manager_of(step.assignee or "")
            names = directory.name(step.assignee)
        else:
            manager = directory.role_manager(step.role, request.entity)
            names = f"the {directory.role_label(step.role)} team"
        asked = (
            step.info_question or ""
            if rung == ladder.INFO_NUDGE
            else f"step {step.seq}, {directory.role_label(step.role)}"
        )
        return ladder.notices(
            rung, ref=request.ref, title=spec.title, asked=asked, waited_for=ladder.waited(step.activated_at, turn.now),
            approvers=approvers, requester=request.requester,
            manager=manager.email if manager else self.fallback, approver_names=names,
        )  # fmt: skip
