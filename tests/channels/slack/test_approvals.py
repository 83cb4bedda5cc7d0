"""Approvals on Slack: cards to the manager or the role's channel, decisions, reasons, the edit form,
App Home — whoever clicks is only named by the adapter; the engine decides what they may do."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from bot.store.models import Request
from tests.channels.slack.harness import ALICE, BOB, CHLOE, FINANCE, FRANK, IV_POLES, IVY, MONITORS, Slack, dm, number


async def submitted(slack: Slack, text: str = MONITORS) -> None:
    await slack.dm(ALICE, text)
    await slack.click(ALICE, dm(ALICE), "confirm")


async def test_role_steps_go_to_their_channels_mapped_or_by_name(slack: Slack) -> None:
    await submitted(slack, IV_POLES.replace("12.5k", "60k"))
    await slack.click(BOB, dm(BOB), "approve")
    finance = slack.card(FINANCE)  # "#approvals-finance" is mapped to its channel id
    assert finance["text"] == "Alice Nguyen asks for approval of REQ-1001 (Purchase requisition)."
    await slack.click(FRANK, FINANCE, "approve")
    assert slack.api.card_updates()[-1]["ts"] == finance["ts"]
    slack.card("approvals-cfo")  # "#approvals-cfo" is not mapped: its name
    await slack.click(CHLOE, "approvals-cfo", "approve")
    told = slack.texts(dm(ALICE))
    assert "Bob Martin approved REQ-1001. Next: Finance." in told
    assert "Frank Ito approved REQ-1001. Next: Cfo." in told or any("Frank Ito approved" in t for t in told)
    assert "Chloe Reed approved REQ-1001. It is fully approved and on its way to the service team." in told


async def test_reject_asks_for_the_reason_in_a_modal(slack: Slack) -> None:
    await submitted(slack)
    await slack.click(BOB, dm(BOB), "reject")
    modal = slack.modal()
    assert modal["callback_id"] == "frontdoor_reason" and slack.api.card_updates() == []
    await slack.submit(BOB, modal, {"comment": {"type": "plain_text_input", "value": "not in this year's budget"}})
    [update] = slack.api.card_updates()
    assert "Rejected by Bob Martin" in update["text"] and "Reason: not in this year's budget" in update["text"]
    assert "Bob Martin rejected REQ-1001. Reason: not in this year's budget" in slack.texts(dm(ALICE))


async def test_request_info_reaches_the_requester_and_the_answer_reopens_the_step(slack: Slack) -> None:
    await submitted(slack)
    await slack.click(BOB, dm(BOB), "request_info")
    await slack.submit(BOB, slack.modal(), {"comment": {"type": "plain_text_input", "value": "Which model?"}})
    assert slack.texts(dm(ALICE))[-1].startswith("Bob Martin needs more information about REQ-1001: Which model?")
    assert "asked for more information: Which model?" in slack.api.card_updates()[-1]["text"]
    await slack.dm(ALICE, "Dell P2425, the 24 inch one")
    assert slack.api.card_updates()[-1]["text"] == "Alice Nguyen answered: Dell P2425, the 24 inch one"
    assert "approve" in {b["action_id"] for b in slack.api.card_updates()[-1]["blocks"][-1]["elements"]}
    await slack.click(BOB, dm(BOB), "approve", card=slack.card(dm(BOB)))
    with slack.app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() in ("approved", "submitted", "in_progress", "fulfilled")


async def test_a_click_by_someone_who_may_not_decide_is_refused_ephemerally(slack: Slack) -> None:
    await submitted(slack)
    await slack.click(IVY, dm(BOB), "approve")
    await slack.click(ALICE, dm(BOB), "approve")  # her own request
    assert [(e["channel"], e["user"], e["text"]) for e in slack.api.named("chat.postEphemeral")] == [
        (dm(BOB), IVY, "Only Bob Martin can decide this step of REQ-1001."),
        (dm(BOB), ALICE, "You can't approve your own request; it needs someone else's decision."),
    ]
    assert slack.api.card_updates() == []
    with slack.app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() == "pending_approval"


async def test_reject_or_request_info_by_someone_who_may_not_decide_asks_no_reason(slack: Slack) -> None:
    await submitted(slack)
    await slack.click(IVY, dm(BOB), "reject")
    await slack.click(ALICE, dm(BOB), "request_info")  # her own request
    assert slack.api.named("views.open") == []  # no form asking why: the engine refuses at once
    assert [(e["user"], e["text"]) for e in slack.api.named("chat.postEphemeral")] == [
        (IVY, "Only Bob Martin can decide this step of REQ-1001."),
        (ALICE, "You can't approve your own request; it needs someone else's decision."),
    ]
    await slack.click(BOB, dm(BOB), "request_info")  # the approver is asked what he needs to know
    assert slack.modal()["callback_id"] == "frontdoor_reason"
    with slack.app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() == "pending_approval"


async def test_a_request_asked_in_a_channel_thread_hears_every_step_there(slack: Slack) -> None:
    await slack.mention(ALICE, "CGENERAL", "<@UBOT> " + IV_POLES.replace("12.5k", "60k"), ts="1700000300.000100")
    await slack.click(ALICE, "CGENERAL", "confirm")
    await slack.click(BOB, dm(BOB), "approve")
    await slack.click(FRANK, FINANCE, "reject")
    await slack.submit(FRANK, slack.modal(), {"comment": {"type": "plain_text_input", "value": "over budget"}})
    thread = [(p["thread_ts"], p["text"]) for p in slack.posts("CGENERAL")]
    assert {ts for ts, _ in thread} == {"1700000300.000100"}
    assert [text for _, text in thread][2:] == [
        "Bob Martin approved REQ-1001. Next: Finance.",
        "Frank Ito rejected REQ-1001. Reason: over budget",
    ]
    updates = {(u["channel"], u["ts"]): u["text"] for u in slack.api.card_updates()}
    assert updates[(FINANCE, slack.card(FINANCE)["ts"])].startswith("Rejected by Frank Ito at Mon Nov 23 10:00.")
    assert slack.posts(dm(ALICE)) == []  # nothing went elsewhere


async def test_a_second_click_on_a_decided_card_is_refused_ephemerally(slack: Slack) -> None:
    await submitted(slack)
    card = slack.card(dm(BOB))
    await slack.click(BOB, dm(BOB), "approve", card=card)
    await slack.click(BOB, dm(BOB), "reject", card=card)  # the old card, still on screen somewhere
    assert slack.api.named("views.open") == []  # nothing left to decide: no form asking why
    [refusal] = slack.api.named("chat.postEphemeral")
    assert refusal["text"].startswith("REQ-1001 was already approved by Bob Martin")
    assert len(slack.api.card_updates()) == 1


async def test_app_home_lists_requests_and_approvals_and_is_refreshed_on_change(slack: Slack) -> None:
    await slack.event({"type": "app_home_opened", "user": ALICE, "channel": dm(ALICE), "tab": "home"})
    await submitted(slack)
    mine = json.dumps(slack.api.named("views.publish")[-1]["view"], ensure_ascii=False)
    assert (
        "REQ-1001 · Purchase requisition · waiting for approval, step 1 with Bob Martin (waiting a few minutes)" in mine
    )
    await slack.event({"type": "app_home_opened", "user": BOB, "channel": dm(BOB), "tab": "home"})
    home = slack.api.named("views.publish")[-1]
    assert home["user_id"] == BOB
    text = json.dumps(home["view"])
    assert "Waiting for my approval" in text and '"action_id": "approve"' in text and "REQ-1001" in text
    await slack.click_home(BOB, "approve", "REQ-1001")  # the same buttons, from the Home tab
    assert "Approved by Bob Martin" in slack.api.card_updates()[-1]["text"]  # the card in his DMs too
    latest = {p["user_id"]: json.dumps(p["view"], ensure_ascii=False) for p in slack.api.named("views.publish")}
    assert "Nothing is waiting for your approval." in latest[BOB]
    assert "REQ-1001 · Purchase requisition · fulfilled" in latest[ALICE]


async def test_edit_opens_a_prefilled_modal_and_refused_values_show_under_their_fields(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS + ", needed by Dec 15")
    await slack.click(ALICE, dm(ALICE), "edit")
    modal = slack.modal()
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"]}
    assert inputs["quantity"] == {
        "type": "number_input",
        "action_id": "value",
        "is_decimal_allowed": False,
        "initial_value": "2",
    }
    assert inputs["estimated_cost"]["type"] == "number_input" and inputs["estimated_cost"]["is_decimal_allowed"]
    assert inputs["needed_by"] == {"type": "datepicker", "action_id": "value", "initial_date": "2026-12-15"}
    assert inputs["item_description"]["initial_value"] == "monitors"

    refused = await slack.submit(ALICE, modal, {"quantity": number("0")})
    assert refused == {"response_action": "errors", "errors": {"quantity": "Quantity must be at least 1."}}
    assert slack.api.named("chat.postMessage")[-1]["text"].startswith("Here is your purchase requisition")
    assert await slack.submit(ALICE, modal, {"quantity": number("5")}) is None  # the modal closes
    fields = [f["text"] for b in slack.card(dm(ALICE))["blocks"] for f in b.get("fields", [])]
    assert "*Quantity*\n5" in fields and "*Needed by*\n2026-12-15" in fields
    await slack.click(ALICE, dm(ALICE), "confirm")
    assert slack.texts(dm(ALICE))[-1].startswith("Submitted REQ-1001")


async def test_edit_form_offers_people_as_user_selects_and_choices_as_menus(slack: Slack) -> None:
    for text in ("read access to Epic", "<@UBOB>", "to chart for his new unit"):
        await slack.dm(ALICE, text)
    await slack.click(ALICE, dm(ALICE), "edit")
    modal = slack.modal()
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"]}
    assert inputs["for_user"] == {"type": "users_select", "action_id": "value", "initial_user": BOB}
    level = inputs["access_level"]
    assert level["type"] == "static_select" and level["initial_option"]["value"] == "read"
    write = next(o for o in level["options"] if o["value"] == "write")
    state = {
        "for_user": {"type": "users_select", "selected_user": IVY},
        "access_level": {"type": "static_select", "selected_option": write},
    }
    assert await slack.submit(ALICE, modal, state) is None
    fields = [f["text"] for b in slack.card(dm(ALICE))["blocks"] for f in b.get("fields", [])]
    assert "*Access level*\nwrite" in fields and "*For*\nIvy Tran (ivy.tran@example.org)" in fields


async def test_a_person_named_by_email_is_a_user_select_found_by_lookup(slack: Slack) -> None:
    for text in ("read access to Epic", "for ivy.tran@example.org", "to chart"):
        await slack.dm(ALICE, text)
    await slack.click(ALICE, dm(ALICE), "edit")
    inputs = {b["block_id"]: b["element"] for b in slack.modal()["blocks"]}
    assert inputs["for_user"] == {"type": "users_select", "action_id": "value", "initial_user": IVY}
    assert {"email": "ivy.tran@example.org"} in slack.api.named("users.lookupByEmail")


async def test_a_slow_form_check_is_answered_in_time_and_the_modal_follows(slack: Slack) -> None:
    for text in ("read access to Epic", "<@UBOB>", "to chart"):
        await slack.dm(ALICE, text)
    await slack.click(ALICE, dm(ALICE), "edit")
    modal = slack.modal()
    slack.api.delay["users.info"] = 2.5  # who was picked takes longer than Slack waits to find out
    started = time.perf_counter()
    answer = await slack.submit(ALICE, modal, {"for_user": {"type": "users_select", "selected_user": "UNOMAIL"}})
    assert time.perf_counter() - started < 2.5 + 1  # the answer went at 2 s; the rest is the wait for the check
    assert answer["response_action"] == "update" and "Checking your changes" in json.dumps(answer["view"])
    [update] = slack.api.named("views.update")
    assert update["view_id"] == "VMODAL" and update["view"]["callback_id"] == "frontdoor_edit"
    blocks = update["view"]["blocks"]
    where = next(i for i, b in enumerate(blocks) if b.get("block_id") == "for_user")
    assert blocks[where + 1] == {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "⚠️ For: I can't find that person in the directory; give their work email."}
        ],
    }
    assert slack.api.named("chat.postMessage")[-1]["text"].startswith("Here is your access request")

    answer = await slack.submit(ALICE, modal, {"for_user": {"type": "users_select", "selected_user": "UOUTSIDER"}})
    assert answer["response_action"] == "update"
    assert "Your changes are saved" in json.dumps(slack.api.named("views.update")[-1]["view"])
    fields = [f["text"] for b in slack.card(dm(ALICE))["blocks"] for f in b.get("fields", [])]
    assert "*For*\nsomeone@elsewhere.example" in fields


async def test_an_expired_edit_trigger_offers_the_form_in_chat(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS)
    slack.api.fail("views.open", "expired_trigger_id")
    await slack.click(ALICE, dm(ALICE), "edit")
    assert slack.texts(dm(ALICE))[-1].startswith("What would you like to change?")
    await slack.dm(ALICE, "actually make it 4")
    fields = [f["text"] for b in slack.card(dm(ALICE))["blocks"] for f in b.get("fields", [])]
    assert "*Quantity*\n4" in fields


async def test_menu_options_are_the_fields_choices_for_the_drafts_owner_only(slack: Slack) -> None:
    for text in ("read access to Epic", "me", "to chart"):
        await slack.dm(ALICE, text)
    await slack.click(ALICE, dm(ALICE), "edit")
    view = slack.modal()

    async def options(user: str, query: str) -> list[str]:
        payload = {
            "type": "block_suggestion",
            "user": {"id": user},
            "team": {"id": "T1"},
            "api_app_id": "A1",
            "action_id": "value",
            "block_id": "access_level",
            "value": query,
            "view": view,
        }
        status, text = await slack.interact(payload)
        assert status == 200
        return [o["value"] for o in json.loads(text)["options"]]

    assert await options(ALICE, "") == ["read", "write", "admin"]
    assert await options(ALICE, "WR") == ["write"]
    assert await options(BOB, "") == []  # not his draft


async def test_app_home_shows_the_running_delegation_with_an_end_button(slack: Slack) -> None:
    await slack.event({"type": "app_home_opened", "user": BOB, "channel": dm(BOB), "tab": "home"})
    assert "My delegation" not in json.dumps(slack.api.named("views.publish")[-1]["view"])
    await slack.dm(BOB, "I'm away next week, Carol Diaz can approve for me until the 14th")
    home = json.dumps(slack.api.named("views.publish")[-1]["view"], ensure_ascii=False)
    assert "My delegation" in home and "Carol Diaz" in home and '"action_id": "end_delegation"' in home
    await slack.click_home(BOB, "end_delegation", None)
    assert slack.texts(dm(BOB))[-1] == "Delegation ended: your approvals come to you again."
    assert "My delegation" not in json.dumps(slack.api.named("views.publish")[-1]["view"])
