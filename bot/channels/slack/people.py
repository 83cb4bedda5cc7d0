"""Slack users and the directory: who a Slack user is, and how to reach a person on Slack.

A Slack user is known by the directory's `chat_ids`, else by the email of their Slack profile
(`users.info`, scope users:read.email). Someone whose profile email is missing is passed on as
`slack:<user id>`, which the directory does not know: the engine answers them as an unknown
person and refuses their decisions. Each person's direct-message channel is kept in the
`contacts` table, so the router can send to them on Slack and ids survive a restart.
"""

from __future__ import annotations

import asyncio

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import Host
from bot.channels.slack.inbound import CHANNEL, dm_place, mentioned
from bot.core.replies import Card, InputHint

UNKNOWN = "slack:"


class People:
    """Maps Slack user ids to directory emails and back, and opens direct messages."""

    def __init__(self, client: AsyncWebClient, host: Host) -> None:
        self.client, self.host, self.directory = client, host, host.directory
        self._emails: dict[str, str] = {}  # user id → email (also for emails the directory lacks)
        self._dms: dict[str, str] = {}  # user id → direct-message channel id
        self._stored: dict[str, str] = {}  # user id → the DM channel stored in contacts

    async def load(self) -> None:
        """Read the stored Slack contacts (at start)."""
        for email, address in await self.host.contacts(CHANNEL):
            user = str((address.get("extra") or {}).get("user") or "")
            if user:
                self._learn(user, email)
                self._dms[user] = str(address.get("conversation") or "")
                self._stored[user] = self._dms[user]

    def _learn(self, user: str, email: str) -> None:
        self._emails[user] = email.lower()
        self.directory.link_chat_id(CHANNEL, user, email)

    async def email(self, user: str) -> str:
        """The directory email of a Slack user (`slack:U…` when their profile has none)."""
        known = self.directory.by_chat_id(CHANNEL, user)
        if known is not None:
            return known.email
        if user in self._emails:
            return self._emails[user]
        answer = await self.client.users_info(user=user)
        profile = (answer.get("user") or {}).get("profile") or {}
        email = str(profile.get("email") or "").strip().lower()
        if not email:
            return f"{UNKNOWN}{user}"
        self._learn(user, email)
        return email

    async def learn_mentions(self, text: str) -> None:
        """Map the people mentioned in a message, so `<@U…>` can be read as a person's value."""
        for user in mentioned(text):
            if self.directory.by_chat_id(CHANNEL, user) is None and user not in self._emails:
                await self.email(user)

    async def user(self, email: str) -> str | None:
        """The Slack user id of a person (None when the workspace has no user with that email)."""
        if email.startswith(UNKNOWN):
            return email.removeprefix(UNKNOWN)
        known = self.directory.chat_id(CHANNEL, email)
        if known:
            return known
        try:
            answer = await self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            if exc.response is not None and exc.response.get("error") == "users_not_found":
                return None
            raise
        user = str(answer["user"]["id"])
        self._learn(user, email)
        return user

    async def users_of(self, card: Card, wait: float = 1.0) -> dict[str, str]:
        """The Slack user ids of the people a form names, so their fields can be user menus: from
        the directory, else looked up by email (`users.lookupByEmail`, all at once) within `wait`
        seconds — the form's trigger does not wait long; a person not found in time stays text."""

        async def lookup(email: str) -> str | None:
            try:  # the directory first, then Slack
                async with asyncio.timeout(wait):
                    return await self.user(email)
            except (SlackApiError, TimeoutError):
                return None

        emails = sorted({str(f.value) for f in card.form if f.input is InputHint.PERSON and f.value})
        users = await asyncio.gather(*(lookup(email) for email in emails))
        return {email: user for email, user in zip(emails, users, strict=True) if user}

    async def dm(self, user: str) -> str:
        """The id of the bot's direct-message channel with a user (opened once)."""
        if not self._dms.get(user):
            opened = await self.client.conversations_open(users=user)
            self._dms[user] = str(opened["channel"]["id"])
        return self._dms[user]

    async def remember(self, email: str, user: str, channel: str) -> None:
        """Store a person's direct-message channel as their Slack contact: once per user and
        channel, not at each of their messages."""
        self._dms[user] = channel
        if email.startswith(UNKNOWN) or self.directory.get(email) is None or self._stored.get(user) == channel:
            return
        self._stored[user] = channel
        await self.host.save_contacts(CHANNEL, [(email, dm_place(channel, user).as_dict())])
