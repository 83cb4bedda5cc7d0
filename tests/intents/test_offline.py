"""The offline parser: intents, every field kind's extraction, refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.directory import load_directory
from forms import load_catalog
from intents.base import ParseContext, Proposal
from intents.offline import OfflineParser

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday


@pytest.fixture(scope="module")
def parser() -> OfflineParser:
    return OfflineParser(load_catalog(), load_directory())


def parse(parser: OfflineParser, text: str, **context: Any) -> Proposal:
    return parser.parse(text, ParseContext(now=NOW, requester="alice.nguyen@example.org", **context))


def test_interface(parser: OfflineParser) -> None:
    result = parse(parser, "we need 3 monitors for 4 West, cost center 4410, about $900")
    assert parser.name == "offline" and result.parser == "offline" and result.llm_calls == 0
    assert result.intent == "purchase_requisition"
    assert result.slots == {"quantity": 3, "cost_center": "CC-4410", "estimated_cost": 900}
    assert result.missing == ["item_description"]
    assert 0.5 < result.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Please onboard a new supplier, Acme Medical, EIN 12-3456789", "vendor_onboarding"),
        ("I need edit access to Workday", "access_request"),
        ("the heat is not working in the east wing lobby", "facilities_work_order"),
        ("can legal look at this NDA before Thursday", "contract_review"),
        ("infusion pump AT-20931 keeps beeping", "equipment_maintenance"),
        ("new hire starting Monday in Radiology", "employee_onboarding"),
        ("please close cost center 4420 at year end", "cost_center_change"),
        ("invoice 55012 from Baxter was billed twice", "invoice_exception"),
        ("her last day is Friday, please process the termination", "employee_change"),
        ("what's the status of REQ-1042", "check_status"),
        ("anything waiting for my approval?", "list_approvals"),
        ("what can you do", "help"),
        ("never mind, cancel that", "cancel"),
    ],
)
def test_intents(parser: OfflineParser, text: str, intent: str) -> None:
    assert parse(parser, text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "what's the capital of Portugal",
        "my patient in bed 4 has chest pain, what should I give her?",
        "what is the max dose of ibuprofen",
        "I forgot my password",
        "tell me a joke",
        "good morning!",
        "thanks!",
        "book the conference room for Friday at 3",
        "approve my time off next week please",
    ],
)
def test_out_of_scope(parser: OfflineParser, text: str) -> None:
    result = parse(parser, text)
    assert result.intent == "out_of_scope"
    assert result.slots == {}


def test_typos_lower_case_and_abbreviations(parser: OfflineParser) -> None:
    assert parse(parser, "purchse 4 chiars for the waitng room, cc 4410, $400").intent == "purchase_requisition"
    assert parse(parser, "need kronos acess").slots == {"system": "kronos"}
    ap = parse(parser, "AP exception for inv 44310 from Medline, no PO, $320")
    assert ap.intent == "invoice_exception"
    assert ap.slots == {
        "invoice_number": "INV-44310",
        "vendor_name": "Medline",
        "amount": 320,
        "exception_reason": "missing_po",
    }


def test_small_talk_first(parser: OfflineParser) -> None:
    result = parse(parser, "hi! hope you're well. we need 2 label printers, cc 5120, about $700")
    assert result.intent == "purchase_requisition"
    assert result.slots == {"quantity": 2, "cost_center": "CC-5120", "estimated_cost": 700}
    chatty = parse(parser, "hey! hope your week is going well :) could you get 2 new chairs, about $300, cc 1200?")
    assert chatty.intent == "purchase_requisition"
    assert chatty.slots == {"quantity": 2, "cost_center": "CC-1200", "estimated_cost": 300}


def test_spanish(parser: OfflineParser) -> None:
    buy = parse(parser, "Necesitamos comprar 4 sillas, centro de costos 4410, unos 800 dólares")
    assert buy.intent == "purchase_requisition"
    assert buy.slots == {"quantity": 4, "cost_center": "CC-4410", "estimated_cost": 800}
    leak = parse(parser, "Hay una fuga de agua en el baño del segundo piso")
    assert leak.intent == "facilities_work_order" and leak.slots.get("issue_type") == "plumbing"
    assert parse(parser, "olvídalo").intent == "cancel"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("order 3 chairs, 12.5k, cc 4410", 12500),
        ("order 3 chairs, four thousand dollars, cc 4410", 4000),
        ("order 3 chairs, $12,500, cc 4410", 12500),
        ("order 3 chairs, USD 900, cc 4410", 900),
        ("order 3 chairs for $1,350.50 on cc 4410", 1350.5),
        ("order 3 chairs, total cost 2,400, cc 4410", 2400),
    ],
)
def test_money(parser: OfflineParser, text: str, amount: float) -> None:
    assert parse(parser, text).slots["estimated_cost"] == amount


@pytest.mark.parametrize(
    ("text", "quantity"),
    [("buy three monitors, cc 4410", 3), ("buy a dozen gloves boxes, cc 4410", 12), ("we need a new fridge", 1)],
)
def test_integers(parser: OfflineParser, text: str, quantity: int) -> None:
    assert parse(parser, text).slots["quantity"] == quantity


def test_numbers_that_are_not_quantities(parser: OfflineParser) -> None:
    slots = parse(parser, "order monitors for room 412 on 4 West, $900, cc 4410").slots
    assert "quantity" not in slots


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("buy 2 chairs, cc 4410, $300, needed by next friday", "2026-11-27"),
        ("buy 2 chairs, cc 4410, $300, by Dec 15", "2026-12-15"),
        ("buy 2 chairs, cc 4410, $300, by 12/1", "2026-12-01"),
        ("buy 2 chairs, cc 4410, $300, needed tomorrow", "2026-11-24"),
        ("buy 2 chairs, cc 4410, $300, by the first of next month", "2026-12-01"),
        ("buy 2 chairs, cc 4410, $300, by January 5th", "2027-01-05"),
    ],
)
def test_dates(parser: OfflineParser, text: str, date: str) -> None:
    assert parse(parser, text).slots["needed_by"] == date


def test_impossible_date_is_refused_not_guessed(parser: OfflineParser) -> None:
    result = parse(parser, "buy 2 chairs, cc 4410, $300, needed by Feb 30")
    assert "needed_by" not in result.slots
    assert "needed_by" in result.errors


def test_past_date_is_an_error(parser: OfflineParser) -> None:
    result = parse(parser, "buy 2 chairs, cc 4410, $300, needed by 2026-01-05")
    assert "needed_by" not in result.slots and "past" in result.errors["needed_by"]


def test_floor_ordinals_are_not_dates(parser: OfflineParser) -> None:
    assert "needed_by" not in parse(parser, "order 2 chairs for the 3rd floor lounge, $200, cc 4410").slots


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("close cost center 4420 effective Dec 31", "cost_center", "CC-4420"),
        ("close CC 4420 effective Dec 31", "cost_center", "CC-4420"),
        ("close cc#4420 effective Dec 31", "cost_center", "CC-4420"),
    ],
)
def test_cost_center_forms(parser: OfflineParser, text: str, field: str, value: str) -> None:
    assert parse(parser, text).slots[field] == value


def test_codes(parser: OfflineParser) -> None:
    inv = parse(parser, "invoice # 88812 from Medline, $4,200, price mismatch against purchase order 104233")
    assert inv.slots["invoice_number"] == "INV-88812" and inv.slots["po_number"] == "PO-104233"
    vendor = parse(parser, "new vendor Acme Supply, ein 123456789, contact ap@acme.com")
    assert vendor.slots["tax_id"] == "12-3456789" and vendor.slots["contact_email"] == "ap@acme.com"
    asset = parse(parser, "the scale with asset tag 66021 in the NICU is off, urgent")
    assert asset.slots == {"asset_tag": "AT-66021", "location": "NICU", "priority": "urgent"}


def test_no_protected_identifiers_in_slots(parser: OfflineParser) -> None:
    result = parse(parser, "new vendor Acme, SSN 123-45-6789, MRN 4410221, DOB 1/2/1980")
    values = [str(v) for v in result.slots.values()]
    assert not any(v in ("12-3456789", "123-45-6789", "CC-4410", "1980-01-02") for v in values)
    assert "tax_id" not in result.slots


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("the AC is broken in conference room 3B, it's too hot", "issue_type", "hvac"),
        ("lights flickering in the hallway by radiology", "issue_type", "electrical"),
        ("the sink in the staff kitchen is leaking, not urgent", "priority", "low"),
        ("toilet overflowing on 2 North, emergency", "priority", "emergency"),
    ],
)
def test_enums(parser: OfflineParser, text: str, field: str, value: str) -> None:
    assert parse(parser, text).slots[field] == value


def test_enum_words_inside_names_do_not_count(parser: OfflineParser) -> None:
    slots = parse(parser, "New vendor setup: Keystone HVAC Services LLC, contractor for facilities").slots
    assert slots["vendor_name"] == "Keystone HVAC Services LLC"
    assert slots["vendor_type"] == "contractor" and slots["spend_category"] == "facilities"


def test_negated_priority_is_not_taken(parser: OfflineParser) -> None:
    assert "priority" not in parse(parser, "the lobby door is stuck, it's not an emergency").slots


def test_people(parser: OfflineParser) -> None:
    change = parse(parser, "change Emma's manager to George Hall starting next Monday")
    assert change.slots["employee"] == "emma.wilson@example.org"
    assert change.slots["new_manager"] == "george.hall@example.org"
    assert change.slots["change_type"] == "manager_change"
    access = parse(parser, "please give emma.wilson@example.org read access to Epic")
    assert access.slots["for_user"] == "emma.wilson@example.org"


def test_unknown_names_are_not_people(parser: OfflineParser) -> None:
    result = parse(parser, "I need to terminate an employee, Paul Grant, last day is November 30")
    assert "employee" not in result.slots
    assert "employee" not in parse(parser, "Emma Stone is transferring to the ICU on Dec 7").slots


def test_short_names(parser: OfflineParser) -> None:
    contract = parse(parser, "new contract with Apex Staffing Solutions for travel nurses, about $1.2M")
    assert contract.slots["counterparty"] == "Apex Staffing Solutions"
    assert contract.slots["contract_value"] == 1200000
    rename = parse(parser, "rename cost center 4410 to 'Revenue Integrity' effective 12/1")
    assert rename.slots["new_name"] == "Revenue Integrity"
    hire = parse(parser, "Sofia Marquez is starting in Patient Access as a Registration Specialist on Dec 7")
    assert hire.slots["new_hire_name"] == "Sofia Marquez"
    assert hire.slots["department"] == "Patient Access" and hire.slots["title"] == "Registration Specialist"
    fix = parse(parser, "water leak in the 2nd floor staff break room, Building C, urgent")
    assert fix.slots["location"] == "2nd floor staff break room, Building C"


def test_check_status_request_id(parser: OfflineParser) -> None:
    assert parse(parser, "status req 2291").slots == {"request_id": "REQ-2291"}
    assert parse(parser, "where's REQ-1042?").slots == {"request_id": "REQ-1042"}
    assert parse(parser, "any update on my monitor order?").slots == {}


def test_missing_lists_required_fields_without_defaults(parser: OfflineParser) -> None:
    result = parse(parser, "the AC is broken in conference room 3B")
    assert result.intent == "facilities_work_order"
    assert "priority" not in result.missing and "priority" not in result.slots
    assert result.missing == ["description"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("compra de 4 sillas, 2.400 dólares, centro de costos 5120", 2400),
        ("order 2 exam lights, USD 12.500, cc 4410", 12500),
        ("order 2 exam lights, $1.5k, cc 4410", 1500),
        ("order 2 exam lights, 2.75 dollars each, cc 4410", 5.5),
    ],
)
def test_dots_between_thousands(parser: OfflineParser, text: str, amount: float) -> None:
    assert parse(parser, text).slots["estimated_cost"] == amount


def test_a_choice_named_outright_beats_another_choices_synonym(parser: OfflineParser) -> None:
    renewal = parse(parser, "please review the Baxter service agreement renewal before Dec 10")
    assert renewal.slots["contract_type"] == "renewal"
    new = parse(parser, "please review a new license agreement with Baxter before Dec 10")
    assert new.slots["contract_type"] == "new"
    both = parse(parser, "close cost center 4410 and create a new one effective Jan 1")
    assert "change_type" not in both.slots  # two choices named: asked, not guessed


def test_proveedor_alone_says_nothing_about_the_vendor_type(parser: OfflineParser) -> None:
    result = parse(parser, "dar de alta al proveedor Grupo Norte, EIN 12-3456789")
    assert result.intent == "vendor_onboarding" and "vendor_type" not in result.slots


def test_places_with_plain_describing_words(parser: OfflineParser) -> None:
    mens = parse(parser, "the sink in the men's locker room at the Parking Garage is leaking")
    assert mens.slots["location"] == "men's locker room at the Parking Garage"
    spanish = parse(parser, "se rompió la luz en la oficina del tercer piso, edificio A")
    assert spanish.slots["location"] == "oficina del tercer piso, edificio A"


def test_lower_case_messages_may_write_acronyms_in_capitals(parser: OfflineParser) -> None:
    result = parse(parser, "invoice 55871 from owens minor for $640 has no PO number")
    assert result.intent == "invoice_exception"
    assert result.slots["vendor_name"] == "owens minor" and result.slots["exception_reason"] == "missing_po"
    assert "vendor_name" not in parse(parser, "new vendro onboardng request for a staffing agency").slots  # typos


def test_titles_in_lower_case_after_as(parser: OfflineParser) -> None:
    hire = parse(parser, "Dana Cole joins the Pharmacy as a pharmacy technician on Dec 7")
    assert hire.slots["title"] == "pharmacy technician"
    spanish = parse(parser, "Pedro Soto empieza el 7 de diciembre como analista en Finanzas")
    assert spanish.intent == "employee_onboarding" and spanish.slots["title"] == "analista"
    assert "new_title" not in parse(parser, "change Emma's manager to George Hall on Dec 7").slots


def test_a_label_may_carry_please(parser: OfflineParser) -> None:
    result = parse(parser, "new vendor please: Lakeview Surgical Supply, EIN 12-3456789")
    assert result.slots["vendor_name"] == "Lakeview Surgical Supply"


@pytest.mark.parametrize("text", ["the laptop", "please fix", "king of acid", "the usual, thanks"])
def test_vague_messages_are_out_of_scope_or_low_confidence(parser: OfflineParser, text: str) -> None:
    result = parse(parser, text)
    assert result.intent == "out_of_scope" or result.confidence < 0.75, (result.intent, result.confidence)


def test_clear_requests_are_read_with_high_confidence(parser: OfflineParser) -> None:
    for text in (
        "please give emma.wilson write access to Kronos until Dec 31",
        "invoice INV-44120 from Baxter for $1,200 is a duplicate",
        "the AC is broken in conference room 3B",
    ):
        assert parse(parser, text).confidence >= 0.9, text


def test_no_network_and_no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Training and parsing work with every network connection refused."""
    import socket

    import intents.offline.classifier.intent

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the offline parser opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(intents.offline.classifier.intent, "_MODELS", {})  # train again, here
    monkeypatch.setenv("FRONTDOOR_MODEL_CACHE", "off")
    fresh = OfflineParser(load_catalog(), load_directory())
    fresh.warm()
    assert parse(fresh, "we need 3 monitors, cc 4410, about $900").slots["cost_center"] == "CC-4410"


