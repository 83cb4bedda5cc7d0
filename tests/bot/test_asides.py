"""A question about something else in the middle of a form gets an answer, and the form keeps
asking for its field: through the engine (`bot.core.asides`), the read itself (`intents.asides`)
and the offline parser's reading inside a form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.core import notes
from forms import load_catalog
from intents.asides import Aside, read
from intents.base import ParseContext
from intents.offline import OfflineParser
from tests.bot.helpers import START, press, run_steps, say
from tests.bot.test_conversation_turns import draft_of
from tests.bot.test_nudge import FLOOD, HEATER, app_at

ALICE = "alice.nguyen@example.org"
MONITORS = "buy x monitors for cc-4410 $900"  # a purchase waiting for its quantity


def replies(lines: list[dict[str, Any]]) -> list[str]:
    return [line["text"] for line in lines if line["to"] == ALICE and line["kind"] in ("reply", "card", "error")]


def test_did_someone_pick_this_up_is_answered_and_the_field_asked_again(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = app_at(database_url, START, lines)
    run_steps(app, [say(ALICE, HEATER)])  # a work order: location 3B, HVAC; the description is asked
    before = draft_of(app)
    assert before is not None and before.pending_field == "description"
    lines.clear()
    run_steps(app, [say(ALICE, "did someone pick this up yet?"), say(ALICE, "¿ya lo vio alguien?")])
    after = draft_of(app)
    assert after is not None and after.values == before.values and after.pending_field == "description"
    assert notes.get(after).get(notes.MISSED) is None  # not a reply that missed the field
    heard = replies(lines)
    assert heard[0] == (
        "Your facilities work order hasn't been sent yet, so nobody has seen it: it goes out once you confirm it, "
        "and I'll keep you posted from there.\n\nBack to your facilities work order: Describe the problem in a "
        "sentence."
    )
    assert len(heard) == 2  # "¿ya lo vio alguien?" too (its words are the message catalogue's, in Spanish)
    run_steps(app, [say(ALICE, "it blows cold air")])  # the description, then the review
    assert draft_of(app).values["description"] == "it blows cold air"  # type: ignore[union-attr]


def test_news_of_another_request_who_approves_and_how_long(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = app_at(database_url, START, lines)
    run_steps(app, [say(ALICE, "buy 3 x monitors for cc-4410 $900"), press(ALICE, "confirm")])
    run_steps(app, [say(ALICE, MONITORS)])
    assert draft_of(app).pending_field == "quantity"  # type: ignore[union-attr]
    lines.clear()
    run_steps(
        app,
        [
            say(ALICE, "any news on my other request?"),
            say(ALICE, "who approves this?"),
            say(ALICE, "how long do these normally take?"),
        ],
    )
    news, who, how_long = replies(lines)
    back = "\n\nBack to your purchase requisition: How many do you need?"
    assert news.startswith("Your latest requests:\n• REQ-1001 · Purchase requisition · waiting for approval")
    assert news.endswith(back)
    assert who == (
        "As it stands, a purchase requisition like this one needs approval from your manager (Bob Martin)." + back
    )
    assert how_long.startswith("Each approval step has up to ") and how_long.endswith(back)
    after = draft_of(app)
    assert after is not None and after.pending_field == "quantity" and "quantity" not in after.values


def test_how_long_a_work_order_takes_is_its_response_time(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = app_at(database_url, START, lines)
    run_steps(app, [say(ALICE, FLOOD)])
    lines.clear()
    run_steps(app, [say(ALICE, "how long does this usually take?")])
    assert replies(lines) == [
        "The Facilities team aims to respond within 1 hours at this priority."
        "\n\nBack to your facilities work order: Describe the problem in a sentence."
    ]


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        ("did someone pick this up yet?", Aside("this")),
        ("any news on my other request?", Aside("status")),
        ("who approves this?", Aside("approver")),
        ("how long does this usually take?", Aside("duration")),
        ("¿ya lo vio alguien?", Aside("this")),
        ("is REQ-1001 approved yet?", Aside("status", "REQ-1001")),
    ],
)
def test_the_read_of_a_question_aside(text: str, aside: Aside) -> None:
    assert read(text) == aside


@pytest.mark.parametrize(
    "text",
    [
        "could someone look at the sink in the lobby?",  # names a place: an answer that asks
        "someone fixed the door but now the lock is broken",
        "room 4B, can someone come?",
        "Kronos?",
        "is it urgent?",
        "hay una fuga de agua",
        "what?",
    ],
)
def test_what_is_no_question_aside(text: str) -> None:
    assert read(text) is None


def test_the_offline_parser_reads_no_value_from_a_question_inside_a_form() -> None:
    parser = OfflineParser(load_catalog())
    context = ParseContext(
        now=datetime(2026, 11, 23, 10, 0),
        requester=ALICE,
        draft_type="facilities_work_order",
        draft_values={"description": "the toilet is clogged", "issue_type": "plumbing"},
        pending_field="location",
    )
    status = parser.parse("did someone pick this up yet?", context)
    assert (status.intent, status.slots) == ("check_status", {})
    policy = parser.parse("who approves this?", context)
    assert (policy.intent, policy.slots, policy.reason) == ("out_of_scope", {}, "policy_question")
    assert parser.parse("staff restroom by the lab", context).slots == {"location": "staff restroom by the lab"}
