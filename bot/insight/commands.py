"""What `frontdoor report` and `frontdoor demo seed` do (the commands themselves are in bot.cli)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.directory import load_directory
from bot.insight.export import csv_text, json_text, plain_text
from bot.insight.queries import Filters
from bot.insight.seed import seed_history
from bot.insight.service import calendars_for, read_views
from bot.settings import Settings
from bot.store.db import Database

FORMATS = ("table", "csv", "json")


def report(settings: Settings, view: str, filters: Filters, fmt: str, now: datetime | None = None) -> str:
    directory = load_directory(settings.directory)
    db = Database(settings.database_url)
    try:
        if db.dialect == "sqlite":
            db.upgrade()
        views = read_views(
            db,
            directory,
            calendars_for(settings, directory),
            [view],
            filters,
            now or datetime.now(UTC),
            zone=settings.timezone,
        )
    finally:
        db.dispose()
    shown = {"table": plain_text, "csv": csv_text, "json": json_text}[fmt](views[0])
    return shown if shown.endswith("\n") else shown + "\n"


def demo_seed(settings: Settings, requests: int, seed: int, weeks: int, now: datetime | None) -> dict[str, int]:
    directory = load_directory(settings.directory)
    db = Database(settings.database_url)
    try:
        db.upgrade()
        with db.core_transaction() as connection:
            return seed_history(
                connection,
                directory,
                calendars_for(settings, directory),
                requests=requests,
                seed=seed,
                now=now or datetime.now(UTC),
                weeks=weeks,
            )
    finally:
        db.dispose()
