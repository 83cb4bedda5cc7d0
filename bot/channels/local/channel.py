"""The local chat channel: everything the bot sends, as JSON lines or readable text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.channels.base import Destination
from bot.core import messages as say
from bot.core.events import ActionName
from bot.core.replies import Button, Card, Outgoing

CARD_KEYS = frozenset({"request", "step", "draft", "version", "to"})
"""What a button's payload says about its card; the rest of a `submit_edit` button's payload is
the form values it sets (a field's choice)."""


def button_values(button: Button) -> dict[str, Any]:
    """The form values a button sets when pressed: a choice button's field and choice id."""
    if button.action is not ActionName.SUBMIT_EDIT:
        return {}
    return {k: v for k, v in button.payload.items() if k not in CARD_KEYS}


_ENGLISH = {
    ActionName.CONFIRM: say.BUTTON_CONFIRM,
    ActionName.EDIT: say.BUTTON_EDIT,
    ActionName.CANCEL: say.BUTTON_CANCEL,
    ActionName.SUBMIT_EDIT: say.BUTTON_SAVE,
    ActionName.APPROVE: say.BUTTON_APPROVE,
    ActionName.REJECT: say.BUTTON_REJECT,
    ActionName.REQUEST_INFO: say.BUTTON_REQUEST_INFO,
    ActionName.WITHDRAW: say.BUTTON_WITHDRAW,
    ActionName.TAKE: say.BUTTON_TAKE,
    ActionName.END_DELEGATION: say.BUTTON_END,
}
"""The buttons' English labels: a card whose buttons say something else (in Spanish) shows `labels`."""


def _translated(button: Button) -> bool:
    english = _ENGLISH.get(button.action)
    return english is not None and button.label != str.__str__(english)


def card_summary(card: Card | None) -> dict[str, Any] | None:
    """A card in a transcript: title, fields, its buttons' action names and, for a card of choices
    (a field's choices as buttons, all `submit_edit`), `choices`: each button's label and the
    values it sets, in the buttons' order; `labels`, the buttons' labels, when they are not the
    English ones (a card in Spanish)."""
    if card is None:
        return None
    summary: dict[str, Any] = {
        "title": card.title,
        "fields": dict(card.fields),
        "buttons": [b.action.value for b in card.buttons],
    }
    if any(button_values(b) for b in card.buttons):
        summary["choices"] = [{"label": b.label, "values": button_values(b)} for b in card.buttons]
    elif any(_translated(b) for b in card.buttons):
        summary["labels"] = [b.label for b in card.buttons]
    return summary


def transcript_line(outgoing: Outgoing, to: str | None = None) -> dict[str, Any]:
    """The `frontdoor chat --json` form of one message (interfaces.md)."""
    return {
        "to": to or outgoing.to,
        "text": outgoing.text,
        "request": outgoing.request,
        "card": card_summary(outgoing.card),
        "kind": outgoing.kind,
    }


def render_text(line: dict[str, Any], numbered: bool = False) -> str:
    """A message as a person reads it in a terminal, with a card's buttons in brackets, or (in the
    interactive chat, `numbered`) as choices to type: `1 · Confirm   2 · Edit   3 · Cancel`."""
    head = f"[{line['kind']} → {line['to']}] {line['text']}"
    card = line.get("card")
    if not card:
        return head
    rows = [head, f"  ┌ {card['title']}"]
    rows += [f"  │ {label}: {value}" for label, value in card["fields"].items()]
    choices = (
        card.get("choices") or [{"label": label} for label in card.get("labels", ())] or [None] * len(card["buttons"])
    )
    named = [(b, c["label"] if c else None) for b, c in zip(card["buttons"], choices, strict=True)]
    if named and numbered:
        labels = [label or b.replace("_", " ").capitalize() for b, label in named]
        rows.append("  └ " + "   ".join(f"{n} · {label}" for n, label in enumerate(labels, start=1)))
    elif named:
        rows.append("  └ " + "  ".join(f"[{label or b}]" for b, label in named))
    else:
        rows.append("  └")
    return "\n".join(rows)


class LocalChannel:
    """Delivers to a sink (a list, stdout); cards get a sequence number as their reference."""

    name = "local"

    def __init__(self, sink: Callable[[dict[str, Any]], None]) -> None:
        self.sink = sink
        self._count = 0

    def has_room(self, address: str) -> bool:
        return False  # the terminal shows every room; it is the fallback, never the first choice

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        self._count += 1
        self.sink(transcript_line(outgoing, destination.address))
        return {"n": self._count}

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        self.sink(transcript_line(outgoing))
