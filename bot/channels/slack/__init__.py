"""Slack: a bolt app served on the product's HTTP server (`POST /slack/events`), or over Socket Mode.

`inbound` (payloads → who said what where), `render` (Block Kit), `people` (Slack users and
the directory), `channel` (delivery for the outbox) and `home` (App Home) use no bolt;
`adapter` holds the bolt listeners. Imported only when Slack is enabled; each App gets its own
bolt app and Web API client.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from tenacity import RetryCallState, retry_if_exception_type

from backend_client.retry import backing_off, with_retries
from bot.channels.base import Channel, Host
from bot.settings import Settings, reveal

log = logging.getLogger("frontdoor.slack")
SLACK_API = "https://slack.com/api/"


class _QuietTokenWarning(logging.Filter):
    """Bolt warns that the token it read from SLACK_BOT_TOKEN is unused when given a client and an
    `authorize` function: the client's token is that token, and `authorize` hands it back."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return "`token` will be unused" not in text and "will be ignored" not in text


SHUTDOWN_GRACE = 20.0
"""Seconds a stopping process waits for acknowledged events to be handled."""


def build(settings: Settings, host: Host) -> tuple[Channel, Callable[[Any], None]]:
    """The Slack channel of one Front Door process and the function that mounts its route."""
    import aiohttp
    import aiohttp.web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.request.async_request import AsyncBoltRequest
    from slack_sdk.signature import SignatureVerifier
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.channels.slack.adapter import SlackAdapter
    from bot.channels.slack.background import Background
    from bot.channels.slack.channel import SlackChannel
    from bot.channels.slack.home import HomeTabs
    from bot.channels.slack.identity import BotIdentity
    from bot.channels.slack.people import People

    session = aiohttp.ClientSession()  # one connection pool for every Web API call
    api = (settings.slack_api_url or SLACK_API).rstrip("/") + "/"
    client = AsyncWebClient(token=reveal(settings.slack_bot_token), base_url=api, session=session, timeout=10)
    bolt_log = logging.getLogger("frontdoor.slack.bolt")
    bolt_log.addFilter(_QuietTokenWarning())
    secret = reveal(settings.slack_signing_secret)
    identity = BotIdentity(client, reveal(settings.slack_bot_token))
    bolt = AsyncApp(
        name="frontdoor",
        client=client,
        signing_secret=secret or "",
        logger=bolt_log,
        authorize=identity,
        request_verification_enabled=bool(secret),
        process_before_response=True,
    )
    background = Background()
    people = People(client, host)
    home = HomeTabs(host, client, background)
    SlackAdapter(host, bolt, people, home, background)
    channel = SlackChannel(client, people, dict(settings.slack_channels), home.changed, background)
    socket: list[Any] = []

    async def events(request: Any) -> Any:
        """The signature is checked before the body is read as JSON or a form, so a forged body is
        refused (401) whatever it holds, and a signed body that is not what Slack sends is a 400."""
        body = await request.text()
        if not SignatureVerifier(str(secret)).is_valid_request(body, request.headers):
            return aiohttp.web.json_response({"error": "invalid signature"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=request.headers)
        except (ValueError, TypeError, KeyError, AttributeError):
            return aiohttp.web.json_response({"error": "malformed body"}, status=400)
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    async def start(_web_app: Any) -> None:
        identity.learn()
        await people.load()
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(bolt, reveal(settings.slack_app_token))
            socket.append(handler)
            background.spawn(_connect(handler), "socket-mode")

    async def stop(_web_app: Any) -> None:
        for handler in socket:
            await handler.close_async()
        # Slack has its acknowledgement for these and will not send them again: let them reach the
        # engine (and the database) before the process goes.
        try:
            async with asyncio.timeout(SHUTDOWN_GRACE):  # not wait_for: it can drop a cancel (3.11)
                await background.idle()
        except TimeoutError:
            log.warning("Slack: %d acknowledged events were still being handled at shutdown", background.busy)
        identity.close()
        await background.close()
        await session.close()

    def add_routes(web_app: Any) -> None:
        if secret:  # without a signing secret (Socket Mode only) nothing is served over HTTP
            web_app.router.add_post("/slack/events", events)
        web_app.on_startup.append(start)
        web_app.on_cleanup.append(stop)

    return channel, add_routes


async def _connect(handler: Any, attempts: int = 8) -> None:
    """Open the Socket Mode connection, trying again with back-off while Slack cannot be reached."""
    try:
        await with_retries(
            handler.connect_async,
            attempts=attempts,
            retry=retry_if_exception_type(Exception),  # the SDK raises whatever its transport raised
            wait=backing_off(1.0, 30.0),
            before_sleep=_connect_failed,
        )
    except Exception as exc:
        log.error("Slack Socket Mode: giving up after %d attempts (%s)", attempts, exc)
        return
    log.info("Slack Socket Mode connected")


def _connect_failed(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    log.warning("Slack Socket Mode connection failed (%s); trying again", error)
