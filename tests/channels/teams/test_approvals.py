"""Approvals through Teams: proactive cards (personal chats and the approvals channel), Universal
Actions authorised by the engine, refresh for approvers who did not click, the Action.Submit
fallback, and the requester told of each decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.channels.teams.conftest import directory_with_dina, start_app
from tests.channels.teams.harness import ALICE, BOB, BOT, DINA, FINANCE, FRANK, IVY, TENANT, Teams, card_errors, text_of
from tests.fakes.bot_connector import FakeConnector

MESSAGE = "application/vnd.microsoft.activity.message"
POLES = "We need 4 IV poles for 4 West, cost center 4410, about $6,000"


async def submit(teams: Teams, text: str) -> None:
    await teams.say(ALICE, text)
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])


async def test_a_non_approvers_click_is_refused_by_the_engine(teams: Teams) -> None:
    await teams.install(BOB)
    await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
    _, answer = await teams.press(IVY, teams.actions(f"a:{BOB}")["approve"])
    assert answer == {"statusCode": 200, "type": MESSAGE, "value": "Only Bob Martin can decide this step of REQ-1001."}
    assert teams.connector.updated(f"a:{BOB}") == [] and teams.connector.posted(f"a:{IVY}") == []
    _, answer = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])  # the step is still Bob's to decide
    assert "Approved by Bob Martin" in text_of(answer["value"])


async def test_the_card_refreshes_for_an_approver_who_did_not_click(teams: Teams) -> None:
    for person in (BOB, FRANK, DINA):
        await teams.install(person)
    await submit(teams, POLES)
    await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
    card = teams.card(FINANCE)  # step 2 goes to the finance approvals channel
    assert sorted(card["refresh"]["userIds"]) == [DINA, FRANK]
    _, before = await teams.refresh(DINA, card, FINANCE)
    assert {a["verb"] for a in before["value"]["actions"]} == {"approve", "reject", "request_info", "take"}

    await teams.press(FRANK, teams.actions(FINANCE)["approve"], FINANCE)
    _, after = await teams.refresh(DINA, card, FINANCE)
    assert "actions" not in after["value"] and "Approved by Frank Ito" in text_of(after["value"])
    _, late = await teams.press(DINA, teams.actions(FINANCE)["reject"], FINANCE, comment="duplicate order")
    assert late["type"] == MESSAGE and late["value"].startswith("REQ-1001 was already approved by Frank Ito")
    assert "Frank Ito approved REQ-1001. It is fully approved" in " ".join(teams.connector.texts(f"a:{ALICE}"))


async def test_a_card_opens_the_managers_personal_chat_from_the_team_roster(teams: Teams) -> None:
    added = teams.activity(
        IVY,
        "conversationUpdate",
        "19:nursing@thread.tacv2",
        membersAdded=[{"id": BOT}],
        channelData={"tenant": {"id": TENANT}, "team": {"id": "19:nursing"}, "eventType": "teamMemberAdded"},
    )
    await teams.send(added)  # Ivy adds the app to the nursing team; Bob is in it but never wrote to the bot
    assert len(teams.connector.of("roster")) == 2  # the roster is read page by page
    await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
    [opened] = teams.connector.of("create")
    assert opened.body == {
        "bot": {"id": BOT},
        "members": [{"id": BOB}],
        "isGroup": False,
        "tenantId": TENANT,
        "channelData": {"tenant": {"id": TENANT}},
    }
    assert teams.card(f"a:{BOB}")["actions"]
    await teams.press(BOB, teams.actions(f"a:{BOB}")["request_info"], comment="Which model?")
    assert len(teams.connector.of("create")) == 1  # the opened chat is stored and used from then on


async def test_reject_with_a_reason_through_the_action_submit_fallback(teams: Teams) -> None:
    await teams.install(BOB)
    await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
    fallback = teams.actions(f"a:{BOB}")["reject"]["fallback"]
    assert fallback["type"] == "Action.Submit"
    status, _ = await teams.send(teams.activity(BOB, value={**fallback["data"], "comment": "not in budget"}))
    assert status == 201
    assert "Bob Martin rejected REQ-1001. Reason: not in budget" in teams.connector.texts(f"a:{ALICE}")
    assert "Rejected by Bob Martin" in text_of(teams.connector.updated(f"a:{BOB}")[-1])


async def test_request_info_and_the_answer(teams: Teams) -> None:
    await teams.install(BOB)
    await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
    _, asked = await teams.press(BOB, teams.actions(f"a:{BOB}")["request_info"], comment="Which model?")
    assert asked["value"]["actions"] and "Bob Martin asked for more information: Which model?" in text_of(asked)
    assert teams.connector.texts(f"a:{ALICE}")[-1].startswith("Bob Martin needs more information about REQ-1001")
    await teams.say(ALICE, "Dell P2422H")
    assert teams.connector.texts(f"a:{BOB}")[-1] == "Alice Nguyen answered about REQ-1001: Dell P2422H"


async def test_a_refusal_in_a_channel_is_said_privately(teams: Teams) -> None:
    for person in (BOB, IVY):
        await teams.install(person)
    await submit(teams, POLES)
    await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
    data = teams.actions(FINANCE)["approve"]["fallback"]["data"]
    await teams.send(teams.activity(IVY, conversation=FINANCE, value=data))  # an older client's Action.Submit
    assert teams.connector.texts(f"a:{IVY}") == ["Only the Finance team can decide this step of REQ-1001."]
    assert all("Only the" not in t for t in teams.connector.texts(FINANCE))


async def test_stored_references_are_used_after_a_restart(tmp_path: Path, connector: FakeConnector) -> None:
    app = await start_app(tmp_path)
    await Teams(app, connector).install(BOB)
    await app.stop()
    app = await start_app(tmp_path)  # a new process on the same database
    teams = Teams(app, connector)
    try:
        await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
        assert teams.card(f"a:{BOB}")["refresh"]["userIds"] == [BOB]
        _, answer = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
        assert "Approved by Bob Martin" in text_of(answer["value"])
        assert [c.conversation for c in connector.of("member")] == [f"a:{BOB}", f"a:{ALICE}"]  # Bob once, at install
        assert connector.of("create") == []
    finally:
        await app.stop()


async def test_someone_added_to_a_team_later_is_reachable(teams: Teams) -> None:
    joined = teams.activity(
        IVY,
        "conversationUpdate",
        "19:nursing@thread.tacv2",
        membersAdded=[{"id": BOB}],
        channelData={"tenant": {"id": TENANT}, "team": {"id": "19:nursing"}, "eventType": "teamMemberAdded"},
    )
    await teams.send(joined)
    assert teams.connector.of("roster") == [] and len(teams.connector.of("member")) == 1
    await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
    assert [c.body["members"] for c in teams.connector.of("create")] == [[{"id": BOB}]]
    assert teams.card(f"a:{BOB}")["refresh"]["userIds"] == [BOB]


async def test_the_clickers_aad_object_id_is_matched_through_the_directory(
    tmp_path: Path, connector: FakeConnector
) -> None:
    data = yaml.safe_load(directory_with_dina(tmp_path).read_text())
    for person in data["people"]:
        if person["email"] == "bob.martin@example.org":
            person["chat_ids"] = {"teams": "aad-29:bob"}  # his Entra ID object id, as Teams sends it
    path = tmp_path / "directory-with-ids.yaml"
    path.write_text(yaml.safe_dump(data))
    del connector.members[BOB]  # the connector would not tell who he is: only the directory can
    app = await start_app(tmp_path, directory=path)
    teams = Teams(app, connector)
    try:
        await teams.install(BOB)
        await submit(teams, "I need 2 monitors for CC-4410, about $600 total")
        _, answer = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
        assert "Approved by Bob Martin" in text_of(answer["value"])
        assert [c.conversation for c in connector.of("member")] == [f"a:{ALICE}"]  # Bob was never looked up
    finally:
        await app.stop()
    assert all(not card_errors(card) for card in teams.every_card())


async def test_a_refresh_shows_the_buttons_to_the_steps_approvers_only(teams: Teams) -> None:
    for person in (BOB, FRANK):
        await teams.install(person)
    await submit(teams, POLES)
    await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
    card = teams.card(FINANCE)
    _, approver = await teams.refresh(FRANK, card, FINANCE)
    assert {a["verb"] for a in approver["value"]["actions"]} == {"approve", "reject", "request_info", "take"}
    _, bystander = await teams.refresh(IVY, card, FINANCE)  # in the channel, but not in Finance
    assert "actions" not in bystander["value"] and "REQ-1001" in text_of(bystander["value"])
    _, stranger = await teams.refresh("29:stranger", card, FINANCE)
    assert stranger["type"] == MESSAGE and "directory" in stranger["value"]


async def test_a_role_room_not_mapped_on_teams_sends_its_card_to_each_holder(
    tmp_path: Path, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#approvals-cfo has no Teams channel: the CFO step's card goes to the role's holder in her
    personal chat instead of nowhere, and her decision there closes the step."""
    data = yaml.safe_load(directory_with_dina(tmp_path).read_text())
    for person in data["people"]:  # Dina holds the CFO role alone here
        if person["email"] == "chloe.reed@example.org":
            person["roles"] = []
        if person["email"] == "dina.ross@example.org":
            person["roles"] = ["finance", "cfo"]
    (tmp_path / "cfo.yaml").write_text(yaml.safe_dump(data))
    rooms = {"#approvals-finance": {"conversation": FINANCE, "service_url": connector.url}}
    monkeypatch.setenv("FRONTDOOR_TEAMS_CHANNELS", json.dumps(rooms))
    app = await start_app(tmp_path, directory=tmp_path / "cfo.yaml")
    try:
        teams = Teams(app, connector)
        for person in (BOB, FRANK, DINA):
            await teams.install(person)
        await submit(teams, "We need 40 IV poles for 4 West, cost center 4410, about $60,000")
        await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
        await teams.press(FRANK, teams.actions(FINANCE)["approve"], FINANCE)
        assert "REQ-1001" in text_of(teams.card(f"a:{DINA}"))  # the CFO card, in Dina's personal chat
        _, decided = await teams.press(DINA, teams.actions(f"a:{DINA}")["approve"])
        assert "Approved by Dina Ross" in text_of(decided["value"])
        told = " ".join(connector.texts(f"a:{ALICE}"))
        assert "Dina Ross approved REQ-1001. It is fully approved" in told
    finally:
        await app.stop()


async def test_my_delegation_is_a_card_with_an_end_button(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(BOB, "forward my approvals to carol.diaz@example.org till Monday")
    await teams.say(BOB, "my delegation")
    card = teams.card(f"a:{BOB}")
    assert "Carol Diaz" in text_of(card) and "Mon Nov 30" in text_of(card)
    _, answer = await teams.press(BOB, teams.actions(f"a:{BOB}")["end_delegation"])
    assert "Delegation ended: your approvals come to you again." in text_of(answer)
    await teams.say(BOB, "my delegation")
    assert teams.connector.posted(f"a:{BOB}")[-1]["text"] == "You have no delegation running."
