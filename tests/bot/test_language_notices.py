"""What the bot sends on its own — reminders and escalations of the SLA sweep, a withdrawal's
notices, the service team's news — goes out in each recipient's language, and a room's in the
organisation's. The suite runs with `bot.core.turn.STRICT_LANGUAGE` on (tests/conftest.py): a
notice composed in another language than its recipient's fails the test that sends it.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from bot.app import App
from bot.core import messages as say
from bot.core.clock import ManualClock
from bot.core.events import Action, ActionName, Message, Place
from bot.core.replies import Outgoing, OutKind
from bot.settings import load_settings
from forms.language import detect
from reminders import ladder
from tests.bot.helpers import START

ALICE, BOB = "alice.nguyen@example.org", "bob.martin@example.org"
SPANISH_BUY = "Necesito comprar 3 monitores para el centro de costos 4410, unos 7.500 dólares, por favor"


def _app(database_url: str, **settings: Any) -> App:
    app = App(load_settings(database_url=database_url, **settings), clock=ManualClock(START), channels={})
    app.migrate()
    return app


def _handle(app: App, event: Message | Action) -> list[Outgoing]:
    return app.engine.handle(event)


def _submit_in_spanish(app: App) -> None:
    out = _handle(app, Message(ALICE, Place("local", ALICE), SPANISH_BUY))
    card = next(o.card for o in out if o.card is not None and o.card.kind == "review")
    payload = card.buttons[0].payload
    _handle(
        app,
        Action(ALICE, Place("local", ALICE), ActionName.CONFIRM, draft=payload["draft"], version=payload["version"]),
    )


def test_the_ladder_on_its_own_says_the_catalogues_english() -> None:
    for words in dataclasses.fields(ladder.Words):
        assert str.__str__(getattr(say, f"LADDER_{words.name.upper()}")) == words.default, words.name


def test_a_late_approval_reminds_the_approver_in_english_and_tells_the_spanish_requester_in_spanish(
    database_url: str,
) -> None:
    app = _app(database_url)
    _submit_in_spanish(app)
    sent: list[Outgoing] = []
    for _rung in range(3):  # Tuesday 09:00: the reminder, then the breach
        sent += app.sweeper(START + timedelta(hours=23))
    to_bob = [o for o in sent if o.to == BOB and o.kind is OutKind.REMINDER]
    assert to_bob and all(o.text.startswith(("Reminder: REQ-1001", "Overdue: REQ-1001")) for o in to_bob)
    assert all(o.card is not None and o.card.buttons[0].label == "Approve" for o in to_bob)
    told = next(o for o in sent if o.to == ALICE and o.kind is OutKind.NOTICE)
    assert detect(told.text) == "es" and "taking longer" not in told.text, told.text


def test_a_spanish_requester_withdraws_and_the_approver_is_told_in_english(database_url: str) -> None:
    app = _app(database_url)
    _submit_in_spanish(app)
    out = _handle(app, Action(ALICE, Place("local", ALICE), ActionName.WITHDRAW, request="REQ-1001"))
    to_bob = next(o for o in out if o.to == BOB and o.kind is OutKind.NOTICE)
    assert to_bob.text == "Alice Nguyen withdrew REQ-1001 (Purchase requisition); it no longer needs your decision."
    told = next(o for o in out if o.to == ALICE and o.kind is OutKind.REPLY)
    assert detect(told.text) == "es", told.text
