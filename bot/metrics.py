"""Prometheus metrics, in a registry of the app's own (no global state): what an operator alerts on.

- frontdoor_events_total{kind}, frontdoor_event_seconds{kind}: events handled and how long each took;
- frontdoor_outbox_messages{topic,status}, frontdoor_outbox_oldest_pending_seconds{topic}: what waits
  to leave (a backend outage shows as a growing backend queue; dead chat rows need a person);
- frontdoor_reminders_total: SLA reminders and escalations sent;
- process_* and python_*: the process's CPU, memory, file descriptors and garbage collection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

OUTBOX_STATUSES = ("pending", "sent", "dead", "purged")


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
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    def events_seen(self, kind: str, seconds: float) -> None:
        self.events.labels(kind).inc()
        self.event_seconds.labels(kind).observe(seconds)

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
