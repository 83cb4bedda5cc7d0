"""Steps decided by several people (issue 13, item 6): `all_of` (one holder of each role) and
`any: N` (N different holders of a role). One decision per approver, however many press at once;
the first rejection ends the request; the stage is approved when all have approved, once."""

from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.core.events import Action, ActionName
from bot.core.replies import Outgoing
from bot.store.models import ApprovalStep, AuditEvent, Decision, Request
from tests.bot.helpers import FormParser, advance, make_app, press, run_steps, say
from tests.bot.test_engine import app_place

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "bot" / "data" / "demo_directory.yaml"
TWO_FINANCE = ROOT / "tests" / "scenarios" / "directory_two_finance.yaml"
ALICE, LENA, YUSUF, CHLOE, FRANK, DINA, BOB = (
    f"{n}@example.org"
    for n in ("alice.nguyen", "lena.berg", "yusuf.lindqvist", "chloe.reed", "frank.ito", "dina.ross", "bob.martin")
)
FORMS: dict[str, tuple[str, dict[str, Any]]] = {
    "big contract": ("contract_review", {"counterparty": "Qventus", "contract_type": "new", "contract_value": 275000}),
    "small contract": ("contract_review", {"counterparty": "Acme", "contract_type": "nda", "contract_value": 1000}),
    "workstation": (
        "purchase_requisition",
        {"item_description": "workstation", "quantity": 1, "estimated_cost": 8000, "cost_center": "CC-4410"},
    ),
}


def _app(database_url: str, lines: list[dict[str, Any]], **settings: Any) -> Any:
    app = make_app(database_url, lines, **settings)
    app.services.parser = FormParser(FORMS)
    return app


def _steps(app: Any) -> list[tuple[int, str, str, str | None]]:
    with app.db.transaction() as session:
        rows = session.scalars(select(ApprovalStep).order_by(ApprovalStep.seq))
        return [(s.seq, s.role, s.status, s.decided_by) for s in rows]


def _status(app: Any) -> str:
    with app.db.transaction() as session:
        return str(session.scalars(select(Request.status)).one())


