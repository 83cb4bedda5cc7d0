"""Slack payloads in, the engine's terms out: who said what where, which button, which form values.

Pure functions over the dicts Slack sends (events, commands, shortcuts, block actions, view
submissions); no Web API calls and no store. Each inbound item gets a stable id so that Slack's
retries of it are recognised: the event id for events, the user and `action_ts` for a button,
the view and trigger for a form.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.core.events import Action, ActionName, Place

CHANNEL = "slack"
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
USER_SUBTYPES = (None, "file_share", "thread_broadcast")


@dataclass(frozen=True)
class Said:
    """A person wrote something the bot should read."""

    user: str
    place: Place
    text: str
    event_id: str
    needs_draft: bool = False
    """A reply in a channel thread without a mention: read only if a draft is open in that thread."""

    def as_dict(self) -> dict[str, Any]:
        """As kept in the store until it is processed (`bot.inbox`)."""
        return {
            "user": self.user,
            "place": self.place.as_dict(),
            "text": self.text,
            "event_id": self.event_id,
            "needs_draft": self.needs_draft,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Said:
        return cls(
            str(data["user"]),
            Place.from_dict(data["place"]),
            str(data["text"]),
            str(data["event_id"]),
            bool(data.get("needs_draft")),
        )


def unescape(text: str) -> str:
    """Slack's text with its three escapes undone ("R&amp;D" is R&D); its own markup (mentions,
    links, mailto:) stays for the parser and the directory, which read it."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mention(text: str, bot_user: str | None) -> str:
    """The text without the bot's own mention (other people's mentions stay: they can be values)."""
    if bot_user:
        text = re.sub(rf"<@{re.escape(bot_user)}(?:\|[^>]*)?>", " ", text)
    return " ".join(text.split())


def mentioned(text: str) -> list[str]:
    return list(dict.fromkeys(MENTION.findall(text)))


def _place(event: dict[str, Any], user: str, thread: str | None) -> Place:
    direct = event.get("channel_type") == "im"
    return Place(CHANNEL, str(event["channel"]), thread, direct, {"user": user})


def said_in_message(body: dict[str, Any], event: dict[str, Any], bot_user: str | None) -> Said | None:
    """A `message` event: every direct message; in channels, replies in a thread (when a draft is
    open there) that do not mention the bot (those arrive as `app_mention`)."""
    user = event.get("user")
    if not user or event.get("bot_id") or event.get("subtype") not in USER_SUBTYPES or user == bot_user:
        return None
    text = unescape(str(event.get("text") or ""))
    if event.get("channel_type") == "im":
        return Said(user, _place(event, user, event.get("thread_ts")), text.strip(), event_id(body))
    thread = event.get("thread_ts")
    if not thread or thread == event.get("ts") or (bot_user and f"<@{bot_user}" in text):
        return None
    return Said(user, _place(event, user, thread), strip_mention(text, bot_user), event_id(body), needs_draft=True)


def said_in_mention(body: dict[str, Any], event: dict[str, Any], bot_user: str | None) -> Said | None:
    """An `app_mention`: answered in the thread of the message (a new thread if it had none)."""
    user = event.get("user")
    if not user or event.get("bot_id"):
        return None
    thread = event.get("thread_ts") or event.get("ts")
    text = strip_mention(unescape(str(event.get("text") or "")), bot_user)
    return Said(user, _place(event, user, thread), text, event_id(body))


def bot_user(body: dict[str, Any]) -> str | None:
    """The bot's own user id as an event names it (`authorizations`), for when auth.test has not answered."""
    for authorization in body.get("authorizations") or ():
        if isinstance(authorization, dict) and authorization.get("is_bot") and authorization.get("user_id"):
            return str(authorization["user_id"])
    return None


def event_id(body: dict[str, Any]) -> str:
    event_id = body.get("event_id")
    if event_id:
        return str(event_id)
    digest = hashlib.sha256(json.dumps(body.get("event") or {}, sort_keys=True).encode()).hexdigest()
    return f"event:{digest[:32]}"


def dm_place(channel: str, user: str) -> Place:
    return Place(CHANNEL, channel, None, True, {"user": user})


def button_place(body: dict[str, Any]) -> Place:
    """Where a button was pressed: the card's conversation and thread, or the person's App Home."""
    user = str(body["user"]["id"])
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    extra: dict[str, Any] = {"user": user}
    if body.get("trigger_id"):
        extra["trigger_id"] = body["trigger_id"]
    if not channel:  # App Home: refusals and replies go to the person's direct messages
        return Place(CHANNEL, f"user:{user}", None, True, extra)
    thread = message.get("thread_ts") or container.get("thread_ts")
    if thread and thread == message.get("ts"):
        thread = None  # a card that has replies of its own is not in a thread
    return Place(CHANNEL, str(channel), thread, str(channel).startswith("D"), extra)


def button_payload(action: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(action.get("value") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def action_name(action: dict[str, Any]) -> ActionName | None:
    """The button's action: its action id, less the number that tells apart the buttons of one
    action on a card (`submit_edit:3`, a field's third choice; see `render.action_ids`)."""
    name, _, number = str(action.get("action_id")).partition(":")
    if number and not number.isdigit():
        return None
    try:
        return ActionName(name)
    except ValueError:
        return None


BUTTON_KEYS = frozenset({"request", "step", "draft", "version", "to", "place", "action"})
"""What a button's payload says about the card it is on; the rest of a `submit_edit` button's
payload is form values (a field's choice: `{"issue_type": "plumbing"}`)."""


def button_values(name: ActionName, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The form values a button sets: those of a `submit_edit` button (a choice), else None."""
    if name is not ActionName.SUBMIT_EDIT:
        return None
    return {k: v for k, v in payload.items() if k not in BUTTON_KEYS}


def action_key(body: dict[str, Any], action: dict[str, Any]) -> str:
    return f"action:{body['user']['id']}:{action.get('action_ts') or body.get('trigger_id')}"


def view_key(body: dict[str, Any]) -> str:
    view = body.get("view") or {}
    return f"view:{view.get('id')}:{body.get('trigger_id') or view.get('hash')}"


def decision(
    person: str, place: Place, name: ActionName, payload: dict[str, Any], event_id: str, comment: str | None = None
) -> Action:
    """A button press (or a reason form) as the engine's Action; a choice button (`submit_edit`)
    carries the value it sets, as an edit of the form would."""
    return Action(
        person,
        place,
        name,
        request=payload.get("request"),
        step=payload.get("step"),
        draft=payload.get("draft"),
        version=payload.get("version"),
        comment=comment,
        values=button_values(name, payload),
        event_id=event_id,
        target=str(payload["to"]) if payload.get("to") else None,
    )


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def input_value(element: dict[str, Any]) -> Any:
    """One modal input's value as the engine reads it: a choice id, an ISO date, a number as text,
    the text; a user select gives ("user", U…) for the adapter to map to an email."""
    kind = element.get("type")
    if kind == "static_select":
        return (element.get("selected_option") or {}).get("value")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "users_select":
        return ("user", element["selected_user"]) if element.get("selected_user") else None
    return element.get("value")


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    values = (view.get("state") or {}).get("values") or {}
    return {block: input_value(next(iter(inputs.values()), {})) for block, inputs in values.items() if inputs}


class Recent:
    """The ids seen lately in this process, so a retry arriving while its first delivery is still
    being handled costs nothing; the engine's store is what refuses a repeat for good."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first(self, key: str) -> bool:
        """True the first time `key` is seen."""
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True

    def forget(self, key: str) -> None:
        """Take `key` back (its event was not kept): its next delivery counts as the first."""
        self._seen.pop(key, None)
