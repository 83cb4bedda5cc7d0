"""The figures of process intelligence, read from the store's tables.

Every view is a `View`: named tables of plain values (text, counts, hours, percentages), the
same for the page, the CSV and JSON exports and `frontdoor report`. Counts and shares are
aggregated in the database (GROUP BY, CASE over week boundaries); waits in business hours are
measured here, on the rows of the period (or the open steps), with each role's business calendar
(`bot.insight.hours`). No free-text field (comments, questions, reasons, descriptions, form
values other than the invoice exception reason and the vendor) is ever read into a view; a vendor
name that looks like it could identify a patient is withheld.

Filters: the period (`since` to `until`, whole days in the organisation's zone), request type,
legal entity, department (the request's cost center) and approval role; and a `Scope` (what
the person looking may see, `bot.insight.access`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    Label,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Connection

from bot.directory import MANAGER, Directory
from bot.insight import rollup
from bot.insight.hours import HoursClock, clock_of
from bot.store.models import (
    ApprovalStep,
    AuditEvent,
    InsightWeekExceptions,
    InsightWeekReminders,
    InsightWeekSteps,
    ReminderSent,
    Request,
)
from bot.store.status import RequestStatus, StepStatus
from reminders.business_time import BusinessCalendar
from reminders.ladder import rung_name

VIEWS = ("queue", "latency", "sla", "at-risk", "denials", "handoff", "bottlenecks")
TITLES = {
    "queue": "Queue",
    "latency": "Approval latency",
    "sla": "SLA adherence",
    "at-risk": "At risk",
    "denials": "Exceptions and denials",
    "handoff": "Hand-off",
    "bottlenecks": "Bottlenecks",
}
AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under half a day", 4.5),
    ("half a day to 1 day", 9.0),
    ("1 to 2 days", 18.0),
    ("2 to 5 days", 45.0),
    ("over 5 days", math.inf),
)
"""Open steps' ages in business hours (a business day is 9 hours, 08:00-17:00)."""
DEFAULT_WEEKS = 12
WEEK = timedelta(days=7)
OPEN = (StepStatus.ACTIVE.value, StepStatus.INFO_REQUESTED.value)
DECIDED = (StepStatus.APPROVED.value, StepStatus.REJECTED.value)
CLEARED = (
    RequestStatus.APPROVED.value,
    RequestStatus.SUBMITTED.value,
    "in_progress",
    "fulfilled",
    "failed",
)
"""A request whose approvals are all given (or needed none): it is the backend's."""
GROUP_SETS = ("role", "approver", "step", "week", "all")
WORK_MEM = "64MB"
"""PostgreSQL's sort memory for the views' aggregates (`Insight._roomy`)."""
Stats = tuple[int, float, float, float]
"""(count, total hours, median hours, 90th percentile hours) of a group of waits."""


class Calendars(Protocol):
    """Which business calendar a role's steps are measured by (`bot.deadlines.BusinessDeadlines`)."""

    def calendar(self, person: str | None, role: str | None = None) -> BusinessCalendar: ...


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    type_id: str | None = None
    entity: str | None = None
    department: str | None = None
    role: str | None = None

    def as_dict(self) -> dict[str, str]:
        shown = {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "type": self.type_id,
            "entity": self.entity,
            "department": self.department,
            "role": self.role,
        }
        return {k: v for k, v in shown.items() if v}


