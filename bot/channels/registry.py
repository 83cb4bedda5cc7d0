"""Which channels run: one line per channel. A channel module offers
`build(settings, app) -> (Channel, add_routes)` and is imported only when enabled."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from bot.settings import Settings

CHANNELS: dict[str, tuple[str, Callable[[Settings], bool]]] = {
    "slack": ("bot.channels.slack", lambda s: s.slack_enabled),
    "teams": ("bot.channels.teams", lambda s: s.teams_enabled),
}


def enabled(settings: Settings) -> list[str]:
    return [name for name, (_module, on) in CHANNELS.items() if on(settings)]


def build(name: str, settings: Settings, app: Any) -> tuple[Any, Callable[[Any], None]]:
    module = import_module(CHANNELS[name][0])
    return module.build(settings, app)  # type: ignore[no-any-return]