def test_a_bare_price_per_unit_times_the_count(parser: OfflineParser) -> None:
    result = parse(parser, "order five stethoscopes, 85 each, cost center 4410")
    assert result.slots["quantity"] == 5 and result.slots["estimated_cost"] == 425


def test_a_weekday_before_a_date_on_that_day_is_one_date(parser: OfflineParser) -> None:
    result = parse(parser, "Bob Martin retires, his last day is Thursday Dec 10")
    assert result.slots["effective_date"] == "2026-12-10" and result.slots["change_type"] == "termination"
    clash = parse(parser, "Bob Martin retires, his last day is Monday Dec 10")  # Dec 10 is a Thursday: asked
    assert "effective_date" not in clash.slots


def test_no_heat_is_an_hvac_problem_but_not_urgent_is_not_urgent(parser: OfflineParser) -> None:
    result = parse(parser, "no heat in the 3 East conference room since this morning, not urgent")
    assert result.slots["issue_type"] == "hvac" and result.slots.get("priority") != "urgent"


def test_a_department_after_the_is_not_a_persons_name(parser: OfflineParser) -> None:
    result = parse(parser, "Emma Wilson is transferring to the Blood Bank effective Dec 14")
    assert result.slots["new_department"] == "Blood Bank"
    assert "new_department" not in parse(parser, "transfer Emma Wilson to Rosa Lima on Dec 14").slots


