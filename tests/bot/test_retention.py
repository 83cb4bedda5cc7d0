"""Protected data is not kept by accident: a delivered chat message's text leaves the outbox table
after the retention period (FRONTDOOR_CHAT_RETENTION_DAYS); the audit trail and undelivered rows
stay."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.store import repo
from bot.store.claims import PURGED
from bot.store.models import OutboxMessage
from tests.bot.helpers import make_app, press, run_steps, say

ALICE, BOB = "alice.nguyen@example.org", "bob.martin@example.org"


def chat_rows(app: Any) -> list[tuple[str, dict[str, Any]]]:
    with app.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "chat").order_by(OutboxMessage.id))
        return [(row.status, dict(row.payload)) for row in rows]


def test_delivered_chat_text_is_forgotten_after_the_retention_period(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, chat_retention_days=2)
    run_steps(app, [say(ALICE, "buy 3 x monitors for cc-4410 $900"), press(ALICE, "confirm")])
    first = len(chat_rows(app))
    assert first >= 3 and {status for status, _ in chat_rows(app)} == {"sent"}
    app.clock.advance(timedelta(days=1))
    asyncio.run(app.tick())  # a reminder goes out to Bob meanwhile
    assert all(status == "sent" and payload != PURGED for status, payload in chat_rows(app))  # not yet
    app.clock.advance(timedelta(days=1, hours=1))
    asyncio.run(app.tick())
    rows = chat_rows(app)
    assert all(status == "purged" and payload == PURGED for status, payload in rows[:first])
    assert "monitors" not in str(rows[:first])
    assert all(status == "sent" for status, _ in rows[first:])  # newer than two days: kept
    with app.db.transaction() as session:
        assert next(e.action for e in repo.audit_trail(session, "REQ-1001")) == "submitted"  # the trail stays
    run_steps(app, [press(BOB, "approve")])  # the request goes on: its card is updated in place
    assert any(line["kind"] == "card_update" and line["to"] == BOB for line in lines)
