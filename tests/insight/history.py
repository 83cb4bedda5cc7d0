"""A dozen requests with known times (the week of Monday 2 March 2026, New York, EST), the
figures of docs/insight.md worked by hand from them in test_views.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.deadlines import business_deadlines
from bot.directory import load_directory
from bot.insight.facts import fill
from bot.store.db import Database
from bot.store.models import ApprovalStep, AuditEvent, Decision, ReminderSent, Request

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 6, 15, 0, tzinfo=NY).astimezone(UTC)
DIRECTORY = load_directory(None)
CALENDARS = business_deadlines(DIRECTORY, "America/New_York")


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY).astimezone(UTC)


# (id, type, entity, cost center, status, created, fields)
REQUESTS: list[tuple[int, str, str, str, str, datetime, dict[str, Any]]] = [
    (1, "purchase_requisition", "RMC", "CC-4410", "fulfilled", at(2, 8, 30), {"estimated_cost": 7000}),
    (
        2,
        "invoice_exception",
        "LCH",
        "CC-5120",
        "rejected",
        at(3, 8),
        {"exception_reason": "price_mismatch", "vendor_name": "Medline"},
    ),
    (
        3,
        "invoice_exception",
        "RMC",
        "CC-1200",
        "failed",
        at(2, 7),
        {"exception_reason": "missing_po", "vendor_name": "Medline"},
    ),
    (4, "access_request", "NPG", "CC-7100", "pending_approval", at(4, 9), {}),
    (5, "employee_change", "RMC", "CC-4410", "pending_approval", at(6, 9), {}),
    (6, "purchase_requisition", "LCH", "CC-5120", "pending_approval", at(5, 14), {}),
    (7, "contract_review", "RMC", "CC-1100", "pending_approval", at(4, 10), {}),
    (8, "facilities_work_order", "NPG", "CC-7200", "fulfilled", at(2, 10), {}),
    (9, "purchase_requisition", "RMC", "CC-4410", "cancelled", at(2, 9), {}),
    (10, "access_request", "RMC", "CC-4410", "rejected", at(3, 9), {}),
    (11, "purchase_requisition", "RMC", "CC-4410", "fulfilled", at(2, 9, month=2), {}),
    (
        12,
        "invoice_exception",
        "NPG",
        "CC-7100",
        "approved",
        at(4, 9),
        {"exception_reason": "price_mismatch", "vendor_name": "Cardinal Health"},
    ),
]
BOB, GEORGE, FRANK, OMAR = (
    "bob.martin@example.org",
    "george.hall@example.org",
    "frank.ito@example.org",
    "omar.haddad@example.org",
)
# (id, request, seq, role, assignee, sla, status, activated, due_100, decided_by, decided_at)
STEPS: list[tuple[Any, ...]] = [
    (1, 1, 1, "manager", BOB, 8.0, "approved", at(2, 9), at(2, 17), BOB, at(2, 11)),
    (2, 1, 2, "finance", None, 8.0, "approved", at(2, 11), at(3, 10), FRANK, at(3, 10)),
    (3, 2, 1, "accounts_payable", None, 16.0, "rejected", at(3, 9), at(4, 16), OMAR, at(3, 13)),
    (4, 3, 1, "accounts_payable", None, 16.0, "approved", at(2, 8), at(3, 15), OMAR, at(5, 10)),
    (5, 4, 1, "manager", GEORGE, 8.0, "active", at(4, 9), at(4, 17), None, None),
    (6, 5, 1, "manager", BOB, 16.0, "active", at(6, 9), at(9, 16), None, None),
    (7, 6, 1, "manager", GEORGE, 8.0, "active", at(5, 14), at(6, 13), None, None),
    (8, 7, 1, "legal", None, 24.0, "active", at(4, 10), at(6, 16), None, None),
    (9, 9, 1, "manager", BOB, 8.0, "cancelled", at(2, 9), at(2, 17), None, None),
    (10, 10, 1, "manager", BOB, 8.0, "rejected", at(3, 9), at(3, 17), BOB, at(3, 9, 30)),
    (11, 11, 1, "manager", BOB, 8.0, "approved", at(2, 9, month=2), at(2, 17, month=2), BOB, at(2, 10, month=2)),
    (12, 12, 1, "accounts_payable", None, 16.0, "approved", at(4, 9), at(5, 16), OMAR, at(4, 12)),
]
# (step, rung, sent)
RUNGS = [
    (4, 1, at(2, 16)), (4, 2, at(3, 15)), (4, 3, at(4, 14)),
    (5, 1, at(4, 13)), (5, 2, at(4, 17)), (5, 3, at(5, 12)),
    (7, 1, at(6, 9)), (7, 2, at(6, 13)),
    (8, 1, at(5, 13)),
]  # fmt: skip
# (request, action, at)
EVENTS = [
    (1, "backend_in_progress", at(3, 11)),
    (1, "backend_fulfilled", at(4, 10)),
    (3, "backend_in_progress", at(5, 12)),
    (3, "backend_failed", at(5, 15)),
    (8, "backend_in_progress", at(2, 12)),
    (8, "backend_fulfilled", at(3, 12)),
    (9, "withdrawn", at(2, 10)),
]


def write_history(db: Database, hours: bool = True) -> None:
    """Write the history, with what the engine stores as it goes (`bot.insight.facts`): the
    requests' last approvals and backend reports, and unless not `hours` the business hours of
    waits and hand-offs (without them the views measure those rows when they read them)."""
    requests = [
        {
            "id": rid, "ref": f"REQ-{1000 + rid}", "type_id": t, "fields": f, "requester": "alice.nguyen@example.org",
            "entity": e, "cost_center": cc, "source": {}, "status": s, "backend_id": None, "backend_status": None,
            "response_due_at": None, "created_at": c, "updated_at": c,
        }
        for rid, t, e, cc, s, c, f in REQUESTS
    ]  # fmt: skip
    steps = []
    decisions = []
    for sid, rid, seq, role, assignee, sla, status, activated, due, by, decided in STEPS:
        steps.append(
            {
                "id": sid, "request_id": rid, "seq": seq, "role": role, "assignee": assignee, "sla_hours": sla,
                "status": status, "activated_at": activated, "due_50": None, "due_100": due, "due_150": None,
                "next_due_at": None, "next_rung": None, "decided_by": by, "decided_at": decided, "info_question": None,
            }
        )  # fmt: skip
        if decided is not None:
            verdict = "reject" if status == "rejected" else "approve"
            decisions.append(
                {"id": sid, "step_id": sid, "request_id": rid, "decision": verdict, "approver": by,
                 "comment": "free text never shown", "source": {}, "decided_at": decided}
            )  # fmt: skip
    rungs = [
        {"id": i, "step_id": s, "rung": r, "recipient": "x@example.org", "sent_at": t}
        for i, (s, r, t) in enumerate(RUNGS, 1)
    ]
    events: list[dict[str, Any]] = [
        {"id": i, "at": t, "actor": "backend", "action": a, "request_ref": f"REQ-{1000 + r}", "step_seq": None,
         "detail": {}, "source": {}}
        for i, (r, a, t) in enumerate(EVENTS, 1)
    ]  # fmt: skip
    with db.core_transaction() as connection:
        for model, rows in (
            (Request, requests),
            (ApprovalStep, steps),
            (Decision, decisions),
            (ReminderSent, rungs),
            (AuditEvent, events),
        ):
            connection.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
        fill(connection, CALENDARS if hours else None)
