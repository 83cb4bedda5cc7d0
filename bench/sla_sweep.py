"""Benchmark: one real SLA sweep over N open approval steps of which `--due` are due.

Fills a scratch database (its Front Door tables are emptied first) with N open requests, each
with one active approval step, runs one sweep with the product's own code (the sweep writes
its messages to the outbox; no channel is involved, so nothing leaves the process), and prints
one JSON line with the figures and the sweep query's plan.

    python bench/sla_sweep.py --open 100000 --due 1000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bot.app import App
from bot.settings import load_settings
from reminders.sweep import Sweeper

TABLES = "reminders_sent, decisions, approval_steps, outbox, audit_events, card_posts, requests"
FIELDS = '{"item_description": "pens", "quantity": 1, "estimated_cost": 60, "cost_center": "CC-4410"}'


def fill_postgres(app: App, total: int, due: int, now: datetime) -> None:
    with app.db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        conn.execute(text(
            "INSERT INTO requests (ref, type_id, fields, requester, entity, cost_center, source, status, created_at,"
            " updated_at) SELECT 'REQ-' || (1000 + g), 'purchase_requisition', CAST(:fields AS json),"
            " 'alice.nguyen@example.org', 'RMC', 'CC-4410', CAST('{}' AS json), 'pending_approval', :now, :now"
            " FROM generate_series(1, :n) AS g"), {"fields": FIELDS, "now": now, "n": total})  # fmt: skip
        conn.execute(text(
            "INSERT INTO approval_steps (request_id, seq, role, assignee, sla_hours, status, activated_at, due_50,"
            " due_100, due_150, next_due_at, next_rung)"
            " SELECT g, 1, 'manager', 'bob.martin@example.org', 8, 'active', :now - interval '5 hours',"
            " d, d + interval '4 hours', d + interval '8 hours', d, 1"
            " FROM (SELECT g, CASE WHEN g <= :due THEN :now - interval '1 hour'"
            "       ELSE :now + interval '1 day' + (g % 5000) * interval '1 minute' END AS d"
            "       FROM generate_series(1, :n) AS g) AS s"), {"now": now, "n": total, "due": due})  # fmt: skip
        conn.execute(text("ANALYZE requests; ANALYZE approval_steps"))


def plan(app: App, now: datetime, batch: int) -> str:
    sweeper = Sweeper(app.db, app.services, quiet=None, batch=batch)
    with app.db.transaction() as session:
        query = sweeper._claim_query(now)
        compiled = query.compile(app.db.engine, compile_kwargs={"literal_binds": True})
        rows = session.execute(text(f"EXPLAIN {compiled}")).scalars().all()
    return " | ".join(line.strip() for line in rows if "Scan" in line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    app = App(load_settings(database_url=args.database_url))
    if not app.db.is_postgres:
        raise SystemExit("the sweep benchmark fills PostgreSQL with generate_series: give a postgresql URL")
    app.migrate()
    now = datetime.now(UTC).replace(microsecond=0)
    fill_postgres(app, args.open, args.due, now)
    sweeper = Sweeper(app.db, app.services, quiet=None, batch=args.batch)
    started = time.perf_counter()
    sent = sweeper(now + timedelta(seconds=1))
    elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps({"open": args.open, "due": args.due, "sent": len(sent), "sweep_ms": round(elapsed, 1),
                      "plan": plan(app, now, args.batch)}))  # fmt: skip
    app.db.dispose()


if __name__ == "__main__":
    main()