def test_vendor_names_before_set_up_and_after_using(parser: OfflineParser) -> None:
    added = parse(parser, "please get Northgate Dental Partners set up in the vendor master, EIN 12-3456789")
    assert added.slots["vendor_name"] == "Northgate Dental Partners"
    using = parse(parser, "we'd like to start using Lumen Courier for lab specimens, tax id 12-3456789")
    assert using.slots["vendor_name"] == "Lumen Courier"


def test_a_place_that_names_itself_needs_no_cue(parser: OfflineParser) -> None:
    result = parse(parser, "the hand dryer is broken again, Building D 2nd floor")
    assert result.slots["location"] == "Building D 2nd floor"


def test_names_in_the_training_files_do_not_become_ordinary_words() -> None:
    """A lower-case "carol diaz" in an utterance file once made "Diaz" an ordinary word, so a
    new hire named Rosa Diaz was no name at all."""
    from intents.offline.extractors.shapes import common_words

    names = {w for name, _ in load_directory().known_names() for w in name.lower().split()}
    assert names & common_words() <= {"hall"}  # "town hall" is ordinary too


def test_a_filled_field_implies_the_choice_no_word_made(parser: OfflineParser) -> None:
    title = parse(parser, "please update Bob Martin's title to Associate Chief Nursing Officer from Jan 1")
    assert title.slots["new_title"] == "Associate Chief Nursing Officer"
    assert title.slots["change_type"] == "title_change"
    both = parse(parser, "new cost center CC-7710 for Wound Care, owner Carol Diaz, from Jan 1")
    assert "change_type" not in both.slots  # "new" and "owner" disagree: asked, not implied


