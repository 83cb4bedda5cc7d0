"""A started Front Door with Teams in the emulator's open mode, the connector stand-in, and the
demo organisation plus a second finance approver (Dina Ross). On teardown every card the bot sent
or answered with must be a valid Adaptive Card 1.5."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import App
from bot.core.clock import ManualClock
from bot.directory import DEMO_DIRECTORY
from bot.settings import load_settings
from tests.bot.helpers import START, KeywordParser
from tests.channels.teams.harness import FINANCE, PEOPLE, Teams, card_errors
from tests.fakes.bot_connector import FakeConnector


def real_parser() -> Any:
    """The product's offline parser (App builds it when none is given), else the engine tests' one."""
    try:
        import intents.offline  # noqa: F401  # only probing that it is there
    except ImportError:
        return KeywordParser()
    return None


def directory_with_dina(folder: Path) -> Path:
    data = yaml.safe_load(DEMO_DIRECTORY.read_text())
    data["people"].append(
        {
            "email": "dina.ross@example.org",
            "name": "Dina Ross",
            "title": "Senior Financial Analyst",
            "entity": "RMC",
            "cost_center": "CC-1200",
            "manager": "chloe.reed@example.org",
            "roles": ["finance"],
        }
    )
    path = folder / "directory.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


async def start_app(folder: Path, **settings: Any) -> App:
    base = {
        "database_url": f"sqlite:///{folder}/fd.db",
        "teams_emulator": True,
        "default_channel": "teams",
        "directory": directory_with_dina(folder),
    }
    app = App(load_settings(**{**base, **settings}), clock=ManualClock(START), channels={}, parser=real_parser())
    if app.db.engine.dialect.name != "sqlite":  # `start` migrates SQLite only
        await asyncio.to_thread(app.migrate)
    await app.start(port=0)
    return app


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector(members=dict(PEOPLE)).start()
    yield fake
    await fake.stop()


@pytest.fixture
async def teams(tmp_path: Path, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Teams]:
    rooms = {"#approvals-finance": {"conversation": FINANCE, "service_url": connector.url}}
    monkeypatch.setenv("FRONTDOOR_TEAMS_CHANNELS", json.dumps(rooms))
    app = await start_app(tmp_path)
    harness = Teams(app, connector)
    try:
        yield harness
    finally:
        await app.stop()
    invalid = {i: errors for i, card in enumerate(harness.every_card()) if (errors := card_errors(card))}
    assert not invalid, invalid
