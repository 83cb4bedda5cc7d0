"""`frontdoor manifest slack`: the Slack app manifest with this deployment's request URL.

The template is `slack_manifest.yaml`; every request URL becomes `{public_url}/slack/events`,
where the public URL is `FRONTDOOR_PUBLIC_URL` (default https://frontdoor.example.org). With
`SLACK_APP_TOKEN` set the app uses Socket Mode, and the manifest says so instead of giving URLs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings

TEMPLATE = Path(__file__).parent / "slack_manifest.yaml"
PUBLIC_URL_ENV = "FRONTDOOR_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "https://frontdoor.example.org"
EVENTS_PATH = "/slack/events"


def request_url(public_url: str | None = None) -> str:
    base = public_url or os.environ.get(PUBLIC_URL_ENV) or DEFAULT_PUBLIC_URL
    return base.rstrip("/") + EVENTS_PATH


def manifest(public_url: str | None = None, socket_mode: bool = False) -> dict[str, Any]:
    """The manifest as a dict, its request URLs (or Socket Mode) filled in."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("{request_url}", request_url(public_url))
    data: dict[str, Any] = yaml.safe_load(text)
    if socket_mode:
        settings = data["settings"]
        settings["socket_mode_enabled"] = True
        settings["event_subscriptions"].pop("request_url", None)
        settings["interactivity"].pop("request_url", None)
        settings["interactivity"].pop("message_menu_options_url", None)
        for command in data["features"].get("slash_commands", []):
            command.pop("url", None)
    return data


def write(settings: Settings, out: Path | None) -> str:
    """The manifest as JSON: written to `out` (the answer says where), else returned for stdout."""
    data = manifest(settings.public_url, socket_mode=bool(settings.slack_app_token))
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is None:
        return text
    out.write_text(text + "\n", encoding="utf-8")
    return f"wrote the Slack app manifest to {out}"
