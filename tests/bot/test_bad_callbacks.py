"""Backend callbacks of every wrong shape, signed: a 400 naming what is wrong, never a 500, the same
on SQLite and PostgreSQL, and a good callback right behind them still applied."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from backend_client.signing import SIGNATURE_HEADER, sign
from bot.store.models import Request
from tests.bot.test_backend_outbox import started, submit

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
    {"event_id": "e", "request_id": "BK-000001", "status": "failed", "reason": "r" * 2_001},
    {"event_id": "e", "request_id": "BK-000001", "status": "failed", "reference": "R" * 65},
    {"event_id": "e", "request_id": "BK-000001", "status": "failed", "reason": {"nested": "x"}},
]


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
async def test_malformed_or_oversized_callbacks_get_400_and_block_nothing(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    secret = app.settings.backend_callback_secret
    try:
        await submit(app, 1)
        async with aiohttp.ClientSession() as http:
            for bad in BAD:
                body = bad if isinstance(bad, bytes) else json.dumps(bad).encode()
                headers = {SIGNATURE_HEADER: sign(body, secret)}
                async with http.post(f"{app.base_url}/backend/events", data=body, headers=headers) as answer:
                    assert answer.status == 400, (bad, await answer.text())
                    assert "malformed event" in (await answer.json())["error"]
            good = json.dumps({"event_id": "ok-1", "request_id": "BK-000001", "status": "failed",
                               "reason": "vendor closed"}).encode()  # fmt: skip
            async with http.post(f"{app.base_url}/backend/events", data=good,
                                 headers={SIGNATURE_HEADER: sign(good, secret)}) as answer:  # fmt: skip
                assert answer.status == 200
        with app.db.transaction() as session:
            assert session.scalars(select(Request.status)).one() == "failed"
    finally:
        await app.stop()
