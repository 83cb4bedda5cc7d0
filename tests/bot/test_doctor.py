"""`frontdoor doctor`: one line a check, what to do when it fails, exit 1 on any problem. Run as an
operator runs it (the command line, in a folder of its own), with Slack's Web API, Entra ID and the
backend stood in at the network."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backend_client.embedded import EmbeddedBackend
from bot import doctor
from bot.channels.teams import connector as teams_connector
from bot.directory import load_directory
from bot.settings import load_settings
from tests.bot.test_cli import run
from tests.conftest import drop_pg_database, fresh_pg_database
from tests.fakes.bot_connector import FakeIdentity
from tests.fakes.slack_api import FakeSlackAPI

SLACK = {"SLACK_BOT_TOKEN": "xoxb-doctor", "SLACK_SIGNING_SECRET": "signing-secret"}


def this_year() -> int:
    """The year in the organisation's zone (the default), as the doctor reads it."""
    return datetime.now(ZoneInfo("America/New_York")).year


def levels(result: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    """Check → the levels of its lines; every line but the summary is `level check: text`."""
    found: dict[str, list[str]] = {}
    lines = result.stdout.strip().splitlines()
    for line in lines[:-1]:
        level, rest = line.split(maxsplit=1)
        assert level in ("ok", "warning", "problem"), line
        found.setdefault(rest.split(":", 1)[0], []).append(level)
    return found


def line_of(result: subprocess.CompletedProcess[str], check: str, level: str) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith(f"{level:<8} {check}:"))


def test_the_embedded_default_has_no_problem() -> None:
    fresh = run("doctor")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    found = levels(fresh)
    assert found["database"] == ["warning"]  # not created yet: `frontdoor run` creates it
    assert "does not exist yet" in line_of(fresh, "database", "warning")
    assert found["backend"] == ["warning"]  # the embedded reference backend is a demo
    assert found["holidays"] == ["ok"] and found["exposure"] == ["ok"] and found["rooms"] == ["ok"]
    assert f"{this_year() + 1}" in line_of(fresh, "holidays", "ok")
    assert fresh.stdout.strip().splitlines()[-1].endswith("0 problems")

    assert run("db", "upgrade").returncode == 0
    migrated = run("doctor")
    assert migrated.returncode == 0, migrated.stdout
    assert levels(migrated)["database"] == ["ok"] and levels(migrated)["migrations"] == ["ok"]
    assert "at head" in line_of(migrated, "migrations", "ok")


def test_a_database_that_does_not_answer_is_a_problem() -> None:
    result = run("doctor", env={"FRONTDOOR_DATABASE_URL": "postgresql+psycopg://frontdoor:hunter2@127.0.0.1:1/fd"})
    assert result.returncode == 1
    said = line_of(result, "database", "problem")
    assert "127.0.0.1" in said and "FRONTDOOR_DATABASE_URL" in said
    assert "hunter2" not in result.stdout + result.stderr
    assert "migrations" not in levels(result)
    assert result.stdout.strip().splitlines()[-1].endswith("fix the problems above before deploying")


@pytest.mark.postgres
def test_a_postgresql_database_behind_its_migrations_is_a_problem(pg_server: str) -> None:
    """PostgreSQL is migrated by `frontdoor db upgrade` before a deploy, never by `frontdoor run`."""
    url, name = fresh_pg_database(pg_server)
    try:
        behind = run("doctor", env={"FRONTDOOR_DATABASE_URL": url})
        assert behind.returncode == 1
        assert levels(behind)["database"] == ["ok"]
        assert "no schema yet" in line_of(behind, "migrations", "problem")
        assert "frontdoor db upgrade" in line_of(behind, "migrations", "problem")
        assert run("db", "upgrade", env={"FRONTDOOR_DATABASE_URL": url}).returncode == 0
        migrated = run("doctor", env={"FRONTDOOR_DATABASE_URL": url})
        assert migrated.returncode == 0 and levels(migrated)["migrations"] == ["ok"]
    finally:
        drop_pg_database(pg_server, name)


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackAPI]:
    api = await FakeSlackAPI({}).start()
    yield api
    await api.stop()


