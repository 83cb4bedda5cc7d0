"""The bot's own Slack identity, for bolt's authorisation step, without making acknowledgements wait.

Bolt's single-workspace authorisation calls `auth.test` when the first request arrives and, if
that call fails, answers Slack 200 with an error text: the event counts as delivered and is
lost. Here `auth.test` is asked at start and again until it has answered, an acknowledgement
waits for it at most `wait` seconds, and a request is served whatever it said: the bot token is
known, and an event names the bot's user id in its `authorizations` anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("frontdoor.slack")


class BotIdentity(AsyncAuthorize):
    """`auth.test`, asked until it has answered; called by bolt to authorise each request."""

    def __init__(self, client: AsyncWebClient, token: str | None, wait: float = 1.0) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # bolt's base class is untyped
        self.client, self.token, self.wait = client, token, wait
        self.known: dict[str, str] = {}
        self._asking: asyncio.Task[None] | None = None

    def learn(self) -> asyncio.Task[None]:
        """Ask `auth.test` now, unless it already answered or is being asked."""
        if self._asking is None or (self._asking.done() and not self.known):
            self._asking = asyncio.get_running_loop().create_task(self._ask(), name="slack:auth.test")
            self._asking.add_done_callback(_logged)
        return self._asking

    def close(self) -> None:
        if self._asking is not None:
            self._asking.cancel()

    async def _ask(self) -> None:
        answer = await self.client.auth_test()
        self.known = {k: str(answer.get(k)) for k in ("user_id", "bot_id", "team_id") if answer.get(k)}

    async def __call__(
        self, *, context: Any, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_actor: Any
    ) -> AuthorizeResult:
        if not self.known:
            asking = self.learn()
            with contextlib.suppress(Exception):  # slow or refused: served without it, asked again next time
                async with asyncio.timeout(self.wait):
                    await asyncio.shield(asking)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id or self.known.get("team_id"),
            bot_user_id=self.known.get("user_id"),
            bot_id=self.known.get("bot_id"),
            bot_token=self.token,
            user_id=user_id,
        )


def _logged(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("Slack auth.test failed (%s); asking again with the next request", task.exception())
