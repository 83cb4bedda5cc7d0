"""Driving a started Front Door as Teams does: activity JSON posted to /api/messages, with the
connector stand-in as the activities' serviceUrl. Every card is checked against the official
Adaptive Cards 1.5 schema when the shared schemas are beside the repository (always in CI)."""

from __future__ import annotations

import functools
import json
from itertools import count
from typing import Any

import aiohttp
import jsonschema

from bot.app import App
from tests.conftest import SCHEMA_DIR
from tests.fakes.bot_connector import FakeConnector, Member

TENANT = "tenant-1"
BOT = "28:front-door-bot"
ALICE, BOB, IVY, FRANK, DINA, CAROL = "29:alice", "29:bob", "29:ivy", "29:frank", "29:dina", "29:carol"
PEOPLE = {
    ALICE: Member("alice.nguyen@example.org", "Alice Nguyen"),
    BOB: Member("bob.martin@example.org", "Bob Martin", teams=("19:nursing",)),
    IVY: Member("ivy.tran@example.org", "Ivy Tran", teams=("19:nursing",)),
    FRANK: Member("frank.ito@example.org", "Frank Ito"),
    DINA: Member("dina.ross@example.org", "Dina Ross"),
    CAROL: Member("carol.diaz@example.org", "Carol Diaz", teams=("19:nursing",)),
    "29:stranger": Member("someone@elsewhere.example", "Someone Else", teams=("19:nursing",)),
}
FINANCE = "19:finance-approvals@thread.tacv2"
CARD_SCHEMA = SCHEMA_DIR / "adaptivecards" / "adaptive-card.1.5.0.schema.json"
_IDS = count(1_700_000_000_000)
CLIENT_INFO = {
    "type": "clientInfo",
    "locale": "en-US",
    "country": "US",
    "platform": "Web",
    "timezone": "America/New_York",
}


@functools.cache
def _card_validator() -> jsonschema.Draft6Validator | None:
    if not CARD_SCHEMA.is_file():
        return None
    return jsonschema.Draft6Validator(json.loads(CARD_SCHEMA.read_text()))


def card_errors(card: dict[str, Any]) -> list[str]:
    """Why a card is not a valid Adaptive Card 1.5 (the schema's nested causes), or nothing; without
    the shared schema (a fresh clone alone) the harness checks the cards' content only."""
    validator = _card_validator()
    if validator is None:
        return []
    causes: list[str] = []
    for error in validator.iter_errors(card):
        stack = [error]
        while stack:
            current = stack.pop()
            if current.context:
                stack += current.context
            else:
                causes.append(f"{'/'.join(map(str, current.absolute_path))}: {current.message}")
    return causes


class Teams:
    """Sends activities as the Teams service does and keeps the invoke answers it gets."""

    def __init__(self, app: App, connector: FakeConnector) -> None:
        self.app, self.connector = app, connector
        self.answers: list[dict[str, Any]] = []

    def activity(
        self, user: str, kind: str = "message", conversation: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        person = PEOPLE[user]
        convo = {"conversationType": "personal", "tenantId": TENANT, "id": f"a:{user}"}
        if conversation is not None:
            convo = {
                "conversationType": "channel"
                if conversation.startswith("19:") and "thread" in conversation
                else "groupChat",
                "tenantId": TENANT,
                "id": conversation,
                "isGroup": True,
            }
        return {
            "type": kind,
            "id": str(next(_IDS)),
            "timestamp": "2026-11-23T15:00:00.123Z",
            "localTimestamp": "2026-11-23T10:00:00.123-05:00",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": {"id": user, "name": person.name, "aadObjectId": person.aad or f"aad-{user}"},
            "conversation": convo,
            "recipient": {"id": BOT, "name": "Front Door"},
            "entities": [CLIENT_INFO],
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "en-US",
            **extra,
        }

    async def send(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, Any]:
        url = f"{self.app.base_url}/api/messages"
        async with aiohttp.ClientSession() as http, http.post(url, json=activity, headers=headers or {}) as answer:
            status = answer.status
            body = await answer.json() if answer.content_type == "application/json" else None
        if activity["type"] == "invoke" and isinstance(body, dict):
            self.answers.append(body)
        await self.app.settle()
        return status, body

    async def say(self, user: str, text: str, conversation: str | None = None, **extra: Any) -> tuple[int, Any]:
        return await self.send(self.activity(user, conversation=conversation, text=text, textFormat="plain", **extra))

    async def mention(self, user: str, text: str, conversation: str) -> tuple[int, Any]:
        tag = "<at>Front Door</at>"
        entity = {"type": "mention", "text": tag, "mentioned": {"id": BOT, "name": "Front Door"}}
        return await self.say(user, f"{tag} {text}", conversation, entities=[entity])

    async def press(
        self, user: str, action: dict[str, Any], conversation: str | None = None, **inputs: Any
    ) -> tuple[int, Any]:
        """Click an Action.Execute button (inputs typed on the card are merged into its data)."""
        value = {
            "action": {
                "type": "Action.Execute",
                "title": action["title"],
                "verb": action["verb"],
                "data": {**action.get("data", {}), **inputs},
            },
            "trigger": "manual",
        }
        return await self.send(self.activity(user, "invoke", conversation, name="adaptiveCard/action", value=value))

    async def refresh(self, user: str, card: dict[str, Any], conversation: str | None = None) -> tuple[int, Any]:
        """What a Teams client does when someone listed in the card's refresh.userIds views it."""
        value = {"action": card["refresh"]["action"], "trigger": "automatic"}
        return await self.send(self.activity(user, "invoke", conversation, name="adaptiveCard/action", value=value))

    async def install(self, user: str) -> tuple[int, Any]:
        """The person adds the app (personal scope)."""
        return await self.send(self.activity(user, "installationUpdate", action="add"))

    def card(self, conversation: str) -> dict[str, Any]:
        """The newest card with buttons posted to a conversation."""
        for body in reversed(self.connector.posted(conversation)):
            for attachment in body.get("attachments") or ():
                if attachment["content"].get("actions"):
                    return dict(attachment["content"])
        raise AssertionError(f"no card with buttons in {conversation}")

    def actions(self, conversation: str) -> dict[str, dict[str, Any]]:
        return {a["verb"]: a for a in self.card(conversation)["actions"]}

    def every_card(self) -> list[dict[str, Any]]:
        answered = [a["value"] for a in self.answers if a.get("type") == "application/vnd.microsoft.card.adaptive"]
        return [*self.connector.cards(), *answered]


def text_of(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)
