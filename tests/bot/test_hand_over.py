"""The engine hands its chat messages straight to this process's dispatcher (leased in the turn's
transaction): no claim round in the common case, order kept per key, nothing lost on a stop or a
crash. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.base import DeliveryError, Destination
from bot.channels.local.channel import LocalChannel
from bot.core.engine import chat_key
from bot.core.events import Message, Place
from bot.core.replies import Outgoing
from bot.outbox import ChatDispatcher, Handed, HandOver
from bot.store import claims, repo
from bot.store.models import OutboxMessage
from tests.bot.helpers import make_app

ALICE = "alice.nguyen@example.org"
PLACE = Place("local", f"dm:{ALICE}")


def _ask(app: App, text: str, event_id: str) -> list[Outgoing]:
    return app.engine.handle(Message(ALICE, PLACE, text, event_id))


def _rows(app: App) -> list[OutboxMessage]:
    with app.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "chat").order_by("id")))


def _ready(database_url: str, **settings: Any) -> tuple[App, list[dict[str, Any]], ChatDispatcher]:
    """An app recording what it delivers, its first claim round done (nothing waits yet)."""
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, **settings)
    assert isinstance(app.chat, ChatDispatcher) and app.engine.delivery is app.chat
    asyncio.run(app.chat.drain())
    return app, lines, app.chat


def _deliver_with(app: App, channel: LocalChannel) -> None:
    """Deliver through `channel` from now on (a platform that fails, hangs or is busy)."""
    app.channels["local"] = channel
    assert app.router is not None
    app.router.channels = app.channels


def _count_claims(app: App) -> list[int]:
    assert app.chat is not None
    claimed: list[int] = []
    claim = app.chat._claim

    def counting() -> Any:
        claimed.append(1)
        return claim()

    app.chat._claim = counting  # type: ignore[method-assign]
    return claimed


def test_a_turns_messages_are_delivered_without_a_claim_round(database_url: str) -> None:
    app, lines, _dispatcher = _ready(database_url)
    claimed = _count_claims(app)
    out = _ask(app, "buy 3 x monitors for cc-4410 $700", "e1")
    rows = _rows(app)
    assert [row.lease_until is not None for row in rows] == [True]  # written taken by this process
    assert asyncio.run(app.chat.drain(poll=False)) == 1
    assert claimed == []  # no claim round was needed
    assert [line["text"] for line in lines] == [out[0].text]
    assert [(row.status, row.lease_until) for row in _rows(app)] == [("sent", None)]
    asyncio.run(app.chat.drain())  # a poll still claims: and finds nothing more to send
    assert claimed == [1] and len(lines) == 1
    app.db.dispose()


def test_a_message_behind_a_waiting_one_of_its_key_is_claimed_after_it(database_url: str) -> None:
    app, lines, _dispatcher = _ready(database_url)
    earlier = Outgoing("reply", ALICE, "an earlier message, waiting", place=PLACE)
    with app.db.transaction() as session:  # e.g. written by another process, not yet delivered
        repo.enqueue(session, "chat", chat_key(earlier), "earlier", earlier.as_dict(), app.clock.now())
    out = _ask(app, "hello", "e1")  # answered in the same place: the same key
    assert chat_key(out[0]) == chat_key(earlier)
    assert [row.lease_until for row in _rows(app)] == [None, None]  # not handed over: it must queue
    claimed = _count_claims(app)
    asyncio.run(app.chat.drain(poll=False))  # a claim is due: the rows go out in order
    assert claimed and [line["text"] for line in lines] == [earlier.text, out[0].text]
    app.db.dispose()


class FailingOnce(LocalChannel):
    """Refuses the first post of a text, then delivers."""

    def __init__(self, sink: Any, fail: str) -> None:
        super().__init__(sink)
        self.fail: str | None = fail

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        if outgoing.text == self.fail:
            self.fail = None
            raise DeliveryError("the platform is busy", retry_after=30)
        return await super().post(outgoing, destination)


def _hand(app: App, texts: list[str], key: str | None = None) -> HandOver:
    """A turn's messages (to Alice's place, or all under `key`) handed over and accepted."""
    dispatcher = app.chat
    assert isinstance(dispatcher, ChatDispatcher)
    messages = [Outgoing("reply", ALICE, text, place=PLACE) for text in texts]
    with app.db.transaction() as session:
        handover = dispatcher.hand_over(session, [(key or chat_key(o), o.text, o) for o in messages], app.clock.now())
    dispatcher.accept(handover)
    return handover


def test_only_the_first_message_of_a_key_in_a_turn_is_handed_over_and_order_is_kept(database_url: str) -> None:
    app, lines, _dispatcher = _ready(database_url)
    handover = _hand(app, ["first", "second", "third"])
    assert [h.outgoing.text for h in handover.handed] == ["first"] and handover.queued
    assert [row.lease_until is not None for row in _rows(app)] == [True, False, False]
    asyncio.run(app.chat.drain(poll=False))  # the first handed over, the others claimed behind it
    assert [line["text"] for line in lines] == ["first", "second", "third"]
    assert {row.status for row in _rows(app)} == {"sent"}
    app.db.dispose()


def test_after_a_failed_delivery_the_rest_of_its_key_waits_for_the_retry(database_url: str) -> None:
    """Rows of one key handed over together (defensive: a turn hands over one row per key, and
    concurrent turns of a key are serialised) never overtake a failed one."""
    app, lines, dispatcher = _ready(database_url)
    _deliver_with(app, FailingOnce(lines.append, "first"))
    now, until = app.clock.now(), app.clock.now() + claims.LEASE
    messages = [Outgoing("reply", ALICE, text, place=PLACE) for text in ("first", "second", "third")]
    handed = []
    with app.db.transaction() as session:  # three messages of one key, all taken by this process
        rows = [("chat", chat_key(o), o.text, o.as_dict(), until) for o in messages]
        ids = {text: row_id for text, (row_id, _taken) in repo.enqueue_many(session, rows, now).items()}
        repo.core(session).execute(claims._TAKE, {"ids": list(ids.values()), "now": now, "until": until, "owner": None})
        for outgoing in messages:
            plan = dispatcher._plan(session, outgoing)
            handed.append(Handed(ids[outgoing.text], chat_key(outgoing), outgoing, plan, until))
    dispatcher.accept(HandOver(handed, False))
    asyncio.run(dispatcher.drain(poll=False))
    assert lines == []  # "first" failed: "second" and "third" were not sent before it
    rows_now = _rows(app)
    assert [(r.status, r.attempts, r.lease_until) for r in rows_now] == [
        ("pending", 1, None),
        ("pending", 0, None),
        ("pending", 0, None),
    ]
    asyncio.run(dispatcher.drain())
    assert lines == []  # the retry is not due yet, and the others wait behind it
    app.clock.advance(timedelta(seconds=31))  # type: ignore[attr-defined]
    asyncio.run(dispatcher.drain())
    assert [line["text"] for line in lines] == ["first", "second", "third"]
    app.db.dispose()


def test_a_handed_over_message_that_waited_too_long_goes_out_once_through_a_claim(database_url: str) -> None:
    app, lines, _dispatcher = _ready(database_url)
    _hand(app, ["stale"])
    app.clock.advance(claims.LEASE - timedelta(seconds=5))  # type: ignore[attr-defined]
    other: list[dict[str, Any]] = []
    replica = make_app(database_url, other)  # another worker, polling
    assert replica.chat is not None
    claimed = _count_claims(app)
    asyncio.run(app.chat.drain(poll=False))  # its lease is nearly over: given back, then claimed
    assert claimed == [1] and [line["text"] for line in lines] == ["stale"]
    replica.clock.set(app.clock.now() + claims.LEASE)  # type: ignore[attr-defined]
    asyncio.run(replica.chat.drain())  # long after: nothing left for another worker
    assert [line["text"] for line in lines + other] == ["stale"]
    assert [(row.status, row.lease_until) for row in _rows(app)] == [("sent", None)]
    app.db.dispose()
    replica.db.dispose()


def test_a_steady_stream_of_hand_overs_does_not_hold_up_the_claim_rounds(database_url: str) -> None:
    app, lines, dispatcher = _ready(database_url, outbox_poll_seconds=1.0)
    elsewhere = Outgoing("reply", "bob.martin@example.org", "from another replica")
    with app.db.transaction() as session:
        repo.enqueue(session, "chat", chat_key(elsewhere), "elsewhere", elsewhere.as_dict(), app.clock.now())
    count = iter(range(1000))

    class Busy(LocalChannel):
        async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
            if outgoing.text.startswith("stream") and (n := next(count)) < 300:
                _hand(app, [f"stream {n + 1}"], key=f"k{n + 1}")  # each delivery brings a new message
            return await super().post(outgoing, destination)

    _deliver_with(app, Busy(lines.append))
    _hand(app, ["stream 0"], key="k0")
    dispatcher._claimed_at = time.monotonic() - 5  # the poll interval has passed
    asyncio.run(dispatcher.drain(poll=False))
    texts = [line["text"] for line in lines]
    assert texts[:2] == ["stream 0", elsewhere.text]  # the round ended with what it began with
    assert len(texts) < 10
    app.db.dispose()


def test_concurrent_turns_of_one_key_hand_over_only_the_first(database_url: str) -> None:
    import threading

    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    dispatcher = app.chat
    assert isinstance(dispatcher, ChatDispatcher)
    first_written, results = threading.Event(), {}
    message = Outgoing("reply", ALICE, "one", place=PLACE)

    def turn(name: str, hold: bool) -> None:
        with app.db.transaction() as session:
            if not hold:
                first_written.wait(5)
            results[name] = dispatcher.hand_over(session, [(chat_key(message), name, message)], app.clock.now())
            if hold:
                first_written.set()
                time.sleep(0.3)  # the second turn writes meanwhile: it must wait, then queue behind

    threads = [threading.Thread(target=turn, args=("a", True)), threading.Thread(target=turn, args=("b", False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert [len(results["a"].handed), len(results["b"].handed)] == [1, 0] and results["b"].queued
    app.db.dispose()


def test_stop_gives_back_what_was_handed_over_and_not_delivered(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    _ask(app, "buy 3 x monitors for cc-4410 $700", "e1")
    assert all(row.lease_until is not None for row in _rows(app))
    asyncio.run(app.stop())
    assert [(row.status, row.lease_until) for row in _rows(app)] == [("pending", None)]
    again: list[dict[str, Any]] = []
    restarted = make_app(database_url, again)
    assert restarted.chat is not None
    asyncio.run(restarted.chat.drain())  # the next start sends it at once
    assert [line["kind"] for line in again] == ["card"]
    assert [(row.status, row.lease_until) for row in _rows(restarted)] == [("sent", None)]
    restarted.db.dispose()


def test_after_a_crash_what_was_handed_over_goes_out_once_its_lease_ends(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    crashed = make_app(database_url, lines)
    _ask(crashed, "buy 3 x monitors for cc-4410 $700", "e1")
    crashed.db.dispose()  # gone without delivering or giving anything back
    again: list[dict[str, Any]] = []
    restarted = make_app(database_url, again)
    assert restarted.chat is not None
    asyncio.run(restarted.chat.drain())
    assert again == []  # still leased to the process that crashed
    restarted.clock.advance(claims.LEASE + timedelta(seconds=1))  # type: ignore[attr-defined]
    asyncio.run(restarted.chat.drain())
    asyncio.run(restarted.chat.drain())
    assert [line["kind"] for line in again] == ["card"]  # once
    restarted.db.dispose()


@pytest.mark.parametrize("elapsed", [0.0, 5.0])
def test_under_load_a_claim_round_still_runs_once_per_poll_interval(database_url: str, elapsed: float) -> None:
    """Rows written elsewhere (the sweeper, another replica) are claimed even when every round is
    woken by a handler and none of its own rows waits."""
    app, lines, _dispatcher = _ready(database_url, outbox_poll_seconds=1.0)
    elsewhere = Outgoing("reply", "bob.martin@example.org", "from another replica")
    with app.db.transaction() as session:
        repo.enqueue(session, "chat", chat_key(elsewhere), "elsewhere", elsewhere.as_dict(), app.clock.now())
    app.chat._claimed_at = time.monotonic() - elapsed
    asyncio.run(app.chat.drain(poll=False))
    assert [line["text"] for line in lines] == ([elsewhere.text] if elapsed else [])
    app.db.dispose()


def test_a_card_written_to_the_outbox_reads_back_the_same() -> None:
    from dataclasses import asdict

    from bot.core.events import ActionName
    from bot.core.replies import Button, Card, FormField, InputHint

    card = Card(
        "Review",
        {"Item": "monitors"},
        (Button(ActionName.CONFIRM, "Confirm", "primary", {"draft": 1}),),
        "Waiting",
        (FormField("quantity", "Quantity", InputHint.NUMBER, True, 3, (("3", "three"),), "too many"),),
        "review",
    )
    outgoing = Outgoing("card", ALICE, "Here it is", "REQ-1001", card, "draft:1", PLACE)
    stored = json.loads(json.dumps(outgoing.as_dict()))
    assert Outgoing.from_dict(stored) == outgoing
    assert stored["card"] == json.loads(json.dumps(asdict(card)))  # the shape other readers know


class AlwaysBusy(LocalChannel):
    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        raise DeliveryError("the platform is down")


def test_a_failing_chat_delivery_backs_off_longer_each_attempt(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("backend_client.retry.random.uniform", lambda low, high: high)  # the jitter's upper bound
    app, lines, _dispatcher = _ready(database_url)
    _deliver_with(app, AlwaysBusy(lines.append))
    _ask(app, "hello", "e1")
    waits = []
    for _attempt in range(4):
        asyncio.run(app.chat.drain())
        (row,) = _rows(app)
        due = row.next_attempt_at if row.next_attempt_at.tzinfo else row.next_attempt_at.replace(tzinfo=UTC)
        waits.append((due - app.clock.now()).total_seconds())
        app.clock.set(due)  # type: ignore[attr-defined]
    assert waits == [2.0, 4.0, 8.0, 16.0] and row.attempts == 4 and lines == []
    app.db.dispose()


def test_a_delivery_cancelled_on_stop_records_what_went_and_gives_back_the_rest(database_url: str) -> None:
    app, lines, dispatcher = _ready(database_url)

    class Hangs(LocalChannel):
        async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
            if outgoing.text == "second":
                await asyncio.Event().wait()  # a platform that never answers
            return await super().post(outgoing, destination)

    _deliver_with(app, Hangs(lines.append))
    _hand(app, ["first"], key="k1")
    _hand(app, ["second"], key="k2")

    async def stop_mid_delivery() -> None:
        worker = asyncio.create_task(dispatcher.drain(poll=False))
        while not lines:
            await asyncio.sleep(0.01)
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        await app.stop()

    asyncio.run(stop_mid_delivery())
    assert [line["text"] for line in lines] == ["first"]
    assert [(row.status, row.lease_until) for row in _rows(app)] == [("sent", None), ("pending", None)]


def test_the_outbox_worker_stops_when_cancelled_just_as_it_is_woken(database_url: str) -> None:
    """A cancel that arrives with a wake-up must stop the worker (`asyncio.wait_for` on Python 3.11
    returns the wake-up instead, and `frontdoor run` would never finish stopping)."""
    app = make_app(database_url, [])

    async def stop_while_woken() -> None:
        worker = asyncio.create_task(app.work_forever())
        await asyncio.sleep(0.1)  # idle, waiting for a wake-up
        app.wake()
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(worker, 5)
        assert worker.cancelled()

    asyncio.run(stop_while_woken())
    app.db.dispose()
