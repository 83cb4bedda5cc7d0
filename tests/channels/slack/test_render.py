"""Block Kit within Slack's limits, checked with slack_sdk's models (which also drop unknown keys,
so each payload must come back unchanged)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.channels.slack import inbound, render
from bot.core.cards import approval_card, choice_card, form_card, review_card
from bot.core.events import ActionName
from bot.core.replies import Button, Card, FormField, InputHint, Outgoing
from bot.directory import load_directory
from forms import load_catalog
from tests.channels.slack.harness import repeated_ids

os.environ.setdefault("SLACKCLIENT_SKIP_DEPRECATION", "1")
from slack_sdk.models.messages.message import Message  # after the variable that quiets its warning

APPROVE = (
    Button(ActionName.APPROVE, "Approve", "primary", {"request": "REQ-1001", "step": 1}),
    Button(ActionName.REJECT, "Reject", "danger", {"request": "REQ-1001", "step": 1}),
)


def unchanged_message(args: dict[str, Any]) -> bool:
    parsed = Message(text=args["text"], blocks=Block.parse_all(args["blocks"])).to_dict()
    return bool(parsed["blocks"] == args["blocks"] and parsed["text"] == args["text"])


def unchanged_view(view: dict[str, Any]) -> bool:
    return bool(View(**view).to_dict() == view)


def test_long_texts_are_cut_at_3000_characters() -> None:
    args = render.message(Outgoing("reply", "a@example.org", "x" * 5000))
    assert len(args["blocks"][0]["text"]["text"]) == 3000 and args["blocks"][0]["text"]["text"].endswith("…")
    assert unchanged_message(args)


def test_cutting_never_leaves_half_an_entity() -> None:
    text = render.cut(render.escape("a" * 2996 + "&&&&"), 3000)
    assert text.endswith("a…") and len(text) <= 3000


def test_a_card_with_too_many_fields_keeps_its_buttons_within_50_blocks() -> None:
    card = Card(
        "REQ-1001 · Purchase requisition",
        {f"Field {n}": "v" * 2500 for n in range(600)},
        APPROVE,
        "Waiting for Bob Martin",
        kind="approval",
    )
    args = render.message(Outgoing("card", "#approvals-finance", "Please decide " * 400, card=card))
    blocks = args["blocks"]
    assert len(blocks) == 50 and blocks[-1]["type"] == "actions" and blocks[-2]["type"] == "context"
    assert blocks[-3]["text"]["text"].endswith("more fields.")
    assert all(len(f["text"]) <= 2000 for b in blocks for f in b.get("fields", []))
    assert unchanged_message(args)


def test_the_edit_form_of_every_request_type_is_a_valid_modal() -> None:
    catalog = load_catalog(None)
    for spec in catalog.types.values():
        values = {
            f.name: (
                "2026-12-01"
                if f.kind.name == "date"
                else "alice.nguyen@example.org"
                if f.kind.name in ("person", "email")
                else f.choices[0].id
                if f.choices
                else 12
                if f.kind.name in ("money", "integer")
                else "text"
            )
            for f in spec.fields
        }
        card = form_card(spec, values, 7, 3)
        view = render.form_view(card, {"draft": 7, "version": 3}, {"alice.nguyen@example.org": "UALICE"})
        assert unchanged_view(view), spec.id
        assert [b["block_id"] for b in view["blocks"]] == [f.name for f in spec.fields]
        kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
        for field in spec.fields:
            expected = {
                "enum": "static_select",
                "date": "datepicker",
                "person": "users_select",
                "money": "number_input",
                "integer": "number_input",
                "email": "email_text_input",
            }
            assert kinds[field.name] == expected.get(field.kind.name, "plain_text_input"), (spec.id, field.name)


def test_every_card_of_every_request_type_is_valid_block_kit() -> None:
    """Review, approval (open, deciding, decided), refused edit form, and the modals around them."""
    catalog, directory = load_catalog(None), load_directory(None)
    for spec in catalog.types.values():
        values = {f.name: _sample(f.kind.name, [c.id for c in f.choices]) for f in spec.fields}
        header = {"Requester": "Alice Nguyen (alice.nguyen@example.org)", "Step": "1 · Manager"}
        cards = [
            review_card(spec, values, 7, 3, directory),
            approval_card(spec, "REQ-1001", 1, values, header, directory, "Waiting for your manager · due Tue"),
            approval_card(spec, "REQ-1001", 1, values, header, directory, "Bob Martin asked: which one?", True),
            approval_card(spec, "REQ-1001", 1, values, header, directory, "Approved by Bob Martin at Mon", False),
        ]
        for card in cards:
            args = render.message(Outgoing("card", "bob.martin@example.org", "Please decide", "REQ-1001", card))
            assert unchanged_message(args), (spec.id, card.kind)
            assert len(args["blocks"]) <= render.MESSAGE_BLOCKS
        errors = {f.name: f"{f.display} is not valid." for f in spec.fields}
        refused = form_card(spec, values, 7, 3, errors)
        view = render.form_view(refused, {"draft": 7, "version": 3})
        assert unchanged_view(view), spec.id
        assert len(view["blocks"]) == 2 * len(spec.fields) <= render.VIEW_BLOCKS
        assert render.form_errors(refused) == errors
    assert unchanged_message(render.message(Outgoing("error", "bob.martin@example.org", "Only Bob can decide.")))
    assert unchanged_view(render.notice_view("Saving", "Checking your changes…"))
    assert unchanged_view(render.notice_view("A title longer than a modal allows", "x" * 4000))


def _sample(kind: str, choices: list[str]) -> Any:
    samples = {
        "date": "2026-12-01",
        "person": "alice.nguyen@example.org",
        "email": "a@example.org",
        "money": 7500,
        "integer": 12,
    }
    return choices[0] if choices else samples.get(kind, "x" * 2500 if kind == "text" else "CC-4410")


def test_a_person_whose_slack_id_is_unknown_is_edited_as_text() -> None:
    field = FormField("for_user", "For", InputHint.PERSON, True, "dina.ross@example.org")
    assert render.field_element(field) == {
        "type": "plain_text_input",
        "action_id": "value",
        "initial_value": "dina.ross@example.org",
    }
    assert render.field_element(field, "UDINA") == {
        "type": "users_select",
        "action_id": "value",
        "initial_user": "UDINA",
    }


def test_field_errors_become_modal_errors() -> None:
    card = Card(
        "Edit",
        {},
        form=(
            FormField("quantity", "Quantity", InputHint.NUMBER, True, 0, error="too few"),
            FormField("item", "Item", InputHint.TEXT, True, "x"),
        ),
        kind="form",
    )
    assert render.form_errors(card) == {"quantity": "too few"}


def test_modal_metadata_is_kept_within_slacks_limit() -> None:
    with pytest.raises(ValueError, match="private_metadata"):
        render.reason_view("reject", {"place": {"extra": {"note": "x" * 3000}}})


def test_reason_and_type_picker_modals_are_valid() -> None:
    assert unchanged_view(render.reason_view("reject", {"request": "REQ-1001", "step": 2}))
    assert unchanged_view(render.reason_view("request_info", {"request": "REQ-1001", "step": 1}))
    types = [(t.id, t.title) for t in load_catalog(None).types.values()]
    assert unchanged_view(render.pick_type_view(types))


def test_the_app_home_stays_within_100_blocks() -> None:
    card = Card("REQ-1001 · Purchase requisition", {"Item": "chairs"}, APPROVE, "Waiting", kind="approval")
    view = render.home_view([f"REQ-{n}" for n in range(10)], [(f"REQ-{n} · waiting", card) for n in range(40)])
    assert len(view["blocks"]) <= 100 and "more" in json.dumps(view["blocks"][-1])
    assert unchanged_view(view)
    assert unchanged_view(render.home_view([], []))


def test_modal_values_are_read_as_the_engine_expects() -> None:
    view = {
        "state": {
            "values": {
                "quantity": {"value": {"type": "number_input", "value": "5"}},
                "level": {"value": {"type": "static_select", "selected_option": {"value": "write"}}},
                "when": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
                "who": {"value": {"type": "users_select", "selected_user": "UBOB"}},
                "nobody": {"value": {"type": "users_select", "selected_user": None}},
                "note": {"value": {"type": "plain_text_input", "value": None}},
            }
        }
    }
    assert inbound.form_values(view) == {
        "quantity": "5",
        "level": "write",
        "when": "2026-12-01",
        "who": ("user", "UBOB"),
        "nobody": None,
        "note": None,
    }


def test_button_places_follow_the_card() -> None:
    body = {
        "user": {"id": "UBOB"},
        "trigger_id": "t",
        "container": {"channel_id": "C1"},
        "message": {"ts": "2.0", "thread_ts": "1.0"},
    }
    assert inbound.button_place(body).key == "slack:C1:1.0"
    body["message"] = {"ts": "2.0", "thread_ts": "2.0"}  # the card has replies of its own
    assert inbound.button_place(body).key == "slack:C1:"
    assert inbound.button_place({"user": {"id": "UBOB"}, "container": {"type": "view"}}).key == "slack:user:UBOB:"


def test_only_the_bots_mention_is_stripped() -> None:
    assert inbound.strip_mention("<@UBOT> access for <@UBOB|bob>  please", "UBOT") == "access for <@UBOB|bob> please"
    assert inbound.mentioned("<@UBOT> and <@UBOB|bob> and <@UBOB>") == ["UBOT", "UBOB"]


def test_a_long_list_of_choices_is_searched_as_the_person_types() -> None:
    choices = tuple((f"site-{n}", f"Site {n}") for n in range(150))
    field = FormField("site", "Site", InputHint.CHOICE, True, "site-120", choices)
    element = render.field_element(field)
    assert element["type"] == "external_select" and element["initial_option"]["value"] == "site-120"
    view = render.form_view(Card("Edit", {}, form=(field,), kind="form"), {"draft": 1})
    assert unchanged_view(view)
    assert [o["value"] for o in render.options(list(choices), "site 14")] == ["site-14"] + [
        f"site-{n}" for n in range(140, 150)
    ]
    assert len(render.options(list(choices), "")) == 100


def test_a_fields_choices_are_buttons_with_unique_action_ids_whose_press_sets_the_value() -> None:
    catalog, directory = load_catalog(None), load_directory(None)
    spec = catalog.get("facilities_work_order")
    card = choice_card(spec, spec.field("issue_type"), {"location": "4W"}, 7, 3, directory)
    args = render.message(Outgoing("card", "alice.nguyen@example.org", "Pick one", card=card))
    assert unchanged_message(args) and repeated_ids(args["blocks"]) == []
    [actions] = [b for b in args["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == [f"submit_edit:{n}" for n in range(1, 7)]
    for element, choice in zip(actions["elements"], spec.field("issue_type").choices, strict=True):
        pressed = {"action_id": element["action_id"], "value": element["value"]}
        name = inbound.action_name(pressed)
        assert name is ActionName.SUBMIT_EDIT
        place = inbound.dm_place("DUALICE", "UALICE")
        action = inbound.decision("alice.nguyen@example.org", place, name, inbound.button_payload(pressed), "k")
        assert (action.draft, action.version, action.values) == (7, 3, {"issue_type": choice.id})
    assert render.BUTTONS_PER_BLOCK == 25  # Slack's limit of elements in an actions block


def test_more_buttons_than_an_actions_block_holds_go_in_several_and_an_oversized_value_is_left_out() -> None:
    buttons = tuple(Button(ActionName.SUBMIT_EDIT, f"C{n}", payload={"draft": 1, "f": f"c{n}"}) for n in range(30))
    huge = Button(ActionName.SUBMIT_EDIT, "Too big", "default", {"draft": 1, "f": "x" * 2000})
    card = Card("Pick", {}, (*buttons, huge), "Which one?", kind="review")
    args = render.message(Outgoing("card", "a@example.org", "Pick one", card=card))
    blocks = [b for b in args["blocks"] if b["type"] == "actions"]
    assert [len(b["elements"]) for b in blocks] == [25, 5]
    assert [b["block_id"] for b in blocks] == ["frontdoor_actions", "frontdoor_actions_2"]
    assert "Too big" not in json.dumps(blocks)
    assert unchanged_message(args) and repeated_ids(args["blocks"]) == []
    assert inbound.action_name({"action_id": "submit_edit:30"}) is ActionName.SUBMIT_EDIT
    assert inbound.action_name({"action_id": "confirm"}) is ActionName.CONFIRM
    assert inbound.action_name({"action_id": "confirm:x"}) is None
    assert inbound.action_name({"action_id": "approve_all"}) is None


def test_only_a_submit_edit_press_carries_form_values() -> None:
    place = inbound.dm_place("DUBOB", "UBOB")
    payload = {"request": "REQ-1001", "step": 1, "issue_type": "hvac"}
    assert inbound.decision("b@example.org", place, ActionName.APPROVE, payload, "k").values is None


def test_each_waiting_card_of_the_app_home_has_its_own_actions_block_id() -> None:
    card = Card("REQ-1001 · Purchase requisition", {"Item": "chairs"}, APPROVE, "Waiting", kind="approval")
    view = render.home_view([], [(f"REQ-{n} · waiting", card) for n in range(3)])
    assert unchanged_view(view) and repeated_ids(view["blocks"]) == []
