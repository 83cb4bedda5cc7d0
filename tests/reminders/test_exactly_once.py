"""Each rung at most once, none missed: restarts mid-sweep (an exception, a killed process),
two schedulers sweeping one PostgreSQL database, the scheduler of `frontdoor run`, the
`frontdoor reminders sweep` command and a transcript through `frontdoor chat --script`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.core.sweep import Sweeper
from bot.settings import load_settings
from bot.store.db import Database
from bot.store.models import AuditEvent, OutboxMessage, ReminderSent
from tests.bot.helpers import START, KeywordParser, make_app, run_steps

HERE = Path(__file__).parent
ALICE, BOB, CAROL = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "carol.diaz"))


def say(who: str, text: str) -> str:
    return json.dumps({"as": who, "say": text})


def press(who: str, button: str) -> str:
    return json.dumps({"as": who, "press": button})


def requests(app: App, count: int) -> None:
    run_steps(
        app,
        [
            line
            for n in range(count)
            for line in (say(ALICE, f"buy {n % 9 + 1} x pens for cc-4410 $60"), press(ALICE, "confirm"))
        ],
    )


def recorded(db: Database) -> list[tuple[int, int]]:
    with db.transaction() as session:
        return [(row[0], row[1]) for row in session.execute(select(ReminderSent.step_id, ReminderSent.rung))]


def queued(db: Database) -> Counter[tuple[str, str, str]]:
    """(request, kind, first word) of every ladder message in the outbox."""
    with db.transaction() as session:
        payloads = list(session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "chat")))
    return Counter(
        (p["request"], p["kind"], p["text"].split()[0])
        for p in payloads
        if p["kind"] in ("reminder", "escalation") or "waited" in p["text"]
    )


# ----------------------------------------------------------------------------- restarts
def test_a_crash_mid_sweep_keeps_what_was_committed_and_sends_the_rest_once(database_url: str) -> None:
    app = make_app(database_url, [])
    requests(app, 5)
    later = app.clock.now() + timedelta(hours=4)

    class Crashing(Sweeper):
        calls = 0

        def _message(self, *args: Any) -> dict[str, Any]:
            Crashing.calls += 1
            if Crashing.calls == 3:  # in the third batch of one step each
                raise RuntimeError("process killed")
            return super()._message(*args)

    with pytest.raises(RuntimeError):
        Crashing(app.db, app.services, batch=1)(later)
    assert len(recorded(app.db)) == 2 and sum(queued(app.db).values()) == 2  # two batches were committed
    assert len(Sweeper(app.db, app.services)(later)) == 3
    assert Sweeper(app.db, app.services)(later) == []
    assert sorted(recorded(app.db)) == [(step, 1) for step in range(1, 6)]
    assert queued(app.db) == Counter({(f"REQ-{1000 + n}", "reminder", "Reminder:"): 1 for n in range(1, 6)})


KILLER = """
import os, signal, sys
from datetime import datetime
from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.settings import load_settings
from bot.settings import load_settings
from bot.core.sweep import Sweeper

batches = 0
original = Sweeper._sweep_batch

def sweep_then_die(self, turn, rows):
    global batches
    original(self, turn, rows)
    batches += 1
    if batches == 2:  # the second batch is written but not committed: the process dies here
        os.kill(os.getpid(), signal.SIGKILL)

