"""Prometheus metrics, in a registry of the app's own (no global state): what an operator alerts on.

- frontdoor_events_total{kind}, frontdoor_event_seconds{kind}: events handled and how long each took;
- frontdoor_outbox_messages{topic,status}, frontdoor_outbox_oldest_pending_seconds{topic}: what waits
  to leave (a backend outage shows as a growing backend queue; dead chat rows need a person);
- frontdoor_deliveries_total{topic,outcome}: chat deliveries and backend calls by outcome: `sent`;
  `retry` (failed, tried again later: a platform's rate limit, a backend outage); `dead` (refused
  for good: a person must look); for chat also `released` (handed back undelivered to the claim
  rounds because an earlier message of its conversation failed or it waited too long; it goes out
  later);
- frontdoor_backend_seconds{op}: each call to the backend (create, decision, cancel, get, health),
  answered or not, each attempt on its own;
- frontdoor_model_seconds: each language-model call (with FRONTDOOR_LLM), a time-out counting
  as the full wait;
- frontdoor_reminders_total: SLA reminders and escalations sent;
- process_* and python_*: the process's CPU, memory, file descriptors and garbage collection.

What to alert on is in docs/deploy.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

OUTBOX_STATUSES = ("pending", "sent", "dead", "purged")
OUTCOMES = {"chat": ("sent", "retry", "dead", "released"), "backend": ("sent", "retry", "dead")}
"""Every delivery outcome is shown from the start (at 0), so a rate over it is defined before the first."""
BACKEND_OPS = ("create", "decision", "cancel", "get", "health")


@dataclass
class Metrics:
    registry: Any = None
    events: Any = None
    _ready: bool = field(default=False)

    def __post_init__(self) -> None:
        from prometheus_client import (
            CollectorRegistry,
            Counter,
            Gauge,
            GCCollector,
            Histogram,
            PlatformCollector,
            ProcessCollector,
        )

        self.registry = CollectorRegistry()
        self.events = Counter("frontdoor_events_total", "Events handled", ["kind"], registry=self.registry)
        self.event_seconds = Histogram(
            "frontdoor_event_seconds",
            "Time of an event's turn",
            ["kind"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.outbox = Gauge(
            "frontdoor_outbox_messages", "Outbox rows by topic and status", ["topic", "status"], registry=self.registry
        )
        self.oldest = Gauge(
            "frontdoor_outbox_oldest_pending_seconds",
            "Age of the oldest row waiting to go out",
            ["topic"],
            registry=self.registry,
        )
        self.reminders = Counter(
            "frontdoor_reminders_total", "SLA reminders and escalations sent", registry=self.registry
        )
        self.deliveries = Counter(
            "frontdoor_deliveries_total",
            "Chat deliveries and backend calls by outcome",
            ["topic", "outcome"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "frontdoor_dead_letters_total",
            "Chat messages given up on and followed up (kind: approval_card, or the message's kind)",
            ["kind"],
            registry=self.registry,
        )
        self.dead_letters.labels("approval_card")
        for topic, outcomes in OUTCOMES.items():
            for outcome in outcomes:
                self.deliveries.labels(topic, outcome)
        self.backend_seconds = Histogram(
            "frontdoor_backend_seconds",
            "Time of one call to the backend",
            ["op"],
            registry=self.registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        for op in BACKEND_OPS:
            self.backend_seconds.labels(op)
        self.model_seconds = Histogram(
            "frontdoor_model_seconds",
            "Time of one language-model call",
            registry=self.registry,
            buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30),
        )
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.insight_open = Gauge(  # process intelligence (bot/insight/gauges.py), read at each scrape
            "frontdoor_open_steps", "Open approval steps by age in business hours", ["age"], registry=self.registry
        )
        self.insight_past = Gauge(
            "frontdoor_steps_past_sla", "Open approval steps past their SLA", registry=self.registry
        )
        self.insight_risk = Gauge(
            "frontdoor_steps_at_risk", "Open approval steps due within the next business day", registry=self.registry
        )

    def events_seen(self, kind: str, seconds: float) -> None:
        self.events.labels(kind).inc()
        self.event_seconds.labels(kind).observe(seconds)

    def delivered(self, topic: str, outcome: str, count: int = 1) -> None:
        """Count deliveries of one topic (chat, backend) that ended with `outcome`."""
        self.deliveries.labels(topic, outcome).inc(count)

    def dead_followed(self, kinds: Mapping[str, int]) -> None:
        """Count dead chat messages the engine followed up, by kind."""
        for kind, count in kinds.items():
            self.dead_letters.labels(kind).inc(count)

    def backend_seen(self, op: str, seconds: float) -> None:
        self.backend_seconds.labels(op).observe(seconds)

    def model_seen(self, seconds: float) -> None:
        self.model_seconds.observe(seconds)

    def outbox_seen(self, counts: list[tuple[str, str, int]], oldest: dict[str, datetime], now: datetime) -> None:
        """Set the outbox gauges from (topic, status, rows) and the oldest pending row per topic."""
        for topic in ("chat", "backend"):
            for status in OUTBOX_STATUSES:
                self.outbox.labels(topic, status).set(0)
            self.oldest.labels(topic).set(0)
        for topic, status, rows in counts:
            self.outbox.labels(topic, status).set(rows)
        for topic, at in oldest.items():
            self.oldest.labels(topic).set(max(0.0, (now - at).total_seconds()))

    def insight_seen(self, by_age: Mapping[str, int], past: int, at_risk: int) -> None:
        """Set the process-intelligence gauges (open steps by age, past SLA, at risk)."""
        for age, count in by_age.items():
            self.insight_open.labels(age).set(count)
        self.insight_past.set(past)
        self.insight_risk.set(at_risk)
