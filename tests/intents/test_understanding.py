"""How the offline parser reads what people actually write: the person writing named as a value,
their own words offered for a problem or a reason, places by their shape, Spanish amounts, chat
shorthand, and corrections that stay in the form they correct."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.directory import load_directory
from forms import load_catalog
from intents.base import ParseContext, Proposal
from intents.offline import OfflineParser

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday
ME = "alice.nguyen@example.org"


@pytest.fixture(scope="module")
def parser() -> OfflineParser:
    return OfflineParser(load_catalog(), load_directory())


def parse(parser: OfflineParser, text: str, **context: Any) -> Proposal:
    return parser.parse(text, ParseContext(now=NOW, requester=ME, **context))


@pytest.mark.parametrize(
    "text",
    [
        "new unit secretary Jordan Lee starts Dec 7 on 4 West, reports to me",
        "We have a new Registration Specialist, Sofia Marquez, joining Registration Monday. I will be her manager.",
        "Tenemos una nueva enfermera, Lucía Fernández, que empieza el 15 de enero en 4 Oeste, su jefa soy yo",
    ],
)
def test_the_person_writing_named_as_the_manager_is_read(parser: OfflineParser, text: str) -> None:
    result = parse(parser, text)
    assert result.intent == "employee_onboarding" and result.slots.get("manager") == ME


@pytest.mark.parametrize(
    ("text", "for_me"),
    [
        ("could I get read access to Kronos so I can see the staffing grid", True),
        ("need epic write access for me", True),
        ("necesito acceso de escritura en Kronos", True),
        ("please give Sam Okafor admin rights in ServiceNow", False),  # somebody else is named
        ("we need Epic read access for our new unit clerk", False),  # nobody certain
    ],
)
def test_asking_for_oneself_is_offered_not_read(parser: OfflineParser, text: str, for_me: bool) -> None:
    result = parse(parser, text)
    assert result.intent == "access_request"
    assert result.slots.get("for_user") != ME  # the catalog's default for "me": a suggestion to confirm
    assert (result.suggestions.get("for_user") == ME) is for_me


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (
            "pump AT-20417 on 6 north keeps giving occlusion alarms",
            "problem",
            "pump AT-20417 on 6 north keeps giving occlusion alarms",
        ),
        ("toilet in rm 5E-310 overflowing water everywhere", "description", "toilet in rm 5E-310 overflowing"),
        ("need admin access to omnicell so i can add new staff", "justification", "so i can add new staff"),
        ("give Sam admin rights in ServiceNow, he's covering the change queue", "justification", "he's covering"),
        ("necesito acceso a Sunquest para firmar los controles de calidad", "justification", "para firmar los"),
    ],
)
def test_the_persons_own_words_are_offered_for_a_narrative_field(
    parser: OfflineParser, text: str, field: str, words: str
) -> None:
    result = parse(parser, text)
    assert field not in result.slots and words in result.suggestions[field]


@pytest.mark.parametrize(
    "text",
    [
        "need read access to Epic",  # no reason given: asked for, not invented
        "pt John Smith in 412 says the heat is off",  # a patient's name: never offered back
    ],
)
def test_no_narrative_is_offered_without_a_reason_or_with_protected_data(parser: OfflineParser, text: str) -> None:
    result = parse(parser, text)
    assert not {"justification", "description"} & set(result.suggestions)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("bladder scanner AT-31877 wont charge, 4W", "4W"),
        ("centrifuge AT-55120 grinding, main lab", "main lab"),
        ("toilet in rm 5E-310 overflowing", "rm 5E-310"),
        ("lights out 4W hallway", "4W hallway"),
        ("Se fue la luz en la habitación 412 de la Torre 2, piso 4", "habitación 412 de la Torre 2, piso 4"),
    ],
)
def test_a_place_is_read_by_its_shape(parser: OfflineParser, text: str, location: str) -> None:
    assert parse(parser, text).slots.get("location") == location


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("La factura 61120 de Sysco está duplicada, total 1.845,60 dólares", 1845.6),
        ("Inv 88812 from Medline $4,218.37 doesn't match the PO, unit price is $2 higher", 4218.37),
    ],
)
def test_the_amount_of_an_invoice(parser: OfflineParser, text: str, amount: float) -> None:
    assert parse(parser, text).slots.get("amount") == amount


def test_a_price_each_abbreviated_is_multiplied(parser: OfflineParser) -> None:
    result = parse(parser, "buy 2 check scanners, ~$3,100 ea, cc 1210")
    assert result.slots["quantity"] == 2 and result.slots["estimated_cost"] == 6200


def test_chat_shorthand(parser: OfflineParser) -> None:
    result = parse(parser, "NDA w/ Qventus, legal pls, need it by Friday")
    assert result.intent == "contract_review" and result.slots.get("counterparty") == "Qventus"
    moved = parse(parser, "Ivy now reports to Chloe, eff 1/1")
    assert "new_department" not in moved.slots and moved.slots.get("effective_date") == "2027-01-01"


def test_a_choice_written_in_capitals_is_not_the_ordinary_word(parser: OfflineParser) -> None:
    draft = {"vendor_name": "Brightline Staffing"}
    kept = parse(parser, "contact is orders@brightline.com, it's for LCH", draft_type="vendor_onboarding",
                 draft_values=draft, pending_field="contact_email")  # fmt: skip
    assert "spend_category" not in kept.slots
    it = parse(parser, "New vendor: Brightline Software, EIN 12-3456789, IT")
    assert it.slots.get("spend_category") == "it"


def test_a_correction_naming_a_field_stays_in_the_form(parser: OfflineParser) -> None:
    draft = {"item_description": "nitrile gloves", "quantity": 10, "estimated_cost": 450, "cost_center": "CC-5100"}
    result = parse(
        parser,
        "switch the cost center to 5120",
        draft_type="purchase_requisition",
        draft_values=draft,
        pending_field=None,
    )
    assert result.intent == "purchase_requisition" and result.slots == {"cost_center": "CC-5120"}


def test_make_it_stops_at_the_next_thing_said(parser: OfflineParser) -> None:
    draft = {"item_description": "monitors", "quantity": 3, "estimated_cost": 900, "cost_center": "CC-4410"}
    result = parse(
        parser,
        "actually make it 4, and about $1,200 total",
        draft_type="purchase_requisition",
        draft_values=draft,
        pending_field=None,
    )
    assert result.slots == {"quantity": 4, "estimated_cost": 1200}


def test_a_code_given_again_while_a_text_is_asked_corrects_the_code(parser: OfflineParser) -> None:
    result = parse(
        parser,
        "sorry wrong tag its AT-31878",
        draft_type="equipment_maintenance",
        draft_values={"asset_tag": "AT-31877"},
        pending_field="location",
    )
    assert result.slots == {"asset_tag": "AT-31878"}


@pytest.mark.parametrize(
    "text",
    [
        "can u check where my order for the recliner chairs is at",
        "hey can you tell me if Hector approved the transfer?",
        "Is the laptop for the new hire ordered yet?",
        "¿en qué va mi solicitud de compra?",
    ],
)
def test_status_questions_in_plain_words(parser: OfflineParser, text: str) -> None:
    assert parse(parser, text).intent == "check_status"


def test_a_request_that_reads_a_little_like_a_question_stays_a_request(parser: OfflineParser) -> None:
    text = "purchase request: 2 portable ultrasound systems, $64,000 total, cost center 4400, vendor GE Healthcare"
    assert parse(parser, text).intent == "purchase_requisition"


def test_a_date_in_the_past_is_refused_with_a_question(parser: OfflineParser) -> None:
    result = parse(parser, "need 4 iv poles for 5 North, cc 4410, $800, needed by last Monday")
    assert "needed_by" not in result.slots and "past" in result.errors["needed_by"]
    spanish = parse(parser, "necesito 4 atriles para 5 Norte, cc 4410, 800 dólares, para el lunes pasado")
    assert "needed_by" not in spanish.slots


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("smoke coming from the panel in the 2nd floor electrical room", "emergency"),
        ("toilet in rm 5E-310 overflowing, water everywhere", "emergency"),
        ("ED registration printer AT-10442 is down and patients are waiting", "urgent"),
        ("the fire alarm test is on Friday, please clean the lobby before", None),
    ],
)
def test_urgency_in_plain_words_sets_the_priority(parser: OfflineParser, text: str, priority: str | None) -> None:
    assert parse(parser, text).slots.get("priority") == priority


def test_two_items_are_asked_about_never_merged(parser: OfflineParser) -> None:
    result = parse(parser, "eight privacy screens and two linen carts for 6 North, cc 4410, about $2,000")
    assert "quantity" not in result.slots and "item_description" not in result.suggestions
    assert "privacy screens" in result.errors["item_description"] and "linen carts" in result.errors["item_description"]
    one = parse(parser, "We need 2 bariatric wheelchairs, about $3,200, cc 4410; we have a bariatric patient admitted")
    assert one.suggestions.get("item_description") == "bariatric wheelchairs" and not one.errors


def test_the_size_belongs_to_the_item_not_the_count(parser: OfflineParser) -> None:
    result = parse(parser, "order 25 of the 500 mL saline bags for 4W, cc 4410, $300")
    assert result.slots["quantity"] == 25 and result.suggestions["item_description"] == "500 mL saline bags"
    monitors = parse(parser, "could we grab 3 of the 27 inch monitors for the scheduling office? about $870 total")
    assert monitors.slots["quantity"] == 3


def test_my_cost_center_is_the_requesters_own(parser: OfflineParser) -> None:
    draft = {"item_description": "bed alarm pads", "estimated_cost": 540}
    reply = parse(parser, "use my cost center", draft_type="purchase_requisition", draft_values=draft,
                  pending_field="quantity")  # fmt: skip
    assert reply.slots == {"cost_center": "CC-4410"}  # Alice's, in the demo directory
    first = parse(parser, "need 6 bed alarm pads, about 540 dollars, bill it to my cost center")
    assert first.suggestions.get("cost_center") == "CC-4410" and "cost_center" not in first.slots


def test_a_spanish_transfer_is_an_employee_change(parser: OfflineParser) -> None:
    assert parse(parser, "Emma Wilson se transfiere a Microbiología a partir del 11 de enero").intent == (
        "employee_change"
    )


def test_a_staff_name_is_kept_in_the_persons_words_and_a_patients_is_not(parser: OfflineParser) -> None:
    staff = parse(parser, "Emma Wilson in room 3B needs the printer fixed, asset 20931")
    assert "Emma Wilson" in staff.suggestions["problem"]  # she is in the directory: no patient
    patient = parse(parser, "pt John Smith in room 3B says the heat is off")
    assert "John" not in patient.suggestions["description"] and "heat is off" in patient.suggestions["description"]