async def test_a_valid_slack_token_and_every_room_mapped(slack_api: FakeSlackAPI) -> None:
    directory = load_directory()
    rooms = {directory.role_channel(role): f"C{n:08d}" for n, role in enumerate(directory.roles)}
    env = {**SLACK, "FRONTDOOR_SLACK_API_URL": slack_api.url, "FRONTDOOR_SLACK_CHANNELS": json.dumps(rooms)}
    result = await asyncio.to_thread(run, "doctor", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert levels(result)["slack"] == ["ok", "ok"]
    assert "bot UBOT in workspace Front Door Test" in line_of(result, "slack", "ok")
    assert ("auth.test", "xoxb-doctor") in slack_api.tokens
    assert levels(result)["rooms"] == ["ok"]

    del rooms["#approvals-hr"]
    env["FRONTDOOR_SLACK_CHANNELS"] = json.dumps(rooms)
    unmapped = await asyncio.to_thread(run, "doctor", env=env)
    assert unmapped.returncode == 0
    assert "#approvals-hr" in line_of(unmapped, "rooms", "warning")
    assert "FRONTDOOR_SLACK_CHANNELS" in line_of(unmapped, "rooms", "warning")


async def test_a_refused_or_unreachable_slack_is_a_problem(slack_api: FakeSlackAPI) -> None:
    slack_api.fail("auth.test", "invalid_auth")
    env = {**SLACK, "FRONTDOOR_SLACK_API_URL": slack_api.url}
    refused = await asyncio.to_thread(run, "doctor", env=env)
    assert refused.returncode == 1
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in line_of(refused, "slack", "problem")

    await slack_api.stop()
    gone = await asyncio.to_thread(run, "doctor", env=env)
    assert gone.returncode == 1
    said = line_of(gone, "slack", "problem")
    assert slack_api.url in said and "did not answer" in said and "FRONTDOOR_SLACK_API_URL" in said


def test_slack_half_configured_is_a_warning() -> None:
    result = run("doctor", env={"SLACK_BOT_TOKEN": "xoxb-doctor"})
    assert result.returncode == 0
    assert "SLACK_SIGNING_SECRET" in line_of(result, "slack", "warning")


# -- checks run in the process (stand-ins that the command line cannot be pointed at) ----------------
async def test_teams_credentials_are_tried_at_entra_id(monkeypatch: pytest.MonkeyPatch) -> None:
    identity = await FakeIdentity("app-1", "right-secret").start()
    monkeypatch.setattr(teams_connector, "LOGIN_URL", identity.address)
    try:
        settings = load_settings(microsoft_app_id="app-1", microsoft_app_password="right-secret")
        [found] = await doctor.teams(settings)
        assert found.level == "ok" and "app app-1 (multi-tenant)" in found.text
        [refused] = await doctor.teams(load_settings(microsoft_app_id="app-1", microsoft_app_password="wrong"))
        assert refused.level == "problem" and "MICROSOFT_APP_PASSWORD" in refused.text
    finally:
        await identity.stop()
    [emulator] = await doctor.teams(load_settings(teams_emulator=True))
    assert emulator.level == "warning" and "Emulator" in emulator.text


async def test_the_backend_is_reached_and_its_token_tried(tmp_path: Path) -> None:
    backend = EmbeddedBackend(str(tmp_path / "backend.db"), "right-token", None, "own-secret")
    url = await backend.start()
    try:
        settings = load_settings(backend_url=url, backend_token="right-token", backend_callback_secret="own-secret")
        assert [f.level for f in await doctor.backend(settings)] == ["ok"]
        reached, unset = await doctor.backend(load_settings(backend_url=url, backend_callback_secret="own-secret"))
        assert reached.level == "ok" and unset.level == "problem" and "FRONTDOOR_BACKEND_TOKEN is not set" in unset.text
        wrong = load_settings(backend_url=url, backend_token="wrong-token", backend_callback_secret="own-secret")
        [refused] = await doctor.backend(wrong)
        assert refused.level == "problem" and "refused FRONTDOOR_BACKEND_TOKEN (401)" in refused.text
    finally:
        await backend.stop()
    [gone] = await doctor.backend(settings)
    assert gone.level == "problem" and "/healthz" in gone.text


async def test_a_holiday_file_that_runs_out_is_named(tmp_path: Path) -> None:
    this = this_year()
    listed = tmp_path / "holidays.txt"
    listed.write_text(f"{this}-12-25\n")
    [warned] = await doctor.holidays(load_settings(holidays=listed))
    assert warned.level == "warning" and f"no holiday in {this + 1}" in warned.text and str(listed) in warned.text
    last_year = tmp_path / "last-year.txt"
    last_year.write_text(f"{this - 1}-12-25\n")
    [stale] = await doctor.holidays(load_settings(holidays=last_year))
    assert stale.level == "problem" and "unset FRONTDOOR_HOLIDAYS" in stale.text
    [unknown] = await doctor.holidays(load_settings(holiday_country="XX"))
    assert unknown.level == "problem" and "FRONTDOOR_HOLIDAY_COUNTRY='XX'" in unknown.text
    [new_york] = await doctor.holidays(load_settings(holiday_subdivision="NY"))
    assert new_york.level == "ok" and "US (NY)" in new_york.text


async def test_the_demo_secret_beyond_loopback_is_a_problem() -> None:
    [exposed] = await doctor.exposure(load_settings(http_host="0.0.0.0"))
    assert exposed.level == "problem" and "FRONTDOOR_BACKEND_CALLBACK_SECRET" in exposed.text
    [own] = await doctor.exposure(load_settings(http_host="0.0.0.0", backend_callback_secret="own-secret"))
    assert own.level == "ok"
