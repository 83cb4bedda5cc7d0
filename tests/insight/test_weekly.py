"""The weekly summary to each role's approvals room: when it is due, its figures against the
history worked by hand (tests/insight/history.py), and once across replicas."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.insight.weekly import Schedule, last_due, parse_schedule, post_weekly
from bot.settings import SettingsError, load_settings
from bot.store.models import OutboxMessage
from tests.bot.helpers import make_app
from tests.insight.history import DIRECTORY, NOW, write_history

NY = ZoneInfo("America/New_York")
LINK = "http://127.0.0.1:3000/insight?role={role}&since=2026-02-27&until=2026-03-05"
EXPECTED = {
    DIRECTORY.role_channel("accounts_payable"): (
        "Accounts Payable approvals, 2026-02-27 to 2026-03-05: 3 decided, median 4.0 business hours to decide. "
        "Open now: 0 steps, 0 past SLA, 0 at risk of breaching within a business day. Details: "
        + LINK.format(role="accounts_payable")
    ),
    DIRECTORY.role_channel("finance"): (
        "Finance approvals, 2026-02-27 to 2026-03-05: 1 decided, median 8.0 business hours to decide. "
        "Open now: 0 steps, 0 past SLA, 0 at risk of breaching within a business day. Details: "
        + LINK.format(role="finance")
    ),
    DIRECTORY.role_channel("legal"): (
        "Legal approvals, 2026-02-27 to 2026-03-05: nothing decided. "
        "Open now: 1 step, 0 past SLA, 1 at risk of breaching within a business day. Details: "
        + LINK.format(role="legal")
    ),
}
"""NOW is Friday 6 March 15:00: the seven days before are 27 February to 5 March. Accounts
payable decided three steps (4, 29 and 3 business hours: median 4), finance one (8 hours);
legal decided none and has one step open, due at 16:00 today (at risk, not yet past). The
manager steps have no room (they go to each manager), so no summary."""


def test_the_schedule_setting() -> None:
    assert parse_schedule("mon 08:00") == Schedule(0, time(8, 0))
    assert parse_schedule(" Friday 15:30 ") == Schedule(4, time(15, 30))
    assert parse_schedule("off") is None and parse_schedule(None) is None and parse_schedule("") is None
    for bad in ("monday", "8:00", "xyz 08:00", "mon 25:00", "mon 08:61"):
        with pytest.raises(ValueError):
            parse_schedule(bad)
    assert load_settings(insight_weekly="tue 09:15").insight_weekly == "tue 09:15"
    with pytest.raises(SettingsError, match="FRONTDOOR_INSIGHT_WEEKLY"):
        load_settings(insight_weekly="every monday")


def test_when_it_is_due() -> None:
    monday = Schedule(0, time(8, 0))
    at = datetime(2026, 3, 9, 8, 0, tzinfo=NY)  # Monday 08:00 New York (EDT from the 8th)
    assert last_due(monday, at, NY) == at
    assert last_due(monday, at - timedelta(minutes=1), NY) == at - timedelta(days=7)
    assert last_due(monday, at + timedelta(days=6, hours=23), NY) == at
    assert last_due(monday, at.astimezone(UTC), NY) == at


def outbox_texts(app: Any) -> dict[str, str]:
    with app.db.core_transaction() as connection:
        rows = connection.execute(select(OutboxMessage.key, OutboxMessage.payload).where(OutboxMessage.topic == "chat"))
        return {payload["to"]: payload["text"] for _key, payload in rows if "approvals," in payload["text"]}


def test_each_rooms_summary_against_the_hand_worked_history(database_url: str) -> None:
    app = make_app(database_url, [])
    write_history(app.db)
    assert post_weekly(app.db, app.services, "fri 15:30", NOW) == 0  # not yet: last week's, more than a day late
    assert post_weekly(app.db, app.services, "fri 15:00", NOW + timedelta(days=1, minutes=1)) == 0  # too late
    assert post_weekly(app.db, app.services, "fri 15:00", NOW) == 3
    assert outbox_texts(app) == EXPECTED
    assert post_weekly(app.db, app.services, "fri 15:00", NOW + timedelta(hours=2)) == 0  # sent this week
    app.db.dispose()


def test_two_replicas_send_it_once(database_url: str) -> None:
    lines: list[list[dict[str, Any]]] = [[], []]
    replicas = [make_app(database_url, lines[i], insight_weekly="fri 15:00", replica_id=f"r{i}") for i in (0, 1)]
    write_history(replicas[0].db)
    results: list[int] = []
    start = threading.Barrier(2)

    def run(app: Any) -> None:
        start.wait()
        results.append(post_weekly(app.db, app.services, app.settings.insight_weekly, NOW + timedelta(minutes=1)))

    threads = [threading.Thread(target=run, args=(app,)) for app in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 3]
    assert outbox_texts(replicas[0]) == EXPECTED
    for app in replicas:  # the scheduler's tick on each: nothing more is sent, what was is delivered
        app.clock.set(NOW + timedelta(minutes=2))  # type: ignore[attr-defined]
        asyncio.run(app.tick())
    delivered = [line for both in lines for line in both if "approvals," in (line.get("text") or "")]
    assert {line["to"]: line["text"] for line in delivered} == EXPECTED
    assert len(delivered) == 3
    for app in replicas:
        app.db.dispose()


def test_the_summary_is_in_the_organisations_language(database_url: str) -> None:
    app = make_app(database_url, [], language="es")
    write_history(app.db)
    assert post_weekly(app.db, app.services, "fri 15:00", NOW) == 3
    texts = {to: text for to, text in outbox_texts_any(app).items() if to == DIRECTORY.role_channel("finance")}
    assert texts == {
        DIRECTORY.role_channel("finance"): (
            "Aprobaciones de Finanzas, del 2026-02-27 al 2026-03-05: decisiones tomadas: 1, mediana de 8.0 horas "
            "hábiles para decidir. Abiertos ahora: 0 pasos, 0 fuera del SLA, 0 en riesgo de incumplirlo en menos "
            "de un día hábil. Detalles: " + LINK.format(role="finance")
        )
    }
    app.db.dispose()


def outbox_texts_any(app: Any) -> dict[str, str]:
    with app.db.core_transaction() as connection:
        rows = connection.execute(select(OutboxMessage.payload).where(OutboxMessage.topic == "chat"))
        return {payload["to"]: payload["text"] for (payload,) in rows}


def test_the_tick_sends_it_when_due(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, insight_weekly="fri 15:00")
    write_history(app.db)
    app.clock.set(NOW - timedelta(minutes=1))  # type: ignore[attr-defined]
    asyncio.run(app.tick())
    assert not [line for line in lines if "approvals," in (line.get("text") or "")]
    app.clock.set(NOW + timedelta(minutes=1))  # type: ignore[attr-defined]
    asyncio.run(app.tick())
    assert {line["to"]: line["text"] for line in lines if "approvals," in (line.get("text") or "")} == EXPECTED
    app.db.dispose()
