"""Secrets never print, every setting is listed in .env.example, the default channel follows the
platform configured, and start-up names the approvals rooms no platform maps."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.settings import _ENV_NAMES, load_settings
from tests.bot.helpers import KeywordParser

ROOT = Path(__file__).resolve().parents[2]


def test_secrets_do_not_print() -> None:
    settings = load_settings(
        slack_bot_token="xoxb-very-secret",
        backend_token="bearer-secret",
        backend_callback_secret="whsec-secret",
        microsoft_app_password="pw-secret",
    )
    shown = repr(settings) + str(settings.model_dump())
    for secret in ("xoxb-very-secret", "bearer-secret", "whsec-secret", "pw-secret"):
        assert secret not in shown
    assert settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_every_setting_is_in_the_example_file() -> None:
    listed = set(re.findall(r"^# ([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert set(_ENV_NAMES.values()) <= listed, sorted(set(_ENV_NAMES.values()) - listed)


@pytest.mark.parametrize(
    ("settings", "channel"),
    [
        ({}, "local"),
        ({"slack_bot_token": "x", "slack_signing_secret": "y"}, "slack"),
        ({"teams_emulator": True}, "teams"),
        ({"slack_bot_token": "x", "slack_signing_secret": "y", "teams_emulator": True}, "local"),  # say which
        ({"teams_emulator": True, "default_channel": "local"}, "local"),
    ],
)
def test_the_default_channel_is_the_one_platform_configured(settings: dict[str, Any], channel: str) -> None:
    assert load_settings(**settings).chat_default == channel


async def test_start_up_names_rooms_no_platform_maps(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path}/fd.db",
        teams_emulator=True,
        teams_channels={"#approvals-finance": "19:finance@thread.tacv2"},
    )
    app = App(settings, channels={}, parser=KeywordParser())
    with caplog.at_level(logging.WARNING, logger="frontdoor"):
        await app.start(port=0)
    await app.stop()
    [warning] = [r.getMessage() for r in caplog.records if "no room mapped" in r.getMessage()]
    assert warning.startswith("Teams: no room mapped for #approvals-") and "#approvals-legal" in warning
    assert "#approvals-finance" not in warning and "FRONTDOOR_TEAMS_CHANNELS" in warning
