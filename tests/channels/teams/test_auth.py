"""Bot Framework authentication end to end, offline: the SDK's public-cloud validation is given a
signing key of ours (its OpenID metadata cache, which otherwise comes from login.botframework.com)
and MSAL's token for the connector is stood in, so both directions run without network."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import jwt
import pytest
from botframework.connector.auth import AuthenticationConstants, MicrosoftAppCredentials
from botframework.connector.auth import jwt_token_extractor as extractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.channels.teams.conftest import start_app
from tests.channels.teams.harness import ALICE, Teams
from tests.fakes.bot_connector import FakeConnector

APP_ID = "2f7c8a3e-1b4d-4e8f-9a6b-0c1d2e3f4a5b"
METADATA = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> rsa.RSAPrivateKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(RSAAlgorithm.to_jwk(private.public_key())), "kid": "test-key", "endorsements": ["msteams"]}
    metadata = extractor._OpenIdMetadata(METADATA)
    metadata.keys, metadata.last_updated = [jwk], datetime.now()
    monkeypatch.setitem(extractor.JwtTokenExtractor.metadataCache, METADATA, metadata)
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda _self, force_refresh=False: "bot-token")
    return private


@pytest.fixture
async def secured(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[Teams]:
    app = await start_app(tmp_path, teams_emulator=False, microsoft_app_id=APP_ID, microsoft_app_password="secret",
                          microsoft_app_tenant_id="tenant-1")  # fmt: skip
    yield Teams(app, connector)
    await app.stop()


def token(key: rsa.RSAPrivateKey, service_url: str, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60,
            "exp": now + 600, **claims}  # fmt: skip
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "test-key"})


async def test_a_signed_activity_is_handled_and_answered_with_the_bots_token(
    secured: Teams, key: rsa.RSAPrivateKey
) -> None:
    header = {"Authorization": f"Bearer {token(key, secured.connector.url)}"}
    status, _ = await secured.send(secured.activity(ALICE, text="I need 2 monitors for CC-4410, about $600"), header)
    assert status == 201
    assert {c.authorization for c in secured.connector.calls} == {"Bearer bot-token"}
    assert secured.card(f"a:{ALICE}")["body"][0]["text"] == "Review: Purchase requisition"


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-bot"}, {"exp": int(time.time()) - 600}, {"serviceurl": "https://elsewhere.example/"}],
    ids=["audience", "expired", "service-url"],
)
async def test_a_token_for_something_else_is_refused(
    secured: Teams, key: rsa.RSAPrivateKey, claims: dict[str, Any]
) -> None:
    header = {"Authorization": f"Bearer {token(key, secured.connector.url, **claims)}"}
    status, _ = await secured.send(secured.activity(ALICE, text="hello"), header)
    assert status == 401 and secured.connector.calls == []


async def test_a_token_signed_by_another_key_is_refused(secured: Teams, key: rsa.RSAPrivateKey) -> None:
    forged = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = {"Authorization": f"Bearer {token(forged, secured.connector.url)}"}
    status, _ = await secured.send(secured.activity(ALICE, text="hello"), header)
    assert status == 401 and secured.connector.calls == []
