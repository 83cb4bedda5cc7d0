"""Block Kit for Front Door's messages, cards, modals and App Home, within Slack's limits.

Pure functions: channel-neutral replies in, Web API arguments out. Every text that can hold
what people typed is escaped (`&`, `<`, `>`), so a request cannot ping `<!channel>` or forge a
link, and cut to its Block Kit limit. The words they add (App Home's headers, a modal's buttons)
are the catalogue's, in the language being spoken: the caller speaks the viewer's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core import messages as say
from bot.core.replies import Button, Card, FormField, InputHint, Outgoing

SECTION_TEXT = 3000  # section and context texts
FIELD_TEXT = 2000  # each of a section's fields
FIELDS_PER_SECTION = 10
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # modals and the App Home
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
BUTTONS_PER_BLOCK = 25  # elements of one actions block
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS = 100
VIEW_TITLE = 24
METADATA = 3000
INPUT_LABEL = 2000
INPUT_VALUE = 3000

EDIT_FORM = "frontdoor_edit"
REASON_FORM = "frontdoor_reason"
PICK_TYPE = "frontdoor_pick_type"
ACTIONS_BLOCK = "frontdoor_actions"
REASON_BLOCK = "comment"
TYPE_BLOCK = "type"
VALUE = "value"  # the action id of every modal input

Blocks = list[dict[str, Any]]
log = logging.getLogger("frontdoor.slack")


def escape(text: str) -> str:
    """Slack's three control characters as entities (https://api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking the cut; never half an entity."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    return head + "…"


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(escape(text), limit)}


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or " "}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def button(b: Button, action_id: str | None = None) -> dict[str, Any]:
    """A button; its value is the payload as JSON, its action id the action's name (`action_id`
    when several buttons of a card share an action: see `action_ids`)."""
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id or b.action.value,
        "text": plain(b.label, BUTTON_TEXT),
        "value": json.dumps(b.payload, separators=(",", ":")),
    }
    if b.style in ("primary", "danger"):
        element["style"] = b.style
    return element


def action_ids(buttons: Sequence[Button]) -> list[str]:
    """Each button's action id, unique within the card as Slack wants it within a block: the
    action's name, or for an action several buttons share (a field's choices, all `submit_edit`)
    the name and the button's number among them, `submit_edit:1`, `submit_edit:2` …
    (`inbound.action_name` reads both)."""
    shared = {b.action for b in buttons if sum(c.action is b.action for c in buttons) > 1}
    seen: dict[str, int] = {}
    ids = []
    for b in buttons:
        if b.action in shared:
            seen[b.action.value] = seen.get(b.action.value, 0) + 1
            ids.append(f"{b.action.value}:{seen[b.action.value]}")
        else:
            ids.append(b.action.value)
    return ids


def actions_blocks(buttons: Sequence[Button], block_id: str = ACTIONS_BLOCK) -> Blocks:
    """The buttons in actions blocks of at most 25, each with its own block id (`block_id`, then
    `block_id_2` …); a button whose payload would not fit Slack's 2000-character value is left
    out (and logged)."""
    elements = []
    for b, action_id in zip(buttons, action_ids(buttons), strict=True):
        element = button(b, action_id)
        if len(element["value"]) > BUTTON_VALUE:
            log.warning("button %s left out: its value has %d characters", action_id, len(element["value"]))
            continue
        elements.append(element)
    chunks = [elements[i : i + BUTTONS_PER_BLOCK] for i in range(0, len(elements), BUTTONS_PER_BLOCK)]
    return [
        {"type": "actions", "block_id": block_id if n == 1 else f"{block_id}_{n}", "elements": chunk}
        for n, chunk in enumerate(chunks, start=1)
    ]


