"""Logs as JSON lines on request, each line of a turn with its event's correlation id, protected
data redacted before a record is written (in the message and in the extra fields)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.correlation import CORRELATION
from bot.logs import configure
from bot.settings import load_settings

HERE = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_correlation_id_and_redact(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(load_settings(log_format="json", log_level="INFO"))
    log = logging.getLogger("frontdoor.test")
    token = CORRELATION.set("Ev123")
    try:
        log.info("patient SSN 123-45-6789 mentioned", extra={"detail": "MRN 00123456 in the note", "replies": 2})
    finally:
        CORRELATION.reset(token)
    log.warning("outside a turn")
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["correlation_id"] == "Ev123" and first["level"] == "INFO" and first["logger"] == "frontdoor.test"
    assert "123-45-6789" not in json.dumps(first) and "00123456" not in json.dumps(first) and first["replies"] == 2
    assert second["correlation_id"] is None and second["message"] == "outside a turn"


def test_every_line_of_a_turn_has_its_events_id(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    env.update(
        {
            "FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path}/fd.db",
            "FRONTDOOR_LOG_FORMAT": "json",
            "FRONTDOOR_LOG_LEVEL": "DEBUG",
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "chat",
            "--script",
            str(HERE / "double_click.jsonl"),
            "--json",
            "--now",
            "2026-11-23T10:00:00",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    handled = [line for line in lines if line["message"] == "event handled"]
    assert len(handled) == 8 and all(line["correlation_id"].endswith(f":{n}") for n, line in enumerate(handled, 1))