def test_a_code_only_one_type_has_counts_for_that_type(parser: OfflineParser) -> None:
    assert parse(parser, "pallet jack at-55102 by the receiving dock has a hydraulic leak").intent == (
        "equipment_maintenance"
    )
    assert parse(parser, "the hydraulic door closer by the receiving dock is leaking").intent == (
        "facilities_work_order"
    )
    lift = parse(parser, "the patient lift AT-12345 in 6 South makes a grinding noise when it lowers")
    assert lift.intent == "equipment_maintenance"
    assert parse(parser, "what is an EIN like 12-3456789 used for?").intent == "out_of_scope"  # far behind


def test_long_job_titles_and_more_ways_to_speak(parser: OfflineParser) -> None:
    hire = parse(parser, "Please onboard Ana Gil as a Psychotherapist in Behavioral Health on Dec 7")
    assert hire.slots["title"] == "Psychotherapist"
    assert parse(parser, "¿qué solicitudes puedo hacer contigo?").intent == "help"
    assert parse(parser, "nah, forget it").intent == "cancel"


def test_in_lower_case_a_bare_linking_word_names_no_vendor(parser: OfflineParser) -> None:
    result = parse(parser, "necesito comprar cinco cajas de guantes, unos 200 dólares, cc 4410")
    assert "vendor_name" not in result.slots and result.slots["quantity"] == 5
    moved = parse(parser, "transfer bob martin to oncology effective dec 7")  # a department still follows "to"
    assert moved.slots["new_department"] == "oncology"


