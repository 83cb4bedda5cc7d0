"""Delivering to Teams: replies in the conversation a person wrote in, proactive messages to a
person's personal chat (opened from their stored reference when needed), cards to the approvals
channels, and cards updated in place."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.channels.base import DeliveryError, Destination
from bot.channels.teams import render
from bot.channels.teams.connector import Connector, TooLarge
from bot.channels.teams.contacts import Contacts
from bot.core.replies import Outgoing

log = logging.getLogger("frontdoor.teams")


@dataclass(frozen=True)
class Target:
    """A conversation to post to."""

    service_url: str
    conversation: str


class TeamsChannel:
    """The Teams channel of one Front Door process (the outbox calls `post` and `update`)."""

    name = "teams"

    def __init__(
        self, connector: Connector, contacts: Contacts, rooms: dict[str, dict[str, str]], bot_id: str | None
    ) -> None:
        self.connector, self.contacts = connector, contacts
        self.rooms = rooms
        """`#approvals-<role>` → {"conversation": "19:…@thread.tacv2", "service_url": …} (FRONTDOOR_TEAMS_CHANNELS)."""
        self.bot_id = bot_id

    def has_room(self, address: str) -> bool:
        return address in self.rooms

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        if answered_in_place(outgoing):
            return {}
        target = await self._target(outgoing, destination)
        body = render.activity(outgoing, self._refresh_for(outgoing))
        try:
            answer = await self.connector.send(target.service_url, target.conversation, body)
        except TooLarge:
            answer = await self.connector.send(target.service_url, target.conversation, render.text_only(outgoing))
        return {"service_url": target.service_url, "conversation": target.conversation, "activity_id": answer.get("id")}

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        activity_id = platform_ref.get("activity_id")
        if not activity_id:
            return
        body = render.activity(outgoing, self._refresh_for(outgoing))
        where = (platform_ref["service_url"], platform_ref["conversation"], activity_id)
        try:
            await self.connector.update(*where, body)
        except TooLarge:
            await self.connector.update(*where, render.text_only(outgoing))

    def _refresh_for(self, outgoing: Outgoing) -> list[str] | None:
        """Who the card refreshes itself for: the approvers of an approval card that is still open."""
        card = outgoing.card
        return self.contacts.approvers(outgoing.to) if card and card.kind == "approval" and card.buttons else None

    async def _target(self, outgoing: Outgoing, destination: Destination) -> Target:
        place = dict((destination.contact or {}).get("place") or {})
        if outgoing.place is None and destination.address.startswith("#"):
            return self._room(destination.address)
        if outgoing.ephemeral and not place.get("direct", True):
            # Teams channels have no private messages: say it in the person's personal chat instead
            place = self.contacts.get(outgoing.to) or {**place, "conversation": ""}
        extra = place.get("extra") or {}
        service = str(extra.get("service_url") or "")
        if place.get("conversation") and service:
            return Target(service, str(place["conversation"]))
        if service and extra.get("user"):
            return await self._open_chat(outgoing.to, place, service)
        raise DeliveryError(
            f"no Teams conversation for {destination.address}: they need the app installed "
            "or to write to it once (docs/teams.md)",
            permanent=True,
        )

    def _room(self, address: str) -> Target:
        room = self.rooms.get(address)
        if not room:
            raise DeliveryError(f"no Teams channel for {address}: map it in FRONTDOOR_TEAMS_CHANNELS", permanent=True)
        service = room.get("service_url") or self.contacts.service_url(room.get("tenant"))
        if not service:
            raise DeliveryError(
                f"no service URL for {address} yet: add service_url to FRONTDOOR_TEAMS_CHANNELS", permanent=True
            )
        return Target(service, room["conversation"])

    async def _open_chat(self, email: str, place: dict[str, Any], service: str) -> Target:
        """Open the person's personal chat from their stored ids, and keep its id for next time."""
        extra = place.get("extra") or {}
        bot = str(extra.get("bot") or (f"28:{self.bot_id}" if self.bot_id else ""))
        if not bot:
            raise DeliveryError(f"cannot open a Teams chat with {email} before the bot has been seen", permanent=True)
        conversation = await self.connector.create_conversation(service, bot, str(extra["user"]), extra.get("tenant"))
        opened = {**place, "conversation": conversation, "direct": True}
        await self.contacts.remember([(email, opened)])
        return Target(service, conversation)


def answered_in_place(outgoing: Outgoing) -> bool:
    """What a Universal Action's answer already showed the person who clicked: the form or review
    card that replaced the card they clicked, or a refusal. It is not posted again."""
    if outgoing.place is None or not outgoing.place.extra.get("invoke"):
        return False
    if outgoing.card is not None:
        return outgoing.card.kind in ("form", "review")
    return outgoing.ephemeral


def rooms_from(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """FRONTDOOR_TEAMS_CHANNELS: `{"#approvals-finance": "19:…@thread.tacv2"}` or with details
    `{"#approvals-finance": {"conversation": "19:…", "service_url": "https://smba…", "tenant": "…"}}`."""
    rooms: dict[str, dict[str, str]] = {}
    for name, value in raw.items():
        room = {"conversation": value} if isinstance(value, str) else value
        if not isinstance(room, dict) or not isinstance(room.get("conversation"), str) or not room["conversation"]:
            raise ValueError(f"{name}: give the channel's conversation id (19:…@thread.tacv2)")
        key = name if name.startswith("#") else f"#{name}"
        rooms[key] = {k: str(v) for k, v in room.items() if k in ("conversation", "service_url", "tenant") and v}
    return rooms
