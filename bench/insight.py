"""Each insight view's query time on PostgreSQL with N seeded requests (`frontdoor demo seed`).

    python bench/insight.py [--requests 100000] [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                            [--keep] [--database NAME] [--views latency,sla] [--filter type=invoice_exception]

Creates a fresh database, seeds N requests over 52 weeks, then times each view (default
filters: the last 12 weeks) three times (--repeat) and prints one JSON line per view: the best,
first and median times in milliseconds, the Python side's CPU time and the load average. The
closed weeks' sums (`bot.insight.rollup`) are dropped before the first view: the first view that
reads decided steps (latency) sums the period's closed weeks up, and its `first_ms` shows it. The
database is dropped at the end (--keep to keep it: its name is printed). `--database NAME`
times an already seeded database instead (migrating it to the head first, so new indexes are
built) and leaves it in place. `--filter KEY=VALUE` (type, entity, department, role; repeatable)
times the views as a filtered page reads them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from bot.deadlines import business_deadlines
from bot.directory import load_directory
from bot.insight import rollup
from bot.insight.gauges import gauge_figures
from bot.insight.hours import clock_of
from bot.insight.queries import VIEWS, Filters, Insight
from bot.insight.seed import seed_history
from bot.store.db import Database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database (its name is printed)")
    parser.add_argument("--database", help="time this already seeded database (kept) instead of seeding one")
    parser.add_argument("--views", help="comma-separated views to time (default: all, and the gauges)")
    parser.add_argument("--repeat", type=int, default=3, help="times each view is read (best and median shown)")
    parser.add_argument("--filter", action="append", default=[], help="KEY=VALUE: type, entity, department, role")
    args = parser.parse_args()
    chosen_filters = dict(item.split("=", 1) for item in args.filter)
    filters = Filters(
        type_id=chosen_filters.pop("type", None),
        entity=chosen_filters.pop("entity", None),
        department=chosen_filters.pop("department", None),
        role=chosen_filters.pop("role", None),
    )
    if chosen_filters:
        parser.error(f"unknown filter: {', '.join(chosen_filters)}")
    reuse = bool(args.database)
    name = args.database or f"frontdoor_bench_{uuid.uuid4().hex[:8]}"
    admin = args.url.replace("+psycopg", "")
    if not reuse:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = args.url.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    directory = load_directory(None)
    calendars = business_deadlines(directory, "America/New_York")
    now = datetime(2026, 6, 15, 15, 0, tzinfo=UTC)
    try:
        started = time.perf_counter()
        db.upgrade()
        if reuse:
            with db.core_transaction() as connection:
                requests = connection.exec_driver_sql("SELECT count(*) FROM requests").scalar_one()
            vacuum(admin, name)
            args.requests = int(requests)
            migrated = round(time.perf_counter() - started, 1)
            print(json.dumps({"database": name, "requests": args.requests, "migrated_seconds": migrated}), flush=True)
        else:
            with db.core_transaction() as connection:
                written = seed_history(
                    connection, directory, calendars, requests=args.requests, now=now, weeks=args.weeks
                )
            vacuum(admin, name)
            seconds = time.perf_counter() - started
            seeded = {"seed": written, "seconds": round(seconds, 1), "requests": args.requests, "database": name}
            print(json.dumps(seeded), flush=True)
        with db.core_transaction() as connection:
            rollup.forget(connection)  # the first reading sums the closed weeks up: timed as first_ms
        chosen = args.views.split(",") if args.views else [*VIEWS, "gauges"]
        for view in chosen:
            times, cpu = [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                with db.core_transaction() as connection:
                    if view == "gauges":
                        gauge_figures(connection, clock_of(calendars.calendar(None, None)), now)
                    else:
                        Insight(connection, directory, calendars, now, filters).view(view)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            line = {"view": view, "requests": args.requests, "best_ms": round(min(times), 1)}
            if filters.as_dict():
                line["filters"] = filters.as_dict()
            line["first_ms"] = round(times[0], 1)
            line["median_ms"] = round(statistics.median(times), 1)
            line["python_cpu_ms"] = round(min(cpu), 1)  # this process's share (the rest is the database)
            line["load"] = round(os.getloadavg()[0], 1)  # the machine's load average: a busy one skews the times
            print(json.dumps(line), flush=True)
    finally:
        db.dispose()
        if not args.keep and not reuse:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def vacuum(admin: str, name: str) -> None:
    """VACUUM ANALYZE, as autovacuum would have by then: statistics, and the visibility map that
    lets an index answer alone."""
    with psycopg.connect(admin.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
