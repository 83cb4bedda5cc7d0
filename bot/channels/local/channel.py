"""The local chat channel: everything the bot sends, as JSON lines or readable text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.channels.base import Destination
from bot.core.replies import Card, Outgoing


def card_summary(card: Card | None) -> dict[str, Any] | None:
    if card is None:
        return None
    return {"title": card.title, "fields": dict(card.fields), "buttons": [b.action.value for b in card.buttons]}


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
    if card["buttons"] and numbered:
        rows.append(
            "  └ "
            + "   ".join(f"{n} · {b.replace('_', ' ').capitalize()}" for n, b in enumerate(card["buttons"], start=1))
        )
    elif card["buttons"]:
        rows.append("  └ " + "  ".join(f"[{b}]" for b in card["buttons"]))
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
