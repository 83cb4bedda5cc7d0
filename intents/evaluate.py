"""Parsing and scoring labelled JSON Lines files (`frontdoor parse --jsonl`, `frontdoor eval`).

Input lines: {"id", "text", "now" (naive ISO local time), "requester", "intent", "slots"}.
A predicted slot is correct when it equals the label: numbers compare numerically, text
fields case-insensitively, everything else exactly. Slots are micro-averaged over lines; a
ratio with nothing to count (no slots predicted, no out-of-scope lines) is 1.0.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from forms.catalog import Catalog
from forms.kinds import Kind
from intents.base import ConversationIntent, ParseContext, Parser

OUT = ConversationIntent.OUT_OF_SCOPE


def read_lines(path: str | Path) -> Iterator[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                item = json.loads(line)
                item.setdefault("id", str(number))
                yield item


def context_of(item: Mapping[str, Any]) -> ParseContext:
    now = datetime.fromisoformat(str(item["now"])) if item.get("now") else datetime.now()
    return ParseContext(now=now.replace(tzinfo=None), requester=item.get("requester"))


def warm(parser: Parser) -> None:
    """Train or load what the parser needs before the first timed message (if it has `warm`)."""
    warmer = getattr(parser, "warm", None)
    if callable(warmer):
        warmer()


def parse_file(path: str | Path, parser: Parser) -> Iterator[dict[str, Any]]:
    """One prediction per input line, in the `frontdoor parse --jsonl` format.

    The parser is warmed first, so `ms` is the time of that message alone, not of training.
    """
    warm(parser)
    for item in read_lines(path):
        yield _predict(item, parser)[0]


def _predict(item: Mapping[str, Any], parser: Parser) -> tuple[dict[str, Any], int]:
    started = time.perf_counter()
    proposal = parser.parse(str(item.get("text", "")), context_of(item))
    ms = (time.perf_counter() - started) * 1000
    line = {
        "id": item.get("id"),
        "intent": proposal.intent,
        "slots": proposal.slots,
        "confidence": round(proposal.confidence, 3),
        "missing": proposal.missing,
        "ms": round(ms, 2),
    }
    return line, proposal.llm_calls


def same_value(predicted: Any, label: Any, kind: Kind | None) -> bool:
    """Numbers numerically, free-text fields without regard to case, the rest exactly."""
    numbers = (int, float)
    if isinstance(predicted, numbers) and isinstance(label, numbers):
        return not isinstance(predicted, bool) and float(predicted) == float(label)
    if kind is not None and kind.free_text and isinstance(predicted, str) and isinstance(label, str):
        return " ".join(predicted.split()).casefold() == " ".join(label.split()).casefold()
    return bool(predicted == label)


def _kind(catalog: Catalog | None, intent: str, field: str) -> Kind | None:
    if catalog is None or intent not in catalog:
        return None
    spec = catalog.get(intent)
    return spec.field(field).kind if field in spec.field_names else None


def _ratio(num: float, den: float, empty: float = 0.0) -> float:
    return round(num / den, 4) if den else empty


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (rounded to 3 places; 0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def evaluate(path: str | Path, parser: Parser, catalog: Catalog | None = None) -> dict[str, Any]:
    """Intent accuracy, out-of-scope precision/recall, slot P/R/F1, latency and LLM calls."""
    catalog = catalog if catalog is not None else getattr(parser, "catalog", None)
    count = right = oos_tp = oos_fp = oos_fn = slot_tp = predicted = labelled = llm = 0
    latencies: list[float] = []
    errors: list[dict[str, Any]] = []
    warm(parser)
    for item in read_lines(path):
        line, calls = _predict(item, parser)
        count, llm = count + 1, llm + calls
        latencies.append(float(line["ms"]))
        gold, intent = str(item.get("intent", OUT)), str(line["intent"])
        right += intent == gold
        oos_tp += intent == OUT and gold == OUT
        oos_fp += intent == OUT and gold != OUT
        oos_fn += intent != OUT and gold == OUT
        labels: dict[str, Any] = item.get("slots") or {}
        good = {
            k for k, v in line["slots"].items() if k in labels and same_value(v, labels[k], _kind(catalog, gold, k))
        }
        slot_tp, predicted, labelled = slot_tp + len(good), predicted + len(line["slots"]), labelled + len(labels)
        if intent != gold or len(good) != len(labels) or len(good) != len(line["slots"]):
            differences = slot_differences(line["slots"], labels, partial(_kind, catalog, gold))
            errors.append(
                {
                    "id": line["id"],
                    "text": item.get("text"),
                    "intent": intent,
                    "label": gold,
                    "slots": line["slots"],
                    "labels": labels,
                    "differences": differences,
                }
            )
    precision, recall = _ratio(slot_tp, predicted, 1.0), _ratio(slot_tp, labelled, 1.0)
    return {
        "file": str(path),
        "messages": count,
        "intent_accuracy": _ratio(right, count),
        "oos_precision": _ratio(oos_tp, oos_tp + oos_fp, 1.0),
        "oos_recall": _ratio(oos_tp, oos_tp + oos_fn, 1.0),
        "slot_precision": precision,
        "slot_recall": recall,
        "slot_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "latency_ms_p50": round(statistics.median(latencies), 3) if latencies else 0.0,
        "latency_ms_p99": percentile(latencies, 0.99),
        "llm_calls_per_message": _ratio(llm, count),
        "errors": errors,
    }


def format_report(report: Mapping[str, Any], show_errors: int = 10) -> str:
    """A short human-readable summary of `evaluate`'s result."""
    lines = [
        f"{report['file']}: {report['messages']} messages",
        f"  intent accuracy        {report['intent_accuracy']:.3f}",
        f"  out-of-scope precision {report['oos_precision']:.3f}   recall {report['oos_recall']:.3f}",
        f"  slots precision        {report['slot_precision']:.3f}   recall {report['slot_recall']:.3f}"
        f"   F1 {report['slot_f1']:.3f}",
        f"  latency ms             p50 {report['latency_ms_p50']:.2f}   p99 {report['latency_ms_p99']:.2f}",
        f"  LLM calls per message  {report['llm_calls_per_message']:.2f}",
    ]
    errors = report.get("errors", [])[:show_errors]
    if errors:
        lines.append(f"  first {len(errors)} of {len(report.get('errors', []))} lines with a difference:")
        for error in errors:
            lines.append(f"    {error['id']}: {error['intent']} (label {error['label']}) {error['text']!r}")
            lines.extend(f"      {diff}" for diff in error.get("differences", []))
    return "\n".join(lines)


def slot_differences(
    slots: Mapping[str, Any], labels: Mapping[str, Any], kind: Callable[[str], Kind | None]
) -> list[str]:
    """What differs between predicted and labelled slots, one line per field."""
    out = []
    for name in sorted(set(slots) | set(labels)):
        got, want = slots.get(name), labels.get(name)
        if name not in labels:
            out.append(f"{name}: extra {got!r}")
        elif name not in slots:
            out.append(f"{name}: missed {want!r}")
        elif not same_value(got, want, kind(name)):
            out.append(f"{name}: {got!r}, label {want!r}")
    return out


def format_json(report: Mapping[str, Any], with_errors: bool = False) -> str:
    """The report as one JSON object (errors left out unless asked for)."""
    shown = {k: v for k, v in report.items() if with_errors or k != "errors"}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True)
