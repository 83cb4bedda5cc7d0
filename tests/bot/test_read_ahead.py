"""A message is read (parsed) before its transaction: a slow language model holds up no one else."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from bot.channels.local.script import dm
from bot.core.events import Action, ActionName, Message
from intents.base import ParseContext, Parser, Proposal
from tests.bot.helpers import make_app

ALICE, IVY = "alice.nguyen@example.org", "ivy.tran@example.org"


class Gated:
    """A parser that takes as long as the test says (a language model thinking), counting calls."""

    def __init__(self, inner: Parser) -> None:
        self.inner, self.calls = inner, 0
        self.entered, self.gate = threading.Event(), threading.Event()

    def parse(self, text: str, context: ParseContext) -> Proposal:
        self.calls += 1
        self.entered.set()
        assert self.gate.wait(10), "the test never let the parser finish"
        return self.inner.parse(text, context)


async def test_other_events_are_handled_while_a_message_is_being_read(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    app.read_ahead = True  # as with FRONTDOOR_LLM set
    parser = Gated(app.services.parser)
    app.services.parser = parser
    reading = asyncio.ensure_future(app.handle(Message(ALICE, dm(ALICE), "buy 3 x monitors for cc-4410 $700", "m1")))
    await asyncio.to_thread(parser.entered.wait, 10)
    # While Alice's message is with the model, Ivy's click is answered: the database is not held.
    answered = await asyncio.wait_for(app.handle(Action(IVY, dm(IVY), ActionName.CONFIRM, event_id="c1")), 5)
    assert [o.kind for o in answered] == ["error"] and not reading.done()
    parser.gate.set()
    out = await reading
    assert out[-1].card is not None and out[-1].card.title == "Review: Purchase requisition"
    assert parser.calls == 1  # read once, ahead of the transaction, and that reading was used
    app.db.dispose()


def test_messages_are_read_ahead_only_with_a_language_model(database_url: str) -> None:
    assert make_app(database_url, []).read_ahead is False
    assert make_app(database_url, [], llm="openai:gpt-4.1-mini", llm_timeout=1).read_ahead is True


async def test_a_draft_changed_meanwhile_is_read_again(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    parser = Gated(app.services.parser)
    parser.gate.set()
    app.services.parser = parser
    second = Message(ALICE, dm(ALICE), "3", "m2")
    context = app.engine.context_for(second)
    assert context is not None and context.draft_type is None
    ahead = app.engine.parse_ahead(second, context)  # read against no draft
    app.engine.handle(Message(ALICE, dm(ALICE), "buy x monitors", "m1"))  # meanwhile: a draft asks a question
    calls = parser.calls
    app.engine.handle(second, ahead)
    assert parser.calls == calls + 1  # the reading ahead no longer fits the draft: read again
    assert app.engine.context_for(second) is None  # and a handled event is not read ahead again
    app.db.dispose()
