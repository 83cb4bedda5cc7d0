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

The Bot Framework's token signing keys are fetched here (`SigningKeys`), asynchronously and with a
time-out, into the SDK's cache: the SDK's own fetch is a blocking `requests.get` without a time-out,
which on the event loop would stall every request while login.botframework.com answers. The bot's
own token for the connector is `connector.AppToken`, which needs no SDK.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
from aiohttp import web

from bot.channels.teams.turns import TeamsTurns

log = logging.getLogger("frontdoor.teams")
CHANNEL_ISSUER = "https://api.botframework.com"
"""Who signs the tokens of activities that come from Teams (through the Bot Framework)."""


def _configuration(app_id: str | None, password: str | None, tenant: str | None) -> SimpleNamespace:
    return SimpleNamespace(
        APP_ID=app_id or None,
        APP_PASSWORD=password or None,
        APP_TENANTID=tenant or None,
        APP_TYPE="SingleTenant" if app_id and tenant else "MultiTenant",
    )


class KeysUnavailable(Exception):
    """The Bot Framework's signing keys could not be fetched."""


class SigningKeys:
    """Keeps botbuilder's cache of the Bot Framework's signing keys filled, without blocking.

    The SDK's validator (`JwtTokenExtractor`) refreshes its keys when they are a day old, or when a
    token names a key it does not have and they are an hour old. Doing so first here, with the same
    cache and slightly earlier, leaves the SDK only the checking of the token."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self._lock = asyncio.Lock()

    @staticmethod
    def metadata_url() -> str:
        """The OpenID metadata the SDK reads for tokens from the Bot Framework channel."""
        from botframework.connector.auth import AuthenticationConstants, ChannelValidation

        return str(
            ChannelValidation.open_id_metadata_endpoint
            or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        )

    async def ready(self, key_id: str | None) -> None:
        from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

        url = self.metadata_url()
        cache = JwtTokenExtractor.get_open_id_metadata(url)
        if not _stale(cache, key_id):
            return
        async with self._lock:
            if _stale(cache, key_id):
                cache.keys, cache.last_updated = await self._fetch(url), datetime.now()

    async def _fetch(self, url: str) -> list[dict[str, Any]]:
        try:
            metadata = (await self.http.get(url)).raise_for_status().json()
            keys = (await self.http.get(str(metadata["jwks_uri"]))).raise_for_status().json()["keys"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise KeysUnavailable(f"{type(exc).__name__}: {exc}") from None
        if not isinstance(keys, list):
            raise KeysUnavailable("the key set has no keys")
        return [k for k in keys if isinstance(k, dict)]


def _stale(cache: Any, key_id: str | None) -> bool:
    """Whether the SDK would fetch the keys now (with ten minutes' margin on its own limits)."""
    updated = getattr(cache, "last_updated", None)
    keys = getattr(cache, "keys", None)
    if not isinstance(updated, datetime) or not isinstance(keys, list):
        return False  # not the cache this was written for: leave the SDK to it
    age = datetime.now() - updated
    known = any(isinstance(k, dict) and k.get("kid") == key_id for k in keys)
    return age > timedelta(hours=23, minutes=50) or (not known and age > timedelta(minutes=50))


def _unverified(header: str) -> tuple[str | None, str | None]:
    """The issuer and signing key id a bearer token claims (checked by the SDK afterwards)."""
    import jwt

    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        return None, None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        key_id = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        return None, None
    issuer = claims.get("iss")
    return (str(issuer) if issuer else None), (str(key_id) if key_id else None)


class BotFrameworkHost:
    """Receives activities for `TeamsTurns`, authenticated by the Bot Framework SDK."""

    def __init__(
        self, turns: TeamsTurns, app_id: str | None, password: str | None, tenant: str | None, http: httpx.AsyncClient
    ) -> None:
        from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication

        self.turns = turns
        self.open_mode = not app_id
        self.auth = ConfigurationBotFrameworkAuthentication(_configuration(app_id, password, tenant))
        self.keys = SigningKeys(http)

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
        if answer.status >= 500:
            return web.json_response({"error": "try again later"}, status=answer.status)
        if body.get("type") == "invoke":
            return web.json_response(answer.body, status=answer.status)
        return web.Response(status=201)

    async def _refusal(self, activity: Any, header: str) -> web.Response | None:
        """None when the SDK accepts the request's token (or the open mode needs none), else the refusal."""
        if self.open_mode:  # the emulator's open mode, on loopback only: nothing to check
            header = ""
        else:
            issuer, key_id = _unverified(header)
            if issuer != CHANNEL_ISSUER:  # only the Bot Framework's channel service speaks for Teams
                log.info("Teams activity refused: no Bot Framework token (issuer %r)", issuer)
                return web.json_response({"error": "unauthorized"}, status=401)
            try:
                await self.keys.ready(key_id)
            except KeysUnavailable as exc:  # refuse, and let the sender retry
                log.warning("Bot Framework signing keys unavailable: %s", exc)
                return web.json_response({"error": "cannot verify the token now"}, status=503)
        try:
            await self.auth.authenticate_request(activity, header)
            return None
        except PermissionError as exc:
            log.info("Teams activity refused: %s", exc)
        except Exception as exc:  # a malformed or foreign token
            log.info("Teams activity refused: %s: %s", type(exc).__name__, exc)
        return web.json_response({"error": "unauthorized"}, status=401)
