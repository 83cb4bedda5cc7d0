"""What the engine asks channels to send: messages and cards, channel-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from bot.core.events import ActionName, Place
from forms.kinds import InputHint as InputHint  # what a channel switches on to render a form field


def _said(thing: Any, *names: str) -> None:
    """Catalogue sentences (`forms.language.Text`) become the words of the language being spoken
    when what carries them is made: what is sent is plain text, whenever it is delivered."""
    for name in names:
        value = getattr(thing, name)
        if value is not None and type(value) is not str:
            object.__setattr__(thing, name, str(value))


class OutKind(StrEnum):
    """What an outgoing message is, which decides how a channel shows it."""

    REPLY = "reply"
    """An answer in the conversation the person wrote in."""
    CARD = "card"
    """A new card (a review, a form, an approval card)."""
    CARD_UPDATE = "card_update"
    """A posted card, changed in place wherever it was posted."""
    REMINDER = "reminder"
    ESCALATION = "escalation"
    NOTICE = "notice"
    """News a person did not ask for just now (a decision, a status update)."""
    ERROR = "error"
    """A refusal or a problem with what the person sent."""


Kind = OutKind


@dataclass(frozen=True)
class Button:
    """A button on a card; `payload` is what comes back when it is pressed."""

    action: ActionName
    label: str
    style: Literal["primary", "danger", "default"] = "default"
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _said(self, "label")


@dataclass(frozen=True)
class FormField:
    """One field of an editable form, for renderers that can show inputs: `input` (from the
    field's kind) is what a renderer switches on, so a new kind needs no channel code."""

    name: str
    label: str
    input: InputHint
    required: bool
    value: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    placeholder: str = ""

    def __post_init__(self) -> None:
        _said(self, "label", "error", "placeholder")
        if any(type(label) is not str for _, label in self.choices):
            object.__setattr__(self, "choices", tuple((value, str(label)) for value, label in self.choices))


@dataclass(frozen=True)
class Card:
    """A card: a title, labelled fields, an optional status line and buttons."""

    title: str
    fields: dict[str, str]
    buttons: tuple[Button, ...] = ()
    status: str | None = None
    form: tuple[FormField, ...] = ()
    kind: Literal["review", "approval", "form", "info"] = "info"

    def __post_init__(self) -> None:
        _said(self, "title", "status")
        if any(type(k) is not str or type(v) is not str for k, v in self.fields.items()):
            object.__setattr__(self, "fields", {str(k): str(v) for k, v in self.fields.items()})

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
                    "input": f.input.value,
                    "required": f.required,
                    "value": f.value,
                    "choices": [list(c) for c in f.choices],
                    "error": f.error,
                    "placeholder": f.placeholder,
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
            FormField(
                name=f["name"],
                label=f["label"],
                input=InputHint(f.get("input", InputHint.TEXT)),
                required=f["required"],
                value=f.get("value"),
                choices=tuple(tuple(c) for c in f.get("choices", ())),
                error=f.get("error"),
                placeholder=f.get("placeholder", ""),
            )
            for f in data.get("form", ())
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

    kind: OutKind
    to: str
    text: str
    request: str | None = None
    card: Card | None = None
    card_key: str | None = None
    place: Place | None = None
    ephemeral: bool = False

    def __post_init__(self) -> None:
        _said(self, "text")

    @classmethod
    def reply(cls, to: str, text: str, request: str | None = None, *, place: Place | None = None) -> Outgoing:
        """An answer to `to` in the conversation of `place`."""
        return cls(OutKind.REPLY, to, text, request, place=place)

    @classmethod
    def notice(cls, to: str, text: str, request: str | None = None, *, place: Place | None = None) -> Outgoing:
        """News for `to` (where `place` says, else their usual conversation)."""
        return cls(OutKind.NOTICE, to, text, request, place=place)

    @classmethod
    def error(
        cls,
        to: str,
        text: str,
        request: str | None = None,
        *,
        place: Place | None = None,
        ephemeral: bool = False,
        card: Card | None = None,
        card_key: str | None = None,
    ) -> Outgoing:
        """A refusal for `to`; `ephemeral` where only they should see it (a shared channel); with
        `card`, the form again with what was refused marked."""
        return cls(OutKind.ERROR, to, text, request, card=card, card_key=card_key, place=place, ephemeral=ephemeral)

    @classmethod
    def new_card(
        cls, to: str, text: str, card: Card, key: str, request: str | None = None, *, place: Place | None = None
    ) -> Outgoing:
        """A card posted to `to`, updated later under `key`."""
        return cls(OutKind.CARD, to, text, request, card=card, card_key=key, place=place)

    @classmethod
    def card_changed(cls, to: str, text: str, card: Card, key: str, request: str | None = None) -> Outgoing:
        """The card posted under `key`, changed in place wherever it was posted."""
        return cls(OutKind.CARD_UPDATE, to, text, request, card=card, card_key=key)

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
            kind=OutKind(data["kind"]),
            to=data["to"],
            text=data["text"],
            request=data.get("request"),
            card=Card.from_dict(data["card"]) if data.get("card") else None,
            card_key=data.get("card_key"),
            place=Place.from_dict(data["place"]) if data.get("place") else None,
            ephemeral=bool(data.get("ephemeral")),
        )
