"""The embedded backend's own store: a SQLite file (or `:memory:`) through the standard library.

Unique keys carry the guarantees: one request per idempotency key, one queued callback per
event id. Each change runs in one transaction (`with store.transaction():`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (id TEXT PRIMARY KEY, reference TEXT, type TEXT, body TEXT,
    status TEXT, created_at TEXT);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, route TEXT, digest TEXT, status INTEGER,
    response TEXT);
CREATE TABLE IF NOT EXISTS decisions (request_id TEXT, step TEXT, decision TEXT, approver TEXT,
    comment TEXT, decided_at TEXT);
CREATE TABLE IF NOT EXISTS history (request_id TEXT, status TEXT, reason TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS callbacks (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE,
    body TEXT, delivered INTEGER DEFAULT 0, attempts INTEGER DEFAULT 0);
"""
DECISION_COLUMNS = ("step", "decision", "approver", "comment", "decided_at")
PENDING, DELIVERED, GAVE_UP = 0, 1, -1


class BackendStore:
    """Small helpers over one SQLite connection, used from the event loop only."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db = self._connect()
        self.closed = False

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        return db

    def reopen(self) -> None:
        """Open the file again after `close()` (a `:memory:` store starts empty)."""
        self.db = self._connect()
        self.closed = False

    def close(self) -> None:
        self.db.close()
        self.closed = True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- idempotency --------------------------------------------------------------------------
    def remembered(self, key: str) -> tuple[str, str, int, dict[str, Any]] | None:
        """(route, body digest, status, answer) given earlier for this key."""
        sql = "SELECT route, digest, status, response FROM idempotency WHERE key = ?"
        row = self.db.execute(sql, (key,)).fetchone()
        return (row[0], row[1], row[2], json.loads(row[3])) if row else None

    def remember(self, key: str, route: str, digest: str, status: int, response: dict[str, Any]) -> None:
        sql = "INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)"
        self.db.execute(sql, (key, route, digest, status, json.dumps(response)))

    # -- requests -----------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])

    def add_request(self, body: dict[str, Any], at: str) -> str:
        """Store a new request as received; its id, such as BK-000001."""
        request_id = f"BK-{self.count() + 1:06d}"
        sql = "INSERT INTO requests VALUES (?, ?, ?, ?, 'received', ?)"
        self.db.execute(sql, (request_id, body["reference"], body["type"], json.dumps(body), at))
        self.db.execute("INSERT INTO history VALUES (?, 'received', NULL, ?)", (request_id, at))
        return request_id

    def request(self, request_id: str) -> dict[str, Any] | None:
        """The request with its body, decisions and history; None when unknown."""
        sql = "SELECT id, reference, type, body, status FROM requests WHERE id = ?"
        row = self.db.execute(sql, (request_id,)).fetchone()
        if row is None:
            return None
        sql = "SELECT step, decision, approver, comment, decided_at FROM decisions WHERE request_id = ? ORDER BY rowid"
        decisions = [dict(zip(DECISION_COLUMNS, d, strict=True)) for d in self.db.execute(sql, (request_id,))]
        sql = "SELECT status, reason, at FROM history WHERE request_id = ? ORDER BY rowid"
        history = [dict(zip(("status", "reason", "at"), h, strict=True)) for h in self.db.execute(sql, (request_id,))]
        return {
            "id": row[0],
            "reference": row[1],
            "type": row[2],
            "status": row[4],
            "body": json.loads(row[3]),
            "decisions": decisions,
            "history": history,
        }

    def with_status(self, status: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM requests WHERE status = ? ORDER BY id", (status,))]

    def set_status(self, request_id: str, status: str, reason: str | None, at: str) -> None:
        self.db.execute("UPDATE requests SET status = ? WHERE id = ?", (status, request_id))
        self.db.execute("INSERT INTO history VALUES (?, ?, ?, ?)", (request_id, status, reason, at))

    def add_decision(self, request_id: str, decision: dict[str, Any]) -> None:
        values = tuple(decision.get(column) for column in DECISION_COLUMNS)
        self.db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?)", (request_id, *values))

    def approved_steps(self, request_id: str) -> set[str]:
        sql = "SELECT step FROM decisions WHERE request_id = ? AND decision = 'approve'"
        return {r[0] for r in self.db.execute(sql, (request_id,))}

    # -- callbacks ----------------------------------------------------------------------------
    def queue_callback(self, event_id: str, body: dict[str, Any]) -> None:
        self.db.execute("INSERT INTO callbacks (event_id, body) VALUES (?, ?)", (event_id, json.dumps(body)))

    def next_callback(self) -> tuple[int, bytes] | None:
        """The oldest undelivered callback: (sequence number, exact body to send)."""
        sql = "SELECT seq, body FROM callbacks WHERE delivered = ? ORDER BY seq LIMIT 1"
        row = self.db.execute(sql, (PENDING,)).fetchone()
        return (int(row[0]), str(row[1]).encode()) if row else None

    def pending_callbacks(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM callbacks WHERE delivered = ?", (PENDING,)).fetchone()[0])

    def callback_delivered(self, seq: int) -> None:
        self.db.execute("UPDATE callbacks SET delivered = ?, attempts = attempts + 1 WHERE seq = ?", (DELIVERED, seq))

    def callback_failed(self, seq: int) -> int:
        """Count a failed attempt; the attempts made so far."""
        self.db.execute("UPDATE callbacks SET attempts = attempts + 1 WHERE seq = ?", (seq,))
        return int(self.db.execute("SELECT attempts FROM callbacks WHERE seq = ?", (seq,)).fetchone()[0])

    def give_up(self, seq: int) -> None:
        self.db.execute("UPDATE callbacks SET delivered = ? WHERE seq = ?", (GAVE_UP, seq))
