"""Requests come in as Slack delivers them: direct messages, mentions, /request, shortcuts."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import Request
from tests.channels.slack.harness import ALICE, BOB, IVY, MONITORS, Slack, dm


async def test_a_direct_message_becomes_an_approved_request_with_cards_updated_in_place(slack: Slack) -> None:
    api = slack.api
    assert await slack.dm(ALICE, MONITORS) == 200
    review = slack.card(dm(ALICE))
    assert set(slack.buttons(dm(ALICE))) == {"confirm", "edit", "cancel"}
    assert "*Quantity*\n2" in [f["text"] for b in review["blocks"] for f in b.get("fields", [])]
    await slack.click(ALICE, dm(ALICE), "confirm")
    assert any(t.startswith("Submitted REQ-1001 (Purchase requisition)") for t in slack.texts(dm(ALICE)))
    [closed] = api.review_updates()  # the review card now says what became of it, and has no buttons
    assert (closed["channel"], closed["ts"]) == (dm(ALICE), review["ts"]) and closed["text"] == "Submitted as REQ-1001."
    assert not any(b["type"] == "actions" for b in closed["blocks"])
    assert api.named("conversations.open")[-1]["users"] == BOB  # the manager's card, by direct message
    card = slack.card(dm(BOB))
    assert set(slack.buttons(dm(BOB))) == {"approve", "reject", "request_info"}
    assert card["text"] == "Alice Nguyen asks for approval of REQ-1001 (Purchase requisition)."

    await slack.click(BOB, dm(BOB), "approve")
    [update] = api.card_updates()
    assert (update["channel"], update["ts"]) == (dm(BOB), card["ts"])
    assert "Approved by Bob Martin at Mon Nov 23 10:00" in update["text"]
    assert not any(b["type"] == "actions" for b in update["blocks"])
    told = slack.texts(dm(ALICE))
    assert "Bob Martin approved REQ-1001. It is fully approved and on its way to the service team." in told
    assert any("REQ-1001" in t and "fulfilled" in t for t in told)  # the backend's news, same conversation
    with slack.app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() == "fulfilled"


async def test_clarifying_questions_come_back_in_the_same_conversation(slack: Slack) -> None:
    await slack.dm(ALICE, "I need 2 monitors for CC-4410")
    assert slack.texts(dm(ALICE))[-1].endswith("What is the estimated total cost (in USD)?")
    await slack.dm(ALICE, "about $600 total")
    assert set(slack.buttons(dm(ALICE))) == {"confirm", "edit", "cancel"}


async def test_a_mention_is_answered_in_its_thread_and_replies_there_need_no_mention(slack: Slack) -> None:
    await slack.mention(ALICE, "CGENERAL", "<@UBOT> I need 2 monitors for CC-4410", ts="1700000100.000100")
    [question] = slack.posts("CGENERAL")
    assert question["thread_ts"] == "1700000100.000100"
    assert question["text"].endswith("What is the estimated total cost (in USD)?")
    await slack.channel_message(BOB, "CGENERAL", "lunch anyone?")  # not for the bot
    await slack.channel_message(BOB, "CGENERAL", "nice monitors", thread="1700000100.000100")  # not Bob's request
    await slack.channel_message(ALICE, "CGENERAL", "about $600 total", thread="1700000100.000100")
    posts = slack.posts("CGENERAL")
    assert len(posts) == 2 and posts[1]["thread_ts"] == "1700000100.000100"
    await slack.click(ALICE, "CGENERAL", "confirm")
    assert slack.posts("CGENERAL")[-1]["text"].startswith("Submitted REQ-1001")
    assert slack.posts("CGENERAL")[-1]["thread_ts"] == "1700000100.000100"


async def test_only_the_bots_own_mention_is_removed_others_are_people(slack: Slack) -> None:
    await slack.mention(IVY, "CIT", "<@UBOT> read access to Epic", ts="1700000200.000100")
    assert slack.posts("CIT")[-1]["text"].startswith("Got it (system Epic, access level read). Who needs the access")
    await slack.mention(IVY, "CIT", "<@UBOT|frontdoor> <@UBOB>", ts="1700000201.000100", thread="1700000200.000100")
    assert slack.posts("CIT")[-1]["text"].startswith(
        "Got it (system Epic, access level read, for Bob Martin (bob.martin@example.org))."
    )


async def test_request_command_with_text_continues_in_direct_messages(slack: Slack) -> None:
    status, answer = await slack.command(ALICE, MONITORS, channel="CGENERAL")
    assert (status, answer) == (200, "Got it — I'll continue in our direct messages.")
    assert set(slack.buttons(dm(ALICE))) == {"confirm", "edit", "cancel"}


async def test_request_command_without_text_opens_a_form_to_pick_a_type(slack: Slack) -> None:
    status, answer = await slack.command(ALICE, "", channel=dm(ALICE))
    assert (status, answer) == (200, "")
    picker = slack.modal()
    assert picker["callback_id"] == "frontdoor_pick_type"
    options = picker["blocks"][0]["element"]["options"]
    assert {o["value"] for o in options} >= {"purchase_requisition", "vendor_onboarding", "access_request"}
    chosen = next(o for o in options if o["value"] == "vendor_onboarding")
    await slack.submit(ALICE, picker, {"type": {"type": "static_select", "selected_option": chosen}})
    assert slack.texts(dm(ALICE))[-1].startswith("Let's set up a vendor onboarding.")


async def test_a_type_picked_keeps_the_language_the_person_writes_in(slack: Slack) -> None:
    await slack.dm(ALICE, "hola, necesito pedir unos monitores para mi unidad")
    assert "¿" in slack.texts(dm(ALICE))[-1]  # asked in Spanish
    await slack.command(ALICE, "", channel=dm(ALICE))
    picker = slack.modal()
    chosen = next(o for o in picker["blocks"][0]["element"]["options"] if o["value"] == "vendor_onboarding")
    assert chosen["text"]["text"] == "Alta de proveedor"  # the picker speaks Spanish too
    await slack.submit(ALICE, picker, {"type": {"type": "static_select", "selected_option": chosen}})
    assert slack.texts(dm(ALICE))[-1].startswith("Preparemos su alta de proveedor.")


async def test_global_shortcut_opens_the_type_picker(slack: Slack) -> None:
    assert await slack.global_shortcut(ALICE) == 200
    assert slack.modal()["callback_id"] == "frontdoor_pick_type"


async def test_message_shortcut_turns_any_message_into_a_request(slack: Slack) -> None:
    said = "Please order 10 boxes of nitrile gloves from Medline for cost center 4410, around $450"
    assert await slack.message_shortcut(ALICE, said, author=BOB) == 200
    review = slack.card(dm(ALICE))
    fields = [f["text"] for b in review["blocks"] for f in b.get("fields", [])]
    assert "*Quantity*\n10" in fields and "*Cost center*\nCC-4410" in fields


async def test_people_slack_cannot_place_are_answered_by_the_engine(slack: Slack) -> None:
    await slack.dm("UNOMAIL", MONITORS)  # no email in the Slack profile
    await slack.dm("UOUTSIDER", MONITORS)  # an email the directory does not know
    for user in ("UNOMAIL", "UOUTSIDER"):
        assert slack.texts(dm(user)) == [
            "I can't find you in the organisation's directory, so I can't take requests from you yet. "
            "Please ask your administrator to add your work email."
        ]


async def test_refusals_in_a_shared_channel_are_shown_only_to_the_person_refused(slack: Slack) -> None:
    await slack.mention(ALICE, "CGENERAL", "<@UBOT> " + MONITORS, ts="1700000400.000100")
    await slack.click(BOB, "CGENERAL", "confirm")  # Alice's review card, pressed by Bob
    await slack.mention("UOUTSIDER", "CGENERAL", "<@UBOT> " + MONITORS, ts="1700000401.000100")
    refusals = [(e["user"], e.get("thread_ts"), e["text"]) for e in slack.api.named("chat.postEphemeral")]
    assert refusals == [
        (BOB, "1700000400.000100", "That form is Alice Nguyen's request; only they can confirm, edit or cancel it."),
        (
            "UOUTSIDER",
            "1700000401.000100",
            "I can't find you in the organisation's directory, so I can't take "
            "requests from you yet. Please ask your administrator to add your work email.",
        ),
    ]
    assert [p["text"] for p in slack.posts("CGENERAL")] == [
        "Here is your purchase requisition. Confirm to submit, or edit it."
    ]
    await slack.click(ALICE, "CGENERAL", "confirm")  # Alice's own click still works
    assert slack.posts("CGENERAL")[-1]["text"].startswith("Submitted REQ-1001")
