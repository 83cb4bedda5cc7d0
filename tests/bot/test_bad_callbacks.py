"""Backend callbacks that cannot lie: every wrong shape, signed, is a 400 naming what is wrong (never
a 500, on SQLite and PostgreSQL alike); a forged, stale or replayed signature is a 401; a change
the request's life does not allow is a 409; and a good callback right behind them still applies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from backend_client.signing import SIGNATURE_HEADER, sign, webhook_headers
from bot.app import App
from bot.channels.local.script import ScriptRunner, read_steps
from bot.settings import SettingsError, load_settings
from bot.store.models import Request
from tests.bot.helpers import KeywordParser
from tests.bot.test_backend_outbox import BOB, started, submit

BAD: list[Any] = [
    b"{not json",
    b"[]",
    b'"fulfilled"',
    {"request_id": "BK-000001", "status": "failed"},  # no event id
    {"event_id": "e", "status": "failed"},  # no request id
    {"event_id": "e", "request_id": "BK-000001"},  # no status
    {"event_id": {"a": 1}, "request_id": "BK-000001", "status": "failed"},
    {"event_id": "e", "request_id": ["BK-000001"], "status": "failed"},
    {"event_id": "e", "request_id": "BK-000001", "status": True},
    {"event_id": "e" * 201, "request_id": "BK-000001", "status": "failed"},
    {"event_id": "e", "request_id": "B" * 201, "status": "failed"},
    {"event_id": "e", "request_id": "BK-000001", "status": "s" * 65},
    {"event_id": "e", "request_id": "BK-000001", "status": "failed", "reference": "R" * 65},
    {"event_id": "e", "request_id": "BK-000001", "status": "failed", "reason": {"nested": "x"}},
    {"event_id": "e", "request_id": "BK-000001", "status": "done"},  # not a status the contract has
]


def signed(body: bytes, secret: str, event_id: str = "e", at: datetime | None = None) -> dict[str, str]:
    return webhook_headers(body, secret, event_id, at)


async def post(app: App, payload: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = headers if headers is not None else signed(body, app.settings.backend_callback_secret.get_secret_value())
    url = f"{app.base_url}/backend/events"
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as answer:
        return answer.status, await answer.text()


def status_of(app: App) -> str:
    with app.db.transaction() as session:
        return str(session.scalars(select(Request.status)).one())


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
async def test_malformed_or_oversized_callbacks_get_400_and_block_nothing(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        await submit(app, 1)
        for bad in BAD:
            status, text = await post(app, bad)
            assert status == 400, (bad, text)
            assert "malformed event" in json.loads(text)["error"]
        good = {"event_id": "ok-1", "request_id": "BK-000001", "status": "failed", "reason": "vendor closed. " * 500}
        assert (await post(app, good))[0] == 200  # a long reason is shortened, not refused: the news gets through
        with app.db.transaction() as session:
            assert session.scalars(select(Request.status)).one() == "failed"
    finally:
        await app.stop()


async def test_forged_stale_and_unsigned_callbacks_are_refused() -> None:
    lines: list[dict[str, Any]] = []
    app = await started("sqlite:///:memory:", lines)
    secret = app.settings.backend_callback_secret.get_secret_value()
    try:
        await submit(app, 1)
        news = json.dumps({"event_id": "x1", "request_id": "BK-000001", "status": "failed"}).encode()
        attempts = [
            {},  # unsigned
            {SIGNATURE_HEADER: sign(news, secret)},  # the older form, without a timestamp
            signed(news, "not-the-secret"),
            signed(news, secret, at=datetime.now(UTC) - timedelta(minutes=6)),  # a recording replayed later
            signed(news, secret, at=datetime.now(UTC) + timedelta(minutes=6)),
            {**signed(news, secret), "webhook-id": "another"},  # the id is signed too
        ]
        for headers in attempts:
            status, text = await post(app, news, headers)
            assert status == 401 and "bad signature" in text
        assert status_of(app) == "pending_approval"
    finally:
        await app.stop()


async def test_the_older_signature_is_accepted_only_where_allowed(tmp_path: Any) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(f"sqlite:///{tmp_path}/fd.db", lines, backend_callback_legacy=True)
    try:
        await submit(app, 1)
        news = json.dumps({"event_id": "x1", "request_id": "BK-000001", "status": "failed"}).encode()
        older = {SIGNATURE_HEADER: sign(news, app.settings.backend_callback_secret.get_secret_value())}
        assert (await post(app, news, older))[0] == 200
        assert status_of(app) == "failed"
    finally:
        await app.stop()


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
async def test_the_requests_life_decides_which_news_it_takes(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        await submit(app, 1)
        early = {"event_id": "n1", "request_id": "BK-000001", "reference": "REQ-1001", "status": "fulfilled"}
        status, text = await post(app, early)
        assert status == 409 and "still waiting for approval" in text
        assert status_of(app) == "pending_approval"  # a forged "fulfilled" cannot skip the manager
        other = {"event_id": "n2", "request_id": "BK-999999", "reference": "REQ-1001", "status": "failed"}
        status, text = await post(app, other)
        assert status == 409 and "is BK-000001 at the backend" in text  # matched by the backend's id
        await ScriptRunner(app, lambda e: None, "approve").run(
            read_steps([json.dumps({"as": BOB, "press": "approve"})])
        )
        await app.settle()
        assert status_of(app) == "fulfilled"  # the embedded backend's own callbacks, in order
        back = {"event_id": "n3", "request_id": "BK-000001", "status": "in_progress"}
        status, text = await post(app, back)
        assert status == 409 and "is fulfilled; it cannot become in_progress" in text
        assert status_of(app) == "fulfilled"
    finally:
        await app.stop()


@pytest.mark.parametrize(
    "settings",
    [
        {"backend_url": "http://backend.internal:8080", "backend_token": "t"},  # the demo secret with a real backend
        {"backend_url": "http://backend.internal:8080", "backend_callback_secret": "s3cret-of-ours"},  # no token
        {"http_host": "0.0.0.0"},  # the demo secret beyond loopback
    ],
)
async def test_start_is_refused_where_a_callback_could_be_forged(tmp_path: Any, settings: dict[str, Any]) -> None:
    app = App(
        load_settings(database_url=f"sqlite:///{tmp_path}/fd.db", **settings), channels={}, parser=KeywordParser()
    )
    with pytest.raises(SettingsError, match="FRONTDOOR_"):
        await app.start(port=0)
    app.db.dispose()
