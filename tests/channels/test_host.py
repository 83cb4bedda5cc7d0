"""A new channel needs one protocol and one registry line. This module is such a channel, written
against `bot.channels.base.Host` alone: registered in `bot.channels.registry`, it is built by a
started Front Door, takes a request from message to approval card and draws what it reads only
from the host's queries. mypy checks it, and the App it runs on, against the protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.channels import registry
from bot.channels.base import Channel, Destination, Host
from bot.channels.local.script import ScriptHost
from bot.core.clock import ManualClock
from bot.core.events import Action, ActionName, Message, Place
from bot.core.replies import Outgoing
from bot.settings import Settings, load_settings
from tests.bot.helpers import START, KeywordParser

ALICE, BOB, FRANK = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "frank.ito"))
NAME = "plain"


class PlainChannel:
    """Delivers into a list; people write to it with `say` and press buttons with `press`."""

    name = NAME

    def __init__(self, host: Host) -> None:
        self.host = host
        self.posted: list[tuple[Outgoing, Destination]] = []
        self._events = 0

    def has_room(self, address: str) -> bool:
        return False

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        self.posted.append((outgoing, destination))
        return {"n": len(self.posted)}

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        self.posted.append((outgoing, Destination(outgoing.to)))

    def place(self, person: str) -> Place:
        return Place(NAME, f"dm:{person}")

    async def say(self, person: str, text: str) -> list[Outgoing]:
        await self.host.save_contacts(NAME, [(person, self.place(person).as_dict())])
        self._events += 1
        return await self.host.handle(Message(person, self.place(person), text, f"m{self._events}"))

    async def press(self, person: str, card: Outgoing, action: ActionName) -> list[Outgoing]:
        assert card.card is not None
        payload = next(b.payload for b in card.card.buttons if b.action is action)
        self._events += 1
        event = Action(
            person,
            self.place(person),
            action,
            request=payload.get("request"),
            step=payload.get("step"),
            draft=payload.get("draft"),
            version=payload.get("version"),
            event_id=f"a{self._events}",
        )
        return await self.host.handle(event)


BUILT: list[PlainChannel] = []


def build(settings: Settings, host: Host) -> tuple[Channel, Callable[[Any], None]]:
    """What `bot.channels.registry` calls: the channel, and the function that mounts its routes."""
    channel = PlainChannel(host)
    BUILT.append(channel)
    return channel, lambda _web_app: None


@pytest.fixture
async def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[App, PlainChannel]]:
    monkeypatch.setitem(registry.CHANNELS, NAME, (__name__, lambda _settings: True))
    BUILT.clear()
    settings = load_settings(database_url=f"sqlite:///{tmp_path}/fd.db", default_channel=NAME)
    app = App(settings, clock=ManualClock(START), channels={}, parser=KeywordParser())
    await app.start(port=0)
    try:
        yield app, BUILT[0]
    finally:
        await app.stop()


def test_the_app_is_what_channels_and_scripts_are_given() -> None:
    """Checked by mypy (the assignments) and at run time (the protocols are runtime-checkable)."""
    app = App(load_settings(database_url="sqlite:///:memory:"), channels={}, parser=KeywordParser())
    host: Host = app
    script: ScriptHost = app
    assert isinstance(host, Host) and isinstance(script, Host)
    assert host.directory is app.services.directory and host.catalog is app.services.catalog
    app.db.dispose()


async def test_a_channel_written_against_the_host_alone_takes_a_request_to_its_approver(
    started: tuple[App, PlainChannel],
) -> None:
    app, plain = started
    assert app.channels[NAME] is plain and plain.host is app
    assert not await plain.host.has_draft(ALICE, plain.place(ALICE).key)

    said = await plain.say(ALICE, "buy 3 x monitors for cc-4410 $7,500")
    review = next(o for o in said if o.card is not None and o.card.kind == "review")
    assert await plain.host.has_draft(ALICE, plain.place(ALICE).key)
    assert await plain.host.contacts(NAME) == [(ALICE, plain.place(ALICE).as_dict())]

    confirmed = await plain.press(ALICE, review, ActionName.CONFIRM)
    ref = next(o.request for o in confirmed if o.request)
    assert ref is not None and review.card is not None
    closed = await plain.host.closed_card(int(review.card.buttons[0].payload["draft"]), "Submitted.")
    assert closed is not None and closed.buttons == () and closed.status == "Submitted."

    await app.settle()
    to_bob = next(o for o, where in plain.posted if o.kind == "card" and where.address == BOB)
    assert to_bob.request == ref and to_bob.card is not None
    assert await plain.host.may_decide_now(BOB, ref, 1, False)
    assert not await plain.host.may_decide_now(ALICE, ref, 1, False)
    requests, waiting, _delegation = await plain.host.home(BOB)
    assert requests == [] and [card.title for _line, card in waiting] == [to_bob.card.title]
    assert ref in (await plain.host.home(ALICE)).requests[0]

    found = await plain.host.step_card(ref, "1")
    assert found is not None and found[1] == BOB and found[0].buttons
    assert await plain.host.step_card(ref, "one") is None

    await plain.press(BOB, to_bob, ActionName.APPROVE)
    decided = await plain.host.step_card(ref, 1)
    assert decided is not None and decided[0].buttons == () and "Approved by Bob Martin" in str(decided[0].status)
    assert not await plain.host.may_decide_now(BOB, ref, 1, False)
