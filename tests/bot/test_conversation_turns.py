"""Turns of a conversation around a form: "what else do you need?", a field that does not get
answered, buttons said in words, a second request in the same message, Confirm on a form that is
not filled in yet. Real transcripts through the engine, with a parser whose answers are fixed."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.channels.local.script import dm
from bot.core import notes
from bot.core.clock import ManualClock
from bot.core.events import ActionName, Message
from bot.settings import load_settings
from bot.store import repo
from bot.store.models import Draft, Request
from intents.base import ParseContext, Proposal
from tests.bot.helpers import START, KeywordParser, press, run_steps, say

ALICE, GEORGE = "alice.nguyen@example.org", "george.hall@example.org"
EMMA = "emma.wilson@example.org"

FIX_DOOR = "the door of room 4 in 4W sticks"
SINK = "the sink in 4W is leaking"
PUMP = "buy 3 x monitors for cc-4410 $900"
KRONOS = "she'll also need Kronos write access"
MOVE = "Emma Wilson is moving to Microbiology on Dec 14"


class TableParser(KeywordParser):
    """The keyword parser, with fixed readings of some whole messages (as a real parser might give
    them): the engine must do the rest."""

    name = "table"
    TABLE: ClassVar[dict[str, Proposal]] = {
        FIX_DOOR: Proposal(
            intent="facilities_work_order",
            confidence=0.95,
            slots={"location": "room 4, 4W"},
            suggestions={"description": "the door sticks"},
        ),
        SINK: Proposal(
            intent="facilities_work_order", confidence=0.95, slots={"location": "4W", "issue_type": "plumbing"}
        ),
        "cost center 4410": Proposal(intent="cost_center_change", confidence=0.99, slots={"cost_center": "CC-4410"}),
        # the whole message read as one, a value of the second part merged into the first
        f"{PUMP} and also {SINK}": Proposal(
            intent="purchase_requisition",
            confidence=0.9,
            slots={"item_description": "monitors", "quantity": 3, "cost_center": "CC-4410", "estimated_cost": 900},
        ),
        MOVE: Proposal(
            intent="employee_change",
            confidence=0.9,
            slots={"employee": EMMA, "change_type": "transfer", "effective_date": "2026-12-14"},
        ),
        KRONOS: Proposal(intent="access_request", confidence=0.99, slots={"system": "Kronos", "access_level": "write"}),
        f"{MOVE}, and {KRONOS}": Proposal(
            intent="access_request",
            confidence=0.9,
            slots={"system": "Kronos", "access_level": "write", "for_user": EMMA, "end_date": "2026-12-14"},
        ),
        "the pump's alarm keeps going off": Proposal(intent="out_of_scope", confidence=0.6),
        "the pump's alarm keeps going off, and also the sink in the 4W dirty utility room leaks": Proposal(
            intent="equipment_maintenance",
            confidence=0.8,
            slots={"location": "4W dirty utility room", "problem": "alarm keeps going off"},
        ),
        "the sink in the 4W dirty utility room leaks": Proposal(
            intent="facilities_work_order",
            confidence=0.95,
            slots={"location": "4W dirty utility room", "issue_type": "plumbing"},
        ),
        "help": Proposal(intent="help", confidence=0.95),
    }

    def parse(self, text: str, context: ParseContext) -> Proposal:
        if text in self.TABLE:
            return self.TABLE[text]
        return super().parse(text, context)


def table_app(database_url: str, lines: list[dict[str, Any]]) -> App:
    app = App(
        load_settings(database_url=database_url),
        clock=ManualClock(START),
        channels={"local": LocalChannel(lines.append)},
        parser=TableParser(),
    )
    app.migrate()
    return app


def texts(lines: list[dict[str, Any]], person: str = ALICE) -> list[str]:
    return [line["text"] for line in lines if line["to"] == person and line["kind"] in ("reply", "card", "error")]


def draft_of(app: App, person: str = ALICE) -> Draft | None:
    with app.db.transaction() as session:
        draft = session.scalars(select(Draft).where(Draft.person == person)).first()
        if draft is not None:
            session.expunge(draft)
        return draft


def requests(app: App) -> list[Request]:
    with app.db.transaction() as session:
        found = list(session.scalars(select(Request).order_by(Request.id)))
        for request in found:
            session.expunge(request)
        return found


# 1. "What do you need from me?" inside a form: what is still missing, then the question.


@pytest.mark.parametrize(
    "question",
    ["What do you need from me?", "what else do you need?", "what's missing?", "¿qué más necesitas?", "¿qué falta?"],
)
def test_what_else_do_you_need_lists_what_is_missing_then_asks(database_url: str, question: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy x monitors"), say(ALICE, question)])
    in_spanish = question.startswith("¿")  # answered in the language asked in
    assert texts(lines)[-1] == (
        (
            "Para terminar su solicitud de compra todavía necesito estos datos: cantidad, costo estimado y centro de "
            "costos. ¿Cuántas unidades necesita?"
        )
        if in_spanish
        else (
            "To finish your purchase requisition I still need the quantity, estimated cost and cost center. "
            "How many do you need?"
        )
    )
    draft = draft_of(app)
    assert draft is not None and draft.values == {"item_description": "monitors"}  # not taken as a value
    assert draft.pending_field == "quantity" and not notes.get(draft).get(notes.MISSED)  # a question, not a miss
    run_steps(app, [say(ALICE, "3"), say(ALICE, "what else?")])
    assert texts(lines)[-1] == (
        "To finish your purchase requisition I still need the estimated cost and cost center. "
        "What is the estimated total cost (in USD)?"
    )


def test_what_else_on_a_complete_form_shows_the_review(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, PUMP), say(ALICE, "anything else you need?")])
    assert (
        lines[-1]["text"] == "Nothing else is needed. Here is your purchase requisition. Confirm to submit, or edit it."
    )
    assert lines[-1]["card"]["buttons"] == ["confirm", "edit", "cancel"]
    assert requests(app) == []


def test_help_inside_a_form_says_what_it_still_needs(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy x monitors"), say(ALICE, "help")])
    assert texts(lines)[-1].endswith(
        "Back to your purchase requisition: I still need the quantity, estimated cost and cost center. "
        "How many do you need?"
    )


# 2. Two replies in a row that do not fit: not the same question a third time.


def test_a_field_missed_twice_is_offered_as_the_form_so_far(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy x monitors"), say(ALICE, "lots"), say(ALICE, "plenty")])
    first, second = texts(lines)[1:3]
    assert first.endswith("How many do you need?") and "Quantity should be a whole number" in first
    assert second == (
        "I couldn't use some of that: Quantity should be a whole number, like 3 or three. "
        "I still need the quantity. Type it, or press Edit to fill in the form — here is what I have so far."
    )
    card = lines[-1]["card"]
    assert lines[-1]["kind"] == "card" and card["title"] == "Draft: Purchase requisition"
    assert card["fields"] == {"Item": "monitors"} and card["buttons"] == ["edit", "cancel"]
    run_steps(app, [say(ALICE, "3"), say(ALICE, "no idea")])  # filled: the count starts again
    assert lines[-1]["kind"] == "reply" and lines[-1]["text"].endswith("What is the estimated total cost (in USD)?")
    draft = draft_of(app)
    assert draft is not None and notes.get(draft)[notes.MISSED] == {"field": "estimated_cost", "times": 1}
    run_steps(app, [press(ALICE, "edit")])  # the form so far, to fill in
    assert lines[-1]["card"]["title"] == "Edit: Purchase requisition"


def test_a_choice_missed_twice_is_offered_as_buttons(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, FIX_DOOR), say(ALICE, "it's broken")])
    assert texts(lines)[-1].endswith("What kind of problem — HVAC, electrical, plumbing, cleaning, equipment or other?")
    out = app.engine.handle(Message(ALICE, dm(ALICE), "no idea", "choice-1"))
    [offer] = [o for o in out if o.to == ALICE]
    assert offer.text.endswith(
        "I still need the issue: pick one below, or type it (HVAC, electrical, plumbing, cleaning, equipment, other)."
    )
    assert offer.card is not None and offer.card.title == "Facilities work order: Issue"
    assert offer.card.fields == {"Location": "room 4, 4W", "Priority": "normal", "Description": "the door sticks"}
    assert [b.label for b in offer.card.buttons] == ["HVAC", "electrical", "plumbing", "cleaning", "equipment", "other"]
    assert all(b.action is ActionName.SUBMIT_EDIT for b in offer.card.buttons)
    assert offer.card.buttons[5].payload["issue_type"] == "other"
    run_steps(app, [press(ALICE, "submit_edit", values={"issue_type": "other"})])  # the button "other"
    assert lines[-1]["card"]["title"] == "Review: Facilities work order"
    assert lines[-1]["card"]["fields"]["Issue"] == "other"


def test_confirm_on_an_incomplete_form_names_what_is_missing_and_asks_the_first(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy x monitors"), press(ALICE, "confirm")])
    assert texts(lines)[-1] == (
        "Nothing was submitted yet: the form still needs the quantity, estimated cost and cost center. "
        "How many do you need?"
    )
    run_steps(app, [say(ALICE, "3"), say(ALICE, "$900"), press(ALICE, "confirm")])
    assert texts(lines)[-1] == (
        "Nothing was submitted yet: the form still needs the cost center. "
        "Which cost center should pay for it (like CC-4410)?"
    )
    assert requests(app) == []


# 3. Confirmations and cancellations in words.


@pytest.mark.parametrize("words", ["yes submit it", "sí, envíelo", "correcto, envíalo", "go ahead and send it"])
def test_a_confirmation_in_words_submits_the_review(database_url: str, words: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, PUMP), say(ALICE, words)])
    assert [r.ref for r in requests(app)] == ["REQ-1001"]


@pytest.mark.parametrize("words", ["no, cancel", "cancélalo", "olvídalo"])
def test_a_cancellation_in_words_cancels_the_review(database_url: str, words: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, PUMP), say(ALICE, words)])
    said = "Cancelled — nothing was submitted." if words.startswith("no,") else "Cancelado: no se envió nada."
    assert texts(lines)[-1] == said
    assert requests(app) == [] and draft_of(app) is None


def test_dont_send_it_yet_submits_nothing(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, PUMP), say(ALICE, "don't send it yet")])
    assert requests(app) == []


def test_a_confirmation_in_words_is_not_taken_for_a_description(database_url: str) -> None:
    """Asked for a free-text field, "sí, envíalo" is not its value: the form still needs it."""
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy 3 x"), say(ALICE, "sí, envíalo")])
    draft = draft_of(app)
    assert draft is not None and "item_description" not in draft.values
    assert texts(lines)[-1].startswith(
        "Todavía no se ha enviado nada: al formulario aún le faltan estos datos: artículo"
    )
    run_steps(app, [say(ALICE, "cancélalo")])
    assert texts(lines)[-1] == "Cancelado: no se envió nada." and draft_of(app) is None


# 4. A second request in the same message.


def test_a_second_request_is_noted_then_offered_and_started(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, f"{PUMP} and also {SINK}")])
    assert lines[-1]["text"] == (
        "I'll come back to the facilities work order (location 4W, issue plumbing) after this one. "
        "Here is your purchase requisition. Confirm to submit, or edit it."
    )
    assert lines[-1]["card"]["fields"] == {
        "Item": "monitors",
        "Quantity": "3",
        "Estimated cost": "$900",
        "Cost center": "CC-4410",
    }
    run_steps(app, [press(ALICE, "confirm")])
    assert texts(lines)[-1] == (
        "You also mentioned a facilities work order (location 4W, issue plumbing): shall I start that request now?"
    )
    run_steps(app, [say(ALICE, "yes")])
    assert texts(lines)[-1] == (
        "Let's do the facilities work order now. Got it (location 4W, issue plumbing). "
        "Describe the problem in a sentence."
    )
    run_steps(app, [say(ALICE, "water under the sink"), say(ALICE, "send it")])
    submitted = requests(app)
    assert [r.type_id for r in submitted] == ["purchase_requisition", "facilities_work_order"]
    assert submitted[1].fields["location"] == "4W" and submitted[1].fields["issue_type"] == "plumbing"
    assert "location" not in submitted[0].fields


def test_a_second_request_is_offered_after_a_cancel_and_may_be_declined(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, f"{PUMP} and also {SINK}"), press(ALICE, "cancel")])
    assert texts(lines)[-2:] == [
        "Cancelled — nothing was submitted.",
        "You also mentioned a facilities work order (location 4W, issue plumbing): shall I start that request now?",
    ]
    run_steps(app, [say(ALICE, "no")])
    assert texts(lines)[-1] == "OK, I won't start the facilities work order. Anything else, just tell me."
    assert draft_of(app) is None and requests(app) == []


def test_an_offer_not_answered_is_forgotten(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, f"{PUMP} and also {SINK}"), press(ALICE, "confirm"), say(ALICE, "buy 2 x chairs")])
    assert texts(lines)[-1] == "Got it (item chairs, quantity 2). What is the estimated total cost (in USD)?"
    draft = draft_of(app)
    assert draft is not None and draft.type_id == "purchase_requisition" and not notes.get(draft)


def test_more_about_the_same_request_is_not_a_second_one(database_url: str) -> None:
    """ "… and also cost center 4410" reads alone as a cost center change, but its only value fits
    the first form's empty field: one request."""
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy 3 x monitors $900 and also cost center 4410")])
    assert "come back" not in texts(lines)[-1]
    draft = draft_of(app)
    assert draft is not None and not notes.get(draft)


