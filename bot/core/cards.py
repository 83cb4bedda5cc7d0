"""Cards the engine shows: the review of a draft, an approval request, an editable form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core import messages as say
from bot.core.events import ActionName
from bot.core.replies import Button, Card, FormField
from bot.directory import Directory
from forms import FieldSpec, RequestTypeSpec


def display_value(spec: FieldSpec, value: Any, directory: Directory | None = None) -> str:
    """A value as a person reads it, as its kind shows it: $7,500, the choice's label, a person's name."""
    if value is None or value == "":
        return "—"
    return str(spec.kind.display(spec, value, directory))


def field_lines(spec: RequestTypeSpec, values: Mapping[str, Any], directory: Directory | None) -> dict[str, str]:
    return {
        str(f.display): display_value(f, values[f.name], directory)
        for f in spec.fields
        if values.get(f.name) not in (None, "")
    }


def review_card(
    spec: RequestTypeSpec, values: Mapping[str, Any], draft_id: int, version: int, directory: Directory | None
) -> Card:
    payload = {"draft": draft_id, "version": version}
    return Card(
        title=say.REVIEW_TITLE.format(title=spec.title),
        fields=field_lines(spec, values, directory),
        buttons=(
            Button(ActionName.CONFIRM, say.BUTTON_CONFIRM, "primary", payload),
            Button(ActionName.EDIT, say.BUTTON_EDIT, "default", payload),
            Button(ActionName.CANCEL, say.BUTTON_CANCEL, "danger", payload),
        ),
        status=say.REVIEW_STATUS,
        kind="review",
    )


def closed_review_card(
    spec: RequestTypeSpec, values: Mapping[str, Any], directory: Directory | None, status: str
) -> Card:
    """The review card once it is answered: the same details, the outcome, no buttons."""
    return Card(
        title=say.REVIEW_TITLE.format(title=spec.title),
        fields=field_lines(spec, values, directory),
        status=status,
        kind="review",
    )


def form_card(
    spec: RequestTypeSpec,
    values: Mapping[str, Any],
    draft_id: int,
    version: int,
    errors: Mapping[str, str] | None = None,
) -> Card:
    errors = errors or {}
    inputs = tuple(
        FormField(
            name=f.name,
            label=f.display,
            input=f.kind.hint,
            required=f.required,
            value=values.get(f.name),
            choices=tuple((c.id, c.display) for c in f.choices),
            error=errors.get(f.name),
            placeholder=f.kind.placeholder,
        )
        for f in spec.fields
    )
    payload = {"draft": draft_id, "version": version}
    return Card(
        title=say.EDIT_TITLE.format(title=spec.title),
        fields={},
        buttons=(Button(ActionName.SUBMIT_EDIT, say.BUTTON_SAVE, "primary", payload),),
        form=inputs,
        kind="form",
    )


MAX_CHOICE_BUTTONS = 10
"""An enum field with more choices than this is offered as the edit form, not as buttons."""


def choice_card(
    spec: RequestTypeSpec,
    field: FieldSpec,
    values: Mapping[str, Any],
    draft_id: int,
    version: int,
    directory: Directory | None,
) -> Card:
    """A field's choices as buttons, under what the form holds so far: pressing one saves that
    choice as an edit of the form would (`submit_edit` with the field's value)."""
    buttons = tuple(
        Button(ActionName.SUBMIT_EDIT, c.display, "default", {"draft": draft_id, "version": version, field.name: c.id})
        for c in field.choices[:MAX_CHOICE_BUTTONS]
    )
    return Card(
        title=f"{spec.title}: {field.display}",
        fields=field_lines(spec, values, directory),
        buttons=buttons,
        status=field.ask,
        kind="review",
    )


def missing_card(
    spec: RequestTypeSpec,
    values: Mapping[str, Any],
    draft_id: int,
    version: int,
    directory: Directory | None,
    needed: str,
) -> Card:
    """What the form holds so far and what it still needs, with Edit (the whole form to fill in)
    and Cancel; no Confirm, since it cannot be submitted yet."""
    payload = {"draft": draft_id, "version": version}
    return Card(
        title=say.DRAFT_TITLE.format(title=spec.title),
        fields=field_lines(spec, values, directory),
        buttons=(
            Button(ActionName.EDIT, say.BUTTON_EDIT, "primary", payload),
            Button(ActionName.CANCEL, say.BUTTON_CANCEL, "danger", payload),
        ),
        status=say.STILL_NEEDED_STATUS.format(needed=needed),
        kind="review",
    )


def approval_card(
    spec: RequestTypeSpec,
    ref: str,
    seq: int,
    values: Mapping[str, Any],
    header: Mapping[str, str],
    directory: Directory | None,
    status: str | None,
    open_: bool = True,
    extra: tuple[Button, ...] = (),
) -> Card:
    """An approval card; while it is `open_`, Approve / Reject / Request info and the `extra`
    buttons (Take on a role's card nobody has taken)."""
    payload = {"request": ref, "step": seq}
    buttons = (
        (
            Button(ActionName.APPROVE, say.BUTTON_APPROVE, "primary", payload),
            Button(ActionName.REJECT, say.BUTTON_REJECT, "danger", payload),
            Button(ActionName.REQUEST_INFO, say.BUTTON_REQUEST_INFO, "default", payload),
            *extra,
        )
        if open_
        else ()
    )
    return Card(
        title=f"{ref} · {spec.title}",
        fields={**header, **field_lines(spec, values, directory)},
        buttons=buttons,
        status=status,
        kind="approval",
    )


def request_card(ref: str, title: str, status: str | None, withdrawable: bool = True) -> Card:
    """The requester's confirmation of a submitted request: Withdraw while it may be withdrawn."""
    buttons = (Button(ActionName.WITHDRAW, say.BUTTON_WITHDRAW, "danger", {"request": ref}),) if withdrawable else ()
    return Card(title=f"{ref} · {title}", fields={}, buttons=buttons, status=status, kind="info")


def delegation_card(delegate_name: str, until: str) -> Card:
    """A person's running delegation, with End: shown on App Home and in answer to "my delegation"."""
    buttons = (Button(ActionName.END_DELEGATION, say.BUTTON_END, "danger"),)
    return Card(
        title=say.DELEGATED_TITLE,
        fields={str(say.CARD_DELEGATE): delegate_name, str(say.CARD_UNTIL): until},
        buttons=buttons,
        kind="info",
    )


def request_card_key(ref: str) -> str:
    """The card key of a request's confirmation to its requester (updated when it is withdrawn)."""
    return f"request:{ref}"
