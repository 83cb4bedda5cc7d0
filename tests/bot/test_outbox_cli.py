"""`frontdoor outbox list|retry ID|discard ID`: the dead letters an operator sees and acts on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.store import repo
from bot.store.db import Database
from tests.bot.test_cli import run

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _dead_rows(url: str) -> None:
    db = Database(url)
    db.upgrade()
    with db.core_transaction() as connection:
        payload = {"kind": "card", "to": "#approvals-finance", "text": "Alice asks…", "request": "REQ-1001"}
        repo.enqueue_many(connection, [repo.OutboxRow("chat", "step:REQ-1001:2", "k1", payload)], NOW)
        repo.enqueue_many(
            connection, [repo.OutboxRow("chat", "x", "k2", {"kind": "reply", "to": "a@x", "text": "hi"})], NOW
        )
        connection.exec_driver_sql("UPDATE outbox SET status = 'dead', attempts = 12, last_error = 'is_archived'")
    db.dispose()


def test_list_retry_and_discard_dead_messages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fd.db"
    _dead_rows(url)
    env = {"FRONTDOOR_DATABASE_URL": url}
    listed = run("outbox", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["id"], r["to"], r["request"], r["attempts"], r["error"]) for r in rows] == [
        (1, "#approvals-finance", "REQ-1001", 12, "is_archived"),
        (2, "a@x", None, 12, "is_archived"),
    ]
    plain = run("outbox", "list", env=env)
    assert (
        plain.stdout.startswith("1\tchat\t#approvals-finance\tREQ-1001\t12 attempts")
        and "2 dead messages" in plain.stderr
    )
    assert run("outbox", "retry", "1", env=env).stdout.strip() == "message 1 queued again"
    assert run("outbox", "discard", "2", env=env).stdout.strip() == "message 2 discarded"
    again = run("outbox", "retry", "1", env=env)
    assert again.returncode == 1 and "no dead message 1" in again.stderr
    assert run("outbox", "list", "--json", env=env).stdout == ""
    db = Database(url)
    with db.core_transaction() as connection:
        statuses = dict(connection.exec_driver_sql("SELECT id, status FROM outbox").all())
        assert statuses == {1: "pending", 2: "discarded"}
    db.dispose()
