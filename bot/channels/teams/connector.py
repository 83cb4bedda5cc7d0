"""The one way out to Teams: the Bot Connector REST API (`{serviceUrl}/v3/conversations/...`), with
the bot's token from Microsoft Entra ID (`AppToken`).

Every call goes through `_call`, which adds the bot's token and turns the connector's answers
into `DeliveryError`s the outbox understands: throttling (429) and server errors are retried
(after `Retry-After` when the connector says), refusals (403 bot removed, 404, 413) are not.
Reads (member and roster look-ups, made while an activity waits for its answer) are retried here
a few times first, within a short budget, since nothing else would retry them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import httpx
from tenacity import RetryCallState, retry_if_exception

from backend_client.retry import backing_off, honouring_retry_after, retry_after, with_retries
from bot.channels.base import DeliveryError

log = logging.getLogger("frontdoor.teams")
TokenSource = Callable[[], Awaitable[str | None]]
"""Returns a bearer token for the connector, or None when authentication is off (the emulator)."""
LOGIN_URL = "https://login.microsoftonline.com"
"""Microsoft Entra ID, which issues the bot's token for the connector."""
MULTI_TENANT = "botframework.com"
"""The token authority of a multi-tenant bot (a single-tenant bot uses its own tenant)."""
CONNECTOR_SCOPE = "https://api.botframework.com/.default"
READ_ATTEMPTS = 3
MAX_READ_WAIT = 2.0
"""Seconds a read waits before trying again (Teams gives a bot 15 s to answer an activity)."""


async def no_token() -> str | None:
    return None


