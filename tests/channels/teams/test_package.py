"""`frontdoor manifest teams --out`: the app package, valid against the Teams manifest schema v1.19."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest

from manifest.teams import manifest
from tests.conftest import SCHEMA_DIR, needs_shared

TEAMS_SCHEMA = SCHEMA_DIR / "teams" / "MicrosoftTeams.schema.v1.19.json"
APP_ID = "2f7c8a3e-1b4d-4e8f-9a6b-0c1d2e3f4a5b"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG whose every chunk is intact (CRCs) and whose pixels decompress."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, pixels, size = 8, b"", (0, 0)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        assert struct.unpack(">I", data[position + 8 + length : position + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        pixels += body if kind == b"IDAT" else b""
        position += 12 + length
    assert len(zlib.decompress(pixels)) == size[1] * (size[0] * 4 + 1)  # RGBA rows with their filter byte
    return size


@needs_shared(TEAMS_SCHEMA)
def test_the_cli_writes_a_valid_package_with_our_id_and_domain(tmp_path: Path) -> None:
    out = tmp_path / "frontdoor-teams.zip"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "s",
        "FRONTDOOR_PUBLIC_URL": "https://frontdoor.riverside.example/",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "teams", "--out", str(out)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Setup policies" in result.stdout and "docs/teams.md" in result.stdout  # how to install it next
    with zipfile.ZipFile(out) as package:
        data = json.loads(package.read("manifest.json"))
        sizes = {name: png_size(package.read(name)) for name in ("color.png", "outline.png")}
    schema = json.loads(TEAMS_SCHEMA.read_text())
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data)] == []
    assert data["manifestVersion"] == "1.19" and data["id"] == data["bots"][0]["botId"] == APP_ID
    assert data["validDomains"] == ["frontdoor.riverside.example"]
    assert data["developer"]["privacyUrl"] == "https://frontdoor.riverside.example/privacy"
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}


@needs_shared(TEAMS_SCHEMA)
def test_the_bot_is_offered_in_every_scope_and_a_wrong_version_is_refused() -> None:
    validator = jsonschema.Draft7Validator(json.loads(TEAMS_SCHEMA.read_text()))
    data = manifest(APP_ID, "https://fd.hospital.example")
    assert [e.message for e in validator.iter_errors(data)] == []
    assert set(data["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    data["manifestVersion"] = "1.5"
    assert list(validator.iter_errors(data))


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"FRONTDOOR_PUBLIC_URL": "frontdoor.riverside.example"}, "FRONTDOOR_PUBLIC_URL"),
        ({"FRONTDOOR_PUBLIC_URL": "http://frontdoor.riverside.example"}, "FRONTDOOR_PUBLIC_URL"),
        ({"MICROSOFT_APP_ID": "front-door-bot"}, "MICROSOFT_APP_ID"),
    ],
    ids=["no-scheme", "not-https", "app-id"],
)
def test_settings_that_would_make_a_package_teams_refuses_exit_2(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "s",
        "FRONTDOOR_PUBLIC_URL": "https://frontdoor.riverside.example",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "teams"],
        env={**base, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and named in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "frontdoor-teams.zip").exists()


def test_the_valid_domain_is_the_host_alone() -> None:
    data = manifest(APP_ID, "https://FD.Hospital.example:8443/frontdoor/")
    assert data["validDomains"] == ["fd.hospital.example"]
    assert data["developer"]["websiteUrl"] == "https://FD.Hospital.example:8443/frontdoor"
