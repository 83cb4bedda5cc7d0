"""`frontdoor manifest teams`: the Teams app package (manifest and icons) for this deployment.

The template is `teams/manifest.template.json`: the bot's id is `MICROSOFT_APP_ID`, the web
addresses and the valid domain come from `FRONTDOOR_PUBLIC_URL` (an https address), the version
is Front Door's.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.settings import SettingsError

FOLDER = Path(__file__).parent / "teams"
PUBLIC_URL_ENV = "FRONTDOOR_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "https://frontdoor.example.org"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ICONS = ("color.png", "outline.png")


def app_version() -> str:
    """The package's version (Teams wants a higher one for each update of an installed app)."""
    try:
        found = version("frontdoor")
    except PackageNotFoundError:
        return "1.0.0"
    match = re.match(r"\d+\.\d+\.\d+", found)
    return match.group(0) if match else "1.0.0"


def public_url(given: str | None = None) -> str:
    """The deployment's public https address, without a trailing slash."""
    base = (given or os.environ.get(PUBLIC_URL_ENV) or DEFAULT_PUBLIC_URL).strip().rstrip("/")
    parsed = urlparse(base)
    if parsed.scheme != "https" or not parsed.hostname:
        raise SettingsError(
            f"{PUBLIC_URL_ENV}={base!r} is not valid: give Front Door's public https address, "
            "e.g. https://frontdoor.your-hospital.org"
        )
    return base


def manifest(app_id: str | None, public: str | None = None) -> dict[str, Any]:
    """The manifest with the bot's app id, the deployment's domain and the version filled in."""
    base = public_url(public)
    if app_id and not GUID.match(app_id):
        raise SettingsError(
            f"MICROSOFT_APP_ID={app_id!r} is not valid: give the Azure Bot's Microsoft App ID "
            "(a GUID such as 2f7c8a3e-1b4d-4e8f-9a6b-0c1d2e3f4a5b)"
        )
    values = {
        "app_id": app_id or PLACEHOLDER_ID,
        "public_url": base,
        "version": app_version(),
        "domain": urlparse(base).hostname or "",
    }
    text = (FOLDER / "manifest.template.json").read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{" + name + "}", json.dumps(value)[1:-1])
    data: dict[str, Any] = json.loads(text)
    return data


def write(settings: Any, out: Path | None) -> str:
    """Write the app package (a zip of manifest.json and the two icons); says what to do with it."""
    target = out or Path("frontdoor-teams.zip")
    app_id = getattr(settings, "microsoft_app_id", None)
    data = manifest(app_id, getattr(settings, "public_url", None))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(data, indent=2, ensure_ascii=False))
        for icon in ICONS:
            package.write(FOLDER / icon, icon)
    note = "" if app_id else " (MICROSOFT_APP_ID is not set: the bot id is a placeholder)"
    return "\n".join(
        [
            f"wrote the Teams app package to {target} for app {data['id']} at {data['validDomains'][0]}{note}",
            "Next:",
            "  1. Upload it: Teams admin center > Teams apps > Manage apps > Upload new app.",
            "  2. Install it for everyone who requests or approves: Teams apps > Setup policies > Installed apps.",
            "     Front Door can send cards only to people who have the app installed or have written to it.",
            "  3. Add it to each team whose channel approves for a role, and map the channels in "
            "FRONTDOOR_TEAMS_CHANNELS.",
            "Step by step: docs/teams.md",
        ]
    )