def test_she_will_also_need_names_the_first_requests_person(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(GEORGE, f"{MOVE}, and {KRONOS}")])
    first = texts(lines, GEORGE)[-1]
    assert first.startswith("I'll come back to the access request (system Kronos, access level write) after this one.")
    draft = draft_of(app, GEORGE)
    assert draft is not None and draft.type_id == "employee_change"  # not the whole message's reading
    assert draft.values["employee"] == EMMA and "system" not in draft.values
    [later] = notes.get(draft)[notes.LATER]
    assert later["values"]["for_user"] == EMMA


def test_the_first_form_loses_only_the_values_the_second_part_gives(database_url: str) -> None:
    """The first part alone reads as no request: the whole message's reading is kept, less the
    value the second part gives (the same field, the same value)."""
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    text = "the pump's alarm keeps going off, and also the sink in the 4W dirty utility room leaks"
    run_steps(app, [say(ALICE, text)])
    draft = draft_of(app)
    assert draft is not None and draft.type_id == "equipment_maintenance"
    assert draft.values == {"problem": "alarm keeps going off"}  # the location was the second part's
    assert notes.get(draft)[notes.LATER][0]["values"]["location"] == "4W dirty utility room"


def test_a_request_does_not_carry_the_engines_notes(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, f"{PUMP} and also {SINK}"), press(ALICE, "confirm")])
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, "REQ-1001")
        assert request is not None and notes.KEY not in request.source


