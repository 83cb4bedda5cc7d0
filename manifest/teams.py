"""`frontdoor manifest teams`: the Teams app package (manifest and icons) for this deployment."""

from __future__ import annotations

import json
import os
import re
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

FOLDER = Path(__file__).parent / "teams"
DEFAULT_PUBLIC_URL = "https://frontdoor.example.org"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def app_version() -> str:
    """The package's version (Teams wants a higher one for each update of an installed app)."""
    try:
        found = version("frontdoor")
    except PackageNotFoundError:
        return "1.0.0"
    match = re.match(r"\d+\.\d+\.\d+", found)
    return match.group(0) if match else "1.0.0"


def manifest(app_id: str | None, public_url: str | None = None) -> dict[str, Any]:
    """The manifest with the bot's app id, the deployment's domain and the version filled in."""
    base = (public_url or os.environ.get("FRONTDOOR_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
    text = (FOLDER / "manifest.template.json").read_text(encoding="utf-8")
    filled = text.replace("{app_id}", app_id or PLACEHOLDER_ID).replace("{public_url}", base)
    filled = filled.replace("{version}", app_version())
    data: dict[str, Any] = json.loads(filled.replace("{domain}", urlparse(base).netloc))
    return data


def write(settings: Any, out: Path | None) -> str:
    """Write the app package (a zip of manifest.json and the two icons)."""
    target = out or Path("frontdoor-teams.zip")
    data = manifest(getattr(settings, "microsoft_app_id", None))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(data, indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(FOLDER / icon, icon)
    note = "" if getattr(settings, "microsoft_app_id", None) else " (MICROSOFT_APP_ID is not set: placeholder id)"
    return f"wrote the Teams app package to {target}{note}"
