"""`POST /api/messages`, authenticated by botbuilder's `ConfigurationBotFrameworkAuthentication`.

Bot Framework tokens are required when MICROSOFT_APP_ID is set (single-tenant when
MICROSOFT_APP_TENANT_ID is set, else multi-tenant); without it the SDK's open mode serves the
emulator (on loopback only, see `check`). Anything that does not prove it comes from the Bot
Framework is refused with 401 before any work is done.

This is what botbuilder's `CloudAdapter.process` does, less the turn pipeline: CloudAdapter builds
a msrest ConnectorClient and a UserTokenClient for every activity (about 12 ms of CPU on the event
loop each time, in msrest's retry-policy set-up) that Front Door never uses, since replies leave
through the outbox and `connector.py`. The turn is `TeamsTurns`, on the activity's own JSON (the
SDK's model drops fields Teams sends, such as the mention entities), so another SDK, such as the
Microsoft 365 Agents SDK, can host the same turns.
"""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

from aiohttp import web

from bot.channels.base import DeliveryError
from bot.channels.teams.connector import TokenSource, no_token
from bot.channels.teams.turns import TeamsTurns

log = logging.getLogger("frontdoor.teams")


def _configuration(app_id: str | None, password: str | None, tenant: str | None) -> SimpleNamespace:
    return SimpleNamespace(APP_ID=app_id or None, APP_PASSWORD=password or None, APP_TENANTID=tenant or None,
                           APP_TYPE="SingleTenant" if app_id and tenant else "MultiTenant")  # fmt: skip


class BotFrameworkHost:
    """Receives activities for `TeamsTurns`, authenticated by the Bot Framework SDK."""

    def __init__(self, turns: TeamsTurns, app_id: str | None, password: str | None, tenant: str | None) -> None:
        from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication

        self.turns = turns
        self.auth = ConfigurationBotFrameworkAuthentication(_configuration(app_id, password, tenant))

    async def messages(self, request: web.Request) -> web.StreamResponse:
        from botbuilder.schema import Activity

        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "malformed activity"}, status=400)
        if not isinstance(body, dict) or not body.get("type"):
            return web.json_response({"error": "not an activity"}, status=400)
        refused = await self._refusal(Activity().deserialize(body), request.headers.get("Authorization", ""))
        if refused is not None:
            return refused
        try:
            answer = await self.turns.handle(body)
        except Exception:  # one bad turn must not take the endpoint down; Teams retries, the store dedupes
            log.exception("Teams activity failed")
            return web.json_response({"error": "internal error"}, status=500)
        if body.get("type") == "invoke":
            return web.json_response(answer.body, status=answer.status)
        return web.Response(status=201)

    async def _refusal(self, activity: Any, header: str) -> web.Response | None:
        """None when the SDK accepts the request's token (or the open mode needs none), else the refusal."""
        try:
            await self.auth.authenticate_request(activity, header)
            return None
        except PermissionError as exc:
            log.info("Teams activity refused: %s", exc)
        except OSError as exc:  # the signing keys could not be fetched: refuse, and let the sender retry
            log.warning("Bot Framework keys unavailable: %s", exc)
            return web.json_response({"error": "cannot verify the token now"}, status=503)
        except Exception as exc:  # a malformed or foreign token
            log.info("Teams activity refused: %s: %s", type(exc).__name__, exc)
        return web.json_response({"error": "unauthorized"}, status=401)


def token_source(app_id: str | None, password: str | None, tenant: str | None) -> TokenSource:
    """Bearer tokens for the connector (MSAL caches them), or none in the emulator's open mode."""
    if not app_id:
        return no_token
    from botframework.connector.auth import MicrosoftAppCredentials

    credentials = MicrosoftAppCredentials(app_id, password, channel_auth_tenant=tenant)

    async def token() -> str | None:
        try:
            return str(await asyncio.to_thread(credentials.get_access_token))
        except Exception as exc:  # the token service is unreachable or refuses: try the message later
            raise DeliveryError(f"no Bot Framework token: {type(exc).__name__}") from None

    return token
