"""Segregation of duties without deadlock: the requester never decides their own request, and a
step that only the requester could decide goes, at submission, to someone else who may — the
role's backup, else its manager; a manager step whose manager is the requester's stand-in for now
goes up a level. The requester is told who, and the choice is audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.directory import DirectoryError, load_directory
from bot.store.models import ApprovalStep, AuditEvent, Request
from tests.bot.helpers import FormParser, make_app, press, run_steps, say

FRANK, CHLOE, PRIYA, OMAR, ALICE, BOB = (
    f"{n}@example.org" for n in ("frank.ito", "chloe.reed", "priya.shah", "omar.haddad", "alice.nguyen", "bob.martin")
)

FORMS: dict[str, tuple[str, dict[str, Any]]] = {
    "workstation": (
        "purchase_requisition",
        {"item_description": "finance workstation", "quantity": 1, "estimated_cost": 8000, "cost_center": "CC-1200"},
    ),
    "vendor": (
        "vendor_onboarding",
        {
            "vendor_name": "Acme Medical Supply",
            "tax_id": "12-3456789",
            "vendor_type": "supplier",
            "spend_category": "medical_supplies",
            "contact_email": "orders@acme.example.com",
            "legal_entity": "RMC",
        },
    ),
    "invoice": (
        "invoice_exception",
        {"invoice_number": "INV-88812", "vendor_name": "Medline", "amount": 4200, "exception_reason": "price_mismatch"},
    ),
    "close cc": (
        "cost_center_change",
        {"cost_center": "CC-1200", "change_type": "close", "effective_date": "2026-12-31"},
    ),
}


def _app(database_url: str, lines: list[dict[str, Any]]) -> Any:
    app = make_app(database_url, lines)
    app.services.parser = FormParser(FORMS)
    return app


def _steps(app: Any) -> list[tuple[str, str | None, str]]:
    with app.db.transaction() as session:
        return [
            (s.role, s.assignee, s.status) for s in session.scalars(select(ApprovalStep).order_by(ApprovalStep.seq))
        ]


@pytest.mark.parametrize(
    ("requester", "form", "role", "label", "stand_in", "name"),
    [
        (FRANK, "workstation", "finance", "Finance", CHLOE, "Chloe Reed"),
        (PRIYA, "vendor", "procurement", "Procurement", FRANK, "Frank Ito"),
        (OMAR, "invoice", "accounts_payable", "Accounts Payable", FRANK, "Frank Ito"),
        (FRANK, "close cc", "finance", "Finance", CHLOE, "Chloe Reed"),
    ],
)
def test_the_only_holder_of_a_role_has_their_request_decided_by_someone_else(
    database_url: str, requester: str, form: str, role: str, label: str, stand_in: str, name: str
) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(database_url, lines)
    run_steps(app, [say(requester, form), press(requester, "confirm")])
    told = [line["text"] for line in lines if line["to"] == requester and line["kind"] == "reply"]
    assert f"{label} approval will come from {name}, since you are {label}'s only approver." in told[-1]
    assert (role, stand_in, "pending") in _steps(app) or (role, stand_in, "active") in _steps(app)
    with app.db.transaction() as session:
        chosen = session.scalars(select(AuditEvent).where(AuditEvent.action == "approver_chosen")).one()
        assert chosen.detail == {"role": role, "approver": stand_in, "reason": "only_holder"}

    # every step is decided, by someone other than the requester: nothing waits for nobody
    for _ in range(3):
        open_steps = [s for s in _steps(app) if s[2] == "active"]
        if not open_steps:
            break
        step_role, assignee, _status = open_steps[0]
        if assignee is None:  # a role step another holder decides
            holders = [p.email for p in app.services.directory.holders(step_role, "RMC") if p.email != requester]
            assignee = holders[0]
        run_steps(
            app, [press(requester, "approve", request="REQ-1001"), press(assignee, "approve", request="REQ-1001")]
        )
    with app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() == "approved"
    refused = [line["text"] for line in lines if line["to"] == requester and line["kind"] == "error"]
    assert refused and all("your own request" in text for text in refused)
    app.db.dispose()


def test_a_manager_step_whose_manager_stands_in_for_nobody_but_the_requester_goes_up(database_url: str) -> None:
    """Bob, Alice's manager, has handed his approvals to Alice while he is away: her own request's
    manager step goes to Bob's manager, Carol, instead of waiting for Bob."""
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(BOB, "delegate my approvals to alice.nguyen@example.org until Dec 20"),
            say(ALICE, "buy 2 x monitors for cc-4410 $600"),
            press(ALICE, "confirm"),
        ],
    )
    told = [line["text"] for line in lines if line["to"] == ALICE and line["kind"] == "reply"]
    assert "Manager approval will come from Carol Diaz, since Bob Martin's approvals are with you for now." in told[-1]
    assert _steps(app)[0] == ("manager", "carol.diaz@example.org", "active")
    run_steps(app, [press("carol.diaz@example.org", "approve", request="REQ-1001")])
    with app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() == "approved"
    app.db.dispose()