@dataclass(frozen=True)
class Scope:
    """What a person may see: everything, or the steps of their roles and the requests of the
    people in their organisation (`bot.insight.access.scope_for`)."""

    everything: bool = True
    requesters: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()

    @classmethod
    def nothing(cls) -> Scope:
        return cls(everything=False)


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: tuple[str, str] | None = None
    """(label column, value column) drawn as a bar chart on the page."""

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class View:
    name: str
    title: str
    tables: list[Table]
    filters: dict[str, str] = field(default_factory=dict)
    period: tuple[str, str] = ("", "")
    now: str = ""
    notes: list[str] = field(default_factory=list)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile with linear interpolation between ranks (PostgreSQL's
    `percentile_cont`): the median of 1, 2, 3, 10 is 2.5, its 90th percentile 7.9."""
    return _sorted_percentile(sorted(values), share)


def _stats(values: list[float]) -> Stats:
    """(count, total, median, 90th percentile) of `values`, sorted once (in place)."""
    values.sort()
    return (len(values), sum(values), _sorted_percentile(values, 0.5), _sorted_percentile(values, 0.9))


def _sorted_percentile(ordered: Sequence[float], share: float) -> float:
    if not ordered:
        return 0.0
    rank = share * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _h(hours: float) -> float:
    return round(hours, 2)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


class Insight:
    """The views over one database connection, at one instant, for one filter and scope."""

    def __init__(
        self,
        connection: Connection,
        directory: Directory,
        calendars: Calendars,
        now: datetime,
        filters: Filters | None = None,
        scope: Scope | None = None,
        zone: str = "America/New_York",
        summed: bool = True,
    ) -> None:
        self.db = connection
        self.directory = directory
        self.calendars = calendars
        self.now = now.astimezone(UTC)
        self.zone = ZoneInfo(directory.timezone or zone)
        self.scope = scope or Scope()
        filters = filters or Filters()
        today = self.now.astimezone(self.zone).date()
        until = filters.until or today
        since = filters.since or (until - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1))
        self.filters = replace(filters, since=since, until=until)
        self.start = self._midnight(since)
        self.end = min(self._midnight(until + timedelta(days=1)), self.now)
        self._clocks: dict[str, HoursClock] = {}
        self._open: list[dict[str, Any]] | None = None
        self._decided: list[dict[str, Any]] | None = None
        self._stats: dict[str, dict[Any, Stats]] | None = None
        self._groups: list[rollup.Group] | None = None
        self._summed: list[rollup.Week] | None = None if summed else []
        self._groups_read: bool | None = None if summed else True
        """None: not read yet; False: read without the waits; True: with them (or never: not `summed`)."""
        self._sorting_room = False

    # -- helpers ----------------------------------------------------------------------------
    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.zone).astimezone(UTC)

    def clock(self, role: str | None) -> HoursClock:
        key = role or ""
        if key not in self._clocks:
            self._clocks[key] = clock_of(self.calendars.calendar(None, None if role == MANAGER else role))
        return self._clocks[key]

    def _request_filter(self) -> list[ColumnElement[bool]]:
        f = self.filters
        where: list[ColumnElement[bool]] = []
        if f.type_id:
            where.append(Request.type_id == f.type_id)
        if f.entity:
            where.append(Request.entity == f.entity)
        if f.department:
            where.append(Request.cost_center == f.department)
        return where

    def _step_filter(self) -> list[ColumnElement[bool]]:
        """Filters and scope on rows of approval_steps joined to their requests."""
        where = self._request_filter()
        if self.filters.role:
            where.append(ApprovalStep.role == self.filters.role)
        if not self.scope.everything:
            where.append(
                or_(
                    Request.requester.in_(sorted(self.scope.requesters)) if self.scope.requesters else false(),
                    ApprovalStep.role.in_(sorted(self.scope.roles)) if self.scope.roles else false(),
                )
            )
        return where

    def _request_only_filter(self) -> list[ColumnElement[bool]]:
        """Filters and scope on rows of requests alone (the role and scope through their steps)."""
        where = self._request_filter()
        if self.filters.role:
            where.append(exists().where(ApprovalStep.request_id == Request.id, ApprovalStep.role == self.filters.role))
        if not self.scope.everything:
            roles = sorted(self.scope.roles)
            where.append(
                or_(
                    Request.requester.in_(sorted(self.scope.requesters)) if self.scope.requesters else false(),
                    exists().where(ApprovalStep.request_id == Request.id, ApprovalStep.role.in_(roles))
                    if roles
                    else false(),
                )
            )
        return where

    def _week_starts(self) -> list[datetime]:
        """The Mondays (00:00 in the organisation's zone) of the weeks the period touches."""
        first = self.filters.since or date.today()
        monday = first - timedelta(days=first.weekday())
        starts = []
        while True:
            at = self._midnight(monday)
            if at >= self.end:
                break
            starts.append(at)
            monday += timedelta(days=7)
        return starts or [self.start]

    def _week_case(self, column: Any) -> Any:
        starts = self._week_starts()
        whens = [(column < at, index - 1) for index, at in enumerate(starts[1:], start=1)]
        return case(*whens, else_=len(starts) - 1) if whens else case((column.is_not(None), 0), else_=0)

    def _week_label(self, index: int) -> str:
        return self._week_starts()[index].astimezone(self.zone).date().isoformat()

    def waiting_for(self, assignee: str | None, role: str) -> str:
        if assignee:
            return self.directory.name(assignee)
        return f"{self.directory.role_label(role)} (any holder)"

    def _approver(self, email: str | None) -> str:
        if not email:
            return "(nobody)"
        person = self.directory.get(email)
        return person.name if person else email

    def _view(self, name: str, tables: list[Table], notes: Iterable[str] = ()) -> View:
        return View(
            name=name,
            title=TITLES[name],
            tables=tables,
            filters=self.filters.as_dict(),
            period=(self.start.isoformat(), self.end.isoformat()),
            now=self.now.isoformat(),
            notes=list(notes),
        )

    # -- rows shared by several views -------------------------------------------------------
    def open_steps(self) -> list[dict[str, Any]]:
        """Every open step (active, or waiting for the requester's information) with its age
        (read once per `Insight`: queue, at risk and bottlenecks share them)."""
        if self._open is None:
            self._open = self._read_open_steps()
        return list(self._open)

    def _read_open_steps(self) -> list[dict[str, Any]]:
        rung = (
            select(func.max(ReminderSent.rung))
            .where(ReminderSent.step_id == ApprovalStep.id, ReminderSent.rung <= 3)
            .correlate(ApprovalStep)
            .scalar_subquery()
        )
        query = (
            select(
                ApprovalStep.id,
                ApprovalStep.seq,
                ApprovalStep.role,
                ApprovalStep.assignee,
                ApprovalStep.status,
                self._instant(ApprovalStep.activated_at, "activated_at"),
                ApprovalStep.sla_hours,
                self._instant(ApprovalStep.due_100, "due_100"),
                Request.id.label("request_id"),
                Request.ref,
                Request.type_id,
                Request.entity,
                Request.cost_center,
                rung.label("rung"),
            )
            .join(Request, Request.id == ApprovalStep.request_id)
            .where(ApprovalStep.status.in_(OPEN), *self._step_filter())
        )
        rows = self._rows(query)
        now = self.now.timestamp()
        self._measure(rows, "age", lambda r: ((r["activated_at"] or self.now).timestamp(), now))
        rows.sort(key=lambda r: (-r["age"], r["ref"], r["seq"]))
        return rows

    def decided_steps(self) -> list[dict[str, Any]]:
        """The steps decided (approved or rejected) in the period, with the business hours each took
        (read once per `Insight`: latency and bottlenecks share them)."""
        if self._decided is None:
            self._decided = self._read_decided_steps()
        return list(self._decided)

    def _decided_where(self) -> list[ColumnElement[bool]]:
        return [
            ApprovalStep.status.in_(DECIDED),
            ApprovalStep.decided_at >= self.start,
            ApprovalStep.decided_at < self.end,
            ApprovalStep.activated_at.is_not(None),
            *self._step_filter(),
        ]

    def _read_decided_steps(self) -> list[dict[str, Any]]:
        query = (
            select(
                ApprovalStep.seq,
                ApprovalStep.role,
                ApprovalStep.decided_by,
                self._seconds(ApprovalStep.activated_at, "activated_at"),
                self._seconds(ApprovalStep.decided_at, "decided_at"),
                ApprovalStep.wait_hours.label("hours"),
                Request.type_id,
            )
            .join(Request, Request.id == ApprovalStep.request_id)
            .where(*self._decided_where())
        )
        starts = [at.timestamp() for at in self._week_starts()]
        rows = self._stamps(self._rows(query), "activated_at", "decided_at")
        unmeasured = [row for row in rows if row["hours"] is None]  # written without their wait stored
        self._measure(unmeasured, "hours", lambda r: (r["activated_at"], r["decided_at"]))
        for item in rows:
            item["week"] = max(bisect_right(starts, item["decided_at"]) - 1, 0)
        return rows

    def decided_stats(self) -> dict[str, dict[Any, Stats]]:
        """The steps decided in the period by role, by who decided, by (type, step, role), by week
        and all together: (count, total hours, median, 90th percentile) of their waits. On
        PostgreSQL from the period's groups (`decided_groups`: weeks' sums and steps grouped in the
        database); else, or when a step lacks its stored wait or type, from the rows
        (`decided_steps`). Latency and bottlenecks share them."""
        if self._stats is None:
            groups = self.decided_groups(waits=True)
            self._stats = _stats_of_groups(groups) if groups is not None else self._stats_of_rows()
        return self._stats

    def _stats_of_rows(self) -> dict[str, dict[Any, Stats]]:
        groups: dict[str, dict[Any, list[float]]] = {name: defaultdict(list) for name in GROUP_SETS}
        for r in self.decided_steps():
            hours = r["hours"]
            groups["role"][r["role"]].append(hours)
            groups["approver"][r["decided_by"] or ""].append(hours)
            groups["step"][(r["type_id"], r["seq"], r["role"])].append(hours)
            groups["week"][r["week"]].append(hours)
            groups["all"][None].append(hours)
        return {name: {k: _stats(v) for k, v in g.items()} for name, g in groups.items()}

    def decided_totals(self) -> dict[str, dict[Any, Stats]]:
        """`decided_stats` by role and by approver, where only the count and total hours are
        needed (bottlenecks): on PostgreSQL from the groups without their waits."""
        if self._stats is not None or self.db.dialect.name != "postgresql":
            return self.decided_stats()
        groups = self.decided_groups()
        if groups is not None:
            totals: dict[str, dict[Any, list[float]]] = {"role": {}, "approver": {}}
            for group in groups:
                for name, key in (("role", group.role), ("approver", group.decided_by or "")):
                    total = totals[name].setdefault(key, [0, 0.0])
                    total[0] += group.timed
                    total[1] += group.hours
            return {
                name: {k: (int(n), float(h), 0.0, 0.0) for k, (n, h) in t.items() if n} for name, t in totals.items()
            }
        return self.decided_stats()

    def decided_groups(self, waits: bool = False) -> list[rollup.Group] | None:
        """The period's decided steps by week, role, approver, type, step and entity, with their
        counts (and, if `waits`, their waits; else empty lists) (`bot.insight.rollup`): the
        closed weeks wholly inside the period from their sums, the rest from the steps. None on
        SQLite, when a filter or the scope needs the steps' requests beyond their type and entity
        (a department, a manager's people), or when a step of the period lacks its stored wait or
        type: then the views count rows."""
        if self._groups_read is None or (waits and self._groups_read is False):
            self._groups = self._read_groups(waits)
            self._groups_read = waits
        return self._groups

    def summed_weeks(self) -> list[rollup.Week]:
        """The closed weeks wholly inside the period, summed up (now, if not before) on
        PostgreSQL; none elsewhere (`bot.insight.rollup`)."""
        if self._summed is None:
            self._summed = []
            if self.db.dialect.name == "postgresql":
                self._roomy()
                mondays = [(i, at, at.astimezone(self.zone).date()) for i, at in enumerate(self._week_starts())]
                weeks = [rollup.Week(i, day, at, self._midnight(day + WEEK)) for i, at, day in mondays]
                closed = rollup.closed(weeks, self.start, self.end, self.now)
                # Summed in a short transaction of its own: its claims are not held for the whole
                # of this reader's transaction (another replica's reader would wait for them), and
                # what it sums is kept if this one rolls back. This transaction (read committed)
                # sees the sums from its next statement.
                with self.db.engine.begin() as own:
                    self._summed = rollup.ensure(own, str(self.zone.key), closed, self.now)
        return self._summed

    def _read_groups(self, with_waits: bool) -> list[rollup.Group] | None:
        if self.db.dialect.name != "postgresql":
            return None
        beyond = self._needs_requests_beyond_copies()  # a department, a manager's people: no sums
        zone, summed = str(self.zone.key), [] if beyond else self.summed_weeks()
        groups: list[rollup.Group] = []
        if summed:
            w = InsightWeekSteps
            query = rollup.rows_query(zone, summed, self._copy_filter(w.type_id, w.entity, w.role), with_waits)
            groups += [rollup.Group(*row) for row in self._binary_rows(query)]
        s = ApprovalStep
        week = self._week_case(s.decided_at).label("week")
        keys = (week, s.role, s.decided_by, s.type_id, s.seq, s.entity)
        for since, until in _gaps(self.start, self.end, summed):  # each its own range of the index
            query = (
                select(
                    *keys,
                    *rollup.measures(s.decided_at, s.due_100, s.activated_at, s.status, s.wait_hours, with_waits),
                    func.count(s.type_id),
                    func.count(s.wait_hours).filter(s.activated_at.is_not(None)),
                )
                .where(s.status.in_(DECIDED), s.decided_at >= since, s.decided_at < until, *self._steps_where())
                .group_by(*(grouping(k) for k in keys))
            )
            if beyond:
                query = query.join(Request, Request.id == s.request_id)
            with self._hashed():
                found = self._binary_rows(query)
            for *row, typed, measured in found:
                group = rollup.Group(*row)
                if typed != group.decided or measured != group.timed:
                    return None
                group.waits.sort()
                groups.append(group)
        return groups

    def _copy_filter(self, type_id: Any, entity: Any, role: Any) -> list[ColumnElement[bool]]:
        """The filters and the scope on a step's own copies of its request's type and entity."""
        f = self.filters
        where: list[ColumnElement[bool]] = []
        if f.type_id:
            where.append(type_id == f.type_id)
        if f.entity:
            where.append(entity == f.entity)
        if f.role:
            where.append(role == f.role)
        if not self.scope.everything:
            where.append(role.in_(sorted(self.scope.roles)) if self.scope.roles else false())
        return where

    def _decided_counts(
        self,
        keys: Callable[[Any, Any], tuple[Any, ...]],
        measure: Any,
        where: list[ColumnElement[bool]],
    ) -> list[Any]:
        """Decided steps counted by `keys(type, entity)` in the database: rows of the keys, the
        count and `measure`. The step's own copies of its request's type and entity are read
        (the steps alone, from the index of decided steps) unless a filter or the scope needs the
        requests, or a step of the period was written without them (then its request's are)."""
        if not self._needs_requests():
            chosen = keys(ApprovalStep.type_id, ApprovalStep.entity)
            query = (
                select(*chosen, func.count(), measure, func.count(ApprovalStep.type_id))
                .where(*where)
                .group_by(*(grouping(k) for k in chosen))
            )
            rows = self.db.execute(query).all()
            if all(row[-1] == row[len(chosen)] for row in rows):  # every step of the period typed
                return [row[:-1] for row in rows]
        chosen = keys(Request.type_id, Request.entity)
        query = (
            select(*chosen, func.count(), measure)
            .select_from(ApprovalStep)
            .join(Request, Request.id == ApprovalStep.request_id)
            .where(*where)
            .group_by(*(grouping(k) for k in chosen))
        )
        return list(self.db.execute(query).all())

    def _roomy(self) -> None:
        """Let PostgreSQL sort a period's rows in memory (`work_mem` for the rest of this read-only
        transaction): grouping sets and percentiles sort every decided step of the period, which
        at a million requests is tens of megabytes, and spilling them to disk doubles the time.
        (Nothing on SQLite.)"""
        if not self._sorting_room and self.db.dialect.name == "postgresql":
            self.db.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
            self._sorting_room = True

    def _needs_requests(self) -> bool:
        """Whether the filters or the scope read the steps' requests (else a step's row is enough)."""
        return bool(self._request_filter()) or (not self.scope.everything and bool(self.scope.requesters))

    @contextmanager
    def _hashed(self) -> Iterator[None]:
        """Group without sorting for the block (`enable_sort` off), then put the setting back as
        it was (not if the block failed: the transaction is aborted, and its error is the one
        to see). The groups of a period's decided steps are a few hundred, but PostgreSQL cannot
        tell from its statistics (the week is computed) and would sort the period's rows by five
        text keys to group them: hashed, they take a third of the time."""
        before = self.db.exec_driver_sql("SELECT current_setting('enable_sort')").scalar_one()
        self.db.exec_driver_sql("SET LOCAL enable_sort = off")
        yield
        self.db.execute(select(func.set_config("enable_sort", before, True)))

    def _binary_rows(self, query: Any) -> list[tuple[Any, ...]]:
        """The rows of `query` read in PostgreSQL's binary format (arrays of numbers arrive as
        numbers, not text to parse: a period's waits in a fifth of the time), in this transaction.
        The driver's cursor is used directly: SQLAlchemy's bind processing is skipped, so the
        query's values must be plain (aware datetimes, strings, numbers) — as the views' are."""
        compiled = query.compile(dialect=self.db.dialect, compile_kwargs={"render_postcompile": True})
        raw: Any = self.db.connection.dbapi_connection
        with raw.cursor(binary=True) as cursor:
            cursor.execute(str(compiled), compiled.params)
            return list(cursor.fetchall())

    def _seconds(self, column: Any, name: str) -> Any:
        """A timestamp column read as POSIX seconds on PostgreSQL (the exact value, as
        `datetime.timestamp()` gives it; no datetime made per value); as it is elsewhere, for
        `_stamps` to convert."""
        if self.db.dialect.name == "postgresql":
            return cast(func.extract("epoch", column), Float).label(name)
        return column.label(name)

    @staticmethod
    def _stamps(rows: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
        """Read `_seconds` columns as POSIX seconds whatever the database gave (None stays None)."""
        for row in rows:
            for name in names:
                value = row[name]
                if isinstance(value, datetime):
                    row[name] = value.timestamp()
        return rows

    def _instant(self, column: Any, name: str) -> Any:
        """A timestamp column read as the driver gives it on PostgreSQL (aware already: the store's
        UTC conversion, a Python call a value, is the larger part of reading many rows)."""
        if self.db.dialect.name == "postgresql":
            return type_coerce(column, DateTime(timezone=True)).label(name)
        return column.label(name)

    def _rows(self, query: Any) -> list[dict[str, Any]]:
        result = self.db.execute(query)
        keys = list(result.keys())
        return [dict(zip(keys, row, strict=True)) for row in result.all()]

    def _measure(
        self, rows: list[dict[str, Any]], key: str, span: Callable[[dict[str, Any]], tuple[float, float]]
    ) -> None:
        """Set `key` of each row to the business hours of its `span`, on its role's calendar:
        the rows of one role measured together (`HoursClock.spans`)."""
        by_role: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_role[row["role"]].append(row)
        for role, group in by_role.items():
            for row, hours in zip(group, self.clock(role).spans_at([span(row) for row in group]), strict=True):
                row[key] = hours

    # -- the views --------------------------------------------------------------------------
    def view(self, name: str) -> View:
        views: dict[str, Callable[[], View]] = {
            "queue": self.queue,
            "latency": self.latency,
            "sla": self.sla,
            "at-risk": self.at_risk,
            "denials": self.denials,
            "handoff": self.handoff,
            "bottlenecks": self.bottlenecks,
        }
        if name not in views:
            raise KeyError(name)
        self._roomy()
        return views[name]()

    def queue(self) -> View:
        steps = self.open_steps()
        requests = {s["request_id"] for s in steps}
        past = sum(1 for s in steps if s["due_100"] is not None and s["due_100"] <= self.now)
        buckets = [0] * len(AGE_BUCKETS)
        for s in steps:
            buckets[next(i for i, (_, top) in enumerate(AGE_BUCKETS) if s["age"] < top)] += 1

        def grouped(key: str, label: Callable[[Any], str]) -> list[list[Any]]:
            groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for s in steps:
                groups[label(s[key])].append(s)
            out = [
                [name, len({s["request_id"] for s in group}), len(group), _h(max(s["age"] for s in group))]
                for name, group in groups.items()
            ]
            return sorted(out, key=lambda r: (-r[2], r[0]))

        oldest = [
            [
                s["ref"],
                s["type_id"],
                s["entity"] or "",
                self.directory.role_label(s["role"]),
                self.waiting_for(s["assignee"], s["role"]),
                _h(s["age"]),
                s["sla_hours"],
                rung_name(s["rung"]) if s["rung"] else "none",
            ]
            for s in steps[:10]
        ]
        columns = ["requests", "steps", "oldest_hours"]
        return self._view(
            "queue",
            [
                Table(
                    "summary",
                    "Open now",
                    ["measure", "value"],
                    [["open requests", len(requests)], ["open steps", len(steps)], ["steps past SLA", past]],
                ),
                Table(
                    "by_age",
                    "Open steps by age (business hours)",
                    ["age", "steps"],
                    [[label, buckets[i]] for i, (label, _) in enumerate(AGE_BUCKETS)],
                    chart=("age", "steps"),
                ),
                Table("by_type", "By request type", ["type", *columns], grouped("type_id", str), ("type", "steps")),
                Table(
                    "by_entity",
                    "By legal entity",
                    ["entity", *columns],
                    grouped("entity", lambda e: e or "(none)"),
                    ("entity", "steps"),
                ),
                Table(
                    "by_role",
                    "By role",
                    ["role", *columns],
                    grouped("role", self.directory.role_label),
                    ("role", "steps"),
                ),
                Table(
                    "oldest",
                    "The ten oldest open steps",
                    ["request", "type", "entity", "role", "waiting_for", "age_hours", "sla_hours", "rung_sent"],
                    oldest,
                ),
            ],
            ["Ages count business hours only (each role's working hours; weekends and holidays excluded)."],
        )

    def latency(self) -> View:
        figures = self.decided_stats()

        def rows(name: str, label: Callable[[Any], list[Any]]) -> list[list[Any]]:
            return [[*label(k), n, _h(p50), _h(p90)] for k, (n, _, p50, p90) in figures[name].items() if n]

        stats = ["decided", "median_hours", "p90_hours"]
        role_rows = sorted(rows("role", lambda k: [self.directory.role_label(k)]), key=lambda r: r[0])
        approver_rows = sorted(rows("approver", lambda k: [self._approver(k)]), key=lambda r: (-r[3], r[0]))
        step_rows = sorted(
            rows("step", lambda k: [k[0], k[1], self.directory.role_label(k[2])]), key=lambda r: (r[0], r[1], r[2])
        )
        weeks = [[self._week_label(k), n, _h(p50), _h(p90)] for k, (n, _, p50, p90) in sorted(figures["week"].items())]
        n_all, _, p50_all, p90_all = figures["all"].get(None, (0, 0.0, 0.0, 0.0))
        overall = [[n_all, _h(p50_all), _h(p90_all)]]
        return self._view(
            "latency",
            [
                Table("overall", "All decisions in the period", stats, overall),
                Table("by_role", "By role", ["role", *stats], role_rows, ("role", "median_hours")),
                Table("by_approver", "By approver", ["approver", *stats], approver_rows, ("approver", "median_hours")),
                Table("by_step", "By request type and step", ["type", "step", "role", *stats], step_rows),
                Table("weekly", "Trend by week", ["week", *stats], weeks, ("week", "median_hours")),
            ],
            [
                "Time to decide: business hours from the step's opening to its decision (approve or reject).",
                "Median and 90th percentile interpolate between ranks, as PostgreSQL's percentile_cont.",
            ],
        )

    def sla(self) -> View:
        within = func.sum(case((ApprovalStep.decided_at <= ApprovalStep.due_100, 1), else_=0))
        base = [
            ApprovalStep.status.in_(DECIDED),
            ApprovalStep.decided_at >= self.start,
            ApprovalStep.decided_at < self.end,
            ApprovalStep.due_100.is_not(None),
            *self._step_filter(),
        ]

        week = self._week_case(ApprovalStep.decided_at).label("week")
        groups = self.decided_groups()
        if groups is not None:
            counted = [((g.type_id, g.role, g.entity, g.week), g.due, g.within) for g in groups if g.due]
        else:
            counted = [
                (tuple(row[:4]), int(row[4]), int(row[5] or 0))
                for row in self._decided_counts(
                    lambda kind, entity: (kind, ApprovalStep.role, entity, week), within, base
                )
            ]
        # One pass over the period's steps; each table adds up the groups it is by.

        def grouped(index: int, label: Callable[[Any], str] = str) -> list[list[Any]]:
            sums: dict[Any, list[int]] = {}
            for key, n, w in counted:
                total = sums.setdefault(key[index], [0, 0])
                total[0] += n
                total[1] += w
            out = [[label(key), n, w, _pct(w, n)] for key, (n, w) in sums.items()]
            return sorted(out, key=lambda r: r[0])

        weekly_rows = grouped(3, lambda k: str(k))
        weekly: list[list[Any]] = []
        previous: float | None = None
        for index_text, n, w, share in sorted(weekly_rows, key=lambda r: int(r[0])):
            change = round(share - previous, 1) if share is not None and previous is not None else None
            weekly.append([self._week_label(int(index_text)), n, w, share, change])
            previous = share
        n_all = sum(n for _, n, _ in counted)
        w_all = sum(w for _, _, w in counted)
        overall = [["all", n_all, w_all, _pct(w_all, n_all)]]
        sent: dict[str, int] = {"reminder": 0, "breach": 0, "escalation": 0, "info_nudge": 0}
        for rung, n in self._rungs_sent():
            sent[rung_name(rung)] += n
        past_query = (
            select(func.count())
            .select_from(ApprovalStep)
            .where(ApprovalStep.status.in_(OPEN), ApprovalStep.due_100 <= self.now, *self._steps_where())
        )
        if self._needs_requests_beyond_copies():
            past_query = past_query.join(Request, Request.id == ApprovalStep.request_id)
        past = int(self.db.execute(past_query).scalar_one())
        cols = ["decided", "within_sla", "within_sla_pct"]
        return self._view(
            "sla",
            [
                Table("overall", "All decisions in the period", ["scope", *cols], overall),
                Table("by_type", "By request type", ["type", *cols], grouped(0), ("type", "within_sla_pct")),
                Table(
                    "by_role",
                    "By role",
                    ["role", *cols],
                    grouped(1, self.directory.role_label),
                    ("role", "within_sla_pct"),
                ),
                Table(
                    "by_entity",
                    "By legal entity",
                    ["entity", *cols],
                    grouped(2, lambda e: e or "(none)"),
                    ("entity", "within_sla_pct"),
                ),
                Table(
                    "weekly",
                    "Week over week",
                    ["week", *cols, "change_points"],
                    weekly,
                    ("week", "within_sla_pct"),
                ),
                Table(
                    "reminders",
                    "Reminders and escalations sent in the period",
                    ["rung", "sent"],
                    [[name, n] for name, n in sent.items()],
                    ("rung", "sent"),
                ),
                Table("open_past_sla", "Open steps already past their SLA", ["measure", "value"], [["steps", past]]),
            ],
            ["Within SLA: decided at or before the step's 100 % due time (its SLA in business hours)."],
        )

    def _rungs_sent(self) -> list[tuple[int, int]]:
        """The SLA ladder's messages sent in the period, counted by rung: the closed weeks from
        their sums (unless a department filter or a manager's scope needs the requests), the
        rest from `reminders_sent` (its steps, and their requests, only when something filters)."""
        summed = [] if self._needs_requests_beyond_copies() else self.summed_weeks()
        found: list[tuple[int, int]] = []
        if summed:
            m = InsightWeekReminders
            query = (
                select(m.rung, func.sum(m.sent))
                .where(
                    m.zone == str(self.zone.key),
                    m.week.in_([w.monday for w in summed]),
                    *self._copy_filter(m.type_id, m.entity, m.role),
                )
                .group_by(m.rung)
            )
            found += [(int(rung), int(n)) for rung, n in self.db.execute(query)]
        for since, until in _gaps(self.start, self.end, summed):
            query = select(ReminderSent.rung, func.count()).where(
                ReminderSent.sent_at >= since, ReminderSent.sent_at < until
            )
            if self._step_filter():  # the steps (and their requests) only when something filters them
                query = query.join(ApprovalStep, ApprovalStep.id == ReminderSent.step_id).where(*self._steps_where())
                if self._needs_requests_beyond_copies():
                    query = query.join(Request, Request.id == ApprovalStep.request_id)
            found += [(int(rung), int(n)) for rung, n in self.db.execute(query.group_by(ReminderSent.rung))]
        return found

    def _steps_where(self) -> list[ColumnElement[bool]]:
        """The filters and scope on approval steps: on their own copies of their request's type
        and entity when nothing else of the request is needed (no join), else on the request."""
        if self._needs_requests_beyond_copies():
            return self._step_filter()
        return self._copy_filter(ApprovalStep.type_id, ApprovalStep.entity, ApprovalStep.role)

    def _needs_requests_beyond_copies(self) -> bool:
        """Whether the filters or the scope need the requests beyond the type and entity each step
        carries (a department, a manager's people): then the weeks' sums cannot answer."""
        return bool(self.filters.department) or (not self.scope.everything and bool(self.scope.requesters))

    def at_risk(self) -> View:
        steps = self.open_steps()
        rows = []
        horizons: dict[str, datetime] = {}
        for s in steps:
            due = s["due_100"]
            if due is None or due <= self.now:
                continue
            clock = self.clock(s["role"])
            if s["role"] not in horizons:
                horizons[s["role"]] = clock.add(self.now, clock.day_hours)
            horizon = horizons[s["role"]]
            if due <= horizon:
                rows.append(
                    [
                        s["ref"],
                        s["type_id"],
                        s["entity"] or "",
                        self.directory.role_label(s["role"]),
                        self.waiting_for(s["assignee"], s["role"]),
                        due.astimezone(self.zone).strftime("%Y-%m-%d %H:%M"),
                        _h(clock.between(self.now, due)),
                        rung_name(s["rung"]) if s["rung"] else "none",
                    ]
                )
        rows.sort(key=lambda r: (r[6], r[0]))
        by_role: dict[str, int] = defaultdict(int)
        for r in rows:
            by_role[r[3]] += 1
        return self._view(
            "at-risk",
            [
                Table(
                    "summary", "At risk", ["measure", "value"], [["steps that breach within a business day", len(rows)]]
                ),
                Table(
                    "by_role",
                    "At risk by role",
                    ["role", "steps"],
                    sorted([[k, v] for k, v in by_role.items()], key=lambda r: (-r[1], r[0])),
                    ("role", "steps"),
                ),
                Table(
                    "steps",
                    "Steps that breach within the next business day",
                    ["request", "type", "entity", "role", "waiting_for", "due", "hours_left", "rung_sent"],
                    rows,
                ),
            ],
            [
                "At risk: open, not past its SLA, and due within one business day (the role's working day) from now.",
            ],
        )

    def denials(self) -> View:
        from intents.redact import phi_reason

        created = [Request.created_at >= self.start, Request.created_at < self.end, *self._request_only_filter()]
        invoice = Request.type_id == "invoice_exception"
        reason = Request.fields["exception_reason"].as_string().label("reason")
        vendor = Request.fields["vendor_name"].as_string().label("vendor")
        closed = [
            ("withdrawn by the requester", Request.status == RequestStatus.CANCELLED.value),
            ("rejected by an approver", Request.status == RequestStatus.REJECTED.value),
            ("refused by the backend", Request.backend_status == "rejected"),
            ("cancelled at the backend", Request.backend_status == "cancelled"),
        ]
        counts = [func.sum(case((cond, 1), else_=0)) for _, cond in closed]
        # The closures from the period's requests (their index alone on PostgreSQL); the invoice
        # exceptions by reason and vendor from the period's invoice exceptions (their form values).
        closed_row: list[Any] = list(self.db.execute(select(*counts).where(*created)).one())
        by_reason: dict[Any, int] = {}
        by_vendor: dict[Any, int] = {}
        for key_reason, key_vendor, n in self._exceptions(invoice, reason, vendor, created):
            by_reason[key_reason] = by_reason.get(key_reason, 0) + n
            by_vendor[key_vendor] = by_vendor.get(key_vendor, 0) + n
        reasons: list[list[Any]] = [[str(key or "(none)").replace("_", " "), n] for key, n in by_reason.items()]
        reasons.sort(key=lambda r: (-r[1], r[0]))
        vendors: dict[str, int] = defaultdict(int)
        for key, n in by_vendor.items():
            name = " ".join(str(key or "").split())[:80]
            vendors[name if name and phi_reason(name) is None else "(withheld)"] += n
        vendor_rows: list[list[Any]] = [[k, v] for k, v in sorted(vendors.items(), key=lambda kv: (-kv[1], kv[0]))][:15]
        # A step holds one decision (decisions.step_id is unique), recorded as the step is decided.
        rejected = func.sum(case((ApprovalStep.status == StepStatus.REJECTED.value, 1), else_=0))
        decided_in = [
            ApprovalStep.status.in_(DECIDED),
            ApprovalStep.decided_at >= self.start,
            ApprovalStep.decided_at < self.end,
            *self._step_filter(),
        ]
        groups = self.decided_groups()
        if groups is not None:
            decisions = [((g.type_id, g.role, g.decided_by), g.decided, g.rejected) for g in groups]
        else:
            decisions = [
                (tuple(row[:3]), int(row[3]), int(row[4] or 0))
                for row in self._decided_counts(
                    lambda kind, _: (kind, ApprovalStep.role, ApprovalStep.decided_by), rejected, decided_in
                )
            ]

        def rejections(index: int, label: Callable[[Any], str]) -> list[list[Any]]:
            sums: dict[Any, list[int]] = {}
            for key, n, r in decisions:
                total = sums.setdefault(key[index], [0, 0])
                total[0] += n
                total[1] += r
            out = [[label(k), n, r, _pct(r, n)] for k, (n, r) in sums.items()]
            return sorted(out, key=lambda r: (-r[2], r[0]))

        events = (
            select(AuditEvent.action, func.count())
            .join(Request, Request.ref == AuditEvent.request_ref)
            .where(
                AuditEvent.action.in_(("withdrawn", "expired")),
                AuditEvent.at >= self.start,
                AuditEvent.at < self.end,
                *self._request_only_filter(),
            )
            .group_by(AuditEvent.action)
        )
        recorded = dict(self.db.execute(events).all())
        closed += [("withdrawals recorded in the period", false()), ("expiries recorded in the period", false())]
        closed_row += [recorded.get("withdrawn", 0), recorded.get("expired", 0)]
        cols = ["decisions", "rejections", "rejected_pct"]
        return self._view(
            "denials",
            [
                Table(
                    "exceptions_by_reason",
                    "Invoice exceptions by reason",
                    ["reason", "exceptions"],
                    reasons,
                    ("reason", "exceptions"),
                ),
                Table(
                    "exceptions_by_vendor",
                    "Invoice exceptions by vendor (top 15)",
                    ["vendor", "exceptions"],
                    vendor_rows,
                ),
                Table(
                    "rejections_by_type",
                    "Rejections by request type",
                    ["type", *cols],
                    rejections(0, str),
                    ("type", "rejections"),
                ),
                Table(
                    "rejections_by_role",
                    "Rejections by role",
                    ["role", *cols],
                    rejections(1, self.directory.role_label),
                ),
                Table(
                    "rejections_by_approver",
                    "Rejections by approver",
                    ["approver", *cols],
                    rejections(2, self._approver),
                    ("approver", "rejections"),
                ),
                Table(
                    "closures",
                    "Requests closed without fulfilment (submitted in the period)",
                    ["outcome", "requests"],
                    [[name, int(n or 0)] for (name, _), n in zip(closed, closed_row, strict=True)],
                ),
            ],
            [
                "Rejection reasons are free text and may hold protected health information: they are not shown.",
                "Withdrawals and expiries are counted from the audit trail (`withdrawn`, `expired`) when recorded.",
            ],
        )

    def _exceptions(
        self, invoice: ColumnElement[bool], reason: Any, vendor: Any, created: list[ColumnElement[bool]]
    ) -> list[tuple[Any, Any, int]]:
        """The period's invoice exceptions counted by reason and vendor: its closed weeks from
        their sums (`bot.insight.rollup`) unless a role filter or the scope reads their steps,
        the rest from the requests' form values."""
        keys = (reason, vendor)
        summed = self.summed_weeks() if not self.filters.role and self.scope.everything else []
        if not summed:
            query = select(*keys, func.count()).where(invoice, *created).group_by(*(grouping(k) for k in keys))
            return [(r, v, int(n)) for r, v, n in self.db.execute(query)]
        found: list[tuple[Any, Any, int]] = []
        f, e = self.filters, InsightWeekExceptions
        if not f.type_id or f.type_id == "invoice_exception":
            where = [e.zone == str(self.zone.key), e.week.in_([w.monday for w in summed])]
            where += [e.entity == f.entity] if f.entity else []
            where += [e.cost_center == f.department] if f.department else []
            query = select(e.reason, e.vendor, func.sum(e.requests)).where(*where).group_by(e.reason, e.vendor)
            found += [(r, v, int(n)) for r, v, n in self.db.execute(query)]
        for since, until in _gaps(self.start, self.end, summed):
            live = [invoice, Request.created_at >= since, Request.created_at < until, *self._request_only_filter()]
            query = select(*keys, func.count()).where(*live).group_by(*(grouping(k) for k in keys))
            found += [(r, v, int(n)) for r, v, n in self.db.execute(query)]
        return found

    def handoff(self) -> View:
        # The requests cleared in the period, found from the period's side (indexes on the last
        # approval and on creation): those whose last approval was given in it, and those created
        # in it that needed none. Their backend reports and the business hours to them are stored
        # on the request (bot.insight.facts), so no audit trail is read.
        r = Request
        chosen = [r.status.in_(CLEARED), *self._request_only_filter()]
        in_period = [
            and_(r.approved_at >= self.start, r.approved_at < self.end),
            and_(r.approved_at.is_(None), r.created_at >= self.start, r.created_at < self.end),
        ]
        counted = self._handoff_in_database(chosen, in_period) if self.db.dialect.name == "postgresql" else None
        rows, failures = counted if counted is not None else self._handoff_of_rows(chosen, in_period)
        return self._view(
            "handoff",
            [
                Table(
                    "by_type",
                    "From final approval to the service team, by type",
                    [
                        "type",
                        "cleared",
                        "in_progress",
                        "median_hours_to_in_progress",
                        "fulfilled",
                        "median_hours_to_fulfilled",
                        "p90_hours_to_fulfilled",
                    ],
                    rows,
                    ("type", "median_hours_to_fulfilled"),
                ),
                Table("failures", "Backend failures", ["type", "failed", "refused"], failures, ("type", "failed")),
            ],
            [
                "Cleared: the last approval given (or the submission, when no approval was needed) in the period.",
                "Hours are business hours on the organisation's calendar, to the backend's first such status.",
            ],
        )

    def _handoff_in_database(
        self, chosen: list[ColumnElement[bool]], in_period: list[ColumnElement[bool]]
    ) -> tuple[list[list[Any]], list[list[Any]]] | None:
        """None when a hand-off of the period has no stored hours (then the rows are measured)."""
        r = Request
        columns = (
            r.type_id,
            r.in_progress_at,
            r.in_progress_hours,
            r.fulfilled_at,
            r.fulfilled_hours,
            r.failed_at,
            r.refused_at,
        )
        handed = union_all(*(select(*columns).where(when, *chosen) for when in in_period)).subquery()
        h = handed.c
        # Grouped by bytes, not by the database's collation: the rows are sorted by type to be
        # grouped, and a byte-wise sort of a quarter of a million names takes a third less time.
        kind = h.type_id.collate("C").label("kind")
        query = select(
            kind,
            func.count(),
            func.count(h.in_progress_at),
            func.count(h.in_progress_hours),
            func.percentile_cont(0.5).within_group(h.in_progress_hours),
            func.count(h.fulfilled_at),
            func.count(h.fulfilled_hours),
            func.percentile_cont(0.5).within_group(h.fulfilled_hours),
            func.percentile_cont(0.9).within_group(h.fulfilled_hours),
            func.count(h.failed_at),
            func.count(h.refused_at),
        ).group_by(grouping(kind))
        self._roomy()
        rows: list[list[Any]] = []
        failures: list[list[Any]] = []
        for (
            type_id,
            n,
            started,
            measured,
            p50_start,
            done,
            measured_done,
            p50_done,
            p90_done,
            failed,
            refused,
        ) in self.db.execute(query):
            if (started, done) != (measured, measured_done):
                return None
            rows.append(
                [
                    type_id,
                    int(n),
                    int(started),
                    _h(p50_start) if started else None,
                    int(done),
                    _h(p50_done) if done else None,
                    _h(p90_done) if done else None,
                ]
            )
            if failed or refused:
                failures.append([type_id, int(failed), int(refused)])
        return sorted(rows, key=lambda row: row[0]), sorted(failures, key=lambda row: row[0])

    def _handoff_of_rows(
        self, chosen: list[ColumnElement[bool]], in_period: list[ColumnElement[bool]]
    ) -> tuple[list[list[Any]], list[list[Any]]]:
        r = Request
        columns = (
            r.type_id,
            self._seconds(r.approved_at, "approved"),
            self._seconds(r.created_at, "created"),
            self._seconds(r.in_progress_at, "began"),
            self._seconds(r.fulfilled_at, "finished"),
            r.in_progress_hours,
            r.fulfilled_hours,
            r.failed_at.is_not(None).label("failed"),
            r.refused_at.is_not(None).label("refused"),
        )
        found = self._stamps(
            self._rows(union_all(*(select(*columns).where(when, *chosen) for when in in_period))),
            "approved",
            "created",
            "began",
            "finished",
        )
        clock = self.clock(None)
        for began, hours in (("began", "in_progress_hours"), ("finished", "fulfilled_hours")):
            unmeasured = [f for f in found if f[began] is not None and f[hours] is None]  # written without them
            spans = clock.spans_at([(f["approved"] or f["created"], f[began]) for f in unmeasured])
            for f, span in zip(unmeasured, spans, strict=True):
                f[hours] = span
        groups: dict[str, dict[str, Any]] = {}
        for f in found:
            g = groups.setdefault(f["type_id"], {"n": 0, "start": [], "done": [], "failed": 0, "refused": 0})
            g["n"] += 1
            if f["began"] is not None:
                g["start"].append(f["in_progress_hours"])
            if f["finished"] is not None:
                g["done"].append(f["fulfilled_hours"])
            g["failed"] += bool(f["failed"])
            g["refused"] += bool(f["refused"])
        rows = [
            [
                t,
                g["n"],
                len(g["start"]),
                _h(percentile(g["start"], 0.5)) if g["start"] else None,
                len(g["done"]),
                _h(percentile(g["done"], 0.5)) if g["done"] else None,
                _h(percentile(g["done"], 0.9)) if g["done"] else None,
            ]
            for t, g in sorted(groups.items())
        ]
        failures = [[t, g["failed"], g["refused"]] for t, g in sorted(groups.items()) if g["failed"] or g["refused"]]
        return rows, failures

    def bottlenecks(self) -> View:
        open_rows = self.open_steps()
        decided = self.decided_totals()
        roles: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0.0])
        people: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0.0])
        for s in open_rows:
            for bucket, key in (
                (roles, self.directory.role_label(s["role"])),
                (people, self.waiting_for(s["assignee"], s["role"])),
            ):
                bucket[key][0] += 1
                bucket[key][1] += s["age"]
        for bucket, name, label in (
            (roles, "role", self.directory.role_label),
            (people, "approver", self._approver),
        ):
            for key, (n, total, _, _) in decided[name].items():
                bucket[label(key)][2] += n
                bucket[label(key)][3] += total

        def rows(groups: dict[str, list[float]]) -> list[list[Any]]:
            total = sum(g[1] + g[3] for g in groups.values())
            ordered = sorted(groups.items(), key=lambda kg: (-(kg[1][1] + kg[1][3]), kg[0]))[:15]
            return [
                [k, int(g[0]), _h(g[1]), int(g[2]), _h(g[3]), _h(g[1] + g[3]), _pct_f(g[1] + g[3], total)]
                for k, g in ordered
            ]

        cols = ["open_steps", "open_hours", "decided", "decided_hours", "total_hours", "share_pct"]
        return self._view(
            "bottlenecks",
            [
                Table("by_role", "Waiting time held, by role", ["role", *cols], rows(roles), ("role", "total_hours")),
                Table(
                    "by_approver",
                    "Waiting time held, by approver (top 15)",
                    ["approver", *cols],
                    rows(people),
                    ("approver", "total_hours"),
                ),
            ],
            [
                "Open hours: business hours the open steps have waited so far; decided hours: the business hours "
                "the steps decided in the period waited. An open step with no single approver counts for its role.",
            ],
        )


