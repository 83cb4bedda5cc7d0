"""Intake through Teams: personal chat and @mentions, clarifying questions, the review card and its
edit form, a request all the way to its approval (activities posted to /api/messages)."""

from __future__ import annotations

from tests.channels.teams.harness import ALICE, BOB, Teams, text_of

CARD = "application/vnd.microsoft.card.adaptive"
MONITORS = "I need 2 monitors for CC-4410, about $600 total"


async def test_full_request_from_personal_chat_to_approval(teams: Teams) -> None:
    await teams.install(BOB)  # Bob adds the app: his personal chat is stored for proactive cards
    status, _ = await teams.say(ALICE, MONITORS)
    assert status == 201
    review = teams.card(f"a:{ALICE}")
    assert {a["verb"] for a in review["actions"]} == {"confirm", "edit", "cancel"}
    assert all(a["type"] == "Action.Execute" and a["fallback"]["type"] == "Action.Submit" for a in review["actions"])
    assert {f["title"]: f["value"] for f in review["body"][1]["facts"]}["Cost center"] == "CC-4410"

    _, closed = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
    assert closed["type"] == CARD and "actions" not in closed["value"]  # the review card turns into a record
    assert "Submitted" in text_of(closed["value"]) and "REQ-1001" in text_of(closed["value"])

    approval = teams.card(f"a:{BOB}")  # sent proactively to the manager's personal chat
    assert {a["verb"] for a in approval["actions"]} == {"approve", "reject", "request_info"}
    assert approval["refresh"]["userIds"] == [BOB]
    status, answer = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
    assert status == 200 and answer["statusCode"] == 200 and answer["type"] == CARD
    assert "actions" not in answer["value"] and "Approved by Bob Martin" in text_of(answer["value"])
    assert len(teams.connector.updated(f"a:{BOB}")) == 1  # the posted card is replaced in place too

    told = teams.connector.texts(f"a:{ALICE}")
    assert "Bob Martin approved REQ-1001. It is fully approved and on its way to the service team." in told
    assert told[-1] == "Update on REQ-1001: it has been fulfilled."


async def test_clarifying_question_in_the_same_conversation(teams: Teams) -> None:
    await teams.say(ALICE, "I need 2 monitors")
    assert teams.connector.texts(f"a:{ALICE}")[-1].endswith("What is the estimated total cost (in USD)?")
    await teams.say(ALICE, "CC-4410, about $600 total")
    facts = {f["title"]: f["value"] for f in teams.card(f"a:{ALICE}")["body"][1]["facts"]}
    assert facts["Estimated cost"] == "$600" and facts["Quantity"] == "2"


async def test_edit_shows_the_form_with_the_engines_validation(teams: Teams) -> None:
    await teams.say(ALICE, MONITORS)
    _, form = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["edit"])
    inputs = {e["id"]: e for e in form["value"]["body"] if e["type"].startswith("Input.")}
    kinds = {name: e["type"] for name, e in inputs.items()}
    assert kinds["quantity"] == kinds["estimated_cost"] == "Input.Number"
    assert kinds["needed_by"] == "Input.Date" and kinds["item_description"] == "Input.Text"
    assert inputs["quantity"]["value"] == 2 and inputs["cost_center"]["isRequired"] is True
    save = form["value"]["actions"][0]
    assert save["verb"] == "submit_edit"

    _, refused = await teams.press(ALICE, save, quantity="2", cost_center="banana", estimated_cost="600")
    body = refused["value"]["body"]
    at = next(i for i, e in enumerate(body) if e.get("id") == "cost_center")
    assert body[at + 1]["color"] == "Attention" and "CC- and four digits" in body[at + 1]["text"]

    _, review = await teams.press(
        ALICE, save, quantity="4", cost_center="CC-4400", estimated_cost="800", item_description="monitors"
    )
    facts = {f["title"]: f["value"] for f in review["value"]["body"][2]["facts"]}
    assert facts["Quantity"] == "4" and facts["Cost center"] == "CC-4400"
    assert [b.get("attachments") is not None for b in teams.connector.posted(f"a:{ALICE}")] == [True]  # in place


