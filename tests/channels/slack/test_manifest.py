"""The Slack app manifest: valid for Slack's schema, pointing at /slack/events, and declaring exactly
what the adapter listens to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from bot.channels.slack import adapter
from bot.settings import load_settings
from manifest.slack import manifest, write
from tests.conftest import SCHEMA_DIR

SLACK_SCHEMA = SCHEMA_DIR / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture
def validator() -> jsonschema.Draft7Validator:
    if not SLACK_SCHEMA.is_file():
        pytest.skip(f"needs {SLACK_SCHEMA.name} from the shared folder {SLACK_SCHEMA.parent}, which is not here")
    schema = json.loads(SLACK_SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema)


def test_the_manifest_is_valid_and_names_our_request_url(validator: jsonschema.Draft7Validator) -> None:
    data = manifest("https://fd.hospital.example/")
    assert sorted(e.message for e in validator.iter_errors(data)) == []
    url = "https://fd.hospital.example/slack/events"
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"] == {
        "is_enabled": True,
        "request_url": url,
        "message_menu_options_url": url,
    }
    assert data["features"]["slash_commands"][0] == {
        **data["features"]["slash_commands"][0],
        "command": "/request",
        "url": url,
    }
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is False


def test_the_manifest_declares_what_the_adapter_handles() -> None:
    data = manifest()
    events = set(data["settings"]["event_subscriptions"]["bot_events"])
    assert {e.split(".")[0] for e in events} == set(adapter.EVENTS)
    assert [c["command"] for c in data["features"]["slash_commands"]] == [adapter.COMMAND]
    shortcuts = {s["type"]: s["callback_id"] for s in data["features"]["shortcuts"]}
    assert shortcuts == {"message": adapter.MESSAGE_SHORTCUT, "global": adapter.GLOBAL_SHORTCUT}
    scopes = set(data["oauth_config"]["scopes"]["bot"])
    needed = {
        "chat:write",
        "commands",
        "im:history",
        "im:write",
        "app_mentions:read",
        "users:read",
        "users:read.email",
        "channels:history",
        "groups:history",
    }
    assert needed <= scopes


def test_a_broken_manifest_is_refused_by_the_schema(validator: jsonschema.Draft7Validator) -> None:
    data = manifest()
    data["display_information"]["name"] = ""
    assert list(validator.iter_errors(data))


def test_socket_mode_manifest_has_no_request_urls(validator: jsonschema.Draft7Validator) -> None:
    data = manifest(socket_mode=True)
    assert list(validator.iter_errors(data)) == []
    assert data["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in json.dumps(data) and "/slack/events" not in json.dumps(data)


def test_write_prints_json_or_writes_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDOOR_PUBLIC_URL", "https://x.example")
    printed = json.loads(write(load_settings(), None))
    assert printed["settings"]["interactivity"]["request_url"] == "https://x.example/slack/events"
    out = tmp_path / "slack.json"
    assert write(load_settings(), out) == f"wrote the Slack app manifest to {out}"
    assert json.loads(out.read_text()) == printed


def test_the_command_line_prints_it() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FRONTDOOR_", "SLACK_"))},
        "FRONTDOOR_PUBLIC_URL": "https://x.example",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "slack"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (
        json.loads(result.stdout)["settings"]["event_subscriptions"]["request_url"] == "https://x.example/slack/events"
    )