def _stats_of_groups(groups: list[rollup.Group]) -> dict[str, dict[Any, Stats]]:
    """`Insight.decided_stats` from the period's groups: each grouping's waits merged from sorted
    runs (the groups' waits; a role's from its steps', all from the roles', so that each merge
    takes a few long runs rather than hundreds of short ones)."""
    waits: dict[str, dict[Any, list[float]]] = {name: defaultdict(list) for name in ("step", "approver", "week")}
    for g in groups:
        if g.timed:
            waits["step"][(g.type_id, g.seq, g.role)] += g.waits
            waits["approver"][g.decided_by or ""] += g.waits
            waits["week"][g.week] += g.waits
    out = {name: {k: _stats(v) for k, v in found.items()} for name, found in waits.items()}
    roles: dict[Any, list[float]] = defaultdict(list)
    for (_, _, role), merged in waits["step"].items():  # sorted by _stats
        roles[role] += merged
    out["role"] = {k: _stats(v) for k, v in roles.items()}
    everything: list[float] = []
    for merged in roles.values():
        everything += merged
    out["all"] = {None: _stats(everything)} if everything else {}
    return out


def _gaps(start: datetime, end: datetime, weeks: list[rollup.Week]) -> list[tuple[datetime, datetime]]:
    """[start, end) less the `weeks` (ascending, inside it)."""
    gaps, at = [], start
    for week in sorted(weeks, key=lambda w: w.start):
        if week.start > at:
            gaps.append((at, week.start))
        at = max(at, week.end)
    if at < end:
        gaps.append((at, end))
    return gaps


def _pct_f(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def grouping(column: Any) -> Any:
    """GROUP BY a labelled expression by its name: PostgreSQL sees the expression's bound
    parameters in SELECT and GROUP BY as different, and refuses the query otherwise."""
    name = getattr(column, "name", None)
    if isinstance(column, Label) and name:
        return literal_column(name)
    return column
