"""What the engine asks channels to send: messages and cards, channel-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.core.events import ActionName, Place

Kind = Literal["reply", "card", "card_update", "reminder", "escalation", "notice", "error"]


@dataclass(frozen=True)
class Button:
    """A button on a card; `payload` is what comes back when it is pressed."""

    action: ActionName
    label: str
    style: Literal["primary", "danger", "default"] = "default"
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FormField:
    """One field of an editable form, for renderers that can show inputs."""

    name: str
    label: str
    kind: str
    required: bool
    value: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Card:
    """A card: a title, labelled fields, an optional status line and buttons."""

    title: str
    fields: dict[str, str]
    buttons: tuple[Button, ...] = ()
    status: str | None = None
    form: tuple[FormField, ...] = ()
    kind: Literal["review", "approval", "form", "info"] = "info"

    def as_dict(self) -> dict[str, Any]:
        """What `from_dict` reads (as `dataclasses.asdict` would give, written out: it is hot)."""
        return {
            "title": self.title,
            "fields": dict(self.fields),
            "buttons": [
                {"action": b.action, "label": b.label, "style": b.style, "payload": dict(b.payload)}
                for b in self.buttons
            ],
            "status": self.status,
            "form": [
                {
                    "name": f.name,
                    "label": f.label,
                    "kind": f.kind,
                    "required": f.required,
                    "value": f.value,
                    "choices": [list(c) for c in f.choices],
                    "error": f.error,
                }
                for f in self.form
            ],
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Card:
        buttons = tuple(
            Button(ActionName(b["action"]), b["label"], b.get("style", "default"), b.get("payload") or {})
            for b in data.get("buttons", ())
        )
        form = tuple(
            FormField(**{**f, "choices": tuple(tuple(c) for c in f.get("choices", ()))}) for f in data.get("form", ())
        )
        return cls(
            title=data["title"],
            fields=dict(data.get("fields") or {}),
            buttons=buttons,
            status=data.get("status"),
            form=form,
            kind=data.get("kind", "info"),
        )


@dataclass(frozen=True)
class Outgoing:
    """One thing to send. `to` is an email or a `#channel`; `place` pins the conversation
    (a reply in the thread the person wrote in); `card_key` names a card to post or update."""

    kind: Kind
    to: str
    text: str
    request: str | None = None
    card: Card | None = None
    card_key: str | None = None
    place: Place | None = None
    ephemeral: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "to": self.to,
            "text": self.text,
            "request": self.request,
            "card": self.card.as_dict() if self.card else None,
            "card_key": self.card_key,
            "place": self.place.as_dict() if self.place else None,
            "ephemeral": self.ephemeral,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outgoing:
        return cls(
            kind=data["kind"],
            to=data["to"],
            text=data["text"],
            request=data.get("request"),
            card=Card.from_dict(data["card"]) if data.get("card") else None,
            card_key=data.get("card_key"),
            place=Place.from_dict(data["place"]) if data.get("place") else None,
            ephemeral=bool(data.get("ephemeral")),
        )
