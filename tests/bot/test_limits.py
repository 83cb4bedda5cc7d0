"""Every inbound text is capped before anything reads it: an event over a cap changes nothing and
is answered with what to shorten; the offline parser reads Slack's longest message in linear time."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pytest

from bot.core import limits
from bot.core.events import Action, ActionName, Message, Place
from bot.store.models import Draft
from forms import load_catalog
from intents.base import ParseContext
from intents.offline import OfflineParser
from tests.bot.helpers import make_app, press, run_steps, say

ALICE, BOB = "alice.nguyen@example.org", "bob.martin@example.org"
PLACE = Place("local", "dm")


def test_a_message_over_the_cap_is_answered_and_the_draft_kept(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    long = "buy 3 x monitors for cc-4410 " + "and also " * 2_000
    run_steps(app, [say(ALICE, "buy 3 x monitors"), say(ALICE, long)])
    answer = lines[-1]
    assert answer["kind"] == "error" and answer["to"] == ALICE
    assert f"{len(long):,} characters" in answer["text"] and "6,000" in answer["text"]
    assert "Nothing you already gave me is lost" in answer["text"]
    with app.db.transaction() as session:
        [draft] = session.query(Draft).all()
        assert draft.values == {"item_description": "monitors", "quantity": 3}  # untouched by the long one


def test_the_cap_is_a_setting(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, max_message_chars=500)
    run_steps(app, [say(ALICE, "buy 3 x monitors " + "x" * 500)])
    assert lines[-1]["kind"] == "error" and "I read up to 500" in lines[-1]["text"]


def test_a_reason_over_the_cap_decides_nothing(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 3 x monitors for cc-4410 $900"),
            press(ALICE, "confirm"),
            press(BOB, "reject", comment="no " * 1_000),
        ],
    )
    assert lines[-1]["kind"] == "error" and "3,000 characters" in lines[-1]["text"]
    run_steps(app, [press(BOB, "reject", comment="we have stock")])  # the same step is still open
    assert any("rejected" in line["text"].lower() for line in lines if line["to"] == ALICE)


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (Message(ALICE, PLACE, "x" * 6_001), "6,001 characters"),
        (Action(ALICE, PLACE, ActionName.SUBMIT_EDIT, values={"item": "y" * 20_001}), "20,001 characters"),
        (Action(ALICE, PLACE, ActionName.APPROVE, request="R" * 65), "does not name a request"),
    ],
)
def test_each_kind_of_text_has_its_cap(event: Any, words: str) -> None:
    refusal = limits.refusal(event)
    assert refusal is not None and words in refusal
    assert "xxxxx" not in refusal and "yyyyy" not in refusal and "RRRRR" not in refusal  # not repeated back


def test_texts_at_their_caps_are_read() -> None:
    assert limits.refusal(Message(ALICE, PLACE, "x" * 6_000)) is None
    assert (
        limits.refusal(Action(ALICE, PLACE, ActionName.REJECT, comment="y" * 2_000, values={"a": "z" * 2_000})) is None
    )


SHAPES = [
    "$9 1,000 1.500 12/03 ",
    "-",
    "a",
    "Good morning! How's your day going? ",
    "Dr. Smith, room 2-217. ",
    "Please onboard James Whitaker, Registered Nurse, starting 2026-12-14. Manager c.ng@example.org. ",
]


@pytest.mark.parametrize("unit", SHAPES, ids=lambda u: u[:12])
def test_slacks_longest_message_is_read_in_linear_time(unit: str) -> None:
    """40,000 characters of these shapes took from 3 s to minutes while reading was quadratic; read
    linearly each takes well under one (bench/parser_bench.py --sweep has the figures)."""
    parser = OfflineParser(load_catalog())
    context = ParseContext(now=datetime(2026, 11, 23, 10))
    parser.parse("warm up", context)
    text = (unit * (40_000 // len(unit) + 1))[:40_000]
    started = time.thread_time()
    parser.parse(text, context)
    assert time.thread_time() - started < 3.0


ADVERSARIAL = [
    ("We need 3 monitors for 4 West, about " + "a " * 22, None),  # was exponential: 10 s
    ("one " * 1_500, None),
    ("Bob " * 1_500, "employee_onboarding"),  # a capitalised run, cut to a title word by word: 32 s
    (("PLEASE ORDER THE NEW MONITORS FOR WEST WING " * 200)[:6_000], None),
    ("from the " + "the a " * 1_000, None),
    ("a@a." * 1_500, None),
    ("for " + "the , " * 1_000, "purchase_requisition"),
]


@pytest.mark.parametrize(("text", "draft"), ADVERSARIAL, ids=lambda v: str(v)[:16] if v else "-")
def test_a_message_at_the_cap_is_read_quickly_whatever_it_holds(text: str, draft: str | None) -> None:
    parser = OfflineParser(load_catalog())
    context = ParseContext(now=datetime(2026, 11, 23, 10), draft_type=draft)
    parser.parse("warm up", context)
    started = time.thread_time()
    parser.parse(text, context)
    assert time.thread_time() - started < 2.0
