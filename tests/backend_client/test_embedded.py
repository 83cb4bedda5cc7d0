"""The embedded reference backend: workflow, signed ordered callbacks, idempotency, restarts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from backend_client import BackendClient, BackendRejected
from backend_client.embedded import EmbeddedBackend
from backend_client.embedded.callbacks import CallbackSender
from backend_client.embedded.store import BackendStore
from tests.backend_client.conftest import SECRET, TOKEN, Receiver, create_body, decision

AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def test_every_approval_leads_to_in_progress_then_fulfilled(backend: EmbeddedBackend, receiver: Receiver) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        created = await client.create_request(create_body(approvals=["manager", "finance"]), "c1")
        await client.post_decision(created.id, decision("approve", "manager"), "d1")
        assert await backend.settle() and receiver.events == []
        await client.post_decision(created.id, decision("approve", "finance"), "d2")
        await client.post_decision(created.id, decision("approve", "finance"), "d2")  # a replay changes nothing
        assert await backend.settle()
        state = await client.get_request(created.id)
    assert receiver.statuses() == [("REQ-1001", "in_progress"), ("REQ-1001", "fulfilled")]
    assert {e["request_id"] for e in receiver.events} == {"BK-000001"}
    assert len({e["event_id"] for e in receiver.events}) == 2 and receiver.bad_signatures == 0
    assert state.status == "fulfilled" and [d.step for d in state.decisions] == ["manager", "finance"]
    assert [h.status for h in state.history] == ["received", "in_progress", "fulfilled"]


async def test_no_approvals_needed_is_fulfilled_at_once(backend: EmbeddedBackend, receiver: Receiver) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        await client.create_request(create_body("REQ-1", approvals=[]), "a")
    assert await backend.settle()
    assert receiver.statuses() == [("REQ-1", "in_progress"), ("REQ-1", "fulfilled")]


async def test_a_rejection_ends_the_request(backend: EmbeddedBackend, receiver: Receiver) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        created = await client.create_request(create_body(approvals=["manager", "finance"]), "a")
        await client.post_decision(created.id, decision("request_info", comment="which model?"), "b")
        await client.post_decision(created.id, decision("approve", "finance"), "c")
        await client.post_decision(created.id, decision("reject", comment="over budget"), "d")
        await client.post_decision(created.id, decision("approve", "manager"), "e")  # too late: stays rejected
        assert await backend.settle()
        state = await client.get_request(created.id)
    assert [(e["status"], e["reason"]) for e in receiver.events] == [("rejected", "over budget")]
    assert state.status == "rejected" and len(state.decisions) == 4


async def test_cancel_is_reported_and_refused_once_finished(backend: EmbeddedBackend, receiver: Receiver) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        waiting = await client.create_request(create_body("REQ-1"), "a")
        done = await client.create_request(create_body("REQ-2", approvals=[]), "b")
        await client.cancel(waiting.id, "no longer needed", "x")
        await client.cancel(waiting.id, "no longer needed", "x2")  # already cancelled: fine, nothing new
        with pytest.raises(BackendRejected) as caught:
            await client.cancel(done.id, "too late", "y")
        assert await backend.settle()
        assert (await client.get_request(waiting.id)).status == "cancelled"
    assert caught.value.status == 409
    assert ("REQ-1", "cancelled") in receiver.statuses() and receiver.statuses().count(("REQ-1", "cancelled")) == 1
    assert [e["reason"] for e in receiver.events if e["status"] == "cancelled"] == ["no longer needed"]


async def test_the_work_can_fail_with_a_reason(tmp_path: Path, receiver: Receiver) -> None:
    embedded = EmbeddedBackend(":memory:", None, receiver.url, SECRET, fulfil_delay=5.0)
    await embedded.start()
    try:
        async with BackendClient(embedded.url, None) as client:
            created = await client.create_request(create_body(approvals=[]), "a")
            assert embedded.fail_request(created.id, "out of stock") is True
            assert embedded.fail_request(created.id, "again") is False
            assert await embedded.settle(timeout=1.0)  # the pending fulfilment sees the failure and stops
            state = await client.get_request(created.id)
    finally:
        await embedded.stop()
    assert [(e["status"], e["reason"]) for e in receiver.events] == [("in_progress", None), ("failed", "out of stock")]
    assert state.status == "failed"


async def test_cancel_during_the_work_wins_over_fulfilment(tmp_path: Path, receiver: Receiver) -> None:
    embedded = EmbeddedBackend(
        str(tmp_path / "b.db"), None, receiver.url, SECRET, fulfil_delay=0.1, cancel_while_working=True
    )
    await embedded.start()
    try:
        async with BackendClient(embedded.url, None) as client:
            created = await client.create_request(create_body(approvals=[]), "a")
            await client.cancel(created.id, "changed my mind", "b")
            assert await embedded.settle()
            state = await client.get_request(created.id)
    finally:
        await embedded.stop()
    assert receiver.statuses() == [("REQ-1001", "in_progress"), ("REQ-1001", "cancelled")]
    assert state.status == "cancelled"


async def test_a_cancel_is_refused_once_the_work_has_started(tmp_path: Path, receiver: Receiver) -> None:
    """The contract lets a backend refuse a cancel once work has started (409, with the status);
    the embedded one does, and nothing changes."""
    embedded = EmbeddedBackend(str(tmp_path / "b.db"), None, receiver.url, SECRET, fulfil_delay=5)
    await embedded.start()
    try:
        async with BackendClient(embedded.url, None) as client:
            created = await client.create_request(create_body(approvals=[]), "a")
            with pytest.raises(BackendRejected) as refused:
                await client.cancel(created.id, "changed my mind", "b")
            state = await client.get_request(created.id)
    finally:
        await embedded.stop()
    assert refused.value.status == 409 and "already started" in refused.value.body
    assert json.loads(refused.value.body)["status"] == "in_progress"
    assert state.status == "in_progress"


async def test_concurrent_last_approvals_start_the_work_once(backend: EmbeddedBackend, receiver: Receiver) -> None:
    async with BackendClient(backend.url, TOKEN) as client:
        created = await client.create_request(create_body(approvals=["manager", "finance"]), "a")
        await asyncio.gather(
            client.post_decision(created.id, decision("approve", "manager"), "m"),
            client.post_decision(created.id, decision("approve", "finance"), "f"),
        )
    assert await backend.settle()
    assert [e["status"] for e in receiver.events] == ["in_progress", "fulfilled"]


async def test_raw_calls_without_key_with_a_bad_body_or_unknown_id(backend: EmbeddedBackend) -> None:
    body = create_body().model_dump(mode="json")
    async with httpx.AsyncClient(base_url=backend.url, headers=AUTH) as http:
        no_key = await http.post("/requests", json=body)
        bad = await http.post("/requests", json={**body, "colour": "red"}, headers={"Idempotency-Key": "k"})
        unknown = await http.post(
            "/requests/BK-9/decisions", json=decision().model_dump(mode="json"), headers={"Idempotency-Key": "d"}
        )
        health = await http.get("/healthz", headers={"Authorization": ""})
    assert no_key.status_code == 400 and "Idempotency-Key" in no_key.json()["error"]
    assert bad.status_code == 422 and bad.json()["problems"][0]["loc"] == ["colour"]
    assert unknown.status_code == 404 and health.json() == {"status": "ok"}
    assert backend.store.count() == 0


async def test_callbacks_wait_for_a_receiver_that_is_down(backend: EmbeddedBackend, receiver: Receiver) -> None:
    receiver.down = True
    async with BackendClient(backend.url, TOKEN) as client:
        await client.create_request(create_body(approvals=[]), "a")
    await asyncio.sleep(0.1)
    assert receiver.events == [] and backend.store.pending_callbacks() == 2
    receiver.down = False
    assert await backend.settle()
    assert [e["status"] for e in receiver.events] == ["in_progress", "fulfilled"]


async def test_a_callback_refused_for_good_holds_up_none_behind_it(
    backend: EmbeddedBackend, receiver: Receiver
) -> None:
    receiver.refuse = {"in_progress"}
    async with BackendClient(backend.url, TOKEN) as client:
        await client.create_request(create_body(approvals=[]), "a")
    assert await backend.settle()
    assert [e["status"] for e in receiver.refused] == ["in_progress"]  # tried once: sending it again cannot help
    assert [e["status"] for e in receiver.events] == ["fulfilled"]


async def test_a_wrong_secret_is_refused_and_delivery_gives_up(tmp_path: Path, receiver: Receiver) -> None:
    embedded = EmbeddedBackend(
        ":memory:", None, receiver.url, "not-the-secret", callback_attempts=3, callback_backoff=0.01
    )
    await embedded.start()
    try:
        async with BackendClient(embedded.url, None) as client:
            await client.create_request(create_body(approvals=[]), "a")
        assert await embedded.settle()
    finally:
        await embedded.stop()
    assert receiver.events == [] and receiver.bad_signatures == 6  # two events, three attempts each


async def test_a_callbacks_attempts_go_on_counting_after_a_restart(receiver: Receiver) -> None:
    """The store counts a callback's attempts, so a sender started again gives up on time."""
    store = BackendStore(":memory:")
    store.queue_callback("e1", {"event_id": "e1", "status": "in_progress"})
    queued = store.next_callback()
    assert queued is not None
    assert [store.callback_failed(queued[0]) for _ in range(2)] == [1, 2]  # before the restart
    sender = CallbackSender(store, receiver.url, "not-the-secret", attempts=3, backoff=0.01)
    sender.start()
    try:
        async with asyncio.timeout(5):
            while store.pending_callbacks():
                await asyncio.sleep(0.01)
    finally:
        await sender.stop()
        store.close()
    assert receiver.bad_signatures == 1  # the third attempt was the last