def _press_at_once(app: Any, presses: list[tuple[str, ActionName, int]]) -> list[tuple[str, list[Outgoing]]]:
    barrier, results = threading.Barrier(len(presses)), []

    def go(n: int) -> None:
        person, action, step = presses[n]
        event = Action(person, app_place(person), action, request="REQ-1001", step=step, event_id=uuid.uuid4().hex)
        barrier.wait()
        results.append((person, app.engine.handle(event)))

    threads = [threading.Thread(target=go, args=(n,)) for n in range(len(presses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _any_two_finance(tmp_path: Path) -> str:
    """The shipped catalog with a purchase's Finance step needing two Finance approvers."""
    folder = tmp_path / "catalog"
    shutil.copytree(ROOT / "forms" / "catalog", folder)
    file = folder / "purchase_requisition.yaml"
    text = file.read_text(encoding="utf-8")
    old = '{role: finance, sla: 8h, when: "estimated_cost > 5000"}'
    assert old in text
    file.write_text(text.replace(old, '{role: finance, any: 2, sla: 8h, when: "estimated_cost > 5000"}'), "utf-8")
    return str(folder)


# -- all_of ----------------------------------------------------------------------------------------
def test_all_of_opens_both_steps_and_each_card_shows_who_has_approved(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(ALICE, "big contract"), press(ALICE, "confirm")])
    assert _steps(app) == [(1, "legal", "active", None), (2, "compliance", "active", None), (3, "cfo", "pending", None)]
    cards = [(line["to"], line["card"]["fields"]["Step"]) for line in lines if line["to"].startswith("#")]
    assert cards == [("#approvals-legal", "1 · Legal"), ("#approvals-compliance", "2 · Compliance")]
    submitted = next(line["text"] for line in lines if line["text"].startswith("Submitted REQ-1001"))
    assert "approval from Legal and Compliance, then CFO" in submitted
    lines.clear()
    run_steps(app, [press(LENA, "approve", request="REQ-1001", step=1)])
    assert _steps(app)[:3] == [
        (1, "legal", "approved", LENA),
        (2, "compliance", "active", None),
        (3, "cfo", "pending", None),
    ]
    legal = next(line for line in lines if line["to"] == "#approvals-legal")
    compliance = next(line for line in lines if line["to"] == "#approvals-compliance")
    assert legal["kind"] == "card_update" and legal["card"]["buttons"] == []  # her card loses its buttons
    assert compliance["kind"] == "card_update" and "approve" in compliance["card"]["buttons"]  # the others' stays open
    assert compliance["card"]["fields"]["Approved so far"] == "Lena Berg (Legal)"
    assert "Lena Berg approved REQ-1001. Still waiting for Compliance." in [line["text"] for line in lines]
    run_steps(app, [press(YUSUF, "approve", request="REQ-1001", step=2)])
    assert [s[2] for s in _steps(app)] == ["approved", "approved", "active"]
    run_steps(app, [press(CHLOE, "approve", request="REQ-1001", step=3)])
    assert _status(app) == "approved"


def test_a_small_contract_needs_legal_alone(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(ALICE, "small contract"), press(ALICE, "confirm"), press(LENA, "approve")])
    assert _steps(app) == [(1, "legal", "approved", LENA)]
    assert _status(app) == "approved"


def test_concurrent_approvals_of_a_stage_open_the_next_step_once(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(ALICE, "big contract"), press(ALICE, "confirm")])
    results = _press_at_once(app, [(LENA, ActionName.APPROVE, 1), (YUSUF, ActionName.APPROVE, 2)] * 2)
    assert [s[2] for s in _steps(app)] == ["approved", "approved", "active"]
    with app.db.transaction() as session:
        assert sorted(session.scalars(select(Decision.approver))) == [LENA, YUSUF]
        opened = [e for e in session.scalars(select(AuditEvent)) if e.action == "approved"]
        assert sorted(e.actor for e in opened) == [LENA, YUSUF]
    cfo_cards = [o for _person, out in results for o in out if o.to == "#approvals-cfo"]
    assert len(cfo_cards) <= 1  # posted through the outbox; at most one turn may have queued it
    notices = [o.text for _person, out in results for o in out if o.to == ALICE]
    assert sum(text.endswith("Next: CFO.") for text in notices) == 1
    assert sum("Still waiting for" in text for text in notices) == 1


def test_one_person_decides_one_step_of_a_stage_however_fast_they_press(database_url: str, tmp_path: Path) -> None:
    both = tmp_path / "directory.yaml"
    both.write_text(DEMO.read_text(encoding="utf-8").replace("roles: [legal]}", "roles: [legal, compliance]}"), "utf-8")
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines, directory=str(both))
    run_steps(app, [say(ALICE, "big contract"), press(ALICE, "confirm")])
    results = _press_at_once(app, [(LENA, ActionName.APPROVE, 1), (LENA, ActionName.APPROVE, 2)] * 3)
    # one decision is hers: Legal's, the one nobody else can decide (Yusuf holds Compliance too)
    assert _steps(app)[:2] == [(1, "legal", "approved", LENA), (2, "compliance", "active", None)]
    refusals = [o.text for _person, out in results for o in out if o.kind.value == "error"]
    assert len(refusals) == 5
    assert any("each approver decides once" in text for text in refusals)
    run_steps(app, [press(YUSUF, "approve", request="REQ-1001")])
    assert [s[2] for s in _steps(app)] == ["approved", "approved", "active"]


def test_the_first_rejection_ends_the_stage_and_the_request(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(ALICE, "big contract"), press(ALICE, "confirm")])
    lines.clear()
    run_steps(app, [press(YUSUF, "reject", request="REQ-1001", step=2, comment="sanctions check")])
    assert [s[2] for s in _steps(app)] == ["cancelled", "rejected", "cancelled"]
    assert _status(app) == "rejected"
    legal = next(line for line in lines if line["to"] == "#approvals-legal")
    assert legal["card"]["buttons"] == [] and legal["text"] == "Closed: Yusuf Lindqvist rejected REQ-1001."
    lines.clear()
    run_steps(app, [press(LENA, "approve", request="REQ-1001", step=1)])
    assert [line["kind"] for line in lines] == ["error"]


