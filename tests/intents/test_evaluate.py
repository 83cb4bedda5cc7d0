"""Evaluation: the parse line format, the scoring rules, and the offline parser's bars."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from bot.directory import load_directory
from forms import load_catalog
from forms.kinds import standard
from intents.base import ParseContext, Proposal
from intents.evaluate import context_of, evaluate, format_json, format_report, parse_file, read_lines, same_value
from intents.offline import OfflineParser
from tests.conftest import DATA_DIR, needs_shared

DEV = DATA_DIR / "intents-dev.jsonl"
CLINC = DATA_DIR / "clinc150-oos-val.jsonl"
HELDOUT = Path(__file__).parent / "data" / "heldout.jsonl"
PROBE = Path(__file__).parent / "data" / "probe.jsonl"
FRESH = Path(__file__).parent / "data" / "fresh.jsonl"


@pytest.fixture(scope="module")
def parser() -> OfflineParser:
    return OfflineParser(load_catalog(), load_directory())


class Scripted:
    """A parser that answers from a table, to test the scoring itself."""

    name = "scripted"

    def __init__(self, answers: dict[str, Proposal]) -> None:
        self.answers = answers
        self.seen: list[ParseContext] = []

    def parse(self, text: str, context: ParseContext) -> Proposal:
        self.seen.append(context)
        return self.answers[text]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {
        "id": "a",
        "text": "one",
        "now": "2026-11-23T10:00:00",
        "requester": "x@example.org",
        "intent": "purchase_requisition",
        "slots": {"quantity": 3, "estimated_cost": 900, "vendor_name": "Medline"},
    },
    {
        "id": "b",
        "text": "two",
        "now": "2026-12-01T08:30:00",
        "requester": "y@example.org",
        "intent": "out_of_scope",
        "slots": {},
    },
    {"id": "c", "text": "three", "now": "2026-11-23T10:00:00", "intent": "help", "slots": {}},
]
ANSWERS = {
    "one": Proposal(
        intent="purchase_requisition",
        confidence=0.9,
        missing=["cost_center"],
        slots={"quantity": 3, "estimated_cost": 900.0, "vendor_name": "MEDLINE", "cost_center": "CC-1"},
    ),
    "two": Proposal(intent="out_of_scope", confidence=0.8),
    "three": Proposal(intent="out_of_scope", confidence=0.6),
}


def test_parse_file_line_format(tmp_path: Path) -> None:
    scripted = Scripted(ANSWERS)
    lines = list(parse_file(_write(tmp_path / "in.jsonl", ROWS), scripted))
    assert [set(line) for line in lines] == [{"id", "intent", "slots", "confidence", "missing", "ms"}] * 3
    assert lines[0]["id"] == "a" and lines[0]["missing"] == ["cost_center"] and lines[0]["ms"] >= 0
    assert scripted.seen[1].now.isoformat() == "2026-12-01T08:30:00"
    assert scripted.seen[1].requester == "y@example.org"


def test_scoring(tmp_path: Path) -> None:
    report = evaluate(_write(tmp_path / "in.jsonl", ROWS), Scripted(ANSWERS), load_catalog())
    assert report["messages"] == 3
    assert report["intent_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["oos_precision"] == 0.5 and report["oos_recall"] == 1.0
    assert report["slot_precision"] == 0.75 and report["slot_recall"] == 1.0
    assert report["slot_f1"] == pytest.approx(6 / 7, abs=1e-3)
    assert report["llm_calls_per_message"] == 0.0
    assert [e["id"] for e in report["errors"]] == ["a", "c"]
    assert report["errors"][0]["differences"] == ["cost_center: extra 'CC-1'"]  # "MEDLINE" is right: text
    assert "intent accuracy" in format_report(report) and "errors" not in json.loads(format_json(report))
    assert "      cost_center: extra 'CC-1'" in format_report(report).splitlines()


class Slow(Scripted):
    """A parser whose first message would pay for training unless it is warmed."""

    def __init__(self, answers: dict[str, Proposal]) -> None:
        super().__init__(answers)
        self.warmed = 0

    def warm(self) -> None:
        self.warmed += 1

    def parse(self, text: str, context: ParseContext) -> Proposal:
        assert self.warmed, "parsed before warm()"
        return super().parse(text, context)


def test_the_parser_is_warmed_before_the_timed_messages(tmp_path: Path) -> None:
    path = _write(tmp_path / "in.jsonl", ROWS)
    slow = Slow(ANSWERS)
    assert len(list(parse_file(path, slow))) == 3 and slow.warmed == 1
    evaluate(path, slow)
    assert slow.warmed == 2


def test_a_warmed_offline_parser_has_no_slow_first_message(parser: OfflineParser) -> None:
    report = evaluate(HELDOUT, parser)
    assert report["latency_ms_p99"] < 50, report["latency_ms_p99"]  # not the training time


def test_same_value() -> None:
    kinds = standard()
    assert same_value(12500, 12500.0, kinds["money"])
    assert same_value("Kronos", "kronos", kinds["text"])
    assert not same_value("CC-4410", "cc-4410", kinds["cost_center"])
    assert not same_value(True, 1, kinds["integer"])


def _check(report: dict[str, Any]) -> None:
    assert report["intent_accuracy"] >= 0.95, format_report(report)
    assert report["oos_recall"] >= 0.9 and report["oos_precision"] >= 0.9, format_report(report)
    assert report["slot_precision"] >= 0.97, format_report(report)
    assert report["slot_recall"] >= 0.85, format_report(report)


@needs_shared(DEV)
def test_offline_parser_on_the_dev_set(parser: OfflineParser) -> None:
    _check(evaluate(DEV, parser))


def test_offline_parser_takes_under_5_ms_a_message_on_one_core(parser: OfflineParser) -> None:
    """CPU time of this thread, so other work on a shared machine does not count (bench/ has wall time)."""
    parser.warm()
    spent = []
    for item in read_lines(HELDOUT):
        context = context_of(item)
        started = time.thread_time()
        parser.parse(str(item["text"]), context)
        spent.append((time.thread_time() - started) * 1000)
    assert statistics.median(spent) < 5, statistics.median(spent)


@needs_shared(CLINC)
def test_offline_parser_says_out_of_scope(parser: OfflineParser) -> None:
    assert evaluate(CLINC, parser)["oos_recall"] >= 0.9


def test_offline_parser_on_the_held_out_set(parser: OfflineParser) -> None:
    _check(evaluate(HELDOUT, parser))


def test_offline_parser_on_new_messages_written_after_it(parser: OfflineParser) -> None:
    """probe.jsonl was written in four rounds without looking at the parser's code, and each
    round's misses guided general fixes; fresh.jsonl was written after the first, the third and
    the fourth round of fixes and never tuned on."""
    probe = evaluate(PROBE, parser)
    _check(probe)
    fresh = evaluate(FRESH, parser)  # never tuned on: a little below the bars is what new messages look like
    assert fresh["intent_accuracy"] >= 0.93, format_report(fresh)
    assert fresh["oos_recall"] >= 0.9 and fresh["oos_precision"] >= 0.9, format_report(fresh)
    assert fresh["slot_precision"] >= 0.95 and fresh["slot_recall"] >= 0.85, format_report(fresh)
