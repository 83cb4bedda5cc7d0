"""Which channels run: one line per channel. A channel module offers
`build(settings, host) -> (Channel, add_routes)` (`bot.channels.base`) and is imported only when
enabled; `add_routes` mounts its HTTP routes on the product's server."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from bot.channels.base import Channel, Host
from bot.settings import Settings

if TYPE_CHECKING:
    from aiohttp import web

CHANNELS: dict[str, tuple[str, Callable[[Settings], bool]]] = {
    "slack": ("bot.channels.slack", lambda s: s.slack_enabled),
    "teams": ("bot.channels.teams", lambda s: s.teams_enabled),
}


def enabled(settings: Settings) -> list[str]:
    return [name for name, (_module, on) in CHANNELS.items() if on(settings)]


def build(name: str, settings: Settings, host: Host) -> tuple[Channel, Callable[[web.Application], None]]:
    module = import_module(CHANNELS[name][0])
    built: tuple[Channel, Callable[[web.Application], None]] = module.build(settings, host)
    return built
