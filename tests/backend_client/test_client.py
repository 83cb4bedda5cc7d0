"""The backend client over real loopback HTTP: against the embedded backend and a scripted stand-in."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from backend_client import BackendAuthError, BackendClient, BackendRejected, BackendUnavailable
from backend_client.embedded import EmbeddedBackend
from tests.backend_client.conftest import TOKEN, Reply, Sleeps, create_body, decision, scripted

CREATED = {"id": "BK-000001", "status": "received", "reference": "REQ-1001"}


async def test_create_then_replay_gives_the_same_request_once(backend: EmbeddedBackend) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        first = await client.create_request(create_body(), "REQ-1001:create")
        again = await client.create_request(create_body(), "REQ-1001:create")
        other = await client.create_request(create_body("REQ-1002"), "REQ-1002:create")
        fetched = await client.get_request(first.id)
    assert (first.id, again.id, other.id) == ("BK-000001", "BK-000001", "BK-000002")
    assert (first.status, first.reference, first.type) == ("received", "REQ-1001", "purchase_requisition")
    assert backend.store.count() == 2
    assert fetched.reference == "REQ-1001" and [h.status for h in fetched.history] == ["received"]


async def test_concurrent_replays_create_one_request(backend: EmbeddedBackend) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        answers = await asyncio.gather(*(client.create_request(create_body(), "same") for _ in range(5)))
    assert {a.id for a in answers} == {"BK-000001"}
    assert backend.store.count() == 1


async def test_key_reused_with_another_body_is_refused_with_409(backend: EmbeddedBackend) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        await client.create_request(create_body(), "k1")
        with pytest.raises(BackendRejected) as caught:
            await client.create_request(create_body("REQ-9"), "k1")
    assert caught.value.status == 409 and "different request" in caught.value.body
    assert backend.store.count() == 1


@pytest.mark.parametrize("token", ["wrong", None])
async def test_bad_token_is_an_auth_error_without_retry(backend: EmbeddedBackend, token: str | None) -> None:
    sleeps = Sleeps()
    async with BackendClient(backend.url, token, sleep=sleeps) as client:
        with pytest.raises(BackendAuthError) as caught:
            await client.create_request(create_body(), "k1")
        assert await client.health() is True  # /healthz needs no token
    assert caught.value.status == 401 and sleeps == []
    assert backend.hits["POST /requests"] == 1 and backend.store.count() == 0


async def test_unknown_request_is_rejected_with_404(backend: EmbeddedBackend) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        with pytest.raises(BackendRejected) as caught:
            await client.get_request("BK-999999")
    assert caught.value.status == 404


async def test_503s_are_retried_then_the_create_succeeds(backend: EmbeddedBackend) -> None:
    backend.fail_next(2)
    sleeps = Sleeps()
    async with BackendClient(backend.url, TOKEN, retries=3, backoff=0.1, sleep=sleeps) as client:
        created = await client.create_request(create_body(), "k")
    assert created.id == "BK-000001" and backend.hits["POST /requests"] == 3
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 0.1 and 0 <= sleeps[1] <= 0.2  # full jitter bounds
    assert backend.store.count() == 1


async def test_each_attempt_is_observed_with_its_operation(backend: EmbeddedBackend) -> None:
    """The latency metric sees every attempt, the failed ones too, named by what was asked."""
    backend.fail_next(1)
    seen: list[tuple[str, float]] = []

    def observe(op: str, seconds: float) -> None:
        seen.append((op, seconds))

    async with BackendClient(backend.url, TOKEN, retries=1, sleep=Sleeps(), observe=observe) as client:
        created = await client.create_request(create_body(), "k")
        await client.get_request(created.id)
        with pytest.raises(BackendRejected):
            await client.get_request("BK-999999")
        assert await client.health()
    assert [op for op, _seconds in seen] == ["create", "create", "get", "get", "health"]
    assert all(0 <= seconds < 5 for _op, seconds in seen)


async def test_retries_spent_raise_unavailable(backend: EmbeddedBackend) -> None:
    backend.fail_next(10)
    async with BackendClient(backend.url, TOKEN, retries=2, backoff=0.001) as client:
        with pytest.raises(BackendUnavailable, match="3 attempts") as caught:
            await client.create_request(create_body(), "k")
    assert (caught.value.attempts, caught.value.status) == (3, 503)
    assert backend.hits["POST /requests"] == 3 and backend.store.count() == 0


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
async def test_other_4xx_are_never_retried(status: int) -> None:
    server = await scripted(Reply(status, {"error": "no"}))
    sleeps = Sleeps()
    try:
        async with BackendClient(server.address, None, retries=3, sleep=sleeps) as client:
            with pytest.raises(BackendRejected) as caught:
                await client.post_decision("BK-1", decision(), "d1")
    finally:
        await server.stop()
    assert caught.value.status == status and len(server.calls) == 1 and sleeps == []
    assert isinstance(caught.value, BackendAuthError) == (status == 403)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
async def test_retryable_statuses_are_retried(status: int) -> None:
    server = await scripted(Reply(status), Reply(201, CREATED))
    try:
        async with BackendClient(server.address, None, retries=1, sleep=Sleeps()) as client:
            created = await client.create_request(create_body(), "k")
    finally:
        await server.stop()
    assert created.id == "BK-000001" and len(server.calls) == 2


async def test_headers_carry_the_token_and_the_idempotency_key() -> None:
    server = await scripted(Reply(200, {"id": "BK-1", "status": "cancelled"}))
    try:
        async with BackendClient(server.address + "/", "t0k") as client:
            await client.cancel("BK 1/x", "duplicate", "REQ-1001:cancel")
    finally:
        await server.stop()
    method, path, headers = server.calls[0]
    assert (method, path) == ("POST", "/requests/BK%201%2Fx/cancel")  # the id stays one path segment
    assert headers["Authorization"] == "Bearer t0k" and headers["Idempotency-Key"] == "REQ-1001:cancel"


async def test_a_closed_port_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with BackendClient(f"http://127.0.0.1:{port}", None, retries=1, backoff=0.001) as client:
        with pytest.raises(BackendUnavailable, match="ConnectError") as caught:
            await client.create_request(create_body(), "k")
        assert await client.health() is False
    assert caught.value.attempts == 2 and caught.value.status is None


async def test_a_time_out_is_retried() -> None:
    server = await scripted(Reply(201, CREATED, delay=0.8), Reply(201, CREATED))
    try:
        async with BackendClient(server.address, None, timeout=0.3, retries=1, sleep=Sleeps()) as client:
            created = await client.create_request(create_body(), "k")
    finally:
        await server.stop()
    assert created.id == "BK-000001" and len(server.calls) == 2


async def test_retry_after_seconds_and_dates_are_obeyed_and_capped() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    server = await scripted(
        Reply(429, headers={"Retry-After": "7"}),
        Reply(503, headers={"Retry-After": soon}),
        Reply(503, headers={"Retry-After": "3600"}),
        Reply(500, headers={"Retry-After": "9"}),  # only 429 and 503 are asked to wait
        Reply(201, CREATED),
    )
    sleeps = Sleeps()
    try:
        async with BackendClient(server.address, None, retries=4, backoff=0.01, sleep=sleeps) as client:
            await client.create_request(create_body(), "k")
    finally:
        await server.stop()
    assert sleeps[0] == 7.0 and 17 < sleeps[1] <= 20 and sleeps[2] == 30.0 and sleeps[3] <= 0.08
    assert len(server.calls) == 5


async def test_retry_after_from_the_embedded_backend_is_waited_for(backend: EmbeddedBackend) -> None:
    backend.fail_next(1, status=503, retry_after=0.2)
    started = time.monotonic()
    async with BackendClient(backend.url, TOKEN, retries=1, backoff=0.001) as client:
        await client.create_request(create_body(), "k")
    assert time.monotonic() - started >= 0.2 and backend.hits["POST /requests"] == 2


async def test_an_unreadable_answer_is_unavailable() -> None:
    server = await scripted(Reply(201, "<html>proxy page</html>"))
    try:
        async with BackendClient(server.address, None) as client:
            with pytest.raises(BackendUnavailable, match="unreadable"):
                await client.create_request(create_body(), "k")
    finally:
        await server.stop()
