"""Escalation that can act: where the catalog allows it for a step (`escalation_may_decide`), the
escalation's manager gets the decision buttons beside Reassign, and their decision counts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.bot.helpers import advance, make_app, press, run_steps, say

ALICE, BOB, CAROL = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "carol.diaz"))
CATALOG = Path(__file__).parents[2] / "forms" / "catalog"


def _catalog(tmp_path: Path, allowed: bool) -> str:
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    path = folder / "purchase_requisition.yaml"
    data = yaml.safe_load(path.read_text())
    data["approvals"][0]["escalation_may_decide"] = allowed  # the manager step
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(folder)


def _escalated(database_url: str, tmp_path: Path, allowed: bool) -> tuple[Any, list[dict[str, Any]]]:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, catalog=_catalog(tmp_path, allowed), quiet_hours="off")
    run_steps(app, [say(ALICE, "buy 2 x pumps for cc-4410 $900"), press(ALICE, "confirm"), advance("P3D")])
    return app, lines


def test_the_escalation_may_decide_where_the_catalog_allows_it(database_url: str, tmp_path: Path) -> None:
    app, lines = _escalated(database_url, tmp_path, allowed=True)
    (escalation,) = [line for line in lines if line["kind"] == "escalation"]
    assert escalation["to"] == CAROL  # Bob's manager
    assert escalation["card"]["buttons"] == ["approve", "reject", "request_info"]  # nobody else to give it to
    assert escalation["text"].endswith("Could you follow up, or decide it yourself?")
    run_steps(app, [press(CAROL, "approve", request="REQ-1001")])
    assert any(line["to"] == ALICE and line["text"].startswith("Carol Diaz approved REQ-1001") for line in lines)


def test_without_the_catalogs_leave_the_escalation_reassigns_but_does_not_decide(
    database_url: str, tmp_path: Path
) -> None:
    app, lines = _escalated(database_url, tmp_path, allowed=False)
    (escalation,) = [line for line in lines if line["kind"] == "escalation"]
    assert escalation["card"]["buttons"] == ["reassign"]  # to herself: Bob's manager may take it over
    run_steps(app, [press(CAROL, "approve", request="REQ-1001")])
    assert lines[-1]["text"] == "Only Bob Martin can decide this step of REQ-1001."
    run_steps(
        app, [press(CAROL, "reassign", request="REQ-1001", to=CAROL), press(CAROL, "approve", request="REQ-1001")]
    )
    assert any(line["to"] == ALICE and line["text"].startswith("Carol Diaz approved REQ-1001") for line in lines)
