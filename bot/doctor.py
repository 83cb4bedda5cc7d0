"""`frontdoor doctor`: a configuration checked end to end, before a deploy rather than after it.

A setting that is well formed can still be wrong: a database that does not answer or is behind
this version's migrations, a Slack token that was revoked, a Teams secret that expired, a backend
that refuses the token, an approvals room mapped nowhere, a holiday file that ends this year.
`frontdoor run` meets each of these later, one request at a time; the doctor meets them now and
says, one line a check, what to do: `ok`; `warning` (it works, but look); `problem` (it will not
work as configured; the command exits 1). Every network check is time-boxed, so a host that does
not answer is reported, not waited for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.app import unmapped_rooms
from bot.directory import Directory
from bot.settings import DEMO_CALLBACK_SECRET, Settings, SettingsError, check_exposure, reveal

Level = Literal["ok", "warning", "problem"]
NETWORK_SECONDS = 5.0
"""How long one network call of a check may take."""
PROBE_ID = "frontdoor-doctor-probe"
"""A request id no backend holds: asking for it proves the token is accepted (404, not 401)."""


@dataclass(frozen=True)
class Finding:
    """What one check found: `ok`, `warning` or `problem`, and what to do about it."""

    check: str
    level: Level
    text: str

    def line(self) -> str:
        return f"{self.level:<8} {self.check}: {self.text}"


Check = Callable[[Settings], Awaitable[list[Finding]]]


async def diagnose(settings: Settings) -> list[Finding]:
    """Every check, in order. A check that fails in a way of its own, or takes too long, is a
    problem of its own line: the others still run."""
    findings: list[Finding] = []
    for name, check in CHECKS:
        try:
            async with asyncio.timeout(3 * NETWORK_SECONDS):
                findings += await check(settings)
        except TimeoutError:
            findings.append(Finding(name, "problem", f"no answer in {3 * NETWORK_SECONDS:g} s"))
        except Exception as exc:
            findings.append(Finding(name, "problem", f"the check failed: {type(exc).__name__}: {exc}"))
    return findings


def summary(findings: list[Finding]) -> str:
    counts = {level: sum(1 for f in findings if f.level == level) for level in ("ok", "warning", "problem")}
    plural = {"ok": "ok", "warning": "warnings", "problem": "problems"}
    said = ", ".join(f"{n} {level if n == 1 else plural[level]}" for level, n in counts.items())
    return f"{said}: fix the problems above before deploying" if counts["problem"] else said


# -- the database --------------------------------------------------------------------------------
async def database(settings: Settings) -> list[Finding]:
    return await asyncio.to_thread(_database, settings)


def _database(settings: Settings) -> list[Finding]:
    """The database answers, and its schema is at this version's head (alembic current vs head)."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    url = settings.database_url
    shown = make_url(url).render_as_string(hide_password=True)
    sqlite = url.startswith("sqlite")
    if sqlite:
        path = url.split("///", 1)[-1]
        if path not in ("", ":memory:") and not Path(path).exists():  # connecting would create it
            return [
                Finding(
                    "database",
                    "warning",
                    f"{path} does not exist yet: `frontdoor run` creates it with its schema "
                    "(or run `frontdoor db upgrade`)",
                )
            ]
    engine = create_engine(
        url,
        poolclass=NullPool,
        connect_args={"timeout": NETWORK_SECONDS} if sqlite else {"connect_timeout": int(NETWORK_SECONDS)},
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            from alembic.runtime.migration import MigrationContext

            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return [
            Finding(
                "database",
                "problem",
                f"{shown} does not answer ({reason}): check FRONTDOOR_DATABASE_URL, the server and the network",
            )
        ]
    finally:
        engine.dispose()
    return [Finding("database", "ok", f"{shown} answers"), _migrations(current, sqlite)]


def _migrations(current: set[str], sqlite: bool) -> Finding:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.store.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    head = ", ".join(sorted(heads))
    state = f"the database is at {', '.join(sorted(current))}" if current else "the database has no schema yet"
    if current == heads:
        return Finding("migrations", "ok", f"at head ({head})")
    known = {revision.revision for revision in script.walk_revisions()}
    if current - known:
        return Finding(
            "migrations",
            "problem",
            f"{state}, which this version does not know: a newer version migrated it; "
            "deploy that version (or a newer one)",
        )
    if sqlite:
        return Finding(
            "migrations",
            "warning",
            f"{state}, head is {head}: `frontdoor run` migrates SQLite itself (or run `frontdoor db upgrade`)",
        )
    return Finding(
        "migrations", "problem", f"{state}, head is {head}: run `frontdoor db upgrade` before starting this version"
    )


# -- the chat platforms --------------------------------------------------------------------------
async def slack(settings: Settings) -> list[Finding]:
    if not settings.slack_enabled:
        if settings.slack_bot_token or settings.slack_signing_secret or settings.slack_app_token:
            return [
                Finding(
                    "slack",
                    "warning",
                    "Slack is off: it needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (events over HTTP) "
                    "or SLACK_APP_TOKEN (Socket Mode); set the one missing, or unset the others",
                )
            ]
        return [Finding("slack", "ok", "off (SLACK_BOT_TOKEN unset)")]
    found = [await asyncio.to_thread(_slack_token, settings)]
    if settings.slack_signing_secret:
        found.append(Finding("slack", "ok", "SLACK_SIGNING_SECRET is set: requests to /slack/events are verified"))
    else:
        found.append(Finding("slack", "ok", "Socket Mode (SLACK_APP_TOKEN): no public URL or signing secret needed"))
    return found


def _slack_token(settings: Settings) -> Finding:
    """`auth.test` with the bot token, through the Web API `frontdoor run` uses."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from bot.channels.slack import SLACK_API

    api = (settings.slack_api_url or SLACK_API).rstrip("/") + "/"
    where = "check FRONTDOOR_SLACK_API_URL" if settings.slack_api_url else "check the network and proxy"
    client = WebClient(token=reveal(settings.slack_bot_token), base_url=api, timeout=int(NETWORK_SECONDS))
    try:
        answer: Any = client.auth_test()
    except SlackApiError as exc:
        data, status = getattr(exc.response, "data", None), getattr(exc.response, "status_code", None)
        error = data.get("error") if isinstance(data, dict) else None
        if error and status == 200:  # Slack refuses a token with 200 and its reason
            return Finding(
                "slack",
                "problem",
                f"Slack refused SLACK_BOT_TOKEN ({error}): give the bot token (xoxb-…) of the app as "
                "installed in your workspace (OAuth & Permissions)",
            )
        return Finding("slack", "problem", f"{api} did not answer as Slack's Web API does (HTTP {status}): {where}")
    except Exception as exc:  # the SDK raises what its transport raised
        return Finding("slack", "problem", f"{api} did not answer ({type(exc).__name__}): {where}")
    return Finding(
        "slack", "ok", f"SLACK_BOT_TOKEN is valid: bot {answer.get('user_id')} in workspace {answer.get('team')}"
    )


async def teams(settings: Settings) -> list[Finding]:
    if not settings.teams_enabled:
        return [Finding("teams", "ok", "off (MICROSOFT_APP_ID unset)")]
    from bot.channels import teams as teams_channel

    try:
        teams_channel.check(settings)
    except SettingsError as exc:
        return [Finding("teams", "problem", str(exc))]
    if not settings.microsoft_app_id:
        return [
            Finding(
                "teams",
                "warning",
                "Bot Framework Emulator open mode (FRONTDOOR_TEAMS_EMULATOR): no authentication, for trying "
                "Front Door on this machine; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for Teams",
            )
        ]
    return [await _teams_token(settings)]


async def _teams_token(settings: Settings) -> Finding:
    """A Bot Framework token from Microsoft Entra ID, as the channel gets one to post."""
    import httpx

    from bot.channels.base import DeliveryError
    from bot.channels.teams.connector import AppToken

    app_id = str(settings.microsoft_app_id)
    tenant = settings.microsoft_app_tenant_id
    async with httpx.AsyncClient(timeout=NETWORK_SECONDS) as http:
        token = AppToken(http, app_id, reveal(settings.microsoft_app_password) or "", tenant)
        try:
            await token()
        except DeliveryError as exc:
            return Finding(
                "teams",
                "problem",
                f"{exc}: check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD (not expired) and MICROSOFT_APP_TENANT_ID",
            )
    kind = f"single-tenant, tenant {tenant}" if tenant else "multi-tenant"
    return Finding("teams", "ok", f"Microsoft Entra ID issued a Bot Framework token for app {app_id} ({kind})")


# -- the backend ---------------------------------------------------------------------------------
async def backend(settings: Settings) -> list[Finding]:
    """Reachable (`/healthz`), and the token accepted by an authenticated call that changes nothing."""
    from backend_client import BackendAuthError, BackendClient, BackendRejected, BackendUnavailable

    url = settings.backend_url
    if url is None:
        return [
            Finding(
                "backend",
                "warning",
                "FRONTDOOR_BACKEND_URL is unset: `frontdoor run` starts the embedded reference backend, a "
                "demo; set your orchestration backend's URL and FRONTDOOR_BACKEND_TOKEN",
            )
        ]
    async with BackendClient(url, reveal(settings.backend_token), timeout=NETWORK_SECONDS, retries=0) as client:
        if not await client.health():
            return [
                Finding(
                    "backend", "problem", f"{url} does not answer GET /healthz with 200: check FRONTDOOR_BACKEND_URL"
                )
            ]
        if not settings.backend_token:
            return [
                Finding("backend", "ok", f"{url} answers"),
                Finding("backend", "problem", "FRONTDOOR_BACKEND_TOKEN is not set: give the backend's bearer token"),
            ]
        try:
            await client.get_request(PROBE_ID)
        except BackendAuthError as exc:
            said = f"{url} answers, but refused FRONTDOOR_BACKEND_TOKEN ({exc.status})"
            return [Finding("backend", "problem", f"{said}: give the bearer token it expects")]
        except BackendRejected:
            pass  # not found (or not a valid id): past the token
        except BackendUnavailable as exc:
            return [Finding("backend", "problem", f"{url} answers /healthz, but not an authenticated call: {exc}")]
    return [Finding("backend", "ok", f"{url} answers and accepts FRONTDOOR_BACKEND_TOKEN")]


# -- the organisation: catalog, directory, rooms, holidays ------------------------------------------
async def organisation(settings: Settings) -> list[Finding]:
    from bot import policy
    from bot.directory import DirectoryError, load_directory
    from forms import CatalogError, load_catalog

    found: list[Finding] = []
    catalog = None
    try:
        catalog = load_catalog(settings.catalog)
        found.append(Finding("catalog", "ok", f"{len(catalog.types)} request types in {catalog.source}"))
    except CatalogError as exc:
        found.append(Finding("catalog", "problem", f"{exc}: fix it or FRONTDOOR_CATALOG"))
    try:
        directory = load_directory(settings.directory)
    except DirectoryError as exc:
        return [*found, Finding("directory", "problem", f"{exc}: fix it or FRONTDOOR_DIRECTORY")]
    found.append(Finding("directory", "ok", f"{len(directory.people)} people, {len(directory.roles)} roles"))
    if catalog is not None:
        staffed = policy.problems(catalog, directory)
        found += [Finding("approvals", "problem", f"{p}: fix the step or the directory") for p in staffed]
        if not staffed:
            found.append(Finding("approvals", "ok", "every approval step has people in the directory to decide it"))
    return found + _rooms(settings, directory)


def _rooms(settings: Settings, directory: Directory) -> list[Finding]:
    """The role rooms each enabled platform maps, as `frontdoor run` warns of them at start."""
    from bot.channels import registry

    platforms = registry.enabled(settings)
    if not platforms:
        return [Finding("rooms", "ok", "no chat platform configured: every room shows in the local chat")]
    found = []
    for name in platforms:
        try:
            mapped = _mapped_rooms(name, settings)
        except SettingsError as exc:
            found.append(Finding("rooms", "problem", str(exc)))
            continue
        missing = unmapped_rooms(directory, mapped.__contains__)
        label, setting = name.capitalize(), f"FRONTDOOR_{name.upper()}_CHANNELS"
        if missing:
            text = f"{label} maps no room for {', '.join(missing)}: add them to {setting}, or those roles' cards "
            found.append(Finding("rooms", "warning", text + "reach no room there"))
        else:
            found.append(Finding("rooms", "ok", f"{label} maps every role's room ({len(mapped)} in {setting})"))
    return found


def _mapped_rooms(platform: str, settings: Settings) -> set[str]:
    if platform == "teams":
        from bot.channels import teams as teams_channel

        return set(teams_channel.rooms(settings.teams_channels))
    return set(settings.slack_channels)


async def holidays(settings: Settings) -> list[Finding]:
    """The calendar knows holidays for this year and the next (a file runs out; the package does not)."""
    from bot.deadlines import holiday_setting

    source = settings.holiday_source
    try:
        source.days()
    except (OSError, ValueError) as exc:
        return [Finding("holidays", "problem", f"{holiday_setting(source, exc)} is not valid: {exc}")]
    this = datetime.now(ZoneInfo(settings.timezone)).year
    counts = {year: len(source.in_year(year)) for year in (this, this + 1)}
    where = source.describe()
    fix = (
        f"add them to {source.file}, or unset FRONTDOOR_HOLIDAYS to use the public holidays of "
        f"{settings.holiday_country}"
        if source.file is not None
        else "check FRONTDOOR_HOLIDAY_COUNTRY and FRONTDOOR_HOLIDAY_SUBDIVISION"
    )
    if not counts[this]:
        text = f"{where} has no holiday in {this}, so SLAs count every weekday as worked: {fix}"
        return [Finding("holidays", "problem", text)]
    if not counts[this + 1]:
        return [Finding("holidays", "warning", f"{where} has no holiday in {this + 1}: {fix}")]
    return [Finding("holidays", "ok", f"{where}: {counts[this]} in {this}, {counts[this + 1]} in {this + 1}")]


# -- what is exposed -----------------------------------------------------------------------------
async def exposure(settings: Settings) -> list[Finding]:
    """The callback secret: never the documented demo one where a forged callback could arrive."""
    try:
        check_exposure(settings)
    except SettingsError as exc:
        return [Finding("exposure", "problem", str(exc))]
    if settings.backend_callback_secret.get_secret_value() == DEMO_CALLBACK_SECRET:
        return [
            Finding(
                "exposure",
                "ok",
                f"the demo callback secret, served on loopback ({settings.http_host}) only: set "
                "FRONTDOOR_BACKEND_CALLBACK_SECRET before serving beyond this machine",
            )
        ]
    return [Finding("exposure", "ok", "FRONTDOOR_BACKEND_CALLBACK_SECRET is your own")]


CHECKS: list[tuple[str, Check]] = [
    ("database", database),
    ("slack", slack),
    ("teams", teams),
    ("backend", backend),
    ("organisation", organisation),
    ("holidays", holidays),
    ("exposure", exposure),
]
