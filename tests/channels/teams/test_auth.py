"""Bot Framework authentication end to end, with Microsoft's side stood in at the network: the
channel's OpenID metadata and signing keys and Entra ID's token endpoint (`FakeIdentity`), and the
connector (`FakeConnector`). The SDK checks every token; the bot's own token is fetched for the
app's tenant (single-tenant) or botframework.com (multi-tenant) and carried on every call out."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from botframework.connector.auth import ChannelValidation
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.app import App
from bot.channels.teams import connector as teams_connector
from tests.channels.teams.conftest import start_app
from tests.channels.teams.harness import ALICE, BOB, Teams, card_errors, text_of
from tests.fakes.bot_connector import FakeConnector, FakeIdentity

APP_ID = "2f7c8a3e-1b4d-4e8f-9a6b-0c1d2e3f4a5b"
SECRET = "client-secret-value"
MONITORS = "I need 2 monitors for CC-4410, about $600 total"
KEYS = ["/v1/.well-known/openidconfiguration", "/v1/.well-known/keys"]


@pytest.fixture
async def identity(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeIdentity]:
    fake = await FakeIdentity(APP_ID, SECRET).start()
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", fake.metadata_url)
    monkeypatch.setattr(teams_connector, "LOGIN_URL", fake.address)
    yield fake
    await fake.stop()


async def start_secured(folder: Path, tenant: str | None) -> App:
    return await start_app(
        folder,
        teams_emulator=False,
        microsoft_app_id=APP_ID,
        microsoft_app_password=SECRET,
        microsoft_app_tenant_id=tenant,
    )


@pytest.fixture
async def secured(tmp_path: Path, connector: FakeConnector, identity: FakeIdentity) -> AsyncIterator[Teams]:
    app = await start_secured(tmp_path, "tenant-1")
    teams = Teams(app, connector)
    yield teams
    await app.stop()
    assert {i: e for i, card in enumerate(teams.every_card()) if (e := card_errors(card))} == {}


def signed(teams: Teams, identity: FakeIdentity, **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {identity.sign(teams.connector.url, **claims)}"}


@pytest.mark.parametrize(
    ("tenant", "authority"),
    [("tenant-1", "tenant-1"), (None, "botframework.com")],
    ids=["single-tenant", "multi-tenant"],
)
async def test_a_signed_activity_is_handled_and_answered_with_the_bots_token(
    tmp_path: Path, connector: FakeConnector, identity: FakeIdentity, tenant: str | None, authority: str
) -> None:
    app = await start_secured(tmp_path, tenant)
    teams = Teams(app, connector)
    try:
        status, _ = await teams.send(teams.activity(ALICE, text=MONITORS), signed(teams, identity))
        assert status == 201
        assert teams.card(f"a:{ALICE}")["body"][0]["text"] == "Review: Purchase requisition"
        status, _ = await teams.send(teams.activity(ALICE, text="cancel"), signed(teams, identity))
        assert status == 201 and len(teams.connector.posted(f"a:{ALICE}")) == 2
    finally:
        await app.stop()
    assert [c.op for c in connector.calls if c.op != "update"] == ["member", "send", "send"]
    assert {c.authorization for c in connector.calls} == {"Bearer bot-token-1"}  # one token, kept
    [(asked_at, form)] = identity.token_requests
    assert asked_at == authority and form == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": SECRET,
        "scope": "https://api.botframework.com/.default",
    }
    assert identity.served == KEYS  # the signing keys are fetched once, then cached
    assert {i: e for i, card in enumerate(teams.every_card()) if (e := card_errors(card))} == {}


async def test_a_request_and_its_approval_with_authentication_on(secured: Teams, identity: FakeIdentity) -> None:
    async def send(activity: dict[str, Any]) -> tuple[int, Any]:
        return await secured.send(activity, signed(secured, identity))

    assert (await send(secured.activity(BOB, "installationUpdate", action="add")))[0] == 201
    await send(secured.activity(ALICE, text=MONITORS))
    confirm = secured.actions(f"a:{ALICE}")["confirm"]
    value = {"action": {"type": "Action.Execute", "verb": "confirm", "data": confirm["data"]}}
    status, closed = await send(secured.activity(ALICE, "invoke", name="adaptiveCard/action", value=value))
    assert status == 200 and "REQ-1001" in text_of(closed["value"]) and "actions" not in closed["value"]
    approve = secured.actions(f"a:{BOB}")["approve"]
    value = {"action": {"type": "Action.Execute", "verb": "approve", "data": approve["data"]}}
    status, decided = await send(secured.activity(BOB, "invoke", name="adaptiveCard/action", value=value))
    assert status == 200 and "Approved by Bob Martin" in text_of(decided["value"])
    assert "Bob Martin approved REQ-1001" in " ".join(secured.connector.texts(f"a:{ALICE}"))


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-bot"},
        {"exp": int(time.time()) - 600},
        {"nbf": int(time.time()) + 3600},
        {"serviceurl": "https://elsewhere.example/"},
        {"iss": "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"},
    ],
    ids=["audience", "expired", "not-yet-valid", "service-url", "issuer"],
)
async def test_a_token_for_something_else_is_refused(
    secured: Teams, identity: FakeIdentity, claims: dict[str, Any]
) -> None:
    status, _ = await secured.send(secured.activity(ALICE, text=MONITORS), signed(secured, identity, **claims))
    assert status == 401 and secured.connector.calls == [] and identity.token_requests == []


async def test_a_forged_token_is_refused_and_fetches_nothing_more(secured: Teams, identity: FakeIdentity) -> None:
    forged = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    activity = secured.activity(ALICE, text=MONITORS)
    for key_id in (None, "a-key-nobody-has", "another-key"):
        status, _ = await secured.send(activity, signed(secured, identity, key=forged, key_id=key_id))
        assert status == 401
    assert identity.served == KEYS  # unknown key ids do not make the bot fetch the keys again and again
    assert secured.connector.calls == []
    assert (await secured.send(activity, signed(secured, identity)))[0] == 201  # the real token still works


async def test_while_the_signing_keys_cannot_be_fetched_activities_are_deferred(
    secured: Teams, identity: FakeIdentity
) -> None:
    identity.keys_down = True
    activity = secured.activity(ALICE, text=MONITORS)
    status, _ = await secured.send(activity, signed(secured, identity))
    assert status == 503 and secured.connector.calls == []  # nothing handled: the Bot Framework tries again
    identity.keys_down = False
    status, _ = await secured.send(activity, signed(secured, identity))
    assert status == 201 and len(secured.connector.posted(f"a:{ALICE}")) == 1