@pytest.mark.parametrize(
    "text",
    [
        "order five stethoscopes, 85 each, cost center 4410",
        "Requesting two recliners for the family lounge, $1,400, cost center 4400",
        "purchase 10 boxes of exam gloves, about $250, charge cost centre 5120",
    ],
)
def test_a_purchase_that_names_its_cost_center_stays_a_purchase(parser: OfflineParser, text: str) -> None:
    assert parse(parser, text).intent == "purchase_requisition"


def test_end_of_day_is_no_date_and_end_of_next_month_is_its_last_day(parser: OfflineParser) -> None:
    eod = parse(parser, "please process termination for bob.martin@example.org effective end of day Dec 11")
    assert eod.slots["effective_date"] == "2026-12-11"
    close = parse(parser, "close cost center 4410 at the end of next month")
    assert close.slots["effective_date"] == "2026-12-31" and close.slots["change_type"] == "close"


def test_an_email_pasted_in_is_read_without_its_salutation_closing_and_signature() -> None:
    from intents.offline.text import email_body

    email = (
        "Good morning,\n\nI hope this message finds you well. We need three vital signs monitors for 4 West, "
        "about $8,400, cost center 4410.\n\nThank you for your help.\n\nKind regards,\nAlice Nguyen, MSN, RN\n"
        "Phone: (555) 201-7734\n\nCONFIDENTIALITY NOTICE: This e-mail may contain privileged information."
    )
    assert email_body(email) == "We need three vital signs monitors for 4 West, about $8,400, cost center 4410."
    assert email_body("thanks! we need 3 monitors") == "thanks! we need 3 monitors"  # a chat line stays
    assert email_body("Thanks,\nBob") == "Thanks,\nBob"  # nothing but a closing: kept as it is


def test_bill_it_to_names_the_cost_center(parser: OfflineParser) -> None:
    assert parse(parser, "we need 2 pipette sets $840, bill it to 5120").slots["cost_center"] == "CC-5120"
    assert parse(parser, "cárgalo al 4410").slots["cost_center"] == "CC-4410"
