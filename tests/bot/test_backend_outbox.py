"""The transactional outbox to the backend: outages, restarts and replays lose nothing and send nothing twice."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from backend_client.embedded import EmbeddedBackend
from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.settings import load_settings
from bot.store.models import OutboxMessage, Request
from tests.bot.helpers import START, KeywordParser

ALICE, BOB = "alice.nguyen@example.org", "bob.martin@example.org"


async def started(database_url: str, lines: list[dict[str, Any]], **settings: Any) -> App:
    app = App(
        load_settings(database_url=database_url, **settings),
        clock=ManualClock(START),
        channels={"local": LocalChannel(lines.append)},
        parser=KeywordParser(),
    )
    app.migrate()
    await app.start(port=0)
    return app


async def submit(app: App, n: int) -> None:
    from bot.channels.local.script import ScriptRunner, read_steps

    steps = [
        json.dumps({"as": ALICE, "say": f"buy {n} x chairs for cc-4410 $600"}),
        json.dumps({"as": ALICE, "press": "confirm"}),
    ]
    await ScriptRunner(app, lambda e: None, f"run{n}").run(read_steps(steps))


def backend_count(app: App) -> int:
    return int(app.embedded.store.db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])


async def test_backend_down_then_back_every_request_arrives_once(database_url: str, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        port = int(app.embedded.url.rsplit(":", 1)[1])
        db_path = app.embedded.store.db.execute("PRAGMA database_list").fetchone()[2]
        await app.embedded.stop()  # the backend goes away
        app.client.retries = 0
        for n in range(1, 6):
            await submit(app, n)
        queued = [line for line in lines if "queued" in line["text"]]
        assert [line["request"] for line in queued] == [f"REQ-{1000 + n}" for n in range(1, 6)]
        assert all(line["to"] == ALICE for line in queued)
        app.embedded = EmbeddedBackend(
            db_path, None, f"{app.base_url}/backend/events", app.settings.backend_callback_secret.get_secret_value()
        )
        await app.embedded.start(port=port)  # back on the same address
        app.clock.advance(timedelta(minutes=5))
        await app.settle()
        await app.settle()
        assert backend_count(app) == 5
        reached = [line["request"] for line in lines if "has now reached" in line["text"]]
        assert sorted(reached) == [f"REQ-{1000 + n}" for n in range(1, 6)]
        with app.db.transaction() as session:
            ids = list(session.scalars(select(Request.backend_id).order_by(Request.id)))
            assert ids == [f"BK-00000{n}" for n in range(1, 6)]
            assert {r.status for r in session.scalars(select(OutboxMessage))} == {"sent"}
    finally:
        await app.stop()


async def test_outage_drill_with_503s(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        app.client.retries = 1
        app.client.backoff = 0.001
        app.embedded.fail_next(4)  # the first create fails twice (two attempts a round), the second too
        await submit(app, 1)
        await submit(app, 2)
        assert backend_count(app) == 0
        app.clock.advance(timedelta(minutes=5))
        await app.settle()
        assert backend_count(app) == 2
    finally:
        await app.stop()


async def test_a_lost_acknowledgement_is_replayed_without_a_duplicate(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        await submit(app, 1)
        assert backend_count(app) == 1
        with app.db.transaction() as session:  # as if the process died before recording the delivery
            session.execute(
                update(OutboxMessage).where(OutboxMessage.topic == "backend").values(status="pending", sent_at=None)
            )
        await app.settle()
        assert backend_count(app) == 1
        with app.db.transaction() as session:
            assert session.scalars(select(Request.backend_id)).one() == "BK-000001"
    finally:
        await app.stop()


async def test_fulfilment_reaches_the_requester_and_forged_callbacks_are_refused(database_url: str) -> None:
    import aiohttp

    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        await submit(app, 1)
        from bot.channels.local.script import ScriptRunner, read_steps

        await ScriptRunner(app, lambda e: None, "approve").run(
            read_steps([json.dumps({"as": BOB, "press": "approve"})])
        )
        told = [line["text"] for line in lines if line["to"] == ALICE and line["kind"] == "notice"]
        assert told[-2:] == ["Update on REQ-1001: it is now in progress.", "Update on REQ-1001: it has been fulfilled."]
        forged = json.dumps({"event_id": "x", "request_id": "BK-000001", "status": "failed"}).encode()
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"{app.base_url}/backend/events", data=forged, headers={"X-Frontdoor-Signature": "sha256=" + "0" * 64}
            ) as answer:
                assert answer.status == 401
            async with http.get(f"{app.base_url}/readyz") as ready:
                assert ready.status == 200
        with app.db.transaction() as session:
            assert session.scalars(select(Request.status)).one() == "fulfilled"
    finally:
        await app.stop()


async def test_a_replica_stays_ready_while_the_backend_is_down(database_url: str) -> None:
    """The outbox rides out a backend outage, so readiness (what a load balancer routes by) does
    not depend on the backend; it is reported beside the checks that count."""
    import aiohttp

    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        await app.embedded.stop()
        app.client.retries = 0
        async with aiohttp.ClientSession() as http, http.get(f"{app.base_url}/readyz") as ready:
            assert ready.status == 200
            assert await ready.json() == {
                "ready": True,
                "checks": {"database": True, "channels": True, "backend": False},
            }
        await submit(app, 1)  # taken, queued for the backend
        assert [line["request"] for line in lines if "queued" in line["text"]] == ["REQ-1001"]
    finally:
        await app.stop()


async def test_metrics_show_what_an_operator_alerts_on(database_url: str) -> None:
    """While the backend is down, /metrics shows the backend queue growing and its oldest row's age,
    with the handling time of events and the process's own figures."""
    import aiohttp

    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        await app.embedded.stop()
        app.client.retries = 0
        await submit(app, 1)
        await submit(app, 2)
        app.clock.advance(timedelta(seconds=90))
        async with aiohttp.ClientSession() as http, http.get(f"{app.base_url}/metrics") as answer:
            text = await answer.text()
        assert 'frontdoor_outbox_messages{status="pending",topic="backend"} 2.0' in text
        assert 'frontdoor_outbox_messages{status="sent",topic="chat"}' in text
        oldest = next(
            line
            for line in text.splitlines()
            if line.startswith('frontdoor_outbox_oldest_pending_seconds{topic="backend"}')
        )
        assert float(oldest.split()[-1]) >= 90
        assert "frontdoor_event_seconds_count" in text and "process_cpu_seconds_total" in text
    finally:
        await app.stop()
