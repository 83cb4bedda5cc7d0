"""Insight questions in chat, through the engine: a short summary, scoped by the directory,
with a link to the page (figures from tests/insight/history.py, worked in test_views.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.insight.chat import Question, question
from bot.settings import load_settings
from tests.bot.helpers import KeywordParser, run_steps, say
from tests.insight.history import NOW, write_history


def _app(tmp_path: Path, lines: list[dict[str, Any]]) -> App:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'c.db'}")
    app = App(settings, clock=ManualClock(NOW), channels={"local": LocalChannel(lines.append)}, parser=KeywordParser())
    app.migrate()
    write_history(app.db)
    return app


def _texts(lines: list[dict[str, Any]]) -> str:
    return "\n".join(str(line) for line in lines)


def test_the_questions_it_recognises() -> None:
    assert question("How is my team doing on approvals?") == Question("team")
    assert question("how's our team doing") == Question("team")
    assert question("What's overdue in finance?") == Question("overdue", "finance")
    assert question("what is overdue?") == Question("overdue")
    assert question("what's at risk for the Legal team") == Question("overdue", "Legal team")
    for other in ("buy 2 x chairs", "what is my request's status?", "how is REQ-1001 doing?", "overdue invoices"):
        assert question(other) is None, other


def test_a_manager_asks_how_the_team_is_doing(tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(tmp_path, lines)
    run_steps(app, [say("carol.diaz@example.org", "How is my team doing on approvals?")])
    text = _texts(lines)
    assert "Your team's approvals, last 4 weeks:" in text
    assert "Open now: 4 steps, 2 past SLA" in text  # Carol's organisation requested all four
    assert "/insight" in text


def test_overdue_in_a_role(tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(tmp_path, lines)
    run_steps(app, [say("chloe.reed@example.org", "what's overdue in legal?")])  # an insight viewer
    text = _texts(lines)
    assert "Nothing is overdue in Legal." in text and "role=legal" in text
    lines.clear()
    run_steps(app, [say("chloe.reed@example.org", "what's overdue?")])
    text = _texts(lines)
    assert "Overdue: 2 steps past SLA — REQ-1004 (access request, waiting 24.0 business hours for George Hall)" in text
    lines.clear()
    run_steps(app, [say("chloe.reed@example.org", "what's overdue in the moon base?")])
    assert "I don't know a team called" in _texts(lines)


def test_someone_without_a_view_is_told_so(tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = _app(tmp_path, lines)
    run_steps(app, [say("emma.wilson@example.org", "what's overdue?")])  # no reports, no role
    assert "you are none of these" in _texts(lines)
