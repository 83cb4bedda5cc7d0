"""The SDK-free halves: activity translation (`inbound`) and Adaptive Cards (`render`)."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.channels.teams import inbound, render
from bot.core.events import Action, ActionName, Message
from bot.core.replies import Button, Card, FormField, InputHint, Outgoing
from tests.channels.teams.harness import CARD_SCHEMA, card_errors
from tests.conftest import needs_shared

BOT = "28:bot"


def activity(**extra: object) -> dict[str, object]:
    return {
        "type": "message",
        "id": "1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example/amer/",
        "from": {"id": "29:a", "aadObjectId": "aad-a"},
        "recipient": {"id": BOT},
        "conversation": {"id": "a:1", "conversationType": "personal", "tenantId": "t"},
        **extra,
    }


def test_only_the_bots_mention_is_removed() -> None:
    mentions = [
        {"type": "mention", "text": "<at>Front Door</at>", "mentioned": {"id": BOT}},
        {"type": "mention", "text": "<at>Bob Martin</at>", "mentioned": {"id": "29:bob"}},
    ]
    text = "<at>Front Door</at> ask <at>Bob Martin</at> about 2 chairs &amp; a desk"
    assert inbound.message_text(activity(text=text, entities=mentions)) == "ask Bob Martin about 2 chairs & a desk"
    assert inbound.message_text(activity(text="<at>Front Door</at>  status of REQ-1001")) == "status of REQ-1001"


def test_events_carry_the_activity_id_scoped_to_the_conversation() -> None:
    one = inbound.to_event(activity(text="hi"), "a@example.org")
    other = inbound.to_event(activity(text="hi", conversation={"id": "a:2"}), "a@example.org")
    assert isinstance(one, Message) and isinstance(other, Message)
    assert one.event_id != other.event_id and one.event_id == inbound.to_event(activity(text="hi"), "x").event_id  # type: ignore[union-attr]
    assert inbound.to_event(activity(text="<at>Front Door</at>"), "a@example.org") is None  # nothing left to say


def test_universal_action_and_action_submit_give_the_same_event() -> None:
    data = {"request": "REQ-1001", "step": 2, "comment": " too much "}
    execute = activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "reject", "data": data}},
    )
    submit = activity(value={**data, "verb": "reject"})
    events = [inbound.to_event(a, "b@example.org") for a in (execute, submit)]
    for event in events:
        assert isinstance(event, Action)
        assert (event.action, event.request, event.step, event.comment) == (
            ActionName.REJECT,
            "REQ-1001",
            2,
            "too much",
        )
    edit = inbound.to_event(activity(value={"verb": "submit_edit", "draft": "3", "quantity": "4"}), "a@example.org")
    assert isinstance(edit, Action) and edit.draft == 3 and edit.values == {"quantity": "4"}


def test_a_reference_from_a_channel_has_no_personal_chat() -> None:
    where = activity(
        conversation={"id": "19:x@thread.tacv2;messageid=9", "conversationType": "channel"},
        channelData={"team": {"id": "19:team"}, "tenant": {"id": "t"}},
    )
    ref = inbound.reference(where)
    assert ref["conversation"] == "" and ref["extra"] == {
        "service_url": "https://smba.example/amer/",
        "user": "29:a",
        "aad": "aad-a",
        "tenant": "t",
        "bot": BOT,
    }
    assert inbound.reference(activity())["conversation"] == "a:1"


def form_card(error: str | None = None) -> Card:
    fields = (
        FormField("item", "Item", InputHint.TEXT, True, "chairs"),
        FormField("quantity", "Quantity", InputHint.NUMBER, True, 2),
        FormField(
            "estimated_cost",
            "Estimated cost",
            InputHint.DECIMAL,
            True,
            "about 600",
            error=error,
            placeholder="Amount in $",
        ),
        FormField("needed_by", "Needed by", InputHint.DATE, False, "2026-12-01"),
        FormField("priority", "Priority", InputHint.CHOICE, False, "high", (("low", "Low"), ("high", "High"))),
        FormField("contact_email", "Contact", InputHint.EMAIL, False, placeholder="name@example.org"),
    )
    return Card(
        "Edit: Purchase",
        {},
        (Button(ActionName.SUBMIT_EDIT, "Save", "primary", {"draft": 1}),),
        form=fields,
        kind="form",
    )


def test_form_inputs_follow_the_field_kinds_and_show_errors() -> None:
    card = render.adaptive_card(form_card("Estimated cost should be a number."))
    kinds = [(e["type"], e.get("id")) for e in card["body"]]
    assert kinds == [
        ("TextBlock", None),
        ("Input.Text", "item"),
        ("Input.Number", "quantity"),
        ("Input.Text", "estimated_cost"),
        ("TextBlock", None),
        ("Input.Date", "needed_by"),
        ("Input.ChoiceSet", "priority"),
        ("Input.Text", "contact_email"),
    ]
    assert card["body"][4] == {
        "type": "TextBlock",
        "text": "Estimated cost should be a number.",
        "wrap": True,
        "color": "Attention",
        "size": "Small",
        "spacing": "None",
    }
    assert card_errors(card) == []


def test_an_oversized_card_is_shortened_until_it_fits() -> None:
    fields = {f"Field {n}": "é" * 5000 for n in range(12)}
    buttons = tuple(
        Button(a, a.value.title(), "default", {"request": "REQ-1", "step": 1})
        for a in (ActionName.APPROVE, ActionName.REJECT)
    )
    outgoing = Outgoing("card", "b@example.org", "x" * 50_000, "REQ-1", Card("REQ-1", fields, buttons, kind="approval"))
    body = render.activity(outgoing, [f"29:{n}" for n in range(80)])
    content = body["attachments"][0]["content"]
    assert render.size(body) <= render.MAX_BYTES and content["actions"] and len(content["refresh"]["userIds"]) == 60
    assert card_errors(content) == []
    huge = Outgoing("card", "b@example.org", "x", None, Card("T", {f"f{n}": "x" for n in range(5000)}))
    assert "attachments" not in render.activity(huge)  # past every shortening: the text alone


@needs_shared(CARD_SCHEMA)
def test_a_broken_card_fails_the_schema_check() -> None:
    assert card_errors({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "txt": "x"}]})
    card = render.adaptive_card(form_card())
    card["actions"][0]["verb"] = 7
    assert card_errors(json.loads(json.dumps(card)))


def test_translation_rendering_and_delivery_need_no_bot_framework_sdk() -> None:
    """Only `adapter` imports botbuilder: another SDK's host reuses everything else as it is."""
    modules = ", ".join(
        f"bot.channels.teams.{m}" for m in ("inbound", "render", "turns", "connector", "channel", "contacts")
    )
    sdk = "('botbuilder', 'botframework', 'msal')"
    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.startswith({sdk})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