def test_a_role_with_other_holders_stays_the_roles(database_url: str, tmp_path: Path) -> None:
    source = Path(__file__).parents[2] / "bot" / "data" / "demo_directory.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "roles: [cfo]}", "roles: [cfo, finance]}"
    )  # Chloe holds Finance too
    directory = tmp_path / "two_finance.yaml"
    directory.write_text(text, encoding="utf-8")
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, directory=directory)
    app.services.parser = FormParser(FORMS)
    run_steps(app, [say(FRANK, "workstation"), press(FRANK, "confirm")])
    assert ("finance", None, "pending") in _steps(app)
    assert not any("only approver" in line["text"] for line in lines)
    app.db.dispose()


def test_a_backup_who_is_not_in_the_directory_is_refused_naming_the_file(tmp_path: Path) -> None:
    source = Path(__file__).parents[2] / "bot" / "data" / "demo_directory.yaml"
    broken = tmp_path / "directory.yaml"
    broken.write_text(
        source.read_text(encoding="utf-8").replace("backup: chloe.reed@example.org}", "backup: nobody@example.org}", 1),
        encoding="utf-8",
    )
    with pytest.raises(DirectoryError, match=r"directory\.yaml:\d+: roles\.finance: backup nobody@example\.org"):
        load_directory(broken)


def test_roles_with_one_holder_and_no_backup_are_named(tmp_path: Path) -> None:
    assert load_directory().lonely_roles() == []  # the demo organisation names a backup for each
    source = Path(__file__).parents[2] / "bot" / "data" / "demo_directory.yaml"
    lonely = tmp_path / "directory.yaml"
    lonely.write_text(
        source.read_text(encoding="utf-8").replace(", backup: frank.ito@example.org}", "}"), encoding="utf-8"
    )
    assert load_directory(lonely).lonely_roles() == ["accounts_payable", "cfo", "procurement"]


def test_catalog_validate_checks_the_approval_roles_against_the_directory(tmp_path: Path) -> None:
    from tests.bot.test_cli import run

    source = Path(__file__).parents[2] / "bot" / "data" / "demo_directory.yaml"
    lonely = tmp_path / "lonely.yaml"
    lonely.write_text(source.read_text(encoding="utf-8").replace(", backup: frank.ito@example.org}", "}"), "utf-8")
    warned = run("catalog", "validate", "--directory", str(lonely))
    assert warned.returncode == 0 and "warning: Procurement has one holder and no backup" in warned.stderr
    nobody = tmp_path / "nobody.yaml"
    nobody.write_text(source.read_text(encoding="utf-8").replace(", roles: [legal]}", "}"), "utf-8")
    refused = run("catalog", "validate", "--directory", str(nobody))
    assert refused.returncode == 1 and "roles.legal: nobody holds the role" in refused.stderr
