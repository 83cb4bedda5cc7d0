"""Benchmark: one real SLA sweep over N open approval steps of which `--due` are due.

Fills a scratch PostgreSQL database (its Front Door tables are emptied first) with N open
requests, each with one active approval step (three in four a manager's, one in four a
Finance channel step), of which `--due` have their first rung due, and vacuums it, as a live
database is. Then it runs the product's own sweep as `frontdoor run` configures it (quiet hours
and all; the clock is set to a Tuesday morning so that nothing is held back), and delivers what
the sweep queued through the outbox to a recording channel in place of Slack or Teams, so
nothing leaves the process. Prints one JSON line: the sweep's time, what it sent, what reached
the channel, the machine's load average (the sweep shares its cores) and the plans of the
sweep's reads.

    python bench/sla_sweep.py --open 100000 --due 1000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bot.app import App
from bot.channels.base import Destination
from bot.core.clock import ManualClock
from bot.core.replies import Outgoing
from bot.settings import load_settings

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
"""Tuesday 10:00 in New York: inside business hours, outside quiet hours."""
TABLES = "reminders_sent, decisions, approval_steps, outbox, audit_events, card_posts, requests"
FIELDS = '{"item_description": "pens", "quantity": 1, "estimated_cost": 60, "cost_center": "CC-4410"}'


class Recorder:
    """A channel that keeps what it is given."""

    name = "recorder"

    def __init__(self) -> None:
        self.posted: list[tuple[str, str]] = []

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        self.posted.append((outgoing.kind, destination.address))
        return {"n": len(self.posted)}

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        self.posted.append((outgoing.kind, "update"))

    def has_room(self, address: str) -> bool:
        return True


def fill_postgres(app: App, total: int, due: int, now: datetime) -> None:
    """N requests with one active step each; the first `due` of them have their 50 % rung due."""
    with app.db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        conn.execute(
            text(
                "INSERT INTO requests (ref, type_id, fields, requester, entity, cost_center, source, status,"
                " created_at, updated_at) SELECT 'REQ-' || (1000 + g), 'purchase_requisition', CAST(:fields AS json),"
                " 'alice.nguyen@example.org', 'RMC', 'CC-4410', CAST('{}' AS json), 'pending_approval', :now, :now"
                " FROM generate_series(1, :n) AS g"
            ),
            {"fields": FIELDS, "now": now, "n": total},
        )
        conn.execute(
            text(
                "INSERT INTO approval_steps (request_id, seq, role, assignee, sla_hours, status, activated_at, due_50,"
                " due_100, due_150, next_due_at, next_rung)"
                " SELECT g, 1, CASE WHEN g % 4 = 0 THEN 'finance' ELSE 'manager' END,"
                " CASE WHEN g % 4 = 0 THEN NULL ELSE 'bob.martin@example.org' END, 8, 'active',"
                " :now - interval '5 hours', d, d + interval '4 hours', d + interval '8 hours', d, 1"
                " FROM (SELECT g, CASE WHEN g <= :due THEN :now - interval '1 hour'"
                "       ELSE :now + interval '1 day' + (g % 5000) * interval '1 minute' END AS d"
                "       FROM generate_series(1, :n) AS g) AS s"
            ),
            {"now": now, "n": total, "due": due},
        )
    # A database at rest, as a live one is: vacuumed and analysed (no autovacuum of the bulk load
    # running during the sweep), its dirty pages written out.
    with app.db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for statement in ("VACUUM (ANALYZE) requests", "VACUUM (ANALYZE) approval_steps", "CHECKPOINT"):
            conn.execute(text(statement))


def plan(app: App, now: datetime, due: int) -> str:
    """The scan lines of the plans of the sweep's two reads: the due steps, then their requests."""
    from sqlalchemy import select

    from bot.store import rungs
    from bot.store.models import Request

    lines: list[str] = []
    with app.db.transaction() as session:
        due_steps = rungs.due_query(now, app.sweeper.batch, skip_locked=app.db.is_postgres)
        for query in (due_steps, select(Request).where(Request.id.in_(range(1, due + 1)))):
            compiled = query.compile(app.db.engine, compile_kwargs={"literal_binds": True})
            lines += session.execute(text(f"EXPLAIN {compiled}")).scalars().all()
    return " | ".join(line.strip() for line in lines if "Scan" in line)


def again(app: App, due: int) -> None:
    """Make the same steps due again, as they were before the sweep (for --repeat)."""
    with app.db.engine.begin() as conn:
        conn.execute(text("TRUNCATE reminders_sent, outbox, audit_events, card_posts"))
        conn.execute(
            text("UPDATE approval_steps SET next_due_at = due_50, next_rung = 1 WHERE id <= :due"), {"due": due}
        )
    with app.db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM (ANALYZE) approval_steps"))


def timed_sweep(app: App) -> tuple[int, float, float]:
    """One sweep: messages sent, wall-clock ms, this process's CPU ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    sent = app.sweeper(NOW)
    return len(sent), (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--batch", type=int, default=None, help="rows claimed a transaction (default: the product's)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="sweep the same due steps this many times (made due again between sweeps)"
    )
    args = parser.parse_args()
    recorder = Recorder()
    app = App(load_settings(database_url=args.database_url), clock=ManualClock(NOW), channels={"recorder": recorder})
    if not app.db.is_postgres:
        raise SystemExit("the sweep benchmark fills PostgreSQL with generate_series: give a postgresql URL")
    if args.batch:
        app.sweeper.batch = args.batch
    app.migrate()
    fill_postgres(app, args.open, args.due, NOW)
    sent, sweep_ms, cpu_ms = timed_sweep(app)
    assert app.chat is not None
    started = time.perf_counter()
    delivered = asyncio.run(app.chat.drain())
    deliver_ms = (time.perf_counter() - started) * 1000
    figures = {
        "open": args.open,
        "due": args.due,
        "sent": sent,
        "sweep_ms": round(sweep_ms, 1),
        "sweep_cpu_ms": round(cpu_ms, 1),
        "delivered": delivered,
        "recorded": len(recorder.posted),
        "deliver_ms": round(deliver_ms, 1),
        "load": round(os.getloadavg()[0], 2),
    }
    if args.repeat > 1:
        runs = [sweep_ms]
        for _ in range(args.repeat - 1):
            again(app, args.due)
            runs.append(timed_sweep(app)[1])
        figures["sweep_ms_runs"] = [round(ms, 1) for ms in runs]
        figures["sweep_ms_median"] = round(statistics.median(runs), 1)
    figures["plan"] = plan(app, NOW, args.due)
    print(json.dumps(figures))
    app.db.dispose()


if __name__ == "__main__":
    main()
