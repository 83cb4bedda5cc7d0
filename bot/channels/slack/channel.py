"""Delivering to Slack for the outbox: the one place that posts, updates and opens forms.

Every Web API failure becomes a DeliveryError: `ratelimited` (HTTP 429) carries Slack's
Retry-After, so the outbox tries again then and nothing is lost; errors that cannot heal (an
archived channel, a missing scope) are permanent. Refusals are shown only to the person refused:
the engine marks its refusals of decisions ephemeral, and any error answering someone in a
shared channel is posted ephemerally too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import DeliveryError, Destination
from bot.channels.slack import render
from bot.channels.slack.background import Background, rate_limit_wait
from bot.channels.slack.people import People
from bot.core.replies import Outgoing

T = TypeVar("T")
log = logging.getLogger("frontdoor.slack")
PERMANENT = frozenset(
    (
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "users_not_found",
        "invalid_auth",
        "account_inactive",
        "missing_scope",
        "not_authed",
        "msg_too_long",
        "invalid_blocks",
        "message_not_found",
        "cant_update_message",
        "user_not_in_channel",
    )
)
LABEL = "frontdoor_message"
"""The metadata event type of what Front Door posts; its payload's `key` is the outbox row's
idempotency key, looked up before a message that may have gone out already is posted again."""
LOOK_BACK = 50
"""How many of a conversation's latest messages are searched for an earlier delivery."""
TRIGGER_GONE = frozenset({"expired_trigger_id", "invalid_trigger_id", "trigger_exchanged"})


class SlackChannel:
    """Posts messages and cards, updates cards in place, opens the edit form; refusals are ephemeral."""

    name = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        people: People,
        channels: dict[str, str],
        delivered: Callable[[Outgoing], None] | None = None,
        background: Background | None = None,
    ) -> None:
        self.client, self.people, self.channels = client, people, channels
        self.delivered = delivered
        self.background = background or Background()
        """The adapter's work after acknowledgements (tests wait for it to be idle)."""

    rooms_by_name = True
    """An approvals room not mapped to a channel id is posted to by its name (`#approvals-cfo`)."""

    def has_room(self, address: str) -> bool:
        return address in self.channels

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        place = dict((destination.contact or {}).get("place") or {})
        return await self._delivering(outgoing, self._post(outgoing, place, destination))

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        if not platform_ref.get("ts"):
            return  # ephemeral messages and forms cannot be updated
        call = self.client.chat_update(
            channel=platform_ref["channel"], ts=platform_ref["ts"], **render.message(outgoing)
        )
        await self._delivering(outgoing, call)

    async def _delivering(self, outgoing: Outgoing, call: Awaitable[T]) -> T:
        """Await a Web API call for `outgoing`, its failures told as delivery errors the outbox acts on."""
        try:
            result = await call
        except SlackApiError as exc:
            raise delivery_error(exc) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"slack unreachable: {type(exc).__name__}: {exc}") from None
        if self.delivered is not None:
            self.delivered(outgoing)
        return result

    async def _post(self, outgoing: Outgoing, place: dict[str, Any], destination: Destination) -> dict[str, Any]:
        extra = dict(place.get("extra") or {})
        if outgoing.card is not None and outgoing.card.kind == "form":
            if extra.get("view_id"):
                return {}  # refused form values: already shown in the modal (`response_action: errors`)
            if extra.get("trigger_id") and await self._open_form(outgoing, place, extra["trigger_id"]):
                return {}
            outgoing = Outgoing(outgoing.kind, outgoing.to, outgoing.text, outgoing.request, place=outgoing.place)
        channel, thread = await self._where(destination.address, place)
        shared = outgoing.kind == "error" and not place.get("direct", True)  # not for the whole channel
        if (outgoing.ephemeral or shared) and extra.get("user"):
            await self.client.chat_postEphemeral(
                channel=channel, user=extra["user"], thread_ts=thread, **render.message(outgoing)
            )
            return {}
        if destination.key is None:
            answer = await self.client.chat_postMessage(channel=channel, thread_ts=thread, **render.message(outgoing))
            return {"channel": answer["channel"], "ts": answer["ts"]}
        if destination.maybe_sent:
            earlier = await self._posted(channel, thread, destination.key)
            if earlier is not None:
                log.info("not posted again: an earlier delivery of this message is in the channel")
                return earlier
        label = {"event_type": LABEL, "event_payload": {"key": destination.key}}
        answer = await self.client.chat_postMessage(
            channel=channel, thread_ts=thread, metadata=label, **render.message(outgoing)
        )
        return {"channel": answer["channel"], "ts": answer["ts"]}

    async def _posted(self, channel: str, thread: str | None, key: str) -> dict[str, Any] | None:
        """The message an earlier delivery posted, found by the key in its metadata among the
        latest of the conversation (or thread); None when there is none, or Slack cannot say."""
        try:
            if thread:
                found = await self.client.conversations_replies(
                    channel=channel, ts=thread, limit=LOOK_BACK, include_all_metadata=True
                )
            else:
                found = await self.client.conversations_history(
                    channel=channel, limit=LOOK_BACK, include_all_metadata=True
                )
        except SlackApiError as exc:  # no history scope on that conversation: post, at least once
            log.info("could not look for an earlier delivery: %s", exc.response.get("error") if exc.response else exc)
            return None
        for message in found.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if message.get("metadata", {}).get("event_type") == LABEL and payload.get("key") == key:
                return {"channel": channel, "ts": message["ts"]}
        return None

    async def _open_form(self, outgoing: Outgoing, place: dict[str, Any], trigger: str) -> bool:
        """Open the edit modal; False when its trigger has expired (the form is then offered in chat)."""
        assert outgoing.card is not None
        payload = outgoing.card.buttons[0].payload if outgoing.card.buttons else {}
        extra = {k: v for k, v in (place.get("extra") or {}).items() if k != "trigger_id"}
        meta = {**payload, "place": {**place, "extra": extra}}
        users = await self.people.users_of(outgoing.card)
        try:
            await self.client.views_open(trigger_id=trigger, view=render.form_view(outgoing.card, meta, users))
        except SlackApiError as exc:
            if exc.response is not None and exc.response.get("error") in TRIGGER_GONE:
                log.info("edit form trigger expired; offering the form in chat")
                return False
            raise
        return True

    async def _where(self, address: str, place: dict[str, Any]) -> tuple[str, str | None]:
        """The Slack channel id (and thread) for a message: the place it answers, an approvals
        channel (configured id, else its name), or the person's direct messages."""
        conversation = str(place.get("conversation") or "")
        if conversation and not conversation.startswith("user:"):
            return conversation, place.get("thread")
        if address.startswith("#"):
            return self.channels.get(address, address.removeprefix("#")), None
        user = conversation.removeprefix("user:") or await self.people.user(address)
        if not user:
            raise DeliveryError(f"slack: no Slack user with the email {address}", permanent=True)
        return await self.people.dm(user), None


def delivery_error(exc: SlackApiError) -> DeliveryError:
    response = exc.response
    error = str(response.get("error", "")) if response is not None else ""
    retry = rate_limit_wait(exc)
    if retry is not None:
        return DeliveryError(f"slack ratelimited: retry in {retry:g}s", retry_after=retry)
    return DeliveryError(f"slack: {error or exc}", permanent=error in PERMANENT)
