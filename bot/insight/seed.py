"""`frontdoor demo seed`: a realistic history of requests, written straight into the store.

What it writes is what the engine would have written for the same events (requests, their
approval steps with their due times, decisions, the audit trail, the reminders the SLA sweep
sent, the backend's statuses), but in bulk, so that a million requests take minutes rather than
days: request types and amounts drawn from the catalog's shapes, three legal entities and their
departments, approvers who are fast and approvers who are slow, rejections, invoice exceptions
by reason and vendor, withdrawals, backend failures, and a holiday week with little traffic.
The same `seed` writes the same history.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection

from bot.directory import MANAGER, Directory
from bot.insight import rollup
from bot.insight.facts import hours_between
from bot.insight.hours import HoursClock, clock_of
from bot.insight.queries import Calendars
from bot.store.models import REQUEST_OFFSET, ApprovalStep, AuditEvent, Decision, ReminderSent, Request

ENTITIES = (("RMC", 0.5), ("LCH", 0.3), ("NPG", 0.2))
DEPARTMENTS = {
    "RMC": ("CC-4410", "CC-4400", "CC-1200", "CC-1600", "CC-3100"),
    "LCH": ("CC-5120", "CC-5100", "CC-5300"),
    "NPG": ("CC-7100", "CC-7200"),
}
VENDORS = ("Medline", "Cardinal Health", "Owens & Minor", "Stryker", "Baxter", "Sysco", "Grainger", "McKesson")
REASONS = (
    ("price_mismatch", 0.34),
    ("quantity_mismatch", 0.22),
    ("missing_po", 0.18),
    ("missing_receipt", 0.13),
    ("duplicate", 0.08),
    ("other", 0.05),
)
TYPES = (
    ("purchase_requisition", 0.32),
    ("invoice_exception", 0.2),
    ("access_request", 0.16),
    ("employee_change", 0.1),
    ("contract_review", 0.06),
    ("vendor_onboarding", 0.06),
    ("facilities_work_order", 0.1),
)
SPEED = {
    "bob.martin@example.org": 1.5,
    "george.hall@example.org": 11.0,
    "carol.diaz@example.org": 4.0,
    "frank.ito@example.org": 3.0,
    "chloe.reed@example.org": 14.0,
    "priya.shah@example.org": 2.0,
    "omar.haddad@example.org": 6.0,
    "hector.ramos@example.org": 5.0,
    "ivy.tran@example.org": 2.5,
    "sam.okafor@example.org": 3.0,
    "lena.berg@example.org": 12.0,
}
"""Median business hours each approver takes (the rest: 4)."""
_STAMPS = ("in_progress_at", "fulfilled_at", "failed_at", "refused_at", "in_progress_hours", "fulfilled_hours")
FULFIL_HOURS = {"purchase_requisition": 30.0, "access_request": 6.0, "facilities_work_order": 12.0}


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


@dataclass
class _Ids:
    request: int
    step: int
    decision: int
    audit: int
    reminder: int


@dataclass
class _Batch:
    requests: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)


class Seeder:
    """Writes `count` requests created over `weeks` weeks before `now`."""

    def __init__(
        self, directory: Directory, calendars: Calendars, now: datetime, *, seed: int = 7, weeks: int = 26
    ) -> None:
        self.directory = directory
        self.calendars = calendars
        self.now = now.astimezone(UTC)
        self.rng = random.Random(seed)
        self.weeks = weeks
        self.zone = ZoneInfo(directory.timezone or "America/New_York")
        self.requesters = sorted(p.email for p in directory.people.values() if p.manager)
        self.org = clock_of(calendars.calendar(None, None))
        self._clocks: dict[str, HoursClock] = {}
        self.quiet_week = self._holiday_week()

    def clock(self, role: str) -> HoursClock:
        if role not in self._clocks:
            self._clocks[role] = clock_of(self.calendars.calendar(None, None if role == MANAGER else role))
        return self._clocks[role]

    def _holiday_week(self) -> date | None:
        """The Monday of the week with the most holidays in the span (Thanksgiving, Christmas…)."""
        start = (self.now - timedelta(weeks=self.weeks)).astimezone(self.zone).date()
        best: tuple[int, date] | None = None
        day = start - timedelta(days=start.weekday())
        cal = self.org.calendar
        while day < self.now.astimezone(self.zone).date():
            off = sum(1 for i in range(5) if not cal.is_workday(day + timedelta(days=i)))
            if off and (best is None or off > best[0]):
                best = (off, day)
            day += timedelta(days=7)
        return best[1] if best else None

    # -- one request ------------------------------------------------------------------------
    def _created(self) -> datetime:
        days = self.weeks * 7
        while True:
            day = (self.now - timedelta(days=self.rng.randrange(days))).astimezone(self.zone).date()
            monday = day - timedelta(days=day.weekday())
            if day.weekday() >= 5 and self.rng.random() > 0.08:
                continue
            if monday == self.quiet_week and self.rng.random() > 0.3:
                continue
            minutes = int(self.rng.triangular(6 * 60, 19 * 60, 10 * 60))
            at = datetime.combine(day, time(minutes // 60, minutes % 60), self.zone).astimezone(UTC)
            if at < self.now:
                return at

    def _chain(self, type_id: str, fields: dict[str, Any]) -> list[tuple[str, float]]:
        cost = float(fields.get("estimated_cost") or fields.get("amount") or 0)
        chains: dict[str, list[tuple[str, float]]] = {
            "purchase_requisition": [(MANAGER, 8.0)]
            + ([("finance", 8.0)] if cost > 5000 else [])
            + ([("cfo", 16.0)] if cost > 50000 else []),
            "invoice_exception": [("accounts_payable", 16.0)] + ([("finance", 16.0)] if cost > 10000 else []),
            "access_request": [(MANAGER, 8.0)] + ([("security", 8.0)] if fields.get("access_level") == "admin" else []),
            "employee_change": [(MANAGER, 16.0), ("hr", 16.0)],
            "contract_review": [("legal", 24.0)] + ([("cfo", 16.0)] if cost > 250000 else []),
            "vendor_onboarding": [("procurement", 16.0)] + ([("finance", 16.0)] if cost > 100000 else []),
            "facilities_work_order": [],
        }
        return chains[type_id]

    def _fields(self, type_id: str) -> dict[str, Any]:
        rng = self.rng
        if type_id == "purchase_requisition":
            return {"quantity": rng.randint(1, 20), "estimated_cost": round(math.exp(rng.gauss(8.0, 1.4)), 2)}
        if type_id == "invoice_exception":
            return {
                "invoice_number": f"INV-{rng.randrange(10000, 99999)}",
                "vendor_name": rng.choice(VENDORS),
                "amount": round(math.exp(rng.gauss(8.3, 1.1)), 2),
                "exception_reason": _pick(rng, REASONS),
            }
        if type_id == "access_request":
            return {"access_level": "admin" if rng.random() < 0.2 else "read"}
        if type_id == "contract_review":
            return {"contract_value": round(math.exp(rng.gauss(11.0, 1.3)), 2)}
        if type_id == "vendor_onboarding":
            return {"estimated_annual_spend": round(math.exp(rng.gauss(10.5, 1.3)), 2)}
        return {"priority": rng.choice(("normal", "urgent", "low"))}

    def _decider(self, role: str, requester: str, entity: str) -> tuple[str | None, str]:
        """(assignee, who decides)."""
        if role == MANAGER:
            manager = self.directory.manager_of(requester)
            email = manager.email if manager else "carol.diaz@example.org"
            return email, email
        holders = sorted(p.email for p in self.directory.holders(role, entity) if p.email != requester)
        return None, self.rng.choice(holders) if holders else "carol.diaz@example.org"

    def request(self, ids: _Ids, batch: _Batch) -> None:  # noqa: C901  # one request's whole life, in order
        rng = self.rng
        rid = ids.request = ids.request + 1
        ref = f"REQ-{REQUEST_OFFSET + rid}"
        type_id = _pick(rng, TYPES)
        requester = rng.choice(self.requesters)
        entity = _pick(rng, ENTITIES)
        created = self._created()
        fields = self._fields(type_id)
        chain = self._chain(type_id, fields)
        withdraw_after = rng.expovariate(1 / 6) if rng.random() < 0.025 else None
        audit = batch.audits
        audit.append(self._audit(ids, created, requester, "submitted", ref, None, {"type": type_id}))
        status = "pending_approval" if chain else "submitted"
        activated: datetime | None = created
        cleared: datetime | None = None if chain else created
        approved_at: datetime | None = None
        stamps: dict[str, Any] = {}
        for seq, (role, sla) in enumerate(chain, start=1):
            sid = ids.step = ids.step + 1
            assignee, decider = self._decider(role, requester, entity)
            row: dict[str, Any] = {
                "id": sid,
                "request_id": rid,
                "seq": seq,
                "role": role,
                "assignee": assignee,
                "sla_hours": float(sla),
                "status": "pending",
                "activated_at": None,
                "due_50": None,
                "due_100": None,
                "due_150": None,
                "next_due_at": None,
                "next_rung": None,
                "decided_by": None,
                "decided_at": None,
                "info_question": None,
                "wait_hours": None,
                "type_id": type_id,
                "entity": entity,
            }
            batch.steps.append(row)
            if activated is None or status != "pending_approval":
                if status in ("rejected", "cancelled"):
                    row["status"] = "cancelled"
                continue
            clock = self.clock(role)
            dues = tuple(clock.add(activated, sla * share) for share in (0.5, 1.0, 1.5))
            row.update(activated_at=activated, due_50=dues[0], due_100=dues[1], due_150=dues[2], status="active")
            hours = SPEED.get(decider, 4.0) * math.exp(rng.gauss(0, 0.9))
            decided = clock.add(activated, hours)
            withdrawn = None
            if withdraw_after is not None:
                withdrawn = clock.add(activated, withdraw_after)
                if withdrawn >= decided or withdrawn > self.now:
                    withdrawn = None
            end = min(decided, self.now, withdrawn or decided)
            for rung, due in enumerate(dues, start=1):
                if due <= end:
                    ids.reminder += 1
                    batch.reminders.append(
                        {
                            "id": ids.reminder,
                            "step_id": sid,
                            "rung": rung,
                            "recipient": assignee or self.directory.role_channel(role),
                            "sent_at": due,
                        }
                    )
            if withdrawn is not None:
                row["status"] = "cancelled"
                status = "cancelled"
                audit.append(self._audit(ids, withdrawn, requester, "cancelled", ref, None, {}))
                activated = None
                continue
            if decided > self.now:  # still waiting
                following = next(((r, d) for r, d in enumerate(dues, start=1) if d > self.now), None)
                if following:
                    row["next_rung"], row["next_due_at"] = following
                activated = None
                continue
            rejected = rng.random() < (0.15 if role in ("cfo", "security") else 0.05)
            verdict = "reject" if rejected else "approve"
            row.update(status="rejected" if rejected else "approved", decided_by=decider, decided_at=decided)
            row["wait_hours"] = hours_between(clock, activated, decided)
            ids.decision += 1
            batch.decisions.append(
                {
                    "id": ids.decision,
                    "step_id": sid,
                    "request_id": rid,
                    "decision": verdict,
                    "approver": decider,
                    "comment": None,
                    "source": {},
                    "decided_at": decided,
                }
            )
            audit.append(self._audit(ids, decided, decider, row["status"], ref, seq, {"role": role}))
            if rejected:
                status = "rejected"
                activated = None
            else:
                activated = approved_at = decided
                if seq == len(chain):
                    status, cleared = "approved", decided
        backend_status = None
        if cleared is not None:
            status, backend_status = self._backend(ids, batch, ref, type_id, cleared, status, stamps)
        batch.requests.append(
            {
                "id": rid,
                "ref": ref,
                "type_id": type_id,
                "fields": fields,
                "requester": requester,
                "entity": entity,
                "cost_center": rng.choice(DEPARTMENTS[entity]),
                "source": {"channel": "local"},
                "status": status,
                "backend_id": f"BK-{rid}" if cleared is not None else None,
                "backend_status": backend_status,
                "response_due_at": None,
                "created_at": created,
                "updated_at": created,
                "approved_at": approved_at,
                **{name: stamps.get(name) for name in _STAMPS},
            }
        )

    def _backend(
        self, ids: _Ids, batch: _Batch, ref: str, type_id: str, cleared: datetime, status: str, stamps: dict[str, Any]
    ) -> tuple[str, str | None]:
        """The backend's reports; their first instants and business hours go in `stamps`
        (as `bot.insight.facts.note_backend` stores them)."""
        rng = self.rng
        backend_status: str | None = "received"
        started = self.org.add(cleared, 1.5 * math.exp(rng.gauss(0, 0.8)))
        if started > self.now:
            return status, backend_status
        batch.audits.append(self._audit(ids, started, "backend", "backend_in_progress", ref, None, {}))
        stamps.update(in_progress_at=started, in_progress_hours=hours_between(self.org, cleared, started))
        status = backend_status = "in_progress"
        finished = self.org.add(started, FULFIL_HOURS.get(type_id, 16.0) * math.exp(rng.gauss(0, 0.7)))
        if finished > self.now:
            return status, backend_status
        outcome = "failed" if rng.random() < 0.03 else "fulfilled"
        batch.audits.append(self._audit(ids, finished, "backend", f"backend_{outcome}", ref, None, {}))
        stamps[f"{outcome}_at"] = finished
        if outcome == "fulfilled":
            stamps["fulfilled_hours"] = hours_between(self.org, cleared, finished)
        return outcome, outcome

    @staticmethod
    def _audit(
        ids: _Ids, at: datetime, actor: str, action: str, ref: str, seq: int | None, detail: dict[str, Any]
    ) -> dict[str, Any]:
        ids.audit += 1
        return {
            "id": ids.audit,
            "at": at,
            "actor": actor,
            "action": action,
            "request_ref": ref,
            "step_seq": seq,
            "detail": detail,
            "source": {"channel": "demo"},
        }

    def batches(self, ids: _Ids, count: int, size: int) -> Iterator[_Batch]:
        done = 0
        while done < count:
            batch = _Batch()
            for _ in range(min(size, count - done)):
                self.request(ids, batch)
            done += min(size, count - done)
            yield batch


_TABLES = (
    ("requests", Request),
    ("steps", ApprovalStep),
    ("decisions", Decision),
    ("audits", AuditEvent),
    ("reminders", ReminderSent),
)


def seed_history(
    connection: Connection,
    directory: Directory,
    calendars: Calendars,
    *,
    requests: int,
    seed: int = 7,
    now: datetime | None = None,
    weeks: int = 26,
    batch_size: int = 2000,
) -> dict[str, int]:
    """Write `requests` requests and what followed them; returns the rows written by table."""
    now = now or datetime.now(UTC)
    seeder = Seeder(directory, calendars, now, seed=seed, weeks=weeks)

    def top(model: Any) -> int:
        return int(connection.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one())

    ids = _Ids(top(Request), top(ApprovalStep), top(Decision), top(AuditEvent), top(ReminderSent))
    written = {name: 0 for name, _ in _TABLES}
    for batch in seeder.batches(ids, requests, batch_size):
        for name, model in _TABLES:
            rows = getattr(batch, name)
            if rows:
                connection.execute(insert(cast(Table, model.__table__)), rows)
                written[name] += len(rows)
    if connection.dialect.name == "postgresql":
        for _, model in _TABLES:
            table = cast(Table, model.__table__)
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT MAX(id) FROM {table.name}))")
            )
    rollup.forget(connection)  # the history went into weeks that may have been summed up meanwhile
    return written
