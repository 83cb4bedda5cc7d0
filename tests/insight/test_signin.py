"""Sign-in to /insight with OpenID Connect, through real HTTP servers: the page and a local
provider stand-in (tests/insight/oidc_provider.py). Without a session everything is refused;
with one, a person sees what the directory allows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.insight import web as insight_web
from bot.insight.signin import LOGIN_COOKIE, SESSION_COOKIE, OidcConfig, SigninError
from bot.metrics import Metrics
from bot.store.db import Database
from tests.insight.history import CALENDARS, DIRECTORY, NOW, write_history
from tests.insight.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

KEY = web.AppKey("host", object)
QUERY = "since=2026-03-02&until=2026-03-06"


@dataclass
class Site:
    base: str
    provider: Provider


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    provider = Provider()
    idp = TestServer(provider.app(), host="127.0.0.1")
    await idp.start_server()
    provider.base = str(idp.make_url("")).rstrip("/")
    db = Database(f"sqlite:///{tmp_path / 's.db'}")
    db.upgrade()
    write_history(db)
    settings = SimpleNamespace(
        timezone="America/New_York",
        oidc_issuer=provider.base,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
        public_url=None,
    )
    host = SimpleNamespace(
        db=db,
        services=SimpleNamespace(directory=DIRECTORY, deadlines=CALENDARS),
        settings=settings,
        clock=SimpleNamespace(now=lambda: NOW),
        metrics=Metrics(),
    )
    app = web.Application()
    app[KEY] = host
    insight_web.add_routes(app, KEY)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield Site(str(server.make_url("")).rstrip("/"), provider)
    finally:
        await server.close()
        await idp.close()
        db.dispose()


def _browser() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def _sign_in(browser: aiohttp.ClientSession, site: Site, email: str) -> aiohttp.ClientResponse:
    site.provider.email = email
    return await browser.get(f"{site.base}/insight?{QUERY}")  # redirects: sign-in, provider, callback, page


async def test_without_a_session_everything_is_refused(site: Site) -> None:
    async with _browser() as browser:
        page = await browser.get(f"{site.base}/insight?{QUERY}", allow_redirects=False)
        assert page.status == 302
        assert page.headers["Location"].startswith("/insight/signin?next=")
        assert "until%3D2026-03-06" in page.headers["Location"]
        for view in ("queue", "latency", "handoff"):
            for fmt in ("csv", "json"):
                export = await browser.get(f"{site.base}/insight/{view}.{fmt}?{QUERY}")
                assert export.status == 401, (view, fmt)
                assert "REQ-" not in await export.text()
        browser.cookie_jar.update_cookies({SESSION_COOKIE: "not.a.session"}, response_url=page.url)
        assert (await browser.get(f"{site.base}/insight/queue.json")).status == 401
    assert site.provider.token_calls == 0


async def test_a_viewer_signs_in_and_sees_everything(site: Site) -> None:
    async with _browser() as browser:
        page = await _sign_in(browser, site, "chloe.reed@example.org")  # in the demo's insight_viewers
        assert page.status == 200 and str(page.url).endswith(f"/insight?{QUERY}")
        html = await page.text()
        assert "<h1>Process intelligence</h1>" in html and "REQ-1004" in html
        latency = await (await browser.get(f"{site.base}/insight/latency.json?{QUERY}")).json()
        assert latency["tables"]["overall"]["rows"] == [[6, 3.5, 18.5]]
        queue = await (await browser.get(f"{site.base}/insight/queue.csv?{QUERY}")).text()
        assert "summary,open steps,4" in queue
        signed_out = await browser.get(f"{site.base}/insight/signout")
        assert signed_out.status == 200
        assert (await browser.get(f"{site.base}/insight/queue.json")).status == 401
    assert site.provider.token_calls == 1


async def test_a_role_holder_sees_only_their_roles_steps(site: Site) -> None:
    async with _browser() as browser:
        page = await _sign_in(browser, site, "Lena.Berg@example.org")  # Legal; manages nobody
        assert page.status == 200
        html = await page.text()
        assert "REQ-1007" in html and "REQ-1004" not in html  # the Legal step, not a manager's
        queue = await (await browser.get(f"{site.base}/insight/queue.json?{QUERY}")).json()
        assert queue["tables"]["summary"]["rows"] == [["open requests", 1], ["open steps", 1], ["steps past SLA", 0]]
        assert queue["tables"]["by_role"]["rows"] == [["Legal", 1, 1, 23.0]]
        latency = await (await browser.get(f"{site.base}/insight/latency.json?{QUERY}")).json()
        assert latency["tables"]["overall"]["rows"] == [[0, 0.0, 0.0]]


async def test_someone_not_in_the_directory_sees_nothing(site: Site) -> None:
    async with _browser() as browser:
        page = await _sign_in(browser, site, "visitor@elsewhere.example")
        assert page.status == 200
        queue = await (await browser.get(f"{site.base}/insight/queue.json?{QUERY}")).json()
        assert queue["tables"]["summary"]["rows"] == [["open requests", 0], ["open steps", 0], ["steps past SLA", 0]]


@pytest.mark.parametrize(
    "wrong", [{"wrong_nonce": True}, {"foreign_key": True}, {"email_verified": False}], ids=["nonce", "key", "email"]
)
async def test_a_bad_id_token_is_refused(site: Site, wrong: dict[str, Any]) -> None:
    for name, value in wrong.items():
        setattr(site.provider, name, value)
    async with _browser() as browser:
        page = await _sign_in(browser, site, "chloe.reed@example.org")
        assert page.status == 403
        assert not any(c.key == SESSION_COOKIE for c in browser.cookie_jar)
        assert (await browser.get(f"{site.base}/insight/latency.json")).status == 401


async def test_a_callback_that_did_not_start_here_is_refused(site: Site) -> None:
    async with _browser() as browser:
        forged = await browser.get(f"{site.base}/insight/callback?code=abc&state=xyz", allow_redirects=False)
        assert forged.status == 400
        start = await browser.get(f"{site.base}/insight/signin?next=https://evil.example/", allow_redirects=False)
        assert start.status == 302 and any(c.key == LOGIN_COOKIE for c in browser.cookie_jar)
        done = await browser.get(start.headers["Location"])  # through the provider and back
        assert done.status == 200 and str(done.url) == f"{site.base}/insight"  # never off-site


def test_settings_must_be_complete() -> None:
    assert OidcConfig.from_settings(SimpleNamespace()) is None
    with pytest.raises(SigninError, match="FRONTDOOR_OIDC_CLIENT_ID"):
        OidcConfig.from_settings(SimpleNamespace(oidc_issuer="https://idp.example"))
    with pytest.raises(SigninError, match="FRONTDOOR_OIDC_ISSUER"):
        OidcConfig.from_settings(SimpleNamespace(oidc_client_id="x", oidc_client_secret=SecretStr("y")))


async def test_the_page_says_who_is_signed_in_and_signs_out(site: Site) -> None:
    async with _browser() as browser:
        page = await _sign_in(browser, site, "chloe.reed@example.org")
        html = await page.text()
        assert (
            '<p class="who">Signed in as <strong>Chloe Reed (chloe.reed@example.org)</strong> · '
            '<a href="/insight/signout">Sign out</a></p>'
        ) in html
        assert any(c.key == SESSION_COOKIE for c in browser.cookie_jar)
        signed_out = await browser.get(f"{site.base}/insight/signout")  # the page's link
        assert signed_out.status == 200 and signed_out.headers["Cache-Control"] == "no-store"
        assert "<h1>Signed out</h1>" in await signed_out.text()
        assert not any(c.key == SESSION_COOKIE for c in browser.cookie_jar)  # the session is cleared
        again = await browser.get(f"{site.base}/insight?{QUERY}", allow_redirects=False)
        assert again.status == 302 and again.headers["Location"].startswith("/insight/signin")
        assert (await browser.get(f"{site.base}/insight/queue.json?{QUERY}")).status == 401
    async with _browser() as browser:  # someone the directory does not name: their email alone
        html = await (await _sign_in(browser, site, "visitor@elsewhere.example")).text()
        assert "Signed in as <strong>visitor@elsewhere.example</strong>" in html


def test_without_sign_in_the_page_names_nobody() -> None:
    from bot.insight.page import render_page
    from bot.insight.queries import View

    html = render_page([View("queue", "Queue", [], period=("2026-03-02", "2026-03-06"), now="2026-03-06")], {}, {})
    assert "Signed in as" not in html and "/insight/signout" not in html
