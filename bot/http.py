"""The HTTP endpoints of `frontdoor run`: health, metrics, backend callbacks; channels add theirs."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from backend_client.signing import SIGNATURE_HEADER, verify
from bot.core.events import BackendNews
from bot.core.limits import COMMENT_CHARS, REFERENCE_CHARS

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger("frontdoor.http")
APP_KEY = web.AppKey("frontdoor", object)


def build_web(app: App) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", _healthz)
    web_app.router.add_get("/readyz", _readyz)
    web_app.router.add_get("/metrics", _metrics)
    web_app.router.add_post("/backend/events", _backend_events)
    return web_app


def _app(request: web.Request) -> App:
    return request.app[APP_KEY]  # type: ignore[return-value]


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    app = _app(request)
    checks = await app.readiness()
    status = 200 if all(checks.values()) else 503
    return web.json_response({"ready": status == 200, "checks": checks}, status=status)


async def _metrics(request: web.Request) -> web.Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    body = generate_latest(_app(request).metrics.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _backend_events(request: web.Request) -> web.Response:
    app = _app(request)
    body = await request.read()
    if not verify(body, request.headers.get(SIGNATURE_HEADER, ""), app.settings.backend_callback_secret):
        log.warning("backend callback with a bad signature refused")
        return web.json_response({"error": "bad signature"}, status=401)
    try:
        news = backend_news(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return web.json_response({"error": f"malformed event: {exc}"[:300]}, status=400)
    await app.handle(news)
    return web.json_response({"ok": True})


_FIELD_CHARS = {"event_id": 200, "request_id": 200, "status": 64, "reference": REFERENCE_CHARS, "reason": COMMENT_CHARS}
"""The most each field of a backend callback may hold; more is refused (400) before anything reads it."""


def backend_news(data: dict[str, object]) -> BackendNews:
    """A callback's fields, each a string within its size (ValueError, TypeError or KeyError naming the field)."""
    for name, most in _FIELD_CHARS.items():
        value = data.get(name)
        if value is None:
            if name in ("event_id", "request_id", "status"):
                raise KeyError(name)
            continue
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise TypeError(f"{name} must be a string")
        if len(str(value)) > most:
            raise ValueError(f"{name} is longer than {most} characters")
    reference, reason = data.get("reference"), data.get("reason")
    return BackendNews(
        event_id=str(data["event_id"]),
        backend_id=str(data["request_id"]),
        reference=None if reference is None else str(reference),
        status=str(data["status"]),
        reason=None if reason is None else str(reason),
    )
