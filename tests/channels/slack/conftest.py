"""A started Front Door with Slack over HTTP, its Web API pointed at the stand-in. On teardown every
message, modal and App Home the bot sent must be valid Block Kit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.core.clock import ManualClock
from bot.settings import load_settings
from tests.bot.helpers import START, KeywordParser
from tests.channels.slack.harness import FINANCE, SECRET, USERS, Slack, block_kit_errors
from tests.fakes.slack_api import FakeSlackAPI


def real_parser() -> Any:
    """The product's offline parser (App builds it when none is given), else the engine tests' one."""
    try:
        import intents.offline  # noqa: F401  # only probing that it is there
    except ImportError:
        return KeywordParser()
    return None


async def start_app(folder: Path, api: FakeSlackAPI, parser: Any = None, **settings: Any) -> App:
    """Front Door on Slack over HTTP; `parser` reads the messages (default: the product's own)."""
    base = {
        "database_url": f"sqlite:///{folder}/fd.db",
        "slack_api_url": api.url,
        "default_channel": "slack",
        "slack_channels": {"#approvals-finance": FINANCE},
    }
    parser = parser if parser is not None else real_parser()
    app = App(load_settings(**{**base, **settings}), clock=ManualClock(START), channels={}, parser=parser)
    await app.start(port=0)
    return app


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackAPI]:
    fake = await FakeSlackAPI(dict(USERS)).start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(tmp_path: Path, api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Slack]:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    app = await start_app(tmp_path, api)
    try:
        yield Slack(app, api)
    finally:
        await app.stop()
    assert block_kit_errors(api) == []
