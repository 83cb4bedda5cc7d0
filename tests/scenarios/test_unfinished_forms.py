"""Unfinished forms through the real command line and the offline parser: an emergency work order
left open is nudged once after five minutes, a vendor form after one business hour, each in the
place it was written with the card that finishes it; questions asked in the middle of a form
("did someone pick this up yet?", "¿ya lo vio alguien?") are answered and never stored, and so
are those asked once the form waits for Confirm."""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.test_transcripts import ALICE, chat, texts_to


def test_an_emergency_work_order_left_open_is_nudged_once_after_five_minutes(tmp_path: Path) -> None:
    lines = chat("unfinished_urgent.jsonl", tmp_path)
    cards = [line for line in lines if line["to"] == ALICE and line["kind"] == "card"]
    nudge = cards[0]
    assert nudge["text"] == (
        "Your facilities work order (location 4W dirty utility room, priority emergency) isn't sent yet: it only "
        "needs the issue. Pick one below, or type it."
    )
    assert nudge["card"]["title"] == "Facilities work order: Issue" and len(nudge["card"]["buttons"]) == 6
    assert len([c for c in cards if c["text"].startswith("Your facilities work order")]) == 1  # once, not at +1h
    assert cards[1]["text"] == "Here is your facilities work order. Confirm to submit, or edit it."  # "plumbing"
    assert any(line["text"].startswith("Submitted REQ-1001 (Facilities work order)") for line in lines)


def test_a_vendor_form_left_open_is_nudged_after_one_business_hour(tmp_path: Path) -> None:
    lines = chat("unfinished_business_hour.jsonl", tmp_path)
    heard = texts_to(lines, ALICE, "reply", "card")
    assert heard == [
        "Let's set up a vendor onboarding. What is the vendor's legal name?",
        "Your vendor onboarding isn't sent yet: it still needs the vendor name, tax id (ein), vendor type, spend "
        "category, contact email and legal entity. Answer here, or press Edit to fill in the form.",
        "Got it (vendor name Lakeside Scientific Supply Inc). What is the vendor's tax ID (EIN, like 12-3456789)?",
    ]
    nudge = next(line for line in lines if line["kind"] == "card")
    assert nudge["card"]["buttons"] == ["edit", "cancel"]


def test_questions_in_the_middle_of_a_form_are_answered_and_not_stored(tmp_path: Path) -> None:
    lines = chat("question_in_form.jsonl", tmp_path)
    heard = texts_to(lines, ALICE, "reply", "card")
    back = "\n\nBack to your facilities work order: Where is the problem (building, floor, room)?"
    start = heard.index("Got it (issue plumbing, description the toilet is clogged). " + back.split(": ", 1)[1])
    picked, news, seen, how_long = heard[start + 1 : start + 5]
    assert picked == (
        "Your facilities work order hasn't been sent yet, so nobody has seen it: it goes out once you confirm it, "
        "and I'll keep you posted from there." + back
    )
    assert news.startswith("Your latest requests:\n• REQ-1001 · Purchase requisition · waiting for approval")
    assert news.endswith(back)
    assert seen.startswith("El formulario de orden de trabajo") or seen.endswith("(building, floor, room)?")
    assert how_long == "The Facilities team aims to respond within 24 hours at this priority." + back
    review = [line for line in lines if line["kind"] == "card" and line["to"] == ALICE][-1]
    assert review["card"]["fields"]["Location"] == "staff restroom by the lab"
    assert "Submitted REQ-1002 (Facilities work order)." in " ".join(heard)
    assert all(line["kind"] != "error" for line in lines)


def test_a_form_left_open_in_spanish_is_nudged_in_spanish(tmp_path: Path) -> None:
    lines = chat("unfinished_spanish.jsonl", tmp_path)
    cards = [line for line in lines if line["to"] == ALICE and line["kind"] == "card"]
    nudge, review = cards  # nothing at 59 minutes; the nudge at one business hour; then the review
    assert nudge["card"]["buttons"] == ["edit", "cancel"] and not nudge["text"].startswith("Your ")
    assert "Plomería" in nudge["text"]  # what the form is for, in her words and language
    assert review["card"]["buttons"] == ["confirm", "edit", "cancel"]
    assert any(line["request"] == "REQ-1001" for line in lines)


def test_questions_under_the_review_card_are_answered_and_the_card_kept(tmp_path: Path) -> None:
    lines = chat("question_at_review.jsonl", tmp_path)
    heard = texts_to(lines, ALICE, "reply", "card")
    back = "\n\nYour purchase requisition is ready above: press Confirm to submit it, or Edit to change it."
    review = "Here is your purchase requisition. Confirm to submit, or edit it."
    assert heard[:6] == [
        review,
        "As it stands, a purchase requisition like this one needs approval from your manager (Bob Martin)." + back,
        "Each approval step has up to 8 business hours to be decided, and the approver is reminded before that runs "
        "out." + back,
        "Your purchase requisition hasn't been sent yet, so nobody has seen it: it goes out once you confirm it, "
        "and I'll keep you posted from there." + back,
        review,  # "make it 4" is a correction, not a question
        "Tal como está, su solicitud de compra necesita la aprobación de su jefe inmediato (Bob Martin).\n\n"
        "Su solicitud de compra está lista más arriba: pulse Confirmar para enviarla o Editar para hacer cambios.",
    ]
    reviews = [line for line in lines if line["kind"] == "card" and line["to"] == ALICE]
    assert reviews[-1]["card"]["fields"]["Quantity"] == "4"
    assert heard[6].startswith("Enviada REQ-1001") or heard[6].startswith("Submitted REQ-1001")  # "looks good"
    assert all(line["kind"] != "error" for line in lines)
