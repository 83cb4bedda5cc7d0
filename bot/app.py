"""The composition root: settings in, a running Front Door out. Nothing is built at import."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bot import policy
from bot.channels.base import Channel
from bot.core import dead_letters, queries
from bot.core.clock import Clock, SystemClock
from bot.core.correlation import CORRELATION, new_correlation
from bot.core.engine import Engine
from bot.core.events import Event, Message
from bot.core.replies import Card, Outgoing
from bot.core.sweep import Sweeper
from bot.core.turn import Deadlines, Services, Turn
from bot.deadlines import business_deadlines
from bot.directory import Directory, load_directory
from bot.inbox import Handler, Inbox, Spawn
from bot.metrics import Metrics
from bot.outbox import ChatDispatcher, Router
from bot.settings import Settings, check_exposure, reveal
from bot.store import claims
from bot.store.db import Database
from forms import Catalog, load_catalog
from intents.base import Parser
from reminders.sla import quiet_hours

log = logging.getLogger("frontdoor")


def build_parser(
    settings: Settings, catalog: Catalog, directory: Directory, observe_model: Callable[[float], None] | None = None
) -> Parser:
    """The offline parser, or the LLM parser (offline as its fallback) when FRONTDOOR_LLM is set;
    `observe_model` is told how long each model call took (the app's metrics)."""
    from intents.offline import OfflineParser

    offline = OfflineParser(catalog, directory)
    if settings.llm == "none":
        return offline
    from intents.hybrid import build_llm_parser

    parser = build_llm_parser(settings, catalog, directory, offline)
    parser.llm.observe = observe_model
    return parser


def build_deadlines(settings: Settings, directory: Directory) -> Deadlines:
    """Business-hours deadlines in each approver's zone (wall clock if the calendar is absent)."""
    return business_deadlines(directory, settings.timezone, settings.business_hours, settings.holiday_source)


def unmapped_rooms(directory: Directory, has_room: Callable[[str], bool]) -> list[str]:
    """The approvals rooms of the directory's roles that a chat platform (`has_room`) does not map:
    their approval cards would reach no room there."""
    rooms = sorted({directory.role_channel(role) for role in directory.roles})
    return [room for room in rooms if not has_room(room)]


@dataclass
class App:
    """Everything one Front Door process runs."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    channels: dict[str, Channel] = field(default_factory=dict)
    parser: Parser | None = None
    metrics: Metrics = field(default_factory=Metrics)

    def __post_init__(self) -> None:
        catalog = load_catalog(self.settings.catalog)
        directory = load_directory(self.settings.directory)
        policy.check(catalog, directory)  # a step the directory cannot staff: refuse to start
        parser = self.parser or build_parser(self.settings, catalog, directory, self.metrics.model_seen)
        self.services = Services(
            catalog,
            directory,
            parser,
            self.settings.timezone,
            build_deadlines(self.settings, directory),
            self.settings.llm_fill_threshold,
            clinical_resource=self.settings.clinical_resource,
            help_contact=self.settings.help_contact,
            max_message_chars=self.settings.max_message_chars,
            escalation_fallback=self.settings.escalation_fallback,
            language=self.settings.language,
        )
        self.services.room_reachable = self._room_reachable
        self.db = Database(self.settings.database_url)
        self.inbox = Inbox(self.db, self.clock, self.settings.replica)
        self.engine = Engine(self.db, self.services, self.clock, self.metrics.events_seen)
        self.router: Router | None = None
        self.chat: ChatDispatcher | None = None
        if self.channels:
            default = self.settings.chat_default if self.settings.chat_default in self.channels else None
            self._deliver_through(Router(self.channels, default or next(iter(self.channels))))
        self.embedded: Any = None
        self.client: Any = None
        self.backend: Any = None
        self.base_url = ""
        self.sweeper: Any = self._build_sweeper()
        self._runner: Any = None
        self._wake = asyncio.Event()
        self.read_ahead = self.settings.llm != "none"
        self._tasks: list[asyncio.Task[None]] = []

    def _build_sweeper(self) -> Sweeper:
        return Sweeper(
            self.db,
            self.services,
            quiet_hours(self.settings.quiet_hours),
            self.settings.escalation_fallback,
            nudge_urgent=timedelta(minutes=self.settings.nudge_urgent_minutes),
            nudge_business_hours=self.settings.nudge_business_hours,
        )

    def migrate(self) -> None:
        self.db.upgrade()

    def reclaim(self) -> None:
        """Take back the leases this replica held when it last stopped without giving them back
        (killed): its kept events are processed, its messages delivered, at once rather than
        after the lease. Called before it serves anything, so the leases cannot be this life's."""
        with self.db.core_transaction() as connection:
            taken_back = claims.reclaim(connection, self.settings.replica)
        if taken_back:
            log.warning("took back %d rows this replica (%s) held when it stopped", taken_back, self.settings.replica)

    async def start(self, *, port: int | None = None, extra_routes: Any = None) -> str:
        """Migrate (SQLite), serve HTTP, start or connect to the backend. Returns the base URL."""
        from aiohttp import web

        from bot.http import build_web  # the web server's modules load only when serving

        check_exposure(self.settings)
        if self.db.engine.dialect.name == "sqlite":
            await asyncio.to_thread(self.migrate)
        await self.db.run(self.reclaim)
        web_app = build_web(self)
        self._add_channels(web_app)
        if extra_routes is not None:
            extra_routes(web_app)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port if port is None else port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{self.settings.http_host}:{bound}"
        await self._start_backend()
        return self.base_url

    def _add_channels(self, web_app: Any) -> None:
        """Build every enabled platform channel (Slack, Teams) and mount its HTTP routes."""
        from bot.channels import registry

        for name in registry.enabled(self.settings):
            if name in self.channels:
                continue
            channel, add_routes = registry.build(name, self.settings, self)
            self.channels[name] = channel
            add_routes(web_app)
        if self.router is None and self.channels:
            self._deliver_through(Router(self.channels, next(iter(self.channels))))
        if self.router is not None and self.settings.chat_default in self.channels:
            self.router.default = self.settings.chat_default
        self._warn_of_unmapped_rooms(registry.enabled(self.settings))
        for role in self.services.directory.lonely_roles():
            log.warning(
                "%s has one holder and no backup in the directory: that person's own requests go to the "
                "role's manager, or wait for nobody when there is none",
                self.services.directory.role_label(role),
            )

    def _room_reachable(self, room: str) -> bool:
        """Whether a role's room reaches people: a chat platform running here maps it (or, like
        Slack, can post to it by name); with no platform (the local chat), every room shows."""
        platforms = [c for name, c in self.channels.items() if name != "local"]
        return not platforms or any(c.has_room(room) or getattr(c, "rooms_by_name", False) for c in platforms)

    def _warn_of_unmapped_rooms(self, platforms: list[str]) -> None:
        """Name the approvals rooms of the directory's roles that no enabled chat platform maps."""
        for name in platforms:
            channel = self.channels.get(name)
            unmapped = unmapped_rooms(self.services.directory, channel.has_room) if channel is not None else []
            if unmapped:
                log.warning(
                    "%s: no room mapped for %s (FRONTDOOR_%s_CHANNELS): those roles' approval cards "
                    "reach no room there",
                    name.capitalize(),
                    ", ".join(unmapped),
                    name.upper(),
                )

    def _deliver_through(self, router: Router) -> None:
        """Chat messages go out through `router`, delivered by this process's dispatcher."""
        self.router = router
        self.chat = ChatDispatcher(
            self.db,
            router,
            self.clock,
            poll_seconds=self.settings.outbox_poll_seconds,
            owner=self.settings.replica,
            tally=self.metrics.delivered,
        )
        self.engine.delivery = self.chat

    async def _start_backend(self) -> None:
        from backend_client import BackendClient
        from bot.backend_link import BackendDispatcher

        url = self.settings.backend_url
        if url is None:
            from backend_client.embedded import EmbeddedBackend

            db_path = _backend_db_path(self.settings.database_url)
            self.embedded = EmbeddedBackend(
                db_path,
                None,
                f"{self.base_url}/backend/events",
                self.settings.backend_callback_secret.get_secret_value(),
            )
            url = await self.embedded.start(self.settings.http_host, 0)
        self.client = BackendClient(
            url,
            reveal(self.settings.backend_token),
            timeout=self.settings.backend_timeout,
            observe=self.metrics.backend_seen,
        )
        self.backend = BackendDispatcher(
            self.db, self.client, self.services, self.clock, owner=self.settings.replica, tally=self.metrics.delivered
        )

    def wake(self) -> None:
        self._wake.set()

    async def handle(self, event: Event) -> list[Outgoing]:
        """Handle an event from a channel off the event loop. With a language model, a message is
        read (parsed) before its transaction, on a thread of its own, so the model's seconds hold
        up no one else; the offline parser's milliseconds are cheaper inside the transaction."""
        correlation = CORRELATION.set(new_correlation(getattr(event, "event_id", None)))
        try:
            return await self._handle(event)
        finally:
            CORRELATION.reset(correlation)

    async def _handle(self, event: Event) -> list[Outgoing]:
        parsed = None
        if self.read_ahead and isinstance(event, Message):
            context = await self.db.run(self.engine.context_for, event)
            if context is not None:
                parsed = await asyncio.to_thread(self.engine.parse_ahead, event, context)
        out = await self.db.run(self.engine.handle, event, parsed)
        self.wake()
        return out

    # What channels may use besides `handle` (`bot.channels.base.Host`): each query is answered by
    # the engine in a transaction of its own, off the event loop.
    @property
    def directory(self) -> Directory:
        return self.services.directory

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog

    @property
    def help_contact(self) -> str:
        return self.services.help_contact

    async def home(self, person: str) -> queries.Home:
        return await self.db.run(partial(self.engine.ask, queries.home, person))

    async def language_of(self, person: str) -> str:
        return await self.db.run(partial(self.engine.ask, Turn.language_of, person))

    async def may_decide_now(self, person: str, ref: object, seq: object, asking_info: bool) -> bool:
        return await self.db.run(partial(self.engine.ask, queries.may_decide_now, person, ref, seq, asking_info))

    async def has_draft(self, person: str, place_key: str) -> bool:
        return await self.db.run(partial(self.engine.ask, queries.has_draft, person, place_key))

    async def field_choices(self, person: str, draft: object, field: str) -> list[tuple[str, str]]:
        return await self.db.run(partial(self.engine.ask, queries.field_choices, person, draft, field))

    async def step_card(self, ref: str, seq: object) -> tuple[Card, str] | None:
        return await self.db.run(partial(self.engine.ask, queries.step_card, ref, seq))

    async def closed_card(self, draft: int, status: str) -> Card | None:
        return await self.db.run(partial(self.engine.ask, queries.closed_card, draft, status))

    async def contacts(self, channel: str) -> list[tuple[str, dict[str, Any]]]:
        return await self.db.run(partial(self.engine.ask, queries.contacts, channel))

    async def save_contacts(self, channel: str, found: list[tuple[str, dict[str, Any]]]) -> None:
        await self.db.run(partial(self.engine.ask, queries.save_contacts, channel, found))

    async def keep(
        self, source: str, event_id: str, order: str | None, payload: dict[str, Any], spawn: Spawn | None = None
    ) -> bool:
        return await self.inbox.keep(source, event_id, order, payload, spawn)

    def on_kept(self, source: str, handler: Handler) -> None:
        self.inbox.handler(source, handler)

    async def tick(self) -> None:
        """Run the scheduler's due jobs now (the SLA sweep), then deliver what they produced."""
        if self.sweeper is not None:
            now = self.clock.now()
            for _rung in range(3):  # after downtime, overdue rungs of a step go out in order
                sent = await self.db.run(self.sweeper, now)
                self.metrics.reminders.inc(len(sent or ()))
                if not sent:
                    break
        if self.settings.insight_weekly:  # the weekly summary to each role's room, once across replicas
            from bot.insight.weekly import post_weekly

            await self.db.run(post_weekly, self.db, self.services, self.settings.insight_weekly, self.clock.now())
        await self.follow_up_dead()  # what died before a crash, or on another replica
        if self.chat is not None:
            retention = timedelta(days=self.settings.chat_retention_days)
            await self.db.run(self.chat.purge, self.clock.now() - retention)
        await self.settle()
        await self.sum_up_weeks()

    async def sum_up_weeks(self) -> None:
        """Sum up /insight's closed weeks not summed up yet (PostgreSQL; one query when there are
        none), so the first reader of a week does not wait for it. A failure is logged: the views
        sum up what they need themselves."""
        from bot.insight.service import sum_up_weeks

        try:
            await self.db.run(sum_up_weeks, self.db, self.services, self.clock.now())
        except Exception:
            log.exception("insight: summing up closed weeks failed; the views will when they read them")

    async def follow_up_dead(self) -> int:
        """Have the engine follow up dead chat messages (`bot.core.dead_letters`); how many."""
        kinds, _out = await self.db.run(self.engine.act, dead_letters.follow_up, dead_letters.SOURCE)
        self.metrics.dead_followed(kinds)
        return sum(kinds.values())

    async def settle(self, rounds: int = 50, *, poll: bool = True) -> None:
        """Deliver everything that can be delivered now, including the backend's callbacks.
        Without `poll` (woken by a handler), chat rows are claimed only when some are waiting
        that were not handed over (see `ChatDispatcher.drain`)."""
        for _ in range(rounds):
            moved = 0
            if self.backend is not None:
                moved += await self.backend.drain()
                poll = poll or self.backend.take_told()  # the backend link wrote chat rows
            if self.embedded is not None:
                await self.embedded.settle()
            if self.chat is not None:
                moved += await self.chat.drain(poll=poll)
                if self.chat.take_dead():  # a message died: the engine follows it up (approval cards)
                    moved += await self.follow_up_dead()
            if moved == 0:
                return

    async def work_forever(self) -> None:
        """Deliver the outbox as rows appear (woken by handlers) or at the poll interval; at the
        poll interval, also process kept inbound events that wait (taken back after a restart,
        left by a replica that died, or due for another try)."""
        woken, polled = False, 0.0
        while True:
            try:
                if not woken or time.monotonic() - polled >= self.settings.outbox_poll_seconds:
                    polled = time.monotonic()
                    await self.inbox.poll()
                await self.settle(poll=not woken)
            except Exception:  # keep delivering whatever one round's failure was
                log.exception("outbox round failed")
            woken = False
            with contextlib.suppress(TimeoutError):
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancel that
                # arrives together with the wake-up, and the worker would never stop
                async with asyncio.timeout(self.settings.outbox_poll_seconds):
                    await self._wake.wait()
                    woken = True
            self._wake.clear()

    def refresh_metrics(self) -> None:
        """Read what the gauges show from the store (at each scrape of /metrics)."""
        with self.db.core_transaction() as connection:
            counts, oldest = claims.depth(connection)
        self.metrics.outbox_seen(counts, oldest, self.clock.now())

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Ready to take events: the database answers and every channel is serving. The backend's
        reachability is reported but does not count: the outbox rides out its outages, so a
        replica that cannot reach it should keep taking requests."""
        from sqlalchemy import text

        def ping() -> None:
            with self.db.transaction() as session:
                session.execute(text("SELECT 1"))

        checks: dict[str, Any] = {"database": True, "channels": self._runner is not None and bool(self.channels)}
        try:
            await self.db.run(ping)
        except Exception:
            checks["database"] = False
        ready = bool(checks["database"] and checks["channels"])
        if self.client is not None:
            checks["backend"] = bool(await self.client.health())
        return ready, checks

    async def stop(self) -> None:
        """Stop taking events, give back what was handed over and not delivered, close everything
        (whatever fails on the way). Cancel the outbox worker and the scheduler first."""
        for task in self._tasks:
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()  # no new events from here
        await self.inbox.stop()
        if self.chat is not None:
            try:
                await self.chat.release_handed()
            except Exception:  # the database may be what is failing: the leases then end by themselves
                log.exception("could not give back undelivered messages; they go out after their lease")
        if self.client is not None:
            await self.client.aclose()
        if self.embedded is not None:
            await self.embedded.stop()
        self.db.dispose()


def _backend_db_path(database_url: str) -> str:
    """The embedded backend's own store, next to the bot's SQLite file (or in ./var)."""
    if database_url.startswith("sqlite") and ":memory:" not in database_url:
        path = Path(database_url.split("///", 1)[-1])
        return str(path.with_name(path.stem + "-backend.db"))
    Path("var").mkdir(exist_ok=True)
    return "var/frontdoor-backend.db"