class AppToken:
    """The bot's bearer token for the Bot Connector: OAuth client credentials at Microsoft Entra ID
    (the app's tenant for a single-tenant bot, botframework.com for a multi-tenant one), kept until
    five minutes before it expires."""

    def __init__(self, http: httpx.AsyncClient, app_id: str, password: str, tenant: str | None) -> None:
        self.http = http
        self.url = f"{LOGIN_URL.rstrip('/')}/{tenant or MULTI_TENANT}/oauth2/v2.0/token"
        self.form = {
            "grant_type": "client_credentials",
            "client_id": app_id,
            "client_secret": password,
            "scope": CONNECTOR_SCOPE,
        }
        self._token: str | None = None
        self._until = 0.0
        self._lock = asyncio.Lock()

    async def __call__(self) -> str | None:
        if self._token and time.monotonic() < self._until:
            return self._token
        async with self._lock:
            if not (self._token and time.monotonic() < self._until):
                self._token, self._until = await self._fetch()
        return self._token

    async def _fetch(self) -> tuple[str, float]:
        try:
            answer = await self.http.post(self.url, data=self.form)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"no Bot Framework token: Entra ID unreachable ({type(exc).__name__})") from None
        try:
            data = answer.json()
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        token = data.get("access_token")
        if answer.status_code != 200 or not token:
            reason = f"{answer.status_code} {data.get('error') or ''}".strip()
            if 400 <= answer.status_code < 500 and answer.status_code != 429:  # the app id, secret or tenant is wrong
                log.error(
                    "Microsoft Entra ID refused the bot's credentials (%s): check MICROSOFT_APP_ID, "
                    "MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID",
                    reason,
                )
                raise DeliveryError(f"no Bot Framework token: credentials refused ({reason})", retry_after=60)
            raise DeliveryError(f"no Bot Framework token: Microsoft Entra ID answered {reason}")
        try:
            lifetime = float(data.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        return str(token), time.monotonic() + max(0.0, lifetime - 300)


class TooLarge(DeliveryError):
    """The connector refused a message as too large (413)."""


def _id(value: str) -> str:
    return quote(value, safe="")


def _asked(exc: BaseException) -> float | None:
    return exc.retry_after if isinstance(exc, DeliveryError) else None


def _read_retried(state: RetryCallState) -> None:
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    error = state.outcome.exception() if state.outcome is not None else None
    log.info("teams connector read retried in %.1fs: %s", wait, error)


class Connector:
    """Calls the Bot Connector service of a conversation (its `serviceUrl`)."""

    def __init__(
        self, token: TokenSource = no_token, timeout: float = 10.0, http: httpx.AsyncClient | None = None
    ) -> None:
        self.token = token
        self.http = http or httpx.AsyncClient(timeout=timeout)

    async def send(self, service_url: str, conversation: str, activity: dict[str, Any]) -> dict[str, Any]:
        """Post an activity to a conversation (a channel thread when the id carries `;messageid=`)."""
        return await self._call("POST", service_url, f"v3/conversations/{_id(conversation)}/activities", activity)

    async def update(
        self, service_url: str, conversation: str, activity_id: str, activity: dict[str, Any]
    ) -> dict[str, Any]:
        path = f"v3/conversations/{_id(conversation)}/activities/{_id(activity_id)}"
        return await self._call("PUT", service_url, path, {**activity, "id": activity_id})

    async def create_conversation(self, service_url: str, bot: str, user: str, tenant: str | None) -> str:
        """Open (or find: Teams keeps one per person) the personal chat with a user; its id."""
        params: dict[str, Any] = {"bot": {"id": bot}, "members": [{"id": user}], "isGroup": False}
        if tenant:
            params |= {"tenantId": tenant, "channelData": {"tenant": {"id": tenant}}}
        answer = await self._call("POST", service_url, "v3/conversations", params)
        if not answer.get("id"):
            raise DeliveryError("the connector created no conversation", permanent=True)
        return str(answer["id"])

    async def member(self, service_url: str, conversation: str, user: str) -> dict[str, Any] | None:
        """One member of a conversation or team, with their email and UPN; None when the connector
        says there is no such member there. Raises `DeliveryError` when it could not be asked
        (throttled or down even after a few tries): that is not an answer about the person."""
        try:
            return await self._read(f"v3/conversations/{_id(conversation)}/members/{_id(user)}", service_url)
        except DeliveryError as exc:
            if not exc.permanent:
                raise
            log.info("teams member lookup refused: %s", exc)
            return None

    async def members(self, service_url: str, conversation: str, limit: int = 5000) -> list[dict[str, Any]]:
        """Everyone in a conversation or team (the paged roster), up to `limit`."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        while len(found) < limit:
            query = "?pageSize=500" + (f"&continuationToken={quote(token, safe='')}" if token else "")
            page = await self._read(f"v3/conversations/{_id(conversation)}/pagedmembers{query}", service_url)
            found += [m for m in page.get("members") or () if isinstance(m, dict)]
            token = page.get("continuationToken")
            if not token:
                break
        return found

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _read(self, path: str, service_url: str) -> dict[str, Any]:
        """A GET, tried again after throttling or a server error (after Retry-After, capped)."""
        return await with_retries(
            lambda: self._call("GET", service_url, path),
            attempts=READ_ATTEMPTS,
            retry=retry_if_exception(lambda exc: isinstance(exc, DeliveryError) and not exc.permanent),
            wait=honouring_retry_after(_asked, backing_off(0.25, MAX_READ_WAIT), cap=MAX_READ_WAIT),
            before_sleep=_read_retried,
        )

    async def _call(self, method: str, service_url: str, path: str, body: Any = None) -> dict[str, Any]:
        url = f"{service_url.rstrip('/')}/{path}"
        token = await self.token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            answer = await self.http.request(method, url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"teams connector unreachable: {type(exc).__name__}") from None
        status = answer.status_code
        if status == 429:
            raise DeliveryError(
                "teams throttled the bot (429)", retry_after=retry_after(answer.headers.get("Retry-After"))
            )
        if status >= 500 or status == 408:
            raise DeliveryError(
                f"teams connector answered {status}", retry_after=retry_after(answer.headers.get("Retry-After"))
            )
        if status == 413:
            raise TooLarge("teams refused the message as too large (413)", permanent=True)
        if status >= 400:
            raise DeliveryError(f"teams connector refused ({status}): {answer.text[:200]}", permanent=True)
        try:
            data = answer.json() if answer.content else {}
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}
