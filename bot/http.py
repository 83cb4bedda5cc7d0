"""The HTTP endpoints of `frontdoor run`: health, metrics, backend callbacks; channels add theirs."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web

from backend_client.signing import SIGNATURE_HEADER, WebhookVerificationError, verify, verify_webhook
from bot.core.events import BackendNews, Event
from bot.core.limits import COMMENT_CHARS, REFERENCE_CHARS
from bot.core.news import STATUSES, NewsRefused
from bot.core.replies import Outgoing

if TYPE_CHECKING:
    from bot.metrics import Metrics
    from bot.settings import Settings
    from bot.store.db import Database

log = logging.getLogger("frontdoor.http")


class Host(Protocol):
    """What these endpoints need of the running process (`bot.app.App`). Named here, so that the
    app imports its endpoints and they never import the app."""

    @property
    def settings(self) -> Settings: ...

    @property
    def metrics(self) -> Metrics: ...

    @property
    def db(self) -> Database: ...

    def refresh_metrics(self) -> None: ...

    async def readiness(self) -> tuple[bool, dict[str, Any]]: ...

    async def handle(self, event: Event) -> list[Outgoing]: ...


APP_KEY = web.AppKey("frontdoor", Host)


def build_web(app: Host) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", _healthz)
    web_app.router.add_get("/readyz", _readyz)
    web_app.router.add_get("/metrics", _metrics)
    web_app.router.add_post("/backend/events", _backend_events)
    from bot.insight.web import add_routes as add_insight_routes  # process intelligence (/insight)

    add_insight_routes(web_app, APP_KEY)
    return web_app


def _app(request: web.Request) -> Host:
    return request.app[APP_KEY]


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    ready, checks = await _app(request).readiness()
    return web.json_response({"ready": ready, "checks": checks}, status=200 if ready else 503)


async def _metrics(request: web.Request) -> web.Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    app = _app(request)
    try:
        await app.db.run(app.refresh_metrics)
    except Exception:  # the database may be what is failing: serve the rest
        log.exception("could not read the outbox's depth for /metrics")
    try:  # process intelligence: open steps by age, past SLA, at risk (bot/insight/gauges.py)
        from bot.insight.web import refresh_gauges

        await app.db.run(refresh_gauges, app)
    except Exception:
        log.exception("could not read the open steps for /metrics")
    body = generate_latest(app.metrics.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _backend_events(request: web.Request) -> web.Response:
    app = _app(request)
    body = await request.read()
    refused = _signature_refused(body, request.headers, app.settings)
    if refused is not None:
        log.warning("backend callback refused: %s", refused)
        return web.json_response({"error": refused}, status=401)
    try:
        news = backend_news(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return web.json_response({"error": f"malformed event: {exc}"[:300]}, status=400)
    try:
        await app.handle(news)
    except NewsRefused as exc:  # authentic, but not a change this request can make
        log.warning("backend callback refused: %s", exc)
        return web.json_response({"error": str(exc)}, status=409)
    return web.json_response({"ok": True})


def _signature_refused(body: bytes, headers: Mapping[str, str], settings: Settings) -> str | None:
    """Why a callback's signature is not accepted, or None: the Standard Webhooks headers, with a
    timestamp within five minutes; the older body-only signature only where still allowed."""
    secret = settings.backend_callback_secret.get_secret_value()
    if "webhook-signature" in headers:
        try:
            verify_webhook(body, headers, secret)
        except WebhookVerificationError as exc:
            return f"bad signature: {exc}"
        return None
    if settings.backend_callback_legacy and verify(body, headers.get(SIGNATURE_HEADER, ""), secret):
        return None
    return "bad signature: sign callbacks with webhook-id, webhook-timestamp and webhook-signature"


_FIELD_CHARS = {"event_id": 200, "request_id": 200, "status": 64, "reference": REFERENCE_CHARS}
"""The most each identifying field of a backend callback may hold; more is refused (400). A longer
`reason` is shortened instead: refusing it would lose the news itself (the contract sets no limit)."""


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
    if str(data["status"]) not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    reason = data.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise TypeError("reason must be a string")
    if reason is not None and len(reason) > COMMENT_CHARS:
        reason = reason[: COMMENT_CHARS - 1] + "…"
    reference = data.get("reference")
    return BackendNews(
        event_id=str(data["event_id"]),
        backend_id=str(data["request_id"]),
        reference=None if reference is None else str(reference),
        status=str(data["status"]),
        reason=None if reason is None else str(reason),
    )
