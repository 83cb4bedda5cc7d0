"""Prometheus metrics, in a registry of the app's own (no global state)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Metrics:
    registry: Any = None
    events: Any = None
    _ready: bool = field(default=False)

    def __post_init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter

        self.registry = CollectorRegistry()
        self.events = Counter("frontdoor_events_total", "Events handled", ["kind"], registry=self.registry)

    def events_seen(self, kind: str) -> None:
        self.events.labels(kind).inc()
