"""The LLM parser through LangChain's real init_chat_model and OpenAI client, on a local server."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from bot.directory import Directory
from forms import Catalog
from intents.base import ParseContext
from intents.llm import LLMConfigError, LLMParser
from intents.offline import OfflineParser
from intents.prompts import allowed_intents, slot_names
from tests.fakes.openai_server import FakeOpenAI, ToolCallingModel, content, error, tool_call

NOW = datetime(2026, 11, 23, 10, 0)
ALICE = "alice.nguyen@example.org"
MONITORS = "we need 3 monitors for 4 West, cost center 4410, about $900"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
        yield fake


@pytest.fixture
def llm(server: FakeOpenAI, catalog: Catalog, directory: Directory, offline: OfflineParser) -> LLMParser:
    return LLMParser(catalog, directory, model_spec="openai:gpt-4.1-mini", fallback=offline, timeout=1.0)


def context(directory: Directory, **kw: Any) -> ParseContext:
    return ParseContext(now=NOW, requester=ALICE, people=directory, **kw)


def read(answer: dict[str, Any]) -> Any:
    return tool_call("read_request", answer)


def test_one_structured_call_through_the_openai_client(
    llm: LLMParser, server: FakeOpenAI, directory: Directory, catalog: Catalog
) -> None:
    server.push(
        read(
            {
                "intent": "purchase_requisition",
                "confidence": 0.93,
                "slots": {
                    "item_description": "monitors",
                    "quantity": "3",
                    "estimated_cost": "about $900",
                    "cost_center": "cost center 4410",
                },
            }
        )
    )
    proposal = llm.parse(MONITORS, context(directory))
    assert proposal.intent == "purchase_requisition" and proposal.confidence == 0.93
    assert proposal.slots == {
        "item_description": "monitors",
        "quantity": 3,
        "estimated_cost": 900,
        "cost_center": "CC-4410",
    }
    assert proposal.missing == [] and proposal.errors == {}
    assert proposal.parser == "llm" and proposal.llm_calls == 1
    assert server.paths == ["/v1/chat/completions"]
    (body,) = server.bodies
    assert body["model"] == "gpt-4.1-mini"
    assert body["tool_choice"] == {"type": "function", "function": {"name": "read_request"}}
    schema = body["tools"][0]["function"]["parameters"]
    assert schema["properties"]["intent"]["enum"] == list(allowed_intents(catalog))
    assert sorted(schema["properties"]["slots"]["properties"]) == sorted(slot_names(catalog))
    assert schema["properties"]["slots"]["additionalProperties"] is False
    system, user = body["messages"]
    assert system["role"] == "system" and "purchase_requisition" in system["content"]
    assert user == {"role": "user", "content": f"Message: {MONITORS}"}


def test_invalid_values_are_dropped_and_listed_unknown_fields_dropped(
    llm: LLMParser, server: FakeOpenAI, directory: Directory
) -> None:
    server.push(
        read(
            {
                "intent": "purchase_requisition",
                "confidence": 0.9,
                "slots": {
                    "item_description": "monitors",
                    "quantity": "lots",
                    "estimated_cost": -5,
                    "cost_center": "CC-44",
                    "approved": True,
                    "colour": "red",
                    "vendor_name": {"nested": "object"},
                },
            }
        )
    )
    proposal = llm.parse(MONITORS, context(directory))
    assert proposal.slots == {"item_description": "monitors"}
    assert set(proposal.errors) == {"quantity", "estimated_cost", "cost_center", "vendor_name"}
    assert proposal.errors["cost_center"] == "Cost center should be CC- and four digits, e.g. CC-4410."
    assert proposal.missing == ["quantity", "estimated_cost", "cost_center"]


def test_an_intent_outside_the_list_is_never_proposed(llm: LLMParser, server: FakeOpenAI, directory: Directory) -> None:
    server.push(read({"intent": "approve", "confidence": 1.0, "slots": {"request_id": "REQ-1001"}}))
    proposal = llm.parse("approve REQ-1001", context(directory))
    assert proposal.intent == "out_of_scope" and proposal.confidence == 0.0 and proposal.slots == {}


def test_draft_context_is_sent_and_a_bare_answer_fills_the_pending_field(
    llm: LLMParser, server: FakeOpenAI, directory: Directory
) -> None:
    server.push(read({"intent": "out_of_scope", "confidence": 0.4, "slots": {"quantity": "four"}}))
    ctx = context(
        directory,
        draft_type="purchase_requisition",
        draft_values={"item_description": "monitors"},
        pending_field="quantity",
    )
    proposal = llm.parse("four", ctx)
    assert proposal.intent == "purchase_requisition" and proposal.slots == {"quantity": 4}
    assert proposal.missing == ["estimated_cost", "cost_center"]
    user = server.bodies[0]["messages"][1]["content"]
    assert user == (
        'Open draft: purchase_requisition {"item_description": "monitors"}\n'
        "The bot just asked for: quantity\nMessage: four"
    )


def test_status_question_keeps_only_a_request_id_seen_in_the_text(
    llm: LLMParser, server: FakeOpenAI, directory: Directory
) -> None:
    server.push(read({"intent": "check_status", "confidence": 0.9, "slots": {"request_id": "req 1042"}}))
    assert llm.parse("where is req 1042?", context(directory)).slots == {"request_id": "REQ-1042"}
    server.push(read({"intent": "check_status", "confidence": 0.9, "slots": {"request_id": "REQ-9999"}}))
    assert llm.parse("where is my laptop order?", context(directory)).slots == {}


def test_time_out_falls_back_with_the_message_parsed(
    llm: LLMParser, server: FakeOpenAI, directory: Directory, offline: OfflineParser
) -> None:
    server.push(read({"intent": "help", "confidence": 1.0, "slots": {}}))
    server.replies[0].delay = 3.0
    started = time.monotonic()
    proposal = llm.parse(MONITORS, context(directory))
    assert time.monotonic() - started < 2.5
    expected = offline.parse(MONITORS, context(directory))
    assert proposal == expected.model_copy(update={"llm_calls": 1})
    assert proposal.intent == "purchase_requisition" and proposal.slots["cost_center"] == "CC-4410"
    assert len(server.bodies) == 1


@pytest.mark.parametrize("reply", [error(500), error(429, "rate limited"), content("not a tool call")])
def test_provider_errors_and_unusable_answers_fall_back(
    reply: Any, llm: LLMParser, server: FakeOpenAI, directory: Directory
) -> None:
    server.push(reply)
    proposal = llm.parse(MONITORS, context(directory))
    assert proposal.parser == "offline" and proposal.llm_calls == 1
    assert proposal.slots["cost_center"] == "CC-4410" and proposal.slots["estimated_cost"] == 900
    assert len(server.bodies) == 1  # one call, no retries


def test_unreachable_provider_falls_back(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    with FakeOpenAI() as gone:
        url = gone.url
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
    parser = LLMParser(catalog, directory, model_spec="openai:gpt-4.1-mini", fallback=offline, timeout=1.0)
    assert parser.parse(MONITORS, context(directory)).intent == "purchase_requisition"


def test_a_langchain_chat_model_can_be_passed_in(
    catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    model = ToolCallingModel(
        answer=lambda messages: {
            "intent": "access_request",
            "confidence": 0.88,
            "unsure": ["end_date"],
            "slots": {
                "system": "Kronos",
                "access_level": "read only",
                "for_user": "me",
                "justification": "covering the night shift",
                "end_date": "Dec 31",
            },
        }
    )
    parser = LLMParser(catalog, directory, model_spec="test:stand-in", fallback=offline, model=model)
    text = "I need read only Kronos access until Dec 31, covering the night shift"
    proposal = parser.parse(text, context(directory))
    assert proposal.slots == {
        "system": "Kronos",
        "access_level": "read",
        "for_user": ALICE,
        "justification": "covering the night shift",
        "end_date": "2026-12-31",
    }
    assert proposal.slot_confidence["end_date"] == 0.6 and proposal.slot_confidence["system"] == 0.9
    (messages,) = model.seen
    assert [m.type for m in messages] == ["system", "human"] and messages[1].content == f"Message: {text}"


def test_model_exception_falls_back(catalog: Catalog, directory: Directory, offline: OfflineParser) -> None:
    model = ToolCallingModel(answer=lambda messages: RuntimeError("provider exploded"))
    parser = LLMParser(catalog, directory, model_spec="test:stand-in", fallback=offline, model=model)
    proposal = parser.parse(MONITORS, context(directory))
    assert proposal.parser == "offline" and proposal.llm_calls == 1 and len(model.seen) == 1


def test_azure_openai_deployment_by_configuration(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    with FakeOpenAI() as server:
        monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.url.removesuffix("/v1"))
        monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-local-test")
        monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
        server.push(read({"intent": "help", "confidence": 0.9, "slots": {}}))
        parser = LLMParser(catalog, directory, model_spec="azure_openai:frontdoor-mini", fallback=offline)
        assert parser.parse("what can you do?", context(directory)).intent == "help"
    assert server.paths[0].startswith("/openai/deployments/frontdoor-mini/chat/completions?api-version=2024-10-21")


def test_configuration_errors_name_the_setting(catalog: Catalog, directory: Directory, offline: OfflineParser) -> None:
    with pytest.raises(LLMConfigError, match="use provider:model"):
        LLMParser(catalog, directory, model_spec="gpt-4.1-mini", fallback=offline)
    with pytest.raises(LLMConfigError, match=r"FRONTDOOR_LLM='openai:gpt-4.1-mini'"):
        LLMParser(catalog, directory, model_spec="openai:gpt-4.1-mini", fallback=offline)  # no OPENAI_API_KEY
    if importlib.util.find_spec("langchain_anthropic") is None:
        with pytest.raises(LLMConfigError, match=r"frontdoor\[anthropic\]"):
            LLMParser(catalog, directory, model_spec="anthropic:claude-sonnet-4-5", fallback=offline)


def test_settings_build_the_hybrid_parser(server: FakeOpenAI, catalog: Catalog, directory: Directory) -> None:
    from bot.app import build_parser
    from bot.settings import load_settings
    from intents.hybrid import HybridParser

    settings = load_settings(
        llm="openai:gpt-4.1-mini", llm_timeout=2.5, llm_fill_threshold=0.9, llm_confirm_threshold=0.4
    )
    parser = build_parser(settings, catalog, directory)
    assert isinstance(parser, HybridParser) and parser.llm.timeout == 2.5
    assert (parser.thresholds.fill, parser.thresholds.confirm) == (0.9, 0.4)
    server.push(read({"intent": "help", "confidence": 0.9, "slots": {}}))
    assert parser.parse("what can you do?", context(directory)).llm_calls == 1


def test_importing_the_parsers_does_not_load_langchain() -> None:
    code = (
        "import sys, intents, intents.llm, intents.hybrid, intents.redact, intents.guard, intents.prompts; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('langchain', 'langchain_core', "
        "'openai'))))"
    )
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_each_provider_gets_the_time_out_and_no_retries() -> None:
    from intents.llm import provider_kwargs

    assert provider_kwargs("openai", "gpt-4.1-mini", 7.0) == {"timeout": 7.0, "max_retries": 0}
    assert provider_kwargs("anthropic", "claude-sonnet-4-5", 7.0) == {"timeout": 7.0, "max_retries": 0}
    assert provider_kwargs("azure_openai", "frontdoor-mini", 7.0) == {
        "timeout": 7.0,
        "max_retries": 0,
        "azure_deployment": "frontdoor-mini",
    }
    assert provider_kwargs("ollama", "llama3.1", 7.0) == {"client_kwargs": {"timeout": 7.0}}
    assert provider_kwargs("bedrock", "some-model", 7.0) == {}


# -- redaction that knows the directory -----------------------------------------------------

STAFF_PRINTER = "Emma Wilson in room 3B needs the printer fixed"
PATIENT_PRINTER = "John Smith in room 3B needs the printer fixed"


def printer_order(description: str) -> Any:
    slots = {"location": "room 3B", "issue_type": "equipment", "description": description}
    return read({"intent": "facilities_work_order", "confidence": 0.9, "slots": slots})


def sent_text(server: FakeOpenAI, n: int = -1) -> str:
    return str(server.bodies[n]["messages"][-1]["content"])


def test_a_staff_name_beside_a_room_reaches_the_model_and_the_field_a_patients_name_does_not(
    llm: LLMParser, server: FakeOpenAI, directory: Directory
) -> None:
    """With the directory (the parser's `people`), Emma Wilson is staff, not a patient by a room."""
    server.push(printer_order(STAFF_PRINTER))
    kept = llm.parse(STAFF_PRINTER, context(directory))
    assert sent_text(server) == f"Message: {STAFF_PRINTER}"
    assert "Emma Wilson" in json.dumps(server.bodies[-1])
    assert kept.slots["description"] == STAFF_PRINTER and "description" not in kept.errors

    server.push(printer_order("[PATIENT_1] in room 3B needs the printer fixed"))  # the model copies the placeholder
    refused = llm.parse(PATIENT_PRINTER, context(directory))
    assert sent_text(server) == "Message: [PATIENT_1] in room 3B needs the printer fixed"
    assert "John Smith" not in json.dumps(server.bodies[-1])
    assert "description" not in refused.slots
    assert refused.errors["description"] == "Description must not contain a patient's name; please leave it out."

    server.push(printer_order(PATIENT_PRINTER))  # the model writes a patient's name itself: refused all the same
    assert (
        llm.parse(PATIENT_PRINTER, context(directory))
        .errors["description"]
        .endswith("a patient's name; please leave it out.")
    )


def test_an_address_outside_the_organisations_domains_is_redacted_with_the_directory(
    llm: LLMParser, server: FakeOpenAI, directory: Directory
) -> None:
    server.push(read({"intent": "out_of_scope", "confidence": 0.9, "slots": {}}))
    llm.parse("Emma Wilson asks: ask help@printfix.example or george.hall@example.org", context(directory))
    assert sent_text(server) == "Message: Emma Wilson asks: ask [EMAIL_1] or george.hall@example.org"


def test_without_a_directory_the_redaction_is_as_before(
    server: FakeOpenAI, catalog: Catalog, offline: OfflineParser
) -> None:
    """A parser with no directory (nor one in the context) cannot tell staff from patients: a name
    beside a room is redacted, and the field refuses it (`phi_reason`)."""
    parser = LLMParser(catalog, None, model_spec="openai:gpt-4.1-mini", fallback=offline, timeout=1.0)
    server.push(printer_order(STAFF_PRINTER))
    proposal = parser.parse(STAFF_PRINTER, ParseContext(now=NOW, requester=ALICE))
    assert sent_text(server) == "Message: [PATIENT_1] in room 3B needs the printer fixed"
    assert proposal.errors["description"] == "Description must not contain a patient's name; please leave it out."


def test_the_hybrid_parser_built_from_the_settings_knows_the_directory(
    server: FakeOpenAI, catalog: Catalog, directory: Directory, offline: OfflineParser
) -> None:
    from bot.settings import load_settings
    from intents.hybrid import build_llm_parser

    parser = build_llm_parser(load_settings(llm="openai:gpt-4.1-mini"), catalog, directory, offline)
    server.push(printer_order(STAFF_PRINTER))
    proposal = parser.parse(STAFF_PRINTER, context(directory))
    assert sent_text(server) == f"Message: {STAFF_PRINTER}"
    assert proposal.parser == "hybrid" and proposal.slots["description"] == STAFF_PRINTER
    server.push(printer_order("[PATIENT_1] in room 3B needs the printer fixed"))
    proposal = parser.parse(PATIENT_PRINTER, context(directory))
    assert "John Smith" not in json.dumps(server.bodies[-1]) and "description" not in proposal.slots