def card_blocks(card: Card, lead: str = "", budget: int = MESSAGE_BLOCKS, block_id: str = ACTIONS_BLOCK) -> Blocks:
    """A card: lead text, title, fields (ten a section), status line, buttons — at most `budget`
    blocks; when fields must go, the buttons stay and a line says how many were left out.
    `block_id` names its buttons' block (unique within a message or view)."""
    head: Blocks = [section(lead)] if lead else []
    head.append({"type": "header", "text": plain(card.title, HEADER_TEXT)})
    items = [f"*{escape(label)}*\n{escape(value)}" for label, value in card.fields.items()]
    body = [
        {"type": "section", "fields": [{"type": "mrkdwn", "text": cut(x, FIELD_TEXT)} for x in chunk]}
        for chunk in (items[i : i + FIELDS_PER_SECTION] for i in range(0, len(items), FIELDS_PER_SECTION))
    ]
    tail: Blocks = [{"type": "context", "elements": [mrkdwn(card.status)]}] if card.status else []
    tail += actions_blocks(card.buttons, block_id)
    room = budget - len(head) - len(tail)
    if len(body) > room:
        keep = max(room - 1, 0)
        left = sum(len(b["fields"]) for b in body[keep:])
        body = [*body[:keep], section(say.MORE_FIELDS.format(count=left))]
    return head + body + tail


def message(outgoing: Outgoing) -> dict[str, Any]:
    """chat.postMessage / chat.update / chat.postEphemeral arguments, less the channel."""
    fallback = outgoing.text or (outgoing.card.title if outgoing.card else "")
    if outgoing.card is None:
        return {"text": cut(escape(fallback), SECTION_TEXT), "blocks": [section(outgoing.text)]}
    return {"text": cut(escape(fallback), SECTION_TEXT), "blocks": card_blocks(outgoing.card, outgoing.text)}


def _modal(
    callback: str, title: str, submit: str, blocks: Blocks, meta: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback,
        "title": plain(title, VIEW_TITLE),
        "submit": plain(submit, VIEW_TITLE),
        "close": plain(str(say.BUTTON_CANCEL), VIEW_TITLE),
        "blocks": blocks[:VIEW_BLOCKS],
    }
    if meta is not None:
        text = json.dumps(meta, separators=(",", ":"))
        if len(text) > METADATA:
            raise ValueError(f"private_metadata of {len(text)} characters (Slack keeps {METADATA})")
        view["private_metadata"] = text
    return view


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, INPUT_LABEL),
        "element": element,
        "optional": optional,
    }


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label, OPTION_TEXT), "value": value[:OPTION_VALUE]}


def _number(value: Any) -> str | None:
    try:
        return format(float(value), "g") if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def field_element(field: FormField, slack_user: str | None = None) -> dict[str, Any]:
    """The input for one field: choices as a static select, dates as a date picker, people as a
    user select (when their Slack id is known, else text), numbers as number inputs."""
    element: dict[str, Any]
    if field.input is InputHint.CHOICE:
        options = [_option(value, label) for value, label in field.choices]
        many = len(options) > OPTIONS  # more than a static menu holds: searched as the person types
        element = (
            {"type": "external_select", "action_id": VALUE, "min_query_length": 0}
            if many
            else {"type": "static_select", "action_id": VALUE, "options": options}
        )
        chosen = next((o for o in options if o["value"] == field.value), None)
        if chosen is not None:
            element["initial_option"] = chosen
    elif field.input is InputHint.DATE:
        element = {"type": "datepicker", "action_id": VALUE}
        if field.value:
            element["initial_date"] = str(field.value)[:10]
    elif field.input is InputHint.PERSON and (slack_user or not field.value):
        element = {"type": "users_select", "action_id": VALUE}
        if slack_user:
            element["initial_user"] = slack_user
    elif field.input in (InputHint.NUMBER, InputHint.DECIMAL) and (
        field.value in (None, "") or _number(field.value) is not None
    ):
        element = {"type": "number_input", "action_id": VALUE, "is_decimal_allowed": field.input is InputHint.DECIMAL}
        if field.value not in (None, ""):
            element["initial_value"] = _number(field.value)
    else:
        email = field.input is InputHint.EMAIL
        element = {"type": "email_text_input" if email else "plain_text_input", "action_id": VALUE}
        text = "" if field.value is None else str(field.value)
        if not email and (len(text) > 150 or "\n" in text):
            element["multiline"] = True
        if text:
            element["initial_value"] = text[:INPUT_VALUE]
    return element


