"""The Slack app manifest and the Teams app package, filled in from the settings."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any


def write_manifest(which: str, settings: Any, out: Path | None) -> str:
    """Write the manifest (`slack`) or app package (`teams`); returns a line saying where."""
    module = import_module(f"manifest.{which}")
    return str(module.write(settings, out))
