"""Runs the conversations of this folder through the engine (local channel, offline parser, a fresh
SQLite store each) and judges each against what it must reach (README.md beside this file).

    .venv/bin/python -m tests.conversations.runner [--show NAME] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.channels.local.script import ScriptRunner, read_steps
from bot.core import messages as say
from bot.core.clock import ManualClock
from bot.settings import load_settings
from bot.store import repo
from bot.store.models import Draft, Request
from forms.language import LANGUAGES, said

HERE = Path(__file__).parent


_REFUSALS = tuple(
    said(text, lang)[:n] for lang in LANGUAGES for text, n in ((say.OUT_OF_SCOPE, 40), (say.CLINICAL, 30))
)
"""Answers that turn a message away (in either language): wrong for a real request."""
_NOT_REQUESTS = tuple(
    said(text, lang)[:30] for lang in LANGUAGES for text in (say.GREETING, say.THANKS, say.WHO_I_AM, say.POLICY)
)
"""Fitting answers to small talk and questions, which are not requests either."""


@dataclass
class Outcome:
    name: str
    covers: list[str]
    problems: list[str] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not self.problems


def conversations(folder: Path = HERE) -> list[tuple[str, dict[str, Any]]]:
    return [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


def _same(free_text: bool, expected: Any, actual: Any) -> bool:
    if actual is None:
        return False
    if free_text:
        return str(expected).lower() in str(actual).lower()
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        try:
            return abs(float(actual) - float(expected)) < 0.005
        except (TypeError, ValueError):
            return False
    return str(expected).lower() == str(actual).lower()


def _check_request(app: App, request: Request | None, expected: dict[str, Any], label: str) -> list[str]:
    if request is None:
        return [f"{label}: no request was submitted (expected {expected['type']})"]
    if request.type_id != expected["type"]:
        return [f"{label}: submitted {request.type_id}, expected {expected['type']}"]
    spec = app.services.catalog.get(request.type_id)
    problems = []
    for name, value in (expected.get("fields") or {}).items():
        free_text = spec.field(name).kind.free_text if name in spec.field_names else True
        actual = request.fields.get(name)
        if not _same(free_text, value, actual):
            problems.append(f"{label}: {name} is {actual!r}, expected {value!r}")
    return problems


def _first_deciders(app: App, request: Request) -> set[str]:
    with app.db.transaction() as session:
        steps = repo.steps_of(session, request.id)
    if not steps:
        return set()
    step = steps[0]
    if step.assignee:
        return {step.assignee}
    return {p.email for p in app.services.directory.people.values() if p.holds(step.role, request.entity)}


async def run_one(name: str, conversation: dict[str, Any], parser: Any, folder: Path) -> Outcome:
    lines: list[dict[str, Any]] = []
    outcome = Outcome(name, list(conversation.get("covers") or []), lines=lines)
    zone = ZoneInfo("America/New_York")
    start = datetime.fromisoformat(conversation.get("now") or "2026-11-23T10:00:00").replace(tzinfo=zone)
    app = App(
        load_settings(database_url=f"sqlite:///{folder / (name + '.db')}"),
        clock=ManualClock(start),
        channels={"local": LocalChannel(lines.append)},
        parser=parser,
    )
    app.migrate()
    errors: list[str] = []
    try:
        steps = read_steps(json.dumps(step) for step in conversation["steps"])
        await ScriptRunner(app, errors.append, f"conv-{name}").run(steps)
        outcome.problems += [f"step error: {e}" for e in errors]
        _judge(app, conversation, outcome)
    finally:
        app.db.dispose()
    return outcome


def _judge(app: App, conversation: dict[str, Any], outcome: Outcome) -> None:
    expect = conversation.get("expect") or {}
    requester = next((s["as"] for s in conversation["steps"] if "say" in s), None)
    with app.db.transaction() as session:
        requests = list(session.scalars(select(Request).where(Request.requester == requester).order_by(Request.id)))
        drafts = list(session.scalars(select(Draft)))
        for request in requests:
            session.expunge(request)
    said = [line for line in outcome.lines if line["to"] == requester]
    refused = [line["text"] for line in said if line["text"].startswith(_REFUSALS)]
    declined = [line["text"] for line in said if line["text"].startswith(_REFUSALS + _NOT_REQUESTS)]
    wanted = expect.get("submitted")
    if wanted is None and requests:
        outcome.problems.append(f"submitted {requests[0].type_id}, expected nothing")
    if wanted is not None:
        first = requests[0] if requests else None
        outcome.problems += _check_request(app, first, wanted, "request")
        approver = expect.get("first_approver")
        if first is not None and approver and approver not in _first_deciders(app, first):
            outcome.problems.append(f"first step decided by {sorted(_first_deciders(app, first))}, expected {approver}")
    for n, also in enumerate(expect.get("also_submitted") or [], start=1):
        outcome.problems += _check_request(app, requests[n] if len(requests) > n else None, also, f"request {n + 1}")
    if expect.get("refused") and not declined:
        outcome.problems.append("expected a refusal, none was given")
    if not expect.get("refused") and refused:
        outcome.problems.append(f"refused: {refused[0][:80]!r}")
    asks = [line["text"] for line in said if line["kind"] == "reply" and line["text"].rstrip().endswith("?")]
    questions = [q.rsplit(". ", 1)[-1] for q in asks]
    repeated = {q for q in questions if questions.count(q) > 1}
    if repeated and not expect.get("asked_twice", False):
        outcome.problems.append(f"asked twice: {sorted(repeated)[0][:80]!r}")
    secrets = [str(s).lower() for s in expect.get("must_not_contain") or []]
    if secrets:
        stored = json.dumps([r.fields for r in requests] + [d.values for d in drafts]).lower()
        shown = json.dumps([[line["text"], line["card"]] for line in outcome.lines]).lower()
        kept = [s for s in secrets if s in stored or s in shown]
        if kept:
            outcome.problems.append(f"kept or shown protected data: {kept}")


async def run_all(names: set[str] | None = None, folder: Path = HERE) -> list[Outcome]:
    from bot.directory import load_directory
    from forms import load_catalog
    from intents.offline import OfflineParser

    parser = OfflineParser(load_catalog(), load_directory())
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, conversation in conversations(folder):
            if names is None or name in names:
                outcomes.append(await run_one(name, conversation, parser, Path(tmp)))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    tags = sorted({t for o in outcomes for t in o.covers})
    by_tag = {t: [sum(o.right for o in outcomes if t in o.covers), sum(t in o.covers for o in outcomes)] for t in tags}
    return {"conversations": len(outcomes), "ended_right": sum(o.right for o in outcomes), "by_tag": by_tag}


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("--show", action="append", help="print this conversation's transcript and problems")
    args.add_argument("--json", action="store_true")
    args.add_argument(
        "--folder", type=Path, default=HERE, help="another folder of conversations (fresh/, batch3/: held out)"
    )
    opts = args.parse_args()
    outcomes = asyncio.run(run_all(set(opts.show) if opts.show else None, opts.folder))
    for outcome in outcomes:
        if opts.show:
            for line in outcome.lines:
                print(f"  [{line['kind']} → {line['to']}] {line['text']}")
        if not outcome.right or opts.show:
            print(f"✗ {outcome.name}: {'; '.join(outcome.problems)}" if outcome.problems else f"✓ {outcome.name}")
    result = summary(outcomes)
    print(json.dumps(result) if opts.json else f"{result['ended_right']} of {result['conversations']} ended right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
