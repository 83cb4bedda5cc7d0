"""Bot Framework activities → engine events and conversation references.

Plain activity JSON in, core events out: nothing here depends on a Bot Framework SDK, so the
same translation serves the botbuilder adapter and any other host of the activity protocol.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from typing import Any

from bot.core.events import Action, ActionName, Message, Place

INVOKE_ACTION = "adaptiveCard/action"
REFRESH = "refresh"
_AT = re.compile(r"<at>(.*?)</at>", re.DOTALL)
_LEADING_AT = re.compile(r"^\s*<at>.*?</at>", re.DOTALL)
_CARD_KEYS = ("request", "step", "draft", "version", "comment", "verb", "action", "msteams")


@dataclass(frozen=True)
class Sender:
    """Who sent an activity: their Teams ids and, when the activity carries one, an email."""

    user_id: str
    aad_object_id: str | None
    email: str | None
    name: str


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sender(activity: dict[str, Any]) -> Sender:
    who = _dict(activity.get("from"))
    email = who.get("userPrincipalName") or who.get("email")
    return Sender(
        str(who.get("id", "")),
        who.get("aadObjectId"),
        str(email).lower() if email else None,
        str(who.get("name") or ""),
    )


def tenant(activity: dict[str, Any]) -> str | None:
    conversation = _dict(activity.get("conversation"))
    found = conversation.get("tenantId") or _dict(_dict(activity.get("channelData")).get("tenant")).get("id")
    return str(found) if found else None


def team(activity: dict[str, Any]) -> str | None:
    """The team's id when the activity comes from a team's channel."""
    found = _dict(_dict(activity.get("channelData")).get("team")).get("id")
    return str(found) if found else None


def place(activity: dict[str, Any]) -> Place:
    """Where replies go: the conversation (a channel thread keeps its `;messageid=` suffix), with
    what the connector needs to reach it; `invoke` marks a Universal Action, answered in place."""
    conversation = _dict(activity.get("conversation"))
    personal = (conversation.get("conversationType") or "personal") == "personal"
    extra = {
        "service_url": activity.get("serviceUrl"),
        "user": _dict(activity.get("from")).get("id"),
        "tenant": tenant(activity),
        "bot": _dict(activity.get("recipient")).get("id"),
        "team": team(activity),
        "invoke": activity.get("type") == "invoke",
    }
    return Place("teams", str(conversation.get("id", "")), None, personal, {k: v for k, v in extra.items() if v})


def reference(activity: dict[str, Any], member: dict[str, Any] | None = None) -> dict[str, Any]:
    """A person's conversation reference, stored for proactive messages: their personal chat
    when the activity comes from it, else what creating that chat needs (user, tenant, bot)."""
    where = place(activity)
    member = member or _dict(activity.get("from"))
    extra = {**where.extra, "user": member.get("id"), "aad": member.get("aadObjectId")}
    for key in ("team", "invoke"):
        extra.pop(key, None)
    personal = where.direct and member.get("id") == _dict(activity.get("from")).get("id")
    return {
        "channel": "teams",
        "conversation": where.conversation if personal else "",
        "thread": None,
        "direct": True,
        "extra": {k: v for k, v in extra.items() if v},
    }


def message_text(activity: dict[str, Any]) -> str:
    """The text without the bot's @mention; other people's mentions keep their names."""
    text = str(activity.get("text") or "")
    bot = _dict(activity.get("recipient")).get("id")
    mentions = [_dict(e) for e in activity.get("entities") or () if _dict(e).get("type") == "mention"]
    for mention in mentions:
        if _dict(mention.get("mentioned")).get("id") == bot and mention.get("text"):
            text = text.replace(str(mention["text"]), " ")
    if not mentions:  # clients that send no mention entities put the bot's mention first
        text = _LEADING_AT.sub(" ", text)
    return " ".join(html.unescape(_AT.sub(r"\1", text)).split())


def action_of(activity: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The verb and data of a Universal Action (invoke) or of an Action.Submit (a message with a value)."""
    if activity.get("type") == "invoke" and activity.get("name") == INVOKE_ACTION:
        action = _dict(_dict(activity.get("value")).get("action"))
        verb, data = action.get("verb"), dict(_dict(action.get("data")))
    elif activity.get("type") == "message" and isinstance(activity.get("value"), dict):
        data = dict(activity["value"])
        verb = data.get("verb") or data.get("action")
    else:
        return None
    return (str(verb), data) if verb else None


def event_id(activity: dict[str, Any]) -> str | None:
    """The activity's id, scoped to its conversation (Teams reuses it when it retries a delivery)."""
    found = activity.get("id")
    if not found:
        return None
    scope = hashlib.sha256(str(_dict(activity.get("conversation")).get("id", "")).encode()).hexdigest()[:16]
    return f"{str(found)[:200]}@{scope}"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_event(activity: dict[str, Any], person: str) -> Message | Action | None:
    """The engine event of an activity from a known person (None when it is nothing for the engine)."""
    where, key = place(activity), event_id(activity)
    found = action_of(activity)
    if found is not None:
        verb, data = found
        try:
            name = ActionName(verb)
        except ValueError:
            return None
        values = {k: v for k, v in data.items() if k not in _CARD_KEYS}
        comment = str(data.get("comment") or "").strip() or None
        request = str(data["request"]) if data.get("request") else None
        return Action(
            person,
            where,
            name,
            request=request,
            step=_int(data.get("step")),
            draft=_int(data.get("draft")),
            version=_int(data.get("version")),
            comment=comment,
            values=values if name is ActionName.SUBMIT_EDIT else None,
            event_id=key,
            target=str(data["to"]) if data.get("to") else None,
        )
    if activity.get("type") == "message":
        text = message_text(activity)
        return Message(person, where, text, key) if text else None
    return None


def installed(activity: dict[str, Any]) -> bool:
    """The app was installed (personal, group chat or team) or the bot was added to a conversation."""
    kind = activity.get("type")
    if kind == "installationUpdate":
        return str(activity.get("action") or "add").startswith("add")
    bot = _dict(activity.get("recipient")).get("id")
    added = activity.get("membersAdded") or ()
    return kind == "conversationUpdate" and any(_dict(m).get("id") == bot for m in added)


def members_added(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """People (not the bot) added to a conversation the bot is in."""
    if activity.get("type") != "conversationUpdate":
        return []
    bot = _dict(activity.get("recipient")).get("id")
    return [_dict(m) for m in activity.get("membersAdded") or () if _dict(m).get("id") not in (None, bot)]
