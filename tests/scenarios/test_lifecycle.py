"""A submitted request's life in words, through the local chat with the offline parser: withdraw,
typed decisions, details and the privacy rule, resubmitting after a rejection, a person to talk
to — in English and Spanish."""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.test_transcripts import ALICE, BOB, FRANK, IVY, chat, texts_to

SAID = ("reply", "notice", "error")


def test_withdraw_by_number_description_button_and_the_one_just_sent(tmp_path: Path) -> None:
    lines = chat("withdraw.jsonl", tmp_path)
    alice = texts_to(lines, ALICE, *SAID)
    assert texts_to(lines, IVY) == [
        "You can only withdraw your own requests, and REQ-1001 is not one of them.",
        "I can only show a request to the people involved in it, and you are not one of REQ-1001's.",
    ]
    details = next(t for t in alice if t.startswith("REQ-1001 · Purchase requisition · waiting for approval"))
    assert "• Item: wheelchairs" in details and "• 1 · Manager: with Bob Martin, waiting a few minutes" in details
    assert any(t.startswith("REQ-1001 waits for Bob Martin.") for t in alice)
    withdrawn = [t for t in alice if t.startswith(("Withdrawn REQ-", "Retiré REQ-"))]  # "retira la 1002": Spanish
    assert [t.split(" (")[0].split()[-1] for t in withdrawn] == [f"REQ-{n}" for n in (1001, 1002, 1003, 1004)]
    assert withdrawn[1].startswith("Retiré REQ-1002 (Solicitud de compra)")
    assert all(t.endswith(("I've told Bob Martin.", "Ya le avisé a Bob Martin.")) for t in withdrawn)
    assert texts_to(lines, BOB, "error") == ["REQ-1001 was withdrawn by its requester; there's nothing to decide."]
    assert len([t for t in texts_to(lines, BOB, "notice") if "no longer needs your decision" in t]) == 4
    closed = [line for line in lines if line["kind"] == "card_update" and line["to"] == BOB]
    assert len(closed) == 4 and all(not line["card"]["buttons"] for line in closed)
    confirmations = [
        line for line in lines if line["to"] == ALICE and line["text"].startswith(("Submitted REQ-", "Se envió REQ-"))
    ]
    assert all(line["card"]["buttons"] == ["withdraw"] for line in confirmations)


def test_typed_decisions_reasons_and_resubmitting_after_a_rejection(tmp_path: Path) -> None:
    lines = chat("typed_decisions.jsonl", tmp_path)
    assert texts_to(lines, IVY) == [
        "Only Bob Martin can decide this step of REQ-1001.",
        "I can only show a request to the people involved in it, and you are not one of REQ-1001's.",
    ]
    bob = texts_to(lines, BOB, *SAID)
    assert 'Done: you rejected REQ-1001 ("we have stock in the 5 East storeroom"). Alice Nguyen has been told.' in bob
    assert "REQ-1001 has no approval waiting (it is rejected)." in bob  # the second decision: the first one won
    assert 'Listo: rechazó REQ-1002 ("ya tenemos sillas"). Ya se le avisó a Alice Nguyen.' in bob  # typed in Spanish
    assert "Listo: aprobó REQ-1003." in bob  # "apruebo la 1003"
    approve_it = [
        line for line in lines if line["to"] == BOB and line["kind"] == "card" and line["request"] == "REQ-1001"
    ]
    assert len(approve_it) == 2  # "approve it": the card again, with its buttons
    alice = texts_to(lines, ALICE, *SAID, "card")
    assert "You can't approve your own request; it needs someone else's decision." in alice
    assert any(
        t.startswith('Bob Martin declined REQ-1001 on Mon Nov 23 10:00. Their reason: "we have stock in the 5 East')
        for t in alice
    )
    assert "REQ-1001 was already rejected; there is nothing to withdraw." in alice
    resubmitted = next(t for t in alice if t.startswith("Here is REQ-1001 again as a new form"))
    assert resubmitted.startswith("Here is REQ-1001 again as a new form, with the estimated cost $2,300.")
    review = next(line for line in lines if line["text"] == resubmitted)
    assert review["card"]["fields"]["Estimated cost"] == "$2,300" and review["card"]["fields"]["Item"] == "wheelchairs"
    assert any(t.startswith("Submitted REQ-1002") for t in alice)
    assert "REQ-1002 was not rejected (it is waiting for approval), so there is nothing to send again." in alice
    assert any(  # "¿por qué la rechazaron?"
        t.startswith('Bob Martin rechazó REQ-1002 el lun 23 nov 10:00. Su motivo: "ya tenemos sillas"') for t in alice
    )
    news = next(
        t for t in alice if t.startswith("REQ-1002 · Purchase requisition · rejected")
    )  # the chairs: the latest
    assert "• Estimated cost: $2,300" in news
    assert alice[-1] == (  # "talk to a human": English again
        "For the purchase requisition, the Procurement team can help: #procurement-help, procurement@example.org. "
        "I'm an automated assistant; I can also take the request in chat."
    )


