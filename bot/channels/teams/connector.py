"""The one way out to Teams: the Bot Connector REST API (`{serviceUrl}/v3/conversations/...`).

Every call goes through `_call`, which adds the bot's token and turns the connector's answers
into `DeliveryError`s the outbox understands: throttling (429) and server errors are retried
(after `Retry-After` when the connector says), refusals (403 bot removed, 404, 413) are not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from bot.channels.base import DeliveryError

log = logging.getLogger("frontdoor.teams")
TokenSource = Callable[[], Awaitable[str | None]]
"""Returns a bearer token for the connector, or None when authentication is off (the emulator)."""


async def no_token() -> str | None:
    return None


def retry_after(header: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class TooLarge(DeliveryError):
    """The connector refused a message as too large (413)."""


def _id(value: str) -> str:
    return quote(value, safe="")


class Connector:
    """Calls the Bot Connector service of a conversation (its `serviceUrl`)."""

    def __init__(self, token: TokenSource = no_token, timeout: float = 10.0) -> None:
        self.token = token
        self.http = httpx.AsyncClient(timeout=timeout)

    async def send(self, service_url: str, conversation: str, activity: dict[str, Any]) -> dict[str, Any]:
        """Post an activity to a conversation (a channel thread when the id carries `;messageid=`)."""
        return await self._call("POST", service_url, f"v3/conversations/{_id(conversation)}/activities", activity)

    async def update(self, service_url: str, conversation: str, activity_id: str,
                     activity: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
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
        """One member of a conversation or team, with their email and UPN; None if unknown."""
        try:
            return await self._call("GET", service_url, f"v3/conversations/{_id(conversation)}/members/{_id(user)}")
        except DeliveryError as exc:
            log.info("teams member lookup failed: %s", exc)
            return None

    async def members(self, service_url: str, conversation: str, limit: int = 5000) -> list[dict[str, Any]]:
        """Everyone in a conversation or team (the paged roster), up to `limit`."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        while len(found) < limit:
            query = "?pageSize=500" + (f"&continuationToken={quote(token, safe='')}" if token else "")
            page = await self._call("GET", service_url, f"v3/conversations/{_id(conversation)}/pagedmembers{query}")
            found += [m for m in page.get("members") or () if isinstance(m, dict)]
            token = page.get("continuationToken")
            if not token:
                break
        return found

    async def aclose(self) -> None:
        await self.http.aclose()

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