def form_view(card: Card, meta: Mapping[str, Any], slack_users: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The edit modal: one input per field, prefilled with the draft; block ids are field names.
    A field's error (a form shown again after a check that outlasted the acknowledgement) is a
    line under its input; within the acknowledgement errors go back as `response_action: errors`."""
    users = slack_users or {}
    blocks: Blocks = []
    for f in card.form:
        blocks.append(_input(f.name, f.label, field_element(f, users.get(str(f.value or ""))), not f.required))
        if f.error:
            blocks.append({"type": "context", "elements": [mrkdwn(f"⚠️ {f.error}", FIELD_TEXT)]})
    return _modal(EDIT_FORM, card.title, str(say.BUTTON_SAVE), blocks, meta)


def notice_view(title: str, text: str) -> dict[str, Any]:
    """A modal that only says something (the edit form while its values are checked, then saved)."""
    return {
        "type": "modal",
        "title": plain(title, VIEW_TITLE),
        "close": plain(str(say.MODAL_CLOSE), VIEW_TITLE),
        "blocks": [section(text)],
    }


def options(choices: list[tuple[str, str]], query: str) -> list[dict[str, Any]]:
    """The choices matching what the person typed in an external select (at most 100)."""
    wanted = query.strip().lower()
    found = [(v, label) for v, label in choices if wanted in label.lower() or wanted in v.lower()]
    return [_option(value, label) for value, label in found[:OPTIONS]]


def form_errors(card: Card) -> dict[str, str]:
    """`response_action: errors`: each refused field's message under its block."""
    return {f.name: cut(f.error, FIELD_TEXT) for f in card.form if f.error}


def reason_view(action: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The modal asking why (Reject) or what (Request info)."""
    reject = action == "reject"
    label = str(say.MODAL_WHY_REJECT if reject else say.MODAL_WHAT_TO_KNOW)
    element = {"type": "plain_text_input", "action_id": VALUE, "multiline": True, "max_length": INPUT_VALUE}
    blocks: Blocks = []
    if meta.get("request"):
        blocks.append(section(say.MODAL_STEP.format(ref=meta["request"], seq=meta.get("step") or 1)))
    blocks.append(_input(REASON_BLOCK, label, element, False))
    title = str(say.BUTTON_REJECT if reject else say.BUTTON_REQUEST_INFO)
    return _modal(REASON_FORM, title, str(say.MODAL_SEND), blocks, {**meta, "action": action})


def pick_type_view(types: list[tuple[str, str]]) -> dict[str, Any]:
    """`/request` without text and the global shortcut: choose a request type."""
    options = [_option(type_id, title) for type_id, title in types][:OPTIONS]
    element = {"type": "static_select", "action_id": VALUE, "options": options}
    asked = _input(TYPE_BLOCK, str(say.MODAL_WHAT_DO_YOU_NEED), element, False)
    return _modal(PICK_TYPE, str(say.MODAL_NEW_REQUEST), str(say.MODAL_START), [asked])


def home_view(mine: list[str], waiting: list[tuple[str, Card]], delegation: Card | None = None) -> dict[str, Any]:
    """App Home: my running delegation with End, my requests, then what waits for my approval with
    its buttons (within 100 blocks)."""
    blocks: Blocks = []
    if delegation is not None:
        blocks += [{"type": "header", "text": plain(str(say.HOME_DELEGATION), HEADER_TEXT)}]
        blocks += [*card_blocks(delegation, block_id=f"{ACTIONS_BLOCK}_delegation"), {"type": "divider"}]
    blocks.append({"type": "header", "text": plain(str(say.HOME_REQUESTS), HEADER_TEXT)})
    blocks += [section(line) for line in mine] or [section(str(say.NO_REQUESTS))]
    blocks.append({"type": "header", "text": plain(str(say.HOME_WAITING), HEADER_TEXT)})
    if not waiting:
        blocks.append(section(str(say.HOME_NOTHING_WAITING)))
    for shown, (line, card) in enumerate(waiting):
        more = [{"type": "divider"}, *card_blocks(card, line, block_id=f"{ACTIONS_BLOCK}_{shown + 1}")]
        if len(blocks) + len(more) > VIEW_BLOCKS - 1:
            note = say.HOME_MORE.format(count=len(waiting) - shown)
            blocks.append({"type": "context", "elements": [mrkdwn(note)]})
            break
        blocks += more
    return {"type": "home", "blocks": blocks}
