"""Microsoft Teams: Bot Framework activities at `POST /api/messages`, Adaptive Cards out.

`inbound` (activities → events), `render` (Adaptive Cards), `turns` (what each activity does),
`connector` (the REST calls out) and `channel` (delivery for the outbox) use no SDK; `adapter`
is the botbuilder host. Imported only when Teams is enabled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.channels.base import Channel, Host
from bot.settings import Settings, SettingsError, loopback, reveal

CHANNELS_ENV = "FRONTDOOR_TEAMS_CHANNELS"
log = logging.getLogger("frontdoor.teams")


def check(settings: Settings) -> None:
    """Refuse settings that would serve Teams unauthenticated or could not reach it."""
    if settings.microsoft_app_id and not settings.microsoft_app_password:
        raise SettingsError("MICROSOFT_APP_PASSWORD is not set: give the client secret of MICROSOFT_APP_ID")
    if not settings.microsoft_app_id and not loopback(settings.http_host):
        raise SettingsError(
            f"FRONTDOOR_TEAMS_EMULATOR=1 serves /api/messages without authentication, so it needs "
            f"FRONTDOOR_HTTP_HOST on loopback (127.0.0.1), not {settings.http_host!r}; or set MICROSOFT_APP_ID"
        )


def rooms(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    from bot.channels.teams.channel import rooms_from

    try:
        return rooms_from(raw)
    except ValueError as exc:
        raise SettingsError(f"{CHANNELS_ENV} is not valid: {exc}") from None


def build(settings: Settings, host: Host) -> tuple[Channel, Callable[[Any], None]]:
    """The Teams channel of one Front Door process and the function that mounts its route."""
    check(settings)
    import httpx

    from bot.channels.teams.adapter import BotFrameworkHost
    from bot.channels.teams.channel import TeamsChannel
    from bot.channels.teams.connector import AppToken, Connector, no_token
    from bot.channels.teams.contacts import Contacts
    from bot.channels.teams.turns import TeamsTurns

    app_id, password, tenant = (
        settings.microsoft_app_id,
        reveal(settings.microsoft_app_password),
        settings.microsoft_app_tenant_id,
    )
    http = httpx.AsyncClient(timeout=10.0)
    token = AppToken(http, app_id, password or "", tenant) if app_id else no_token
    connector = Connector(token, http=http)
    contacts = Contacts(host)
    channel = TeamsChannel(connector, contacts, rooms(settings.teams_channels), app_id)
    turns = TeamsTurns(host, connector, contacts, open_mode=not app_id)
    framework = BotFrameworkHost(turns, app_id, password, tenant, http)
    announce(settings, channel.rooms)

    async def close(_web_app: Any) -> None:
        await http.aclose()

    def add_routes(web_app: Any) -> None:
        web_app.router.add_post("/api/messages", framework.messages)
        web_app.on_cleanup.append(close)

    return channel, add_routes


def announce(settings: Settings, rooms: dict[str, dict[str, str]]) -> None:
    """Say at start how Teams is served and what it needs before approval cards can reach people."""
    if settings.microsoft_app_id:
        kind = (
            f"single-tenant, tenant {settings.microsoft_app_tenant_id}"
            if settings.microsoft_app_tenant_id
            else "multi-tenant"
        )
        log.info("Teams: /api/messages needs Bot Framework tokens for app %s (%s)", settings.microsoft_app_id, kind)
    else:
        log.warning("Teams: Bot Framework Emulator open mode, no authentication (loopback only)")
    log.info(
        "Teams: people get cards once they have the app installed or have written to it: build the "
        "package with `frontdoor manifest teams`, install it for everyone who requests or approves "
        "(docs/teams.md)"
    )
    if settings.chat_default != "teams":
        log.info(
            "Teams: #approvals-<role> cards go to the Teams channels mapped in FRONTDOOR_TEAMS_CHANNELS; "
            "rooms mapped nowhere, and people who never wrote, go to FRONTDOOR_DEFAULT_CHANNEL=%r",
            settings.chat_default,
        )
    if not rooms:
        log.info("Teams: no approvals channels mapped (FRONTDOOR_TEAMS_CHANNELS); role approvals cannot be posted")
