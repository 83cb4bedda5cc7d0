"""Where logs go and how they look: text or JSON lines (FRONTDOOR_LOG_FORMAT), protected data
redacted before a record is written, and the correlation id of the event being handled on every
line of its turn, so an operator can follow one message through the engine, the store and the
parser.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from bot.core.correlation import CORRELATION
from bot.settings import Settings

TERMINAL_LOG = Path("var") / "frontdoor.log"
_TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_KEPT = frozenset({"time", "level", "logger", "correlation_id", "exc_info"})


class CorrelationFilter(logging.Filter):
    """Puts the current event's correlation id on each record (None outside a turn)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = CORRELATION.get()
        return True


def _json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    from intents.redact import redact_text

    class RedactedJson(JsonFormatter):
        """The message is redacted by RedactingFilter; the extra fields are redacted here."""

        def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
            return {k: redact_text(v) if isinstance(v, str) and k not in _KEPT else v for k, v in log_data.items()}

    return RedactedJson(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )


def configure(settings: Settings, *, terminal: bool = False, quiet: bool = False) -> Path | None:
    """Logs to FRONTDOOR_LOG_FILE if set; in a terminal, unless FRONTDOOR_LOG_LEVEL asks to see
    them, to var/frontdoor.log, so the conversation is all the terminal shows; otherwise (a
    service) to standard error. `quiet` (a script) logs warnings only unless a level is set.
    Returns the file the logs go to, if any."""
    from intents.redact import RedactingFilter

    path = settings.log_file or (TERMINAL_LOG if terminal and settings.log_level is None else None)
    handler: logging.Handler
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.addFilter(CorrelationFilter())
    handler.setFormatter(_json_formatter() if settings.log_format == "json" else logging.Formatter(_TEXT))
    level = settings.log_level or ("WARNING" if quiet else "INFO")
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin, each start
    return path
