"""/insight over HTTP (page, exports, loopback only), `frontdoor report`, and the page in a real
headless browser (Debian's chromium; skipped, saying so, where it is absent)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from typer.testing import CliRunner

from bot.cli import cli
from bot.insight import web as insight_web
from bot.metrics import Metrics
from bot.store.db import Database
from tests.insight.history import CALENDARS, DIRECTORY, NOW, write_history

KEY = web.AppKey("host", object)
QUERY = "since=2026-03-02&until=2026-03-06"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _app(url: str) -> web.Application:
    db = Database(url)
    db.upgrade()
    write_history(db)
    host = SimpleNamespace(
        db=db,
        services=SimpleNamespace(directory=DIRECTORY, deadlines=CALENDARS),
        settings=SimpleNamespace(timezone="America/New_York"),
        clock=SimpleNamespace(now=lambda: NOW),
        metrics=Metrics(),
    )
    app = web.Application()
    app[KEY] = host
    insight_web.add_routes(app, KEY)
    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(_app(f"sqlite:///{tmp_path / 'i.db'}"))) as c:
        yield c


async def test_page_and_exports_agree(client: TestClient[Any, Any]) -> None:
    page = await client.get(f"/insight?{QUERY}")
    assert page.status == 200
    html = await page.text()
    for heading in ("Queue", "Approval latency", "SLA adherence", "At risk", "Exceptions and denials", "Hand-off"):
        assert f">{heading}</h2>" in html
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "free text never shown" not in html
    data = await (await client.get(f"/insight/latency.json?{QUERY}")).json()
    assert data["tables"]["overall"]["rows"] == [[6, 3.5, 18.5]]
    text = await (await client.get(f"/insight/sla.csv?{QUERY}")).text()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "scope", "decided", "within_sla", "within_sla_pct"]
    assert rows[1] == ["overall", "all", "6", "5", "83.3"]
    assert '<td class="n">83.3</td>' in html
    assert (await client.get("/insight/nothing.json")).status == 404
    assert (await client.get("/insight?since=yesterday")).status == 400


async def test_refused_beyond_loopback(client: TestClient[Any, Any]) -> None:
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        ("10.1.2.3", 5555) if name == "peername" else default
    )
    request = make_mocked_request("GET", "/insight", app=client.server.app, transport=transport)  # type: ignore[attr-defined]
    assert request.remote == "10.1.2.3"
    assert insight_web._refused(request) is not None
    loop_transport = mock.Mock()
    loop_transport.get_extra_info.side_effect = lambda name, default=None: (
        ("127.0.0.1", 5) if name == "peername" else default
    )
    assert insight_web._refused(make_mocked_request("GET", "/insight", transport=loop_transport)) is None


def test_report_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    write_history(_migrated(url))
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", url)
    args = ["report", "latency", "--since", "2026-03-02", "--until", "2026-03-06", "--now", NOW.isoformat()]
    done = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["tables"]["by_role"]["rows"][2] == ["Manager", 2, 1.25, 1.85]
    table = CliRunner().invoke(cli, args)
    assert "Accounts Payable  3        4.0           24.0" in table.output
    assert CliRunner().invoke(cli, ["report", "nonsense"]).exit_code == 2


def test_demo_seed_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = []
    for name in ("a", "b"):
        monkeypatch.setenv("FRONTDOOR_DATABASE_URL", f"sqlite:///{tmp_path / name}.db")
        seeded = CliRunner().invoke(cli, ["demo", "seed", "--requests", "300", "--now", "2026-01-15T15:00:00"])
        assert seeded.exit_code == 0, seeded.output
        report = CliRunner().invoke(cli, ["report", "sla", "--format", "csv", "--now", "2026-01-15T15:00:00"])
        outputs.append(report.output)
    assert outputs[0] == outputs[1] and "by_type,invoice_exception" in outputs[0]


def _migrated(url: str) -> Database:
    db = Database(url)
    db.upgrade()
    return db


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
async def test_in_a_real_browser(tmp_path: Path) -> None:
    runner = web.AppRunner(_app(f"sqlite:///{tmp_path / 'b.db'}"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        base = f"http://127.0.0.1:{port}/insight?{QUERY}"
        dom = await _dump(base, tmp_path)
        assert "<h1>Process intelligence</h1>" in dom and 'data-table="oldest"' in dom
        assert "REQ-1004" in dom  # the oldest open step, in its table
        filtered = await _dump(base + "&type=invoice_exception", tmp_path)
        assert '<option value="invoice_exception" selected="">' in filtered
        assert "REQ-1004" not in filtered  # an access request: filtered out
    finally:
        await runner.cleanup()


async def _dump(url: str, tmp_path: Path) -> str:
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom", url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return out.decode()