def test_a_choice_button_comes_back_from_teams_as_that_value(database_url: str) -> None:
    """The choice buttons are channel-neutral buttons: on Teams (an Adaptive Card's Universal
    Action) the press comes back as an edit of the form with that one value."""
    from bot.channels.teams import inbound, render

    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, FIX_DOOR), say(ALICE, "it's broken")])
    [offer] = [o for o in app.engine.handle(Message(ALICE, dm(ALICE), "no idea", "choice-2")) if o.to == ALICE]
    assert offer.card is not None
    plumbing = render.adaptive_card(offer.card, offer.text)["actions"][2]
    activity = {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": "act-1",
        "conversation": {"id": "a:1", "conversationType": "personal"},
        "value": {"action": {"verb": plumbing["verb"], "data": plumbing["data"]}},
    }
    event = inbound.to_event(activity, ALICE)
    assert event is not None and not isinstance(event, Message)
    assert event.action is ActionName.SUBMIT_EDIT and event.values == {"issue_type": "plumbing"}


def test_a_choice_pressed_by_number_in_the_local_chat_carries_its_value(database_url: str) -> None:
    """The local chat numbers the choices by their labels, and typing a number presses that choice
    with its value, as a click on Slack or Teams does."""
    import json

    from bot.channels.local.channel import render_text
    from bot.channels.local.console import Console

    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, FIX_DOOR), say(ALICE, "it's broken"), say(ALICE, "no idea")])
    offer = lines[-1]
    assert offer["card"]["buttons"] == ["submit_edit"] * 6
    assert offer["card"]["choices"][2] == {"label": "plumbing", "values": {"issue_type": "plumbing"}}
    assert render_text(offer, numbered=True).endswith(
        "1 · HVAC   2 · electrical   3 · plumbing   4 · cleaning   5 · equipment   6 · other"
    )
    assert render_text(offer).endswith("[HVAC]  [electrical]  [plumbing]  [cleaning]  [equipment]  [other]")
    console = Console(write=lambda _text: None)
    for line in lines:
        console.show(line)
    pressed = console.choice(["3"])
    assert pressed is not None and pressed["press"] == "submit_edit" and pressed["values"] == {"issue_type": "plumbing"}
    assert console.choice(["3", "please"]) is None  # words after a choice's number make a message
    run_steps(app, [json.dumps({"as": ALICE, **pressed})])  # as the terminal runs it
    assert lines[-1]["card"]["title"] == "Review: Facilities work order"
    assert lines[-1]["card"]["fields"]["Issue"] == "plumbing" and "choices" not in lines[-1]["card"]


def test_please_cancel_declines_the_offer(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = table_app(database_url, lines)
    run_steps(app, [say(ALICE, f"{PUMP} and also {SINK}"), press(ALICE, "confirm"), say(ALICE, "please cancel it")])
    assert texts(lines)[-1] == "OK, I won't start the facilities work order. Anything else, just tell me."
    assert draft_of(app) is None and len(requests(app)) == 1
