"""`frontdoor parse --jsonl` and `frontdoor eval` as interfaces.md says, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.openai_server import FakeOpenAI, Reply, tool_call

LINES = [
    {
        "id": "p1",
        "text": "we need 3 monitors for 4 West, cost center 4410, about $900",
        "now": "2026-11-23T10:00:00",
        "requester": "alice.nguyen@example.org",
        "intent": "purchase_requisition",
        "slots": {"quantity": 3, "cost_center": "CC-4410", "estimated_cost": 900},
    },
    {
        "id": "p2",
        "text": "the sink in the 2nd floor break room is leaking",
        "now": "2026-11-23T10:00:00",
        "requester": "alice.nguyen@example.org",
        "intent": "facilities_work_order",
        "slots": {"issue_type": "plumbing", "location": "2nd floor break room"},
    },
    {
        "id": "p3",
        "text": "Necesitamos 6 sillas, centro de costos 5120, unos 1.200 dólares",
        "now": "2026-11-23T10:00:00",
        "requester": "emma.wilson@example.org",
        "intent": "purchase_requisition",
        "slots": {"quantity": 6, "cost_center": "CC-5120", "estimated_cost": 1200},
    },
    {
        "id": "p4",
        "text": "what's the weather like tomorrow?",
        "now": "2026-11-23T10:00:00",
        "requester": "alice.nguyen@example.org",
        "intent": "out_of_scope",
        "slots": {},
    },
    {
        "id": "p5",
        "text": "status of REQ-1042?",
        "now": "2026-11-23T10:00:00",
        "requester": "alice.nguyen@example.org",
        "intent": "check_status",
        "slots": {"request_id": "REQ-1042"},
    },
]
KEYS = {"id", "intent", "slots", "confidence", "missing", "ms"}


def _env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no FRONTDOOR_ or provider settings unless given."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FRONTDOOR_", "OPENAI_", "AZURE_OPENAI_", "ANTHROPIC_", "OLLAMA_"))
    }
    return {**keep, **extra}


def frontdoor(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    code = "import sys; from bot.cli import main; sys.argv[0] = 'frontdoor'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in LINES), encoding="utf-8")
    return path


def test_parse_prints_one_prediction_per_line(labelled: Path, tmp_path: Path) -> None:
    done = frontdoor("parse", "--jsonl", str(labelled), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in out] == ["p1", "p2", "p3", "p4", "p5"]
    assert all(set(line) == KEYS for line in out)
    assert all(0.0 <= line["confidence"] <= 1.0 and line["ms"] >= 0 for line in out)
    first, sink, spanish, weather, status = out
    assert first["intent"] == "purchase_requisition"
    assert first["slots"] == {"quantity": 3, "cost_center": "CC-4410", "estimated_cost": 900}
    assert first["missing"] == ["item_description"]
    assert sink["intent"] == "facilities_work_order" and "priority" not in sink["slots"]  # a default is not a slot
    assert "priority" not in sink["missing"]
    assert spanish["slots"]["estimated_cost"] == 1200
    assert weather["intent"] == "out_of_scope" and weather["slots"] == {} and weather["missing"] == []
    assert status == {**status, "intent": "check_status", "slots": {"request_id": "REQ-1042"}}


def test_eval_prints_the_figures(labelled: Path, tmp_path: Path) -> None:
    done = frontdoor("eval", str(labelled), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    for words in (
        "5 messages",
        "intent accuracy        1.000",
        "out-of-scope precision 1.000   recall 1.000",
        "slots precision",
        "F1",
        "latency ms             p50",
        "p99",
        "LLM calls per message  0.00",
    ):
        assert words in text, text
    figures = json.loads(frontdoor("eval", str(labelled), "--json", cwd=tmp_path).stdout)
    assert {
        "intent_accuracy",
        "oos_precision",
        "oos_recall",
        "slot_precision",
        "slot_recall",
        "slot_f1",
        "latency_ms_p50",
        "latency_ms_p99",
        "llm_calls_per_message",
    } <= set(figures)
    assert figures["intent_accuracy"] == 1.0 and figures["llm_calls_per_message"] == 0.0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("parse", "--jsonl", "missing.jsonl"), "no such file"),
        (("eval", "missing.jsonl"), "no such file"),
        (("eval", "LABELLED", "--parser", "magic"), "--parser is offline or llm"),
        (("parse", "--jsonl", "LABELLED", "--parser", "llm"), "FRONTDOOR_LLM"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: tuple[str, ...], says: str, labelled: Path, tmp_path: Path) -> None:
    done = frontdoor(*(str(labelled) if a == "LABELLED" else a for a in args), cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def _reads(body: dict[str, Any]) -> Reply:
    """A model that reads every message as a purchase of three monitors (right for p1 only)."""
    slots = {"quantity": "3", "cost_center": "CC-4410", "estimated_cost": "$900"}
    return tool_call("read_request", {"intent": "purchase_requisition", "confidence": 0.9, "slots": slots})


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=_reads) as fake:
        yield fake


def test_eval_with_the_llm_parser_makes_one_call_per_message(
    labelled: Path, tmp_path: Path, server: FakeOpenAI
) -> None:
    env = _env(FRONTDOOR_LLM="openai:gpt-4.1-mini", OPENAI_BASE_URL=server.url, OPENAI_API_KEY="sk-local-test")
    done = frontdoor("eval", str(labelled), "--parser", "llm", "--json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["llm_calls_per_message"] == 1.0 and len(server.bodies) == len(LINES)
    assert figures["intent_accuracy"] < 1.0  # the stand-in model's readings were used, checked, not replaced
    lines = frontdoor("parse", "--jsonl", str(labelled), "--parser", "llm", cwd=tmp_path, env=env).stdout
    first = json.loads(lines.splitlines()[0])
    assert set(first) == KEYS and first["slots"] == {"quantity": 3, "cost_center": "CC-4410", "estimated_cost": 900}


def test_the_command_line_starts_without_the_model_libraries(tmp_path: Path) -> None:
    code = (
        "import sys, bot.cli, intents.evaluate, intents.offline; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'langchain', 'langchain_core', 'openai', "
        "'langchain_openai', 'anthropic', 'ollama'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
    assert frontdoor("--help", cwd=tmp_path).returncode == 0
