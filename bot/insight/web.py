"""/insight on `frontdoor run`'s HTTP server: the page and each view's CSV and JSON.

Without sign-in (the embedded default) served to loopback only (`bot.insight.access`): a
request from any other address is refused with 403 and a line saying why. With OpenID Connect
sign-in configured (`bot.insight.signin`) every request needs a session: without one the page
redirects to the sign-in and the exports answer 401; with one, the figures are those the
directory lets the person see (`access.scope_for`).
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from aiohttp import web

from bot.insight import access, chat
from bot.insight.export import csv_text, json_text
from bot.insight.page import render_page
from bot.insight.queries import VIEWS, Scope
from bot.insight.service import BadFilter, calendars_for, filter_choices, parse_filters, read_views
from bot.insight.signin import OidcConfig, Signin, redirect, signin_url

_CHOICES_SECONDS = 60.0
_KEY = web.AppKey("insight_host_key", object)
_SIGNIN = web.AppKey("insight_signin", object)
_CACHE: dict[int, tuple[float, dict[str, list[tuple[str, str]]]]] = {}
"""The filters' choices per application, read again after a minute."""


def add_routes(web_app: web.Application, key: Any) -> None:
    """Add /insight and /insight/<view>.csv|.json; `key` is the app key of the running process."""
    web_app[_KEY] = key
    settings = getattr(web_app[key], "settings", None)
    public, port = getattr(settings, "public_url", None), getattr(settings, "http_port", None)
    if public or port is not None:  # the link chat answers give (bot/insight/chat.py)
        host = getattr(settings, "http_host", "127.0.0.1")
        base = public or f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}"
        chat.PAGE_URL = f"{str(base).rstrip('/')}/insight"
    config = OidcConfig.from_settings(settings)
    signin = Signin(config) if config else None
    web_app[_SIGNIN] = signin
    web_app.router.add_get("/insight", _page)
    web_app.router.add_get("/insight/{view}.{fmt:csv|json}", _export)
    if signin is not None:
        web_app.router.add_get("/insight/signin", signin.begin)
        web_app.router.add_get("/insight/callback", signin.finish)
        web_app.router.add_get("/insight/signout", signin.signout)


def _host(request: web.Request) -> Any:
    app: Any = request.app
    return app[app[_KEY]]


def _refused(request: web.Request) -> web.Response | None:
    if access.is_loopback(request.remote):
        return None
    return web.Response(
        status=403,
        text="The insight page is served on loopback only (no sign-in is configured).\n",
        content_type="text/plain",
    )


def _scope(request: web.Request, page: bool) -> Scope | web.Response:
    """What this request may see, or the answer refusing it (see the module's text)."""
    signin: Signin | None = request.app.get(_SIGNIN)  # type: ignore[assignment]
    if signin is None:
        refused = _refused(request)
        return refused if refused is not None else Scope()
    email = signin.email_of(request)
    if email is None:
        if page:
            return redirect(signin_url(request))
        return web.Response(
            status=401,
            text="Sign in first: open /insight in a browser.\n",
            content_type="text/plain",
            headers={"WWW-Authenticate": 'Cookie realm="insight"'},
        )
    return access.scope_for(_host(request).services.directory, email)


def _who(request: web.Request) -> tuple[str, str] | None:
    """The name and email of the person signed in (None without sign-in configured)."""
    signin: Signin | None = request.app.get(_SIGNIN)  # type: ignore[assignment]
    email = signin.email_of(request) if signin is not None else None
    if email is None:
        return None
    return _host(request).services.directory.name(email), email


def _calendars(host: Any) -> Any:
    deadlines = getattr(host.services, "deadlines", None)
    if hasattr(deadlines, "calendar"):
        return deadlines
    return calendars_for(host.settings, host.services.directory)


async def _views(request: web.Request, names: list[str], scope: Scope) -> tuple[list[Any], dict[str, str]]:
    host = _host(request)
    query = {k: request.query.get(k, "") for k in ("since", "until", "type", "entity", "department", "role")}
    filters = parse_filters(query)
    directory = host.services.directory
    work = partial(read_views, zone=host.settings.timezone, scope=scope)
    views = await host.db.run(work, host.db, directory, _calendars(host), names, filters, host.clock.now())
    return views, query


async def _page(request: web.Request) -> web.Response:
    scope = _scope(request, page=True)
    if isinstance(scope, web.Response):
        return scope
    try:
        views, query = await _views(request, list(VIEWS), scope)
    except BadFilter as exc:
        return web.Response(status=400, text=f"{exc}\n", content_type="text/plain")
    host = _host(request)
    cached = _CACHE.get(id(request.app))
    if cached is None or time.monotonic() - cached[0] > _CHOICES_SECONDS:
        cached = (time.monotonic(), await host.db.run(filter_choices, host.db, host.services.directory))
        _CACHE[id(request.app)] = cached
    html = render_page(views, cached[1], query, _who(request))
    return web.Response(text=html, content_type="text/html", headers=_HEADERS)


async def _export(request: web.Request) -> web.Response:
    scope = _scope(request, page=False)
    if isinstance(scope, web.Response):
        return scope
    name, fmt = request.match_info["view"], request.match_info["fmt"]
    if name not in VIEWS:
        return web.Response(status=404, text=f"no view {name!r}: {', '.join(VIEWS)}\n", content_type="text/plain")
    try:
        views, _query = await _views(request, [name], scope)
    except BadFilter as exc:
        return web.Response(status=400, text=f"{exc}\n", content_type="text/plain")
    if fmt == "csv":
        return web.Response(text=csv_text(views[0]), content_type="text/csv", headers=_HEADERS)
    return web.Response(text=json_text(views[0]), content_type="application/json", headers=_HEADERS)


_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def refresh_gauges(host: Any) -> None:
    """Set the insight gauges of /metrics from the store (organisation's calendar)."""
    from bot.insight.gauges import gauge_figures
    from bot.insight.hours import clock_of

    clock = clock_of(_calendars(host).calendar(None, None))
    with host.db.core_transaction() as connection:
        by_age, past, risk = gauge_figures(connection, clock, host.clock.now())
    host.metrics.insight_seen(by_age, past, risk)
