"""Outbox claims: a row is taken by one worker, and never again once it is sent."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store import claims, repo
from bot.store.db import Database

NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)


def test_a_row_sent_by_another_worker_after_it_was_read_is_not_taken(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    with db.transaction() as session:
        repo.enqueue(session, "chat", "alice", "k1", {"text": "hello"}, NOW)
    with db.transaction() as session:  # worker B reads the pending rows…
        read = [row[0] for row in repo.core(session).execute(claims._PENDING, {"topic": "chat"})]
    with db.transaction() as session:  # …worker A claims, delivers and records that row meanwhile…
        taken_by_a = claims.claim(session, "chat", NOW, 10)
        claims.mark_sent(session, [row.id for row in taken_by_a.rows], NOW)
    assert [row.id for row in taken_by_a.rows] == read
    with db.transaction() as session:  # …then B tries to take what it read: the row is no longer pending
        params = {"ids": read, "now": NOW, "until": NOW + claims.LEASE, "owner": None}
        assert repo.core(session).execute(claims._TAKE, params).all() == []
        assert claims.claim(session, "chat", NOW, 10).rows == []
    db.dispose()
