"""The rules that read a submitted request's life in words (`bot.core.lifecycle.read`), and the
details of a request as its approvers' delegates and strangers see them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.lifecycle import Said, read
from bot.store import repo
from tests.bot.helpers import make_app, press, run_steps, say

ALICE, BOB, CAROL, IVY = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "carol.diaz", "ivy.tran"))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("please pull back REQ-1001", Said("withdraw", "REQ-1001")),
        ("withdraw my wheelchair request", Said("withdraw", words=("wheelchair",))),
        ("forget the one I just sent", Said("withdraw", recent=True)),
        ("cancel REQ-1001", Said("withdraw", "REQ-1001")),
        ("retira la solicitud 1002", Said("withdraw", "REQ-1002")),
        ("cancela mi pedido de sillas de ruedas", Said("withdraw", words=("sillas", "ruedas"))),
        ("approve 1001", Said("approve", "REQ-1001")),
        ("deny REQ-1001 — we have stock", Said("reject", "REQ-1001", rest="we have stock")),
        ("rechazo la 1001 porque ya tenemos stock", Said("reject", "REQ-1001", rest="ya tenemos stock")),
        ("apruebo la 1001", Said("approve", "REQ-1001")),
        ("approve it", Said("approve")),
        ("what's in REQ-1001?", Said("details", "REQ-1001")),
        ("¿qué hay en la 1001?", Said("details", "REQ-1001")),
        ("who still has to sign off on REQ-1001?", Said("who", "REQ-1001")),
        ("¿quién falta por aprobar la 1001?", Said("who", "REQ-1001")),
        ("what was the reason it got declined?", Said("why", recent=True)),
        ("¿por qué la rechazaron?", Said("why")),
        ("any news on the chairs I asked for?", Said("news", words=("chairs",))),
        (
            "send it again but with the cheaper quote, $2,300",
            Said("resubmit", recent=True, rest="the cheaper quote, $2,300"),
        ),
        (
            "envíala de nuevo pero con la cotización más barata, $2,300",
            Said("resubmit", recent=True, rest="la cotización más barata, $2,300"),
        ),
        ("resubmit REQ-1002 with quantity 4", Said("resubmit", "REQ-1002", rest="quantity 4")),
    ],
)
def test_what_a_message_asks_about_a_request(text: str, said: Said) -> None:
    assert read(text) == said


@pytest.mark.parametrize(
    "text",
    [
        "cancel",
        "cancel it",
        "status of REQ-1001",
        "Approve the purchase of 3 monitors",
        "We need 3 monitors for 4 West, cost center 4410, about $900",
        "I need to cancel the contract with Acme",
        "Reject invoice 10234 from Acme, the price is wrong",
        "stop forwarding my approvals",
    ],
)
def test_what_is_none_of_these_is_left_to_the_parser(text: str) -> None:
    assert read(text) is None


def test_talk_to_a_human_in_both_languages() -> None:
    assert read("can I talk to a human?").kind == "human"  # type: ignore[union-attr]
    assert read("quiero hablar con una persona").kind == "human"  # type: ignore[union-attr]


def test_details_name_an_active_delegate_and_the_delegate_may_see_them(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 2 x pumps for cc-4410 $900"),
            press(ALICE, "confirm"),
            say(BOB, "delegate my approvals to carol.diaz@example.org until Dec 5"),
            say(ALICE, "who still has to sign off on REQ-1001?"),
            say(CAROL, "what's in REQ-1001?"),
            say(IVY, "what's in REQ-1001?"),
            say(IVY, "what's in REQ-9999?"),
        ],
    )
    said = {(line["to"], line["text"].split("\n")[0]) for line in lines}
    assert (ALICE, "REQ-1001 waits for Bob Martin (their approvals are with Carol Diaz for now).") in said
    assert (CAROL, "REQ-1001 · Purchase requisition · waiting for approval") in said
    assert (IVY, "I can only show a request to the people involved in it, and you are not one of REQ-1001's.") in said
    assert (IVY, "I can't find REQ-9999 among your requests.") in said
    with app.db.transaction() as session:
        refused = [e for e in repo.audit_trail(session, "REQ-1001") if e.action == "refused"]
        assert [(e.actor, e.detail["action"]) for e in refused] == [(IVY, "details")]


def test_a_button_without_its_request_never_says_none(database_url: str) -> None:
    from bot.channels.local.script import dm
    from bot.core.events import Action, ActionName

    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    told = [
        out.text
        for action in (ActionName.APPROVE, ActionName.WITHDRAW)
        for out in app.engine.handle(Action(BOB, dm(BOB), action, request=None, event_id=f"none-{action}"))
    ]
    assert told == ["I can't find the request that button was for."] * 2
    assert not any("None" in text for text in told)


def test_waiting_times_in_words_with_the_business_hours_counted() -> None:
    from datetime import UTC, datetime, timedelta

    from reminders.ladder import waited_in_business_hours

    start = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # a Friday, 4 pm in New York
    assert waited_in_business_hours(start, start + timedelta(hours=66), 9.0) == "3 days (9 business hours)"
    assert waited_in_business_hours(start, start + timedelta(hours=2), 2.0) == "2 hours"
    assert waited_in_business_hours(start, start + timedelta(minutes=20), 0.2) == "20 minutes"
    assert waited_in_business_hours(start, start + timedelta(hours=5), 0.5) == "5 hours (less than a business hour)"
