"""The shipped catalog, broken catalogs, and approval policy conditions."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms import CatalogError, load_catalog
from forms.conditions import ConditionError, parse_condition

SPEC_IDS = {
    "vendor_onboarding",
    "purchase_requisition",
    "employee_change",
    "access_request",
    "invoice_exception",
    "facilities_work_order",
    "cost_center_change",
    "contract_review",
    "equipment_maintenance",
    "employee_onboarding",
}


def test_shipped_catalog_has_the_ten_types() -> None:
    catalog = load_catalog()
    assert set(catalog.ids) == SPEC_IDS
    pr = catalog.get("purchase_requisition")
    assert [f.name for f in pr.required] == ["item_description", "quantity", "estimated_cost", "cost_center"]


@pytest.mark.parametrize(
    ("type_id", "values", "roles"),
    [
        ("purchase_requisition", {"estimated_cost": 900}, ["manager"]),
        ("purchase_requisition", {"estimated_cost": 5000}, ["manager"]),
        ("purchase_requisition", {"estimated_cost": 5000.01}, ["manager", "finance"]),
        ("purchase_requisition", {"estimated_cost": 60000}, ["manager", "finance", "cfo"]),
        ("vendor_onboarding", {}, ["procurement"]),
        ("vendor_onboarding", {"estimated_annual_spend": 250000}, ["procurement", "finance"]),
        ("access_request", {"access_level": "write"}, ["manager"]),
        ("access_request", {"access_level": "admin"}, ["manager", "security"]),
        ("invoice_exception", {"amount": 10001}, ["accounts_payable", "finance"]),
        ("contract_review", {"contract_value": 275000}, ["all_of(legal, compliance)", "cfo"]),
        ("contract_review", {}, ["legal"]),
        ("facilities_work_order", {"priority": "urgent"}, []),
        ("employee_onboarding", {}, ["hr", "it"]),
        ("cost_center_change", {}, ["finance", "hr"]),
    ],
)
def test_policy(type_id: str, values: dict[str, object], roles: list[str]) -> None:
    assert [s.summary for s in load_catalog().approval_chain(type_id, values)] == roles


def test_response_sla() -> None:
    catalog = load_catalog()
    assert catalog.response_hours("facilities_work_order", {"priority": "emergency"}) == 1
    assert catalog.response_hours("equipment_maintenance", {"priority": "low"}) == 72
    assert catalog.response_hours("purchase_requisition", {}) is None


def test_conditions_are_not_eval() -> None:
    cond = parse_condition("amount > 100 and kind in ['a', 'b'] or not flag", frozenset({"amount", "kind", "flag"}))
    assert cond({"amount": 101, "kind": "a", "flag": True})
    assert not cond({"amount": None, "kind": "a", "flag": True})
    for bad in ("__import__('os').system('x')", "amount.real > 1", "f(x)", "amount + 1 > 2"):
        with pytest.raises(ConditionError):
            parse_condition(bad, frozenset({"amount"}))


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cat"
    path.mkdir()
    (path / "thing.yaml").write_text(body)
    return path


GOOD = """
id: thing
title: Thing
description: A thing.
fields:
  - {name: size, kind: integer, required: true}
approvals:
  - {role: manager, sla: 8h, when: "size > 3"}
"""


def test_user_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(_write(tmp_path, GOOD))
    assert catalog.ids == ("thing",)
    assert catalog.get("thing").approvals[0].sla_hours == 8


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (("kind: integer", "kind: bignum"), "field size"),
        (('when: "size > 3"', 'when: "colour > 3"'), "approvals[0].when"),
        (("sla: 8h", "sla: soon"), "approvals"),
        (("name: size", "name: Size"), "type thing"),
    ],
)
def test_broken_catalog_names_file_type_and_field(tmp_path: Path, change: tuple[str, str], where: str) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    message = str(caught.value)
    assert "thing.yaml" in message and "type thing" in message and where in message


def test_model_of_a_type() -> None:
    model = load_catalog().model("purchase_requisition")
    schema = model.model_json_schema()
    assert set(schema["required"]) == {"item_description", "quantity", "estimated_cost", "cost_center"}