async def test_a_restart_on_the_same_port_keeps_requests_and_queued_callbacks(
    backend: EmbeddedBackend, receiver: Receiver
) -> None:
    receiver.down = True
    async with BackendClient(backend.url, TOKEN, retries=0) as client:
        waiting = await client.create_request(create_body("REQ-1"), "a")
        await client.create_request(create_body("REQ-2", approvals=[]), "b")
        url = backend.url
        await backend.stop()
        assert await client.health() is False
        receiver.down = False
        assert await backend.start(port=int(url.rsplit(":", 1)[1])) == url
        again = await client.create_request(create_body("REQ-1"), "a")
        await client.post_decision(waiting.id, decision(), "c")
        assert await backend.settle()
    assert again.id == waiting.id and backend.store.count() == 2
    assert receiver.statuses() == [
        ("REQ-2", "in_progress"),
        ("REQ-2", "fulfilled"),
        ("REQ-1", "in_progress"),
        ("REQ-1", "fulfilled"),
    ]


async def test_settle_reports_a_time_out(tmp_path: Path, receiver: Receiver) -> None:
    embedded = EmbeddedBackend(":memory:", None, receiver.url, SECRET, fulfil_delay=5.0)
    await embedded.start()
    try:
        async with BackendClient(embedded.url, None) as client:
            await client.create_request(create_body(approvals=[]), "a")
        assert await embedded.settle(timeout=0.05) is False
    finally:
        await embedded.stop()
    assert await embedded.settle() is True  # stopped: nothing more will happen