Sweeper._sweep_batch = sweep_then_die
app = App(load_settings(database_url=sys.argv[1]))
app.sweeper.batch = 2
app.sweeper(datetime.fromisoformat(sys.argv[2]))
"""


def test_a_killed_sweeper_process_sends_nothing_twice_after_restart(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, [])
    requests(app, 5)
    later = app.clock.now() + timedelta(hours=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, database_url, later.isoformat()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    assert len(recorded(app.db)) == 2  # the first batch only
    restarted = make_app(database_url, [])
    assert len(restarted.sweeper(later)) == 3
    assert restarted.sweeper(later) == []
    assert sorted(recorded(app.db)) == [(step, 1) for step in range(1, 6)]
    assert set(queued(app.db).values()) == {1} and len(queued(app.db)) == 5


# ----------------------------------------------------------------------------- replicas
def test_two_schedulers_on_one_postgresql_database_send_every_rung_once(database_url: str) -> None:
    """Two Front Door processes (each its own engine, sweeper, outbox worker and channel) run
    100 scheduler ticks each at the same moments: 200 overlapping sweeps over 40 requests."""
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share a PostgreSQL database")
    requests(make_app(database_url, []), 40)
    clock = ManualClock(START)  # one time for both, as servers agree on it (outbox leases depend on it)
    heard: list[list[dict[str, Any]]] = [[], []]
    replicas = [
        App(
            load_settings(database_url=database_url),
            clock=clock,
            parser=KeywordParser(),
            channels={"local": LocalChannel(heard[n].append)},
        )
        for n in range(2)
    ]
    for replica in replicas:
        replica.sweeper.batch = 7  # many small transactions, so the two interleave
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(replica: App, first: bool) -> None:
        async def ticks() -> None:
            for n in range(100):  # every half hour for 50 hours: Monday 10:00 to Wednesday 11:30
                await asyncio.to_thread(barrier.wait)
                if first:
                    clock.set(START + timedelta(minutes=30 * n))
                await asyncio.to_thread(barrier.wait)
                await replica.tick()  # both sweep (and deliver) at the same moment

        try:
            asyncio.run(ticks())
        except BaseException as exc:  # pragma: no cover - reported below
            barrier.abort()
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(replica, n == 0)) for n, replica in enumerate(replicas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    rungs = recorded(replicas[0].db)
    assert len(rungs) == len(set(rungs)) == 40 * 3  # every rung of every step, recorded once
    delivered = Counter(
        (line["request"], line["kind"], line["to"], line["text"].split()[0]) for lines in heard for line in lines
    )
    expected: Counter[tuple[str, str, str, str]] = Counter()
    for n in range(1, 41):
        ref = f"REQ-{1000 + n}"
        expected.update(
            [
                (ref, "reminder", BOB, "Reminder:"),
                (ref, "reminder", BOB, "Overdue:"),
                (ref, "notice", ALICE, ref),
                (ref, "escalation", CAROL, "Escalation:"),
            ]
        )
    assert delivered == expected  # nothing twice, nothing missed, through both outbox workers
    with replicas[0].db.transaction() as session:
        query = select(AuditEvent.request_ref, AuditEvent.action).where(AuditEvent.action.like("sla_%"))
        audited = Counter((row[0], row[1]) for row in session.execute(query))
    assert set(audited.values()) == {1} and len(audited) == 40 * 3  # each rung audited once, by the one sender
    # Which replica sends what depends on scheduling (on a busy machine one may win every race):
    # the claims above, not a share of the work, are what this test holds the replicas to.


# ----------------------------------------------------------------------------- the scheduler
def test_frontdoor_runs_the_sweep_on_a_coalescing_interval_scheduler(database_url: str) -> None:
    from bot.serve import _start_scheduler

    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, sweep_interval_seconds=1)
    requests(app, 1)
    app.clock.advance(timedelta(hours=4))  # type: ignore[attr-defined]

    async def run() -> Any:
        scheduler = _start_scheduler(app, app.settings)
        try:
            job = scheduler.get_job("sla-sweep")
            for _ in range(100):
                if any(line["kind"] == "reminder" for line in lines):
                    break
                await asyncio.sleep(0.05)
            return job
        finally:
            scheduler.shutdown(wait=False)

    job = asyncio.run(run())
    assert [(line["kind"], line["to"]) for line in lines if line["kind"] == "reminder"] == [("reminder", BOB)]
    assert job.trigger.interval == timedelta(seconds=1)
    assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time is None


# ----------------------------------------------------------------------------- the command line
def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    env["FRONTDOOR_DATABASE_URL"] = f"sqlite:///{tmp_path}/fd.db"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def test_reminders_sweep_command_sends_what_is_due_once(tmp_path: Path) -> None:
    script = tmp_path / "request.jsonl"
    script.write_text(
        "\n".join([say(ALICE, "I need 2 monitors for CC-4410, about $600 total"), press(ALICE, "confirm")]),
        encoding="utf-8",
    )
    made = _cli(tmp_path, "chat", "--script", str(script), "--json", "--now", "2026-11-23T10:00:00")
    assert made.returncode == 0, made.stderr
    early = _cli(tmp_path, "reminders", "sweep", "--now", "2026-11-23T13:59:00")
    assert early.returncode == 0 and early.stdout.strip().endswith("0 message(s) queued"), early.stderr
    due = _cli(tmp_path, "reminders", "sweep", "--now", "2026-11-23T14:00:00")
    assert due.returncode == 0, due.stderr
    assert "[reminder → bob.martin@example.org] Reminder: REQ-1001" in due.stdout
    assert due.stdout.strip().endswith("1 message(s) queued")
    again = _cli(tmp_path, "reminders", "sweep", "--now", "2026-11-23T14:00:00")
    assert again.stdout.strip().endswith("0 message(s) queued")


def test_the_ladder_through_a_scripted_transcript(tmp_path: Path) -> None:
    result = _cli(tmp_path, "chat", "--script", str(HERE / "ladder.jsonl"), "--json", "--now", "2026-11-23T10:00:00")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    ladder = [
        (line["kind"], line["to"], line["text"])
        for line in lines
        if line["kind"] in ("reminder", "escalation") or "waited" in line["text"]
    ]
    assert [(kind, to) for kind, to, _text in ladder] == [
        ("reminder", BOB),
        ("reminder", BOB),
        ("notice", ALICE),
        ("escalation", CAROL),
    ]
    assert ladder[0][2] == (
        "Reminder: REQ-1001 (Purchase requisition from Alice Nguyen: Item: monitors, Quantity: 2, Estimated cost: "
        "$600) is waiting for your decision (step 1, Manager). It has waited 4 hours."
    )
    assert "It has waited 23 hours (8 business hours)." in ladder[1][2]  # what the SLA counted, too
    assert "waited 23 hours (8 business hours) for Bob Martin" in ladder[2][2]
    assert ladder[3][2].startswith("Escalation: REQ-1001") and "waited 27 hours" in ladder[3][2]
    reminders = [line for line in lines if line["kind"] == "reminder"]
    assert all(line["card"]["buttons"] == ["approve", "reject", "request_info"] for line in reminders)
    assert lines[-3]["text"].startswith("Bob Martin approved REQ-1001")  # no reminder after the decision