def test_reminders_go_to_the_members_still_to_decide(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(ALICE, "big contract"), press(ALICE, "confirm"), press(LENA, "approve", step=1)])
    lines.clear()
    run_steps(app, [advance("P2D")])  # past half of the 24 business-hour SLA
    reminded = {line["to"] for line in lines if line["kind"] == "reminder"}
    assert reminded == {YUSUF}  # the one still to decide (Lena, who has, hears nothing)


def test_a_typed_approval_finds_the_step_that_is_the_persons(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(ALICE, "big contract"), press(ALICE, "confirm")])
    run_steps(app, [press(YUSUF, "approve", request="REQ-1001")])  # no step named: the open one that is his
    assert _steps(app)[:2] == [(1, "legal", "active", None), (2, "compliance", "approved", YUSUF)]


# -- any: N ----------------------------------------------------------------------------------------
def test_any_two_needs_two_different_holders_pressing_at_once(database_url: str, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines, catalog=_any_two_finance(tmp_path), directory=str(TWO_FINANCE))
    run_steps(app, [say(ALICE, "workstation"), press(ALICE, "confirm"), press(BOB, "approve", step=1)])
    assert [s[1:3] for s in _steps(app)] == [("manager", "approved"), ("finance", "active"), ("finance", "active")]
    presses = [(FRANK, ActionName.APPROVE, 2), (DINA, ActionName.APPROVE, 2), (FRANK, ActionName.APPROVE, 3)]
    _press_at_once(app, presses * 2)
    steps = _steps(app)
    assert [s[2] for s in steps] == ["approved", "approved", "approved"]
    assert sorted(s[3] or "" for s in steps[1:]) == [DINA, FRANK]
    assert _status(app) == "approved"


def test_any_two_one_holder_twice_is_refused(database_url: str, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines, catalog=_any_two_finance(tmp_path), directory=str(TWO_FINANCE))
    run_steps(app, [say(ALICE, "workstation"), press(ALICE, "confirm"), press(BOB, "approve", step=1)])
    _press_at_once(app, [(FRANK, ActionName.APPROVE, 2)])
    [(_, out)] = _press_at_once(app, [(FRANK, ActionName.APPROVE, 3)])
    assert [o.kind.value for o in out] == ["error"] and "each approver decides once" in out[0].text
    [(_, out)] = _press_at_once(app, [(FRANK, ActionName.APPROVE, 2)])  # his own step again: already decided
    assert [o.kind.value for o in out] == ["error"] and "already approved by Frank Ito" in out[0].text
    _press_at_once(app, [(DINA, ActionName.APPROVE, 2)])  # a decided step's card: hers is the open one
    assert _status(app) == "approved"


def test_any_two_with_the_requester_among_the_holders_takes_the_backup(database_url: str, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    text = TWO_FINANCE.read_text(encoding="utf-8").replace(
        "    label: Finance\n", "    label: Finance\n    backup: chloe.reed@example.org\n", 1
    )
    directory = tmp_path / "directory.yaml"
    directory.write_text(text, "utf-8")
    app = _app(database_url, lines, catalog=_any_two_finance(tmp_path), directory=str(directory))
    FORMS["frank workstation"] = (
        "purchase_requisition",
        {"item_description": "workstation", "quantity": 1, "estimated_cost": 8000, "cost_center": "CC-1200"},
    )
    run_steps(app, [say(FRANK, "frank workstation"), press(FRANK, "confirm")])
    with app.db.transaction() as session:
        assignees = [s.assignee for s in session.scalars(select(ApprovalStep).order_by(ApprovalStep.seq))]
    assert assignees == [CHLOE, None, CHLOE] or assignees[1:] == [None, CHLOE]
    told = next(line["text"] for line in lines if line["text"].startswith("Submitted REQ-1001"))
    assert "Finance approval needs 2 people besides you, so Chloe Reed will be one of them." in told
