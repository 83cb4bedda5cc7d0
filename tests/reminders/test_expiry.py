"""Expiry: a request whose step waits past its type's `expiry` business days is closed once,
whatever the number of sweeps running at the same moment."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.core.expiry import expires_at
from bot.settings import load_settings
from bot.store.db import Database
from bot.store.models import ApprovalStep, AuditEvent, OutboxMessage, Request
from bot.store.status import RequestStatus, StepStatus
from forms.catalog import load_catalog
from reminders.business_time import BusinessCalendar
from tests.bot.helpers import START, KeywordParser, make_app, press, run_steps, say

ALICE = "alice.nguyen@example.org"


def _state(db: Database) -> tuple[list[str], list[str], list[str], int]:
    with db.transaction() as session:
        statuses = [str(s) for s in session.scalars(select(Request.status))]
        steps = [str(s) for s in session.scalars(select(ApprovalStep.status))]
        audits = list(session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "expired")))
        cancels = len(
            list(session.scalars(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == "REQ-1001:cancel")))
        )
        return statuses, steps, audits, cancels


def test_the_catalogs_expiry_defaults_to_ten_business_days() -> None:
    assert {spec.expiry for spec in load_catalog()} == {10}
    calendar = BusinessCalendar()
    assert expires_at(calendar, START, 10) == calendar.add(START, 90)  # ten days of 08:00-17:00


def test_two_sweeps_at_once_expire_a_request_once(database_url: str) -> None:
    app = make_app(database_url, [])
    run_steps(app, [say(ALICE, "buy 3 x pens for cc-4410 $60"), press(ALICE, "confirm")])
    later = START + timedelta(days=17)  # eleven business days and more
    early = app.sweeper(START + timedelta(days=3))  # not yet: only the ladder
    assert _state(app.db)[0] == [RequestStatus.PENDING_APPROVAL]
    assert not [o for o in early if "expired" in o.text]
    replicas = [
        App(
            load_settings(database_url=database_url),
            clock=ManualClock(later),
            parser=KeywordParser(),
            channels={"local": LocalChannel(lambda line: None)},
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    sent: list[list[Any]] = [[], []]
    failures: list[BaseException] = []

    def sweep(n: int) -> None:
        try:
            barrier.wait()
            sent[n] = replicas[n].sweeper.expire(later)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=sweep, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    statuses, steps, audits, cancels = _state(app.db)
    assert statuses == [RequestStatus.EXPIRED] and steps == [StepStatus.CANCELLED]
    assert audits == ["scheduler"] and cancels == 1
    told = [o for found in sent for o in found if o.to == ALICE and o.card is not None and o.card.buttons]
    assert len(told) == 1 and told[0].card.buttons[0].action == "resubmit"
    assert sorted(len(found) > 0 for found in sent) == [False, True]  # one sweep did it all
    assert replicas[0].sweeper.expire(later + timedelta(days=1)) == []  # and nothing after
