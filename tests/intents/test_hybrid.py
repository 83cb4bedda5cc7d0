"""The hybrid parser: certain values cross-checked with the offline parser; thresholds decide."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.directory import Directory, load_directory
from bot.settings import load_settings
from forms import Catalog
from intents.base import ParseContext, Proposal
from intents.hybrid import HybridParser, Thresholds, decide
from intents.llm import LLMParser
from intents.offline import OfflineParser
from tests.bot.helpers import START, run_steps
from tests.fakes.openai_server import FakeOpenAI, ToolCallingModel, error, tool_call

NOW = datetime(2026, 11, 23, 10, 0)
ALICE = "alice.nguyen@example.org"
MONITORS = "we need 3 monitors for 4 West, cost center 4410, about $900"


def purchase(**slots: Any) -> dict[str, Any]:
    base = {"item_description": "monitors", "quantity": 3, "estimated_cost": "$900", "cost_center": "CC-4410"}
    unsure = slots.pop("unsure", [])
    return {"intent": "purchase_requisition", "confidence": 0.9, "slots": {**base, **slots}, "unsure": unsure}


def hybrid(
    catalog: Catalog,
    directory: Directory,
    offline: OfflineParser,
    answer: Callable[..., Any],
    thresholds: Thresholds | None = None,
) -> HybridParser:
    model = ToolCallingModel(answer=answer)
    llm = LLMParser(catalog, directory, model_spec="test:stand-in", fallback=offline, model=model)
    return HybridParser(llm, offline, thresholds)


def parse(parser: HybridParser, text: str = MONITORS) -> Proposal:
    return parser.parse(text, ParseContext(now=NOW, requester=ALICE, people=DIRECTORY))


DIRECTORY = load_directory()


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [
        (1.0, "fill"),
        (0.8, "fill"),
        (0.79, "confirm"),
        (0.5, "confirm"),
        (0.49, "ask"),
        (0.0, "ask"),
    ],
)
def test_decide_with_default_thresholds(confidence: float, expected: str) -> None:
    assert decide(confidence, Thresholds()) == expected


def test_decide_with_other_thresholds_and_invalid_ones() -> None:
    assert decide(0.6, Thresholds(fill=0.6, confirm=0.3)) == "fill"
    assert decide(0.6, Thresholds(fill=0.9, confirm=0.7)) == "ask"
    with pytest.raises(ValueError, match="confirm <= fill"):
        Thresholds(fill=0.4, confirm=0.6)


def test_agreement_fills_with_full_confidence(catalog: Catalog, directory: Directory, offline: OfflineParser) -> None:
    proposal = parse(hybrid(catalog, directory, offline, lambda m: purchase()))
    assert proposal.intent == "purchase_requisition" and proposal.parser == "hybrid" and proposal.llm_calls == 1
    assert proposal.slots == {
        "item_description": "monitors",
        "quantity": 3,
        "estimated_cost": 900,
        "cost_center": "CC-4410",
    }
    assert proposal.slot_confidence["cost_center"] == 1.0 and proposal.slot_confidence["estimated_cost"] == 1.0
    assert proposal.errors == {} and proposal.missing == []


def test_a_disagreement_on_a_cost_center_is_asked_not_guessed(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    proposal = parse(hybrid(catalog, directory, offline, lambda m: purchase(cost_center="CC-4401")))
    assert "cost_center" not in proposal.slots
    assert proposal.slot_confidence["cost_center"] < 0.5
    assert proposal.errors == {"cost_center": "I read the cost center as CC-4410 but also as CC-4401 — which is it?"}
    assert proposal.missing == ["cost_center"]
    assert proposal.slots["estimated_cost"] == 900


def test_a_disagreement_on_an_amount_is_asked(catalog: Catalog, directory: Directory, offline: OfflineParser) -> None:
    proposal = parse(hybrid(catalog, directory, offline, lambda m: purchase(estimated_cost="9000")))
    assert "estimated_cost" not in proposal.slots
    assert proposal.errors["estimated_cost"] == ("I read the estimated cost as $900 but also as $9,000 — which is it?")


def test_thresholds_decide_between_fill_confirm_and_ask(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    def answer(messages: Any) -> dict[str, Any]:
        return purchase(justification="flickering screens", unsure=["justification"])

    text = MONITORS + "; the screens flicker"
    default = parse(hybrid(catalog, directory, offline, answer), text)
    assert default.slots["justification"] == "flickering screens"  # confirm: kept, marked less sure
    assert default.slot_confidence["justification"] == 0.6 and "justification" not in default.errors
    strict = parse(hybrid(catalog, directory, offline, answer, Thresholds(fill=0.9, confirm=0.7)), text)
    assert "justification" not in strict.slots
    assert strict.errors["justification"] == ("I'm not sure I read the justification right; what is it?")
    assert strict.slots["cost_center"] == "CC-4410"  # agreed values are filled whatever the thresholds


def test_an_ungrounded_code_from_the_model_is_asked(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    text = "we need 3 monitors for 4 West, about $900"
    proposal = parse(hybrid(catalog, directory, offline, lambda m: purchase(cost_center="CC-4410")), text)
    assert "cost_center" not in proposal.slots and proposal.slot_confidence["cost_center"] == 0.3
    assert "cost center" in proposal.errors["cost_center"]


def test_a_value_only_the_offline_parser_found_is_kept(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    def answer(messages: Any) -> dict[str, Any]:
        reading = purchase()
        del reading["slots"]["cost_center"]
        return reading

    proposal = parse(hybrid(catalog, directory, offline, answer))
    assert proposal.slots["cost_center"] == "CC-4410" and proposal.slot_confidence["cost_center"] >= 0.8


def test_protected_data_in_a_reply_is_refused_by_both_readings(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    text = "the TV of patient John Smith keeps turning off"
    ctx = ParseContext(
        now=NOW,
        requester=ALICE,
        people=directory,
        draft_type="facilities_work_order",
        draft_values={"location": "room 412", "issue_type": "electrical"},
        pending_field="description",
    )
    read = offline.parse(text, ctx)  # the offline parser refuses it too, and says why
    assert "description" not in read.slots and read.errors["description"].startswith("Description must not contain")
    answer = {"intent": "out_of_scope", "confidence": 0.5, "slots": {}}  # the model read nothing
    proposal = hybrid(catalog, directory, offline, lambda m: answer).parse(text, ctx)
    assert proposal.intent == "facilities_work_order" and "description" not in proposal.slots
    assert proposal.errors["description"] == "Description must not contain a patient's name; please leave it out."


def test_a_refused_model_intent_leaves_the_offline_reading(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    proposal = parse(hybrid(catalog, directory, offline, lambda m: {"intent": "approve", "slots": {}}))
    assert proposal.intent == "purchase_requisition" and proposal.parser == "offline" and proposal.llm_calls == 1


def test_provider_failure_leaves_the_offline_reading(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
        llm = LLMParser(catalog, directory, model_spec="openai:gpt-4.1-mini", fallback=offline, timeout=1.0)
        parser = HybridParser(llm, offline)
        server.push(error(500))
        failed = parse(parser)
        server.push(tool_call("read_request", purchase(cost_center="cc 4401")))
        disagreed = parse(parser)
    assert failed.intent == "purchase_requisition" and failed.slots["cost_center"] == "CC-4410"
    assert failed.llm_calls == 1 and failed.parser == "offline"
    assert disagreed.errors["cost_center"].startswith("I read the cost center as CC-4410 but also as CC-4401")


def test_status_question_takes_the_request_id_the_model_missed(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    parser = hybrid(catalog, directory, offline, lambda m: {"intent": "check_status", "confidence": 0.9, "slots": {}})
    proposal = parse(parser, "what's the status of REQ-1042?")
    assert proposal.intent == "check_status" and proposal.slots == {"request_id": "REQ-1042"}


def test_the_engine_asks_the_user_about_a_disagreement(
    tmp_path: Path, catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    lines: list[dict[str, Any]] = []
    parser = hybrid(catalog, directory, offline, lambda m: purchase(cost_center="CC-4401"))
    app = App(
        load_settings(database_url=f"sqlite:///{tmp_path / 'fd.db'}"),
        clock=ManualClock(START),
        channels={"local": LocalChannel(lines.append)},
        parser=parser,
    )
    app.migrate()
    run_steps(app, ['{"as": "alice.nguyen@example.org", "say": "' + MONITORS + '"}'])
    (reply,) = lines
    assert "I read the cost center as CC-4410 but also as CC-4401 — which is it?" in reply["text"]
    assert reply["card"] is None