def test_details_for_the_people_involved_only(tmp_path: Path) -> None:
    lines = chat("details.jsonl", tmp_path)
    alice = texts_to(lines, ALICE, *SAID, "card")
    assert any(t.startswith("REQ-1001 waits for Finance (Frank Ito).\nREQ-1001 · Purchase requisition") for t in alice)
    shown = next(t for t in texts_to(lines, FRANK, "reply") if t.startswith("REQ-1001 · Purchase requisition"))
    assert '• 1 · Manager: approved by Bob Martin on Mon Nov 23 10:00 — "fine by me"' in shown  # Finance's holder
    assert "• 2 · Finance: with Finance (Frank Ito), waiting a few minutes" in shown
    shown = next(t for t in texts_to(lines, BOB, "reply") if t.startswith("REQ-1001 · Solicitud de compra"))
    assert '• 1 · Jefe inmediato: aprobado por Bob Martin el lun 23 nov 10:00 — "fine by me"' in shown  # in Spanish
    assert "• 2 · Finanzas: con Finanzas (Frank Ito), en espera desde hace unos minutos" in shown
    assert (
        texts_to(lines, IVY)
        == ["I can only show a request to the people involved in it, and you are not one of REQ-1001's."] * 2
    )
    assert any(t.startswith("REQ-1001 was not declined: it is waiting for approval.") for t in alice)
    assert "Done: you rejected REQ-1001. Alice Nguyen has been told." in texts_to(lines, FRANK)
    assert alice[-1].startswith("Here is REQ-1001 again as a new form, with the quantity 4.")


def test_someone_missing_from_the_directory_is_told_whom_to_ask(tmp_path: Path) -> None:
    script = tmp_path / "stranger.jsonl"
    script.write_text('{"as": "nobody@example.org", "say": "I need a new badge"}\n')
    lines = chat(str(script), tmp_path, FRONTDOOR_HELP_CONTACT="the IT Service Desk (ext. 4357)")
    assert texts_to(lines, "nobody@example.org") == [
        "I can't find you in the organisation's directory, so I can't take requests from you yet. "
        "Please ask the IT Service Desk (ext. 4357) to add your work email."
    ]


def test_a_request_lived_in_spanish_is_answered_in_spanish_and_others_keep_english(tmp_path: Path) -> None:
    """Alice and Bob write Spanish: everything said to them is Spanish, cards and buttons included,
    also what reaches them later (a decision, a reminder); Frank and the rooms keep English."""
    from forms.language import detect

    lines = chat("spanish.jsonl", tmp_path)
    for person in (ALICE, BOB):
        said = texts_to(lines, person, *SAID, "card", "reminder", "escalation")
        english = [t for t in said if detect(t) == "en"]
        assert said and not english, english
    alice = texts_to(lines, ALICE, *SAID, "card")
    assert any(t.startswith("Frank Ito rechazó REQ-1001") and "over budget this quarter" in t for t in alice), alice
    assert any(t.startswith("Retiré REQ-1002 (Solicitud de compra)") for t in alice), alice
    bob_cards = [line for line in lines if line["to"] == BOB and line["kind"] == "card" and line["card"]]
    assert bob_cards and all(line["card"]["labels"][:2] == ["Aprobar", "Rechazar"] for line in bob_cards)
    assert any(line["to"] == BOB and line["kind"] == "reminder" for line in lines)
    room = next(line for line in lines if line["to"] == "#approvals-finance" and line["kind"] == "card")
    assert "labels" not in room["card"] and detect(room["text"]) != "es"
