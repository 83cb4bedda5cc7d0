"""Adaptive Cards (schema 1.5) for Front Door's cards and forms, and the activities that carry them.

Plain JSON out, no SDK. Buttons are Universal Actions (`Action.Execute`) with an `Action.Submit`
fallback for clients without them; approval cards refresh themselves for their approvers.
Everything is kept under Teams' message size limit by shortening texts, then dropping the card.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.core import messages as say
from bot.core.replies import Button, Card, FormField, InputHint, Outgoing

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
MAX_BYTES = 24_000
"""Teams refuses messages over about 28 KB; the connector adds the envelope (ids, names) to ours."""
MAX_USERS = 60
"""Teams refreshes a card automatically for at most 60 listed users."""
STYLES = {"primary": "positive", "danger": "destructive"}
ASKS_WHY = frozenset({"reject", "request_info"})
NUMBERS = frozenset({InputHint.NUMBER, InputHint.DECIMAL})


@dataclass(frozen=True)
class Limits:
    """How long texts may be; shorter limits are tried when a message is too large."""

    text: int = 4000
    value: int = 1000
    label: int = 200


LADDER = (Limits(), Limits(1000, 300, 100), Limits(300, 80, 60))


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def size(body: dict[str, Any]) -> int:
    """The UTF-8 size of a message as JSON."""
    return len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())


def _text(text: str, limit: int, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": cut(text, limit), "wrap": True, **style}


def _input(field: FormField, limits: Limits) -> list[dict[str, Any]]:
    base: dict[str, Any] = {"id": field.name, "label": cut(field.label, limits.label), "isRequired": field.required}
    if field.required:
        base["errorMessage"] = f"{cut(field.label, limits.label)} is required."
    value = "" if field.value is None else str(field.value)
    element: dict[str, Any]
    if field.choices:
        choices = [{"title": cut(label, limits.label), "value": choice} for choice, label in field.choices]
        element = {"type": "Input.ChoiceSet", **base, "choices": choices, "style": "compact"}
        if value:
            element["value"] = value
    elif field.input is InputHint.DATE:
        element = {"type": "Input.Date", **base, **({"value": value[:10]} if value else {})}
    elif field.input in NUMBERS and _number(value) is not None:
        element = {"type": "Input.Number", **base, "min": 0, "value": _number(value)}
    elif field.input in NUMBERS and not value:
        element = {"type": "Input.Number", **base, "min": 0}
    else:  # free text, people, emails and codes; a number that does not parse is shown as typed
        element = {
            "type": "Input.Text",
            **base,
            "value": cut(value, limits.value),
            "maxLength": 2000,
            **({"placeholder": field.placeholder} if field.placeholder else {}),
            **({"style": "Email"} if field.input is InputHint.EMAIL else {}),
        }
    blocks = [element]
    if field.error:  # the engine's validation message, under the input it concerns
        blocks.append(_text(field.error, limits.value, color="Attention", size="Small", spacing="None"))
    return blocks


def _number(value: str) -> float | int | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _action(button: Button) -> dict[str, Any]:
    data = {**button.payload, "verb": button.action.value}
    style = {"style": STYLES[button.style]} if button.style in STYLES else {}
    submit = {"type": "Action.Submit", "title": button.label, "data": data, **style}
    return {
        "type": "Action.Execute",
        "title": button.label,
        "verb": button.action.value,
        "data": dict(button.payload),
        **style,
        "fallback": submit,
    }


def adaptive_card(
    card: Card, text: str = "", refresh_for: list[str] | None = None, limits: Limits = LADDER[0]
) -> dict[str, Any]:
    """A card as an Adaptive Card 1.5: title, facts, inputs, status and buttons."""
    body: list[dict[str, Any]] = []
    if text:
        body.append(_text(text, limits.text))
    body.append(_text(card.title, limits.label, weight="Bolder", size="Medium"))
    if card.fields:
        facts = [{"title": cut(k, limits.label), "value": cut(v, limits.value)} for k, v in card.fields.items()]
        body.append({"type": "FactSet", "facts": facts})
    for field in card.form:
        body += _input(field, limits)
    if card.status:
        body.append(_text(card.status, limits.value, isSubtle=True, size="Small"))
    if any(b.action.value in ASKS_WHY for b in card.buttons):
        body.append(
            {
                "type": "Input.Text",
                "id": "comment",
                "isMultiline": True,
                "maxLength": 1000,
                "label": str(say.COMMENT_LABEL),
                "placeholder": str(say.COMMENT_PLACEHOLDER),
            }
        )
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.5",
        "fallbackText": cut(text or card.title, limits.value),
        "body": body,
    }
    if card.buttons:
        result["actions"] = [_action(b) for b in card.buttons]
        if refresh_for and card.kind == "approval":
            action = {"type": "Action.Execute", "verb": "refresh", "data": dict(card.buttons[0].payload)}
            result["refresh"] = {"action": action, "userIds": refresh_for[:MAX_USERS]}
    return result


def activity(outgoing: Outgoing, refresh_for: list[str] | None = None) -> dict[str, Any]:
    """The message activity for an outgoing message: its text and, for a card, the Adaptive Card,
    shortened until it fits (as text alone if nothing else does)."""
    for limits in LADDER:
        body = _message(outgoing, refresh_for, limits)
        if size(body) <= MAX_BYTES:
            return body
    return text_only(outgoing)


def text_only(outgoing: Outgoing) -> dict[str, Any]:
    return {"type": "message", "textFormat": "plain", "text": cut(outgoing.text, 2000)}


def _message(outgoing: Outgoing, refresh_for: list[str] | None, limits: Limits) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "message", "textFormat": "plain", "text": cut(outgoing.text, limits.text)}
    if outgoing.card is not None:
        content = adaptive_card(outgoing.card, "", refresh_for, limits)
        message["attachments"] = [{"contentType": CARD_TYPE, "content": content}]
    return message


def card_answer(card: Card, text: str = "", refresh_for: list[str] | None = None) -> dict[str, Any]:
    """An `adaptiveCard/action` answer that replaces the card the person acted on."""
    for limits in LADDER:
        content = adaptive_card(card, text, refresh_for, limits)
        if size(content) <= MAX_BYTES:
            break
    return {"statusCode": 200, "type": CARD_TYPE, "value": content}


def message_answer(text: str) -> dict[str, Any]:
    """An `adaptiveCard/action` answer that shows a short message and leaves the card as it is."""
    return {"statusCode": 200, "type": MESSAGE_TYPE, "value": cut(text, 1000)}