async def test_a_date_in_the_past_is_refused_under_its_date_input(teams: Teams) -> None:
    await teams.say(ALICE, MONITORS)
    _, form = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["edit"])
    save = form["value"]["actions"][0]
    _, refused = await teams.press(
        ALICE,
        save,
        item_description="monitors",
        quantity="2",
        estimated_cost="600",
        cost_center="CC-4410",
        needed_by="2020-01-01",
    )
    body = refused["value"]["body"]
    at = next(i for i, e in enumerate(body) if e.get("id") == "needed_by")
    assert body[at]["type"] == "Input.Date" and body[at]["value"] == "2020-01-01"
    assert body[at + 1]["color"] == "Attention" and "past" in body[at + 1]["text"]


async def test_a_choice_field_is_edited_with_a_choice_set(teams: Teams) -> None:
    await teams.say(ALICE, "I need admin access to Epic")
    await teams.say(ALICE, "me")
    await teams.say(ALICE, "to fix the 4 West order sets")
    _, form = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["edit"])
    [choice] = [e for e in form["value"]["body"] if e["type"] == "Input.ChoiceSet"]
    assert choice["id"] == "access_level" and choice["value"] == "admin" and choice["isRequired"] is True
    assert [c["value"] for c in choice["choices"]] == ["read", "write", "admin"]
    assert next(e for e in form["value"]["body"] if e.get("id") == "end_date")["type"] == "Input.Date"
    save = form["value"]["actions"][0]
    _, review = await teams.press(
        ALICE,
        save,
        system="Epic",
        access_level="read",
        for_user="alice.nguyen@example.org",
        justification="to fix the 4 West order sets",
    )
    facts = {f["title"]: f["value"] for e in review["value"]["body"] if e["type"] == "FactSet" for f in e["facts"]}
    assert facts["Access level"] == "read" and facts["System"] == "Epic"
    assert {a["verb"] for a in review["value"]["actions"]} == {"confirm", "edit", "cancel"}


async def test_cancel_closes_the_review_card(teams: Teams) -> None:
    await teams.say(ALICE, MONITORS)
    _, closed = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["cancel"])
    assert "actions" not in closed["value"] and "Cancelled" in text_of(closed["value"])
    _, again = await teams.press(ALICE, {"title": "Confirm", "verb": "confirm", "data": {"draft": 1, "version": 1}})
    assert again["type"] == "application/vnd.microsoft.activity.message" and "was cancelled" in again["value"]


async def test_mention_in_a_channel_is_stripped_and_answered_in_its_thread(teams: Teams) -> None:
    thread = "19:nursing-general@thread.tacv2;messageid=1700000000001"
    await teams.mention(ALICE, MONITORS, thread)
    replies = teams.connector.posted(thread)
    assert len(replies) == 1 and replies[0]["attachments"][0]["content"]["body"][0]["text"].startswith("Review")
    assert teams.connector.posted(f"a:{ALICE}") == []


async def test_mention_in_a_group_chat(teams: Teams) -> None:
    chat = "19:meeting_group-chat@thread.v2"
    await teams.mention(ALICE, "I need 2 monitors", chat)
    assert teams.connector.texts(chat)[-1].endswith("What is the estimated total cost (in USD)?")
    await teams.mention(ALICE, "about $600, CC-4410", chat)
    assert teams.card(chat)["body"][0]["text"] == "Review: Purchase requisition"


async def test_someone_outside_the_directory_is_told_and_nothing_is_started(teams: Teams) -> None:
    await teams.say("29:stranger", MONITORS)
    assert teams.connector.texts("a:29:stranger") == [
        "I can't find you in the organisation's directory, so I can't take requests from you yet. "
        "Please ask your administrator to add your work email."
    ]
