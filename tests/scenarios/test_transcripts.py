"""Scripted transcripts through the real command line: `frontdoor chat --script FILE --json`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ALICE, BOB, FRANK, IVY = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "frank.ito", "ivy.tran"))


def chat(script: str, tmp_path: Path, **env: str) -> list[dict[str, Any]]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    full_env.update(
        {"FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path}/fd.db", "FRONTDOOR_TEST_STRICT_LANGUAGE": "1", **env}
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--script", str(HERE / script), "--json", "--now", "2026-11-23T10:00:00"],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def texts_to(lines: list[dict[str, Any]], person: str, *kinds: str) -> list[str]:
    return [line["text"] for line in lines if line["to"] == person and (not kinds or line["kind"] in kinds)]


def test_purchase_with_manager_and_finance_then_fulfilled(tmp_path: Path) -> None:
    lines = chat("purchase_two_approvals.jsonl", tmp_path)
    review = next(line for line in lines if line["card"] and line["card"]["title"] == "Review: Purchase requisition")
    assert review["card"]["fields"]["Estimated cost"] == "$7,500"
    assert review["card"]["fields"]["Cost center"] == "CC-4410"
    assert review["card"]["buttons"] == ["confirm", "edit", "cancel"]
    cards = [(line["to"], line["request"]) for line in lines if line["kind"] == "card" and line["request"]]
    assert cards == [(BOB, "REQ-1001"), ("#approvals-finance", "REQ-1001")]
    heard = texts_to(lines, ALICE, "notice", "reply")
    assert heard[-4:] == [
        "Bob Martin approved REQ-1001. Next: Finance.",
        "Frank Ito approved REQ-1001. It is fully approved and on its way to the service team.",
        "Update on REQ-1001: it is now in progress.",
        "Update on REQ-1001: it has been fulfilled.",
    ]
    assert all(line["kind"] != "error" for line in lines)


def test_stranger_is_refused_and_manager_decides(tmp_path: Path) -> None:
    lines = chat("stranger_refused.jsonl", tmp_path)
    assert texts_to(lines, IVY, "error") == ["Only Bob Martin can decide this step of REQ-1001."]
    assert "Bob Martin approved REQ-1001. It is fully approved and on its way to the service team." in texts_to(
        lines, ALICE
    )


def test_requester_cannot_approve_her_own_request(tmp_path: Path) -> None:
    lines = chat("self_approval_refused.jsonl", tmp_path)
    assert texts_to(lines, ALICE, "error") == ["You can't approve your own request; it needs someone else's decision."]
    updates = [(line["to"], line["card"]["title"]) for line in lines if line["kind"] == "card_update"]
    assert updates == [(ALICE, "Review: Purchase requisition"), (BOB, "REQ-1001 · Purchase requisition")]


def test_two_approvers_press_at_once_one_decision(tmp_path: Path) -> None:
    lines = chat("two_approvers_at_once.jsonl", tmp_path, FRONTDOOR_DIRECTORY=str(HERE / "directory_two_finance.yaml"))
    refused = texts_to(lines, "dina.ross@example.org", "error")
    assert len(refused) == 1 and refused[0].startswith("REQ-1001 was already approved by Frank Ito")
    finance_updates = [line for line in lines if line["kind"] == "card_update" and line["to"] == "#approvals-finance"]
    assert len(finance_updates) == 1


def test_the_review_cards_buttons_said_in_words(tmp_path: Path) -> None:
    """ "yes, submit it", "edit", "never mind", "Sí, envíalo por favor" press those buttons; a typed
    "confirm" or "cancel" right after says what became of the form."""
    lines = chat("typed_buttons.jsonl", tmp_path)
    heard = texts_to(lines, ALICE, "reply", "card")
    assert heard == [
        "Here is your purchase requisition. Confirm to submit, or edit it.",
        "Submitted REQ-1001 (Purchase requisition). It needs approval from your manager (Bob Martin), then Finance. "
        "I'll let you know at each step.",
        "Already submitted as REQ-1001 · Purchase requisition · waiting for approval, step 1 with Bob Martin "
        "(waiting a few minutes).",
        "Here is your purchase requisition. Confirm to submit, or edit it.",
        'What would you like to change? For example: "quantity 4" or "cost center CC-4400".',
        "Cancelled — nothing was submitted.",
        "That form was cancelled — nothing was submitted. Tell me what you need to start again.",
        "Aquí está el formulario de su solicitud de compra. Confírmelo para enviarlo, o edítelo.",  # in Spanish
        "Se envió REQ-1002 (Solicitud de compra). Necesita la aprobación de su jefe inmediato (Bob Martin). "
        "Le avisaré en cada paso.",
        "Already submitted as REQ-1002 · Purchase requisition · waiting for approval, step 1 with Bob Martin "
        "(waiting a few minutes).",
    ]
    assert [line["request"] for line in lines if line["kind"] == "card" and line["to"] == BOB] == [
        "REQ-1001",
        "REQ-1002",
    ]
    assert all(line["kind"] != "error" for line in lines)


def test_a_second_press_on_a_closed_form_says_what_became_of_it(tmp_path: Path) -> None:
    lines = chat("double_click.jsonl", tmp_path)
    heard = texts_to(lines, ALICE, "reply", "error")
    already = "Already submitted as REQ-1001 · Purchase requisition · waiting for approval, step 1 with Bob Martin"
    assert heard[1].startswith(already) and heard[2].startswith(already)  # Confirm again, then Edit
    assert (
        heard[-3:]
        == ["Cancelled — nothing was submitted."]
        + ["That form was cancelled — nothing was submitted. Tell me what you need to start again."] * 2
    )
    assert not any("nothing was submitted" in text for text in heard[:3])
    assert len([line for line in lines if line["kind"] == "card" and line["to"] == BOB]) == 1


def test_what_is_not_a_request_gets_an_answer_that_fits_it(tmp_path: Path) -> None:
    """A greeting gets a greeting, a clinical question the clinical resource, an uncertain request
    the likeliest types to choose from, and only what is truly elsewhere a short refusal."""
    lines = chat("not_requests.jsonl", tmp_path, FRONTDOOR_CLINICAL_RESOURCE="the Lexicomp link on the intranet")
    hello, bot, clinical, which, refused, thanks = texts_to(lines, ALICE)
    assert hello.startswith("Hello! Tell me what you need") and bot.startswith("I'm Front Door")
    assert "the Lexicomp link on the intranet" in clinical and clinical.startswith("I can't help with clinical")
    assert which.startswith("I'm not sure which request this is — is it an equipment maintenance or")
    assert refused.startswith("Sorry, that's not something I can help with here.") and "\n" not in refused
    assert thanks == "You're welcome! Anything else, just tell me."
    assert all(not line["card"] for line in lines)


def test_the_only_finance_approver_buying_for_himself_is_approved_by_the_cfo(tmp_path: Path) -> None:
    """Frank is Finance's only holder: his $8,000 workstation's Finance step goes to the role's
    backup, Chloe Reed (also his manager), who decides both steps; his own click is refused."""
    lines = chat("only_approver.jsonl", tmp_path)
    frank = "frank.ito@example.org"
    submitted = next(t for t in texts_to(lines, frank, "reply") if t.startswith("Submitted REQ-1001"))
    assert submitted.endswith("Finance approval will come from Chloe Reed, since you are Finance's only approver.")
    assert texts_to(lines, frank, "error") == ["You can't approve your own request; it needs someone else's decision."]
    cards = [(line["to"], line["request"]) for line in lines if line["kind"] == "card" and line["request"]]
    assert cards == [("chloe.reed@example.org", "REQ-1001"), ("chloe.reed@example.org", "REQ-1001")]
    assert texts_to(lines, frank, "notice")[:2] == [
        "Chloe Reed approved REQ-1001. Next: Chloe Reed, for Finance.",
        "Chloe Reed approved REQ-1001. It is fully approved and on its way to the service team.",
    ]


def test_a_step_taken_escalated_and_reassigned_by_the_managers_button(tmp_path: Path) -> None:
    """Frank takes the Finance step (Dina's Take and click are refused), sits on it; at 150 % the
    escalation reaches Frank's manager Chloe with Reassign buttons; she gives it to Dina, whose card
    arrives while Frank's copy closes in place; Dina approves."""
    directory = str(HERE / "directory_two_finance.yaml")
    lines = chat("take_escalate_reassign.jsonl", tmp_path, FRONTDOOR_DIRECTORY=directory)
    dina, chloe = "dina.ross@example.org", "chloe.reed@example.org"
    assert texts_to(lines, dina, "error") == [
        "Frank Ito already has REQ-1001.",
        "Only Frank Ito can decide this step of REQ-1001.",
    ]
    (escalation,) = [line for line in lines if line["kind"] == "escalation"]
    assert escalation["to"] == chloe and escalation["text"].endswith(
        "Could you reassign it to another approver, or follow up?"
    )
    assert "from Frank Ito, for Finance" in escalation["text"]
    assert escalation["card"]["buttons"] == ["reassign"]  # to Dina Ross, the other holder
    reminders = [line["to"] for line in lines if line["kind"] == "reminder"]
    assert reminders == [FRANK, FRANK]  # only who may decide: Frank has it, not the whole team
    assert "Reassigned to Dina Ross by Chloe Reed at Tue Nov 24 14:00." in [
        line["text"] for line in lines if line["kind"] == "card_update"
    ]
    assert texts_to(lines, dina, "card") == [
        "Chloe Reed gave you REQ-1001 (Purchase requisition) to decide, for Finance."
    ]
    assert texts_to(lines, FRANK, "error") == ["Only Dina Ross can decide this step of REQ-1001."]
    heard = texts_to(lines, ALICE, "notice")
    assert "Frank Ito (Finance) is handling REQ-1001." in heard
    assert "REQ-1001's Finance approval is now with Dina Ross." in heard
    assert "Dina Ross approved REQ-1001. It is fully approved and on its way to the service team." in heard


def test_delegation_in_plain_words_and_what_is_refused(tmp_path: Path) -> None:
    """Delegation said as people say it, in English and Spanish: named by full name, first name or
    email, ended by "I'm back" or "ya volví", asked for an end when none is given; delegating to
    oneself, to someone not in the directory or to the requester of a pending approval is refused
    and changes nothing."""
    lines = chat("delegation_words.jsonl", tmp_path)
    carol = "carol.diaz@example.org"
    requester = (
        "Alice Nguyen asked for REQ-1001, which waits for your approval, and may not approve their own request; "
        "nothing was delegated. Name someone else."
    )
    assert texts_to(lines, BOB, "error") == [
        "You can't delegate your approvals to yourself; name a colleague who can approve for you.",
        "I can't find that person in the directory, so nothing was delegated; give a colleague's work email.",
        requester,  # "hand my approvals to Alice Nguyen while …"
        "Alice Nguyen pidió REQ-1001, que espera su aprobación, y no puede aprobar su propia solicitud; no se delegó "
        "nada. Indique a otra persona.",  # "Alice puede aprobar por mí hasta el viernes"
    ]
    ended_es = "Delegación terminada: sus aprobaciones vuelven a llegarle a usted."
    ended = "Delegation ended: your approvals come to you again."
    assert texts_to(lines, BOB, "reply") == [
        'Until Mon Dec 14 your approvals go to Carol Diaz. Say "end delegation" to stop earlier.',
        ended,  # "I'm back, stop forwarding"
        'Until when should Frank Ito approve for you? Say a date, e.g. "until Friday" or "Dec 14".',
        'Until Fri Nov 27 your approvals go to Frank Ito. Say "end delegation" to stop earlier.',
        ended_es,  # "ya volví"
        'Until Mon Nov 30 your approvals go to Carol Diaz. Say "end delegation" to stop earlier.',
        ended,
        'Hasta el vie 27 nov, sus aprobaciones irán a Carol Diaz. Escriba "terminar la delegación" para detenerla '
        "antes.",  # Spanish
        ended_es,
        'Until when should Carol Diaz approve for you? Say a date, e.g. "until Friday" or "Dec 14".',
        "All right, nothing was delegated; your approvals stay with you.",
        "No tiene ninguna delegación activa.",  # "ya volví"
    ]
    delegates_shown = [line["to"] for line in lines if line["kind"] == "card" and line["request"] == "REQ-1001"]
    assert delegates_shown == [BOB, carol, FRANK, carol, carol]  # the pending approval follows each delegate
    with sqlite3.connect(tmp_path / "fd.db") as db:
        rows = db.execute("SELECT delegate, revoked_at IS NOT NULL FROM delegations ORDER BY id").fetchall()
        asked = db.execute("SELECT count(*) FROM audit_events WHERE action = 'delegation_asked'").fetchone()
    assert rows == [(carol, 1), (FRANK, 1), (carol, 1), (carol, 1)]  # the refusals wrote nothing
    assert asked == (2,)


def test_a_step_waiting_eleven_business_days_expires_and_the_requester_resubmits(tmp_path: Path) -> None:
    """Bob never decides REQ-1001: after the reminders, past 10 business days (Thanksgiving and its
    Friday are not counted), the sweep closes it as expired: Bob's card loses its buttons, the
    backend is told to cancel, Alice hears of it with a Resubmit button that opens a new form."""
    lines = chat("expiry.jsonl", tmp_path)
    expired = "Expired at Thu Dec 10 10:00: nobody decided it within 10 business days. Nothing to decide."
    assert [(line["to"], line["card"]["buttons"]) for line in lines if line["text"] == expired] == [(BOB, [])]
    assert texts_to(lines, BOB, "notice") == [
        "REQ-1001 (Purchase requisition) expired after waiting more than 10 business days; it no longer needs"
        " your decision."
    ]
    (told,) = [line for line in lines if line["to"] == ALICE and line["kind"] == "card" and "expired" in line["text"]]
    assert "expired: it waited more than 10 business days for Bob Martin" in told["text"]
    assert told["card"]["buttons"] == ["resubmit"]
    assert texts_to(lines, BOB, "error") == [
        "REQ-1001 expired: nobody decided it in time, so there's nothing to decide."
    ]
    form = [line for line in lines if line["to"] == ALICE and line["text"].startswith("Here is REQ-1001 again")]
    assert form and form[0]["card"]["buttons"] == ["confirm", "edit", "cancel"]
    assert "Submitted REQ-1002 (Purchase requisition)." in texts_to(lines, ALICE, "reply")[-1]
    db = sqlite3.connect(tmp_path / "fd.db")
    audits = db.execute("SELECT actor FROM audit_events WHERE action = 'expired' AND request_ref = 'REQ-1001'")
    assert [row[0] for row in audits] == ["scheduler"]
    cancels = db.execute("SELECT payload FROM outbox WHERE topic = 'backend' AND idempotency_key = 'REQ-1001:cancel'")
    assert [json.loads(row[0])["op"] for row in cancels] == ["cancel"]
    assert db.execute("SELECT status FROM requests WHERE ref = 'REQ-1001'").fetchone() == ("expired",)
