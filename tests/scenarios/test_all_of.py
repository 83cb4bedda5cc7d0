"""Steps decided by several through the local chat: an `all_of` step (Legal and Compliance both
approve a $275,000 contract: each card shows who has approved, a decided card loses its buttons,
an approver decides once; then the CFO) and an `any: 2` step (two Finance approvers)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.scenarios.test_transcripts import HERE, chat, texts_to

ROOT = HERE.parents[1]
ALICE, LENA, FRANK = "alice.nguyen@example.org", "lena.berg@example.org", "frank.ito@example.org"


def test_legal_and_compliance_both_approve_then_the_cfo(tmp_path: Path) -> None:
    lines = chat("all_of_contract.jsonl", tmp_path)
    posted = [
        (line["to"], line["card"]["fields"]["Step"]) for line in lines if line["kind"] == "card" and line["request"]
    ]
    assert posted == [
        ("#approvals-legal", "1 · Legal"),
        ("#approvals-compliance", "2 · Compliance"),
        ("#approvals-cfo", "3 · CFO"),
    ]
    heard = texts_to(lines, ALICE, "notice", "reply")
    assert heard[0].startswith(
        "Submitted REQ-1001 (Contract review). It needs approval from Legal and Compliance, then CFO."
    )
    assert heard[1:4] == [
        "Lena Berg approved REQ-1001. Still waiting for Compliance.",
        "Yusuf Lindqvist approved REQ-1001. Next: CFO.",
        "Chloe Reed approved REQ-1001. It is fully approved and on its way to the service team.",
    ]
    first = [line for line in lines if line["kind"] == "card_update" and line["to"].startswith("#approvals-")][:2]
    assert first[0]["to"] == "#approvals-legal" and first[0]["card"]["buttons"] == []
    assert first[1]["to"] == "#approvals-compliance" and "approve" in first[1]["card"]["buttons"]
    assert first[1]["card"]["fields"]["Approved so far"] == "Lena Berg (Legal)"
    assert texts_to(lines, LENA, "error") == ["REQ-1001 was already approved by Lena Berg at Mon Nov 23 10:00."]
    cfo = next(line for line in lines if line["kind"] == "card" and line["to"] == "#approvals-cfo")
    assert "Approved so far" not in cfo["card"]["fields"]  # a step decided alone


def test_any_two_finance_approvers_and_the_backend_waits_for_both(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(ROOT / "forms" / "catalog", folder)
    file = folder / "purchase_requisition.yaml"
    old = '{role: finance, sla: 8h, when: "estimated_cost > 5000"}'
    file.write_text(file.read_text(encoding="utf-8").replace(old, old.replace("sla: 8h", "any: 2, sla: 8h")), "utf-8")
    env = {"FRONTDOOR_CATALOG": str(folder), "FRONTDOOR_DIRECTORY": str(HERE / "directory_two_finance.yaml")}
    lines = chat("any_two_finance.jsonl", tmp_path, **env)
    heard = texts_to(lines, ALICE, "notice", "reply")
    assert "It needs approval from your manager (Bob Martin), then 2 Finance approvers." in heard[0]
    assert heard[1:] == [
        "Bob Martin approved REQ-1001. Next: Finance.",
        "Frank Ito approved REQ-1001. Still waiting for Finance.",
        "Dina Ross approved REQ-1001. It is fully approved and on its way to the service team.",
        "Update on REQ-1001: it is now in progress.",  # the backend waited for both Finance decisions
        "Update on REQ-1001: it has been fulfilled.",
    ]
    assert texts_to(lines, FRANK, "error") == ["REQ-1001 was already approved by Frank Ito at Mon Nov 23 10:00."]
