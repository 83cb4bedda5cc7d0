"""A field's choices as buttons on Slack, over signed HTTP: after two replies that do not fit an enum
field, its choices arrive as buttons; a press sets that value in the form as an edit would (as on
Teams), the next question or the review card follows, and Slack's retry of the press is one press."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import select

from bot.store.models import Draft, Request
from intents.base import ParseContext, Proposal
from tests.bot.helpers import KeywordParser
from tests.channels.slack.conftest import start_app
from tests.channels.slack.harness import ALICE, SECRET, Slack, block_kit_errors, dm
from tests.fakes.slack_api import FakeSlackAPI

FIX_DOOR = "the door of room 4 in 4W sticks"
SOMETHING = "something is wrong in room 4 in 4W"
ISSUE = "What kind of problem — HVAC, electrical, plumbing, cleaning, equipment or other?"


class DoorParser(KeywordParser):
    """Reads the work order as a real parser would, and nothing in the replies that follow (the
    engine must offer the choices); so this test does not move with the offline parser's changes."""

    TABLE: ClassVar[dict[str, Proposal]] = {
        FIX_DOOR: Proposal(
            intent="facilities_work_order",
            confidence=0.95,
            slots={"location": "room 4, 4W"},
            suggestions={"description": "the door sticks"},
        ),
        SOMETHING: Proposal(intent="facilities_work_order", confidence=0.95, slots={"location": "room 4, 4W"}),
    }

    def parse(self, text: str, context: ParseContext) -> Proposal:
        return self.TABLE[text] if text in self.TABLE else super().parse(text, context)


@pytest.fixture
async def slack(tmp_path: Path, api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Slack]:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    app = await start_app(tmp_path, api, parser=DoorParser())
    try:
        yield Slack(app, api)
    finally:
        await app.stop()
    assert block_kit_errors(api) == []


def draft_values(slack: Slack) -> dict[str, Any]:
    with slack.app.db.transaction() as session:
        return dict(session.scalars(select(Draft.values)).one())


async def test_a_choice_pressed_on_slack_sets_the_field_and_the_review_follows(slack: Slack) -> None:
    await slack.dm(ALICE, FIX_DOOR)
    await slack.dm(ALICE, "it's broken")
    assert slack.texts(dm(ALICE))[-1].endswith(ISSUE)
    await slack.dm(ALICE, "no idea")  # the second reply that does not fit: the choices as buttons
    offer = slack.card(dm(ALICE))
    assert offer["text"].endswith(
        "I still need the issue: pick one below, or type it (HVAC, electrical, plumbing, cleaning, equipment, other)."
    )
    [actions] = [b for b in offer["blocks"] if b["type"] == "actions"]
    labels = [e["text"]["text"] for e in actions["elements"]]
    assert labels == ["HVAC", "electrical", "plumbing", "cleaning", "equipment", "other"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == [f"submit_edit:{n}" for n in range(1, 7)]  # unique within the block, as Slack wants
    assert all(len(e["value"]) <= 2000 for e in actions["elements"])
    plumbing = slack.labelled(dm(ALICE), "plumbing")
    assert json.loads(slack.buttons(dm(ALICE))[plumbing]["value"])["issue_type"] == "plumbing"
    posted = len(slack.posts(dm(ALICE)))

    press = slack.click_payload(ALICE, dm(ALICE), plumbing, offer)
    for _ in range(3):  # the press, then Slack's retries of it (the same action_ts): one press
        status, _ = await slack.interact(press)
        assert status == 200
    await slack.quiet()

    assert draft_values(slack)["issue_type"] == "plumbing"
    after = slack.posts(dm(ALICE))[posted:]
    assert len(after) == 1  # one answer, whatever the retries
    review = slack.card(dm(ALICE))
    assert review is after[0]
    assert any(b.get("text", {}).get("text") == "Review: Facilities work order" for b in review["blocks"])
    fields = [f["text"] for b in review["blocks"] for f in b.get("fields", [])]
    assert "*Issue*\nplumbing" in fields and "*Location*\nroom 4, 4W" in fields
    assert set(slack.buttons(dm(ALICE))) == {"confirm", "edit", "cancel"}

    await slack.click(ALICE, dm(ALICE), "confirm")
    with slack.app.db.transaction() as session:
        request = session.scalars(select(Request)).one()
        assert request.type_id == "facilities_work_order" and request.fields["issue_type"] == "plumbing"


async def test_a_choice_pressed_while_other_fields_are_missing_asks_the_next_question(slack: Slack) -> None:
    await slack.dm(ALICE, SOMETHING)
    await slack.dm(ALICE, "not sure")
    await slack.dm(ALICE, "you tell me")
    await slack.click(ALICE, dm(ALICE), slack.labelled(dm(ALICE), "HVAC"))
    assert draft_values(slack)["issue_type"] == "hvac"
    assert slack.texts(dm(ALICE))[-1].endswith("Describe the problem in a sentence.")
    await slack.dm(ALICE, "the room is far too hot")
    fields = [f["text"] for b in slack.card(dm(ALICE))["blocks"] for f in b.get("fields", [])]
    assert "*Issue*\nHVAC" in fields and "*Description*\nthe room is far too hot" in fields
