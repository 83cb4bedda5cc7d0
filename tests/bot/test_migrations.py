"""The migrations build exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, insert

from bot.store.db import Database
from bot.store.models import Base, Draft


def test_the_migrated_schema_is_the_models_schema(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.upgrade()
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        db.dispose()


def test_sqlite_never_gives_a_closed_drafts_id_again(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/fd.db")
    try:
        db.upgrade()
        at = datetime(2026, 1, 1, tzinfo=UTC)
        row = {
            "person": "a",
            "place_info": {},
            "values": {},
            "state": "filling",
            "version": 1,
            "unsure": [],
            "created_at": at,
            "updated_at": at,
        }
        drafts = Draft.__table__
        with db.engine.begin() as connection:
            first = connection.execute(insert(drafts).values(place="p1", **row).returning(drafts.c.id)).scalar_one()
            connection.execute(delete(drafts).where(drafts.c.id == first))
            second = connection.execute(insert(drafts).values(place="p2", **row).returning(drafts.c.id)).scalar_one()
        assert second > first  # an old card's button can never reach the newer draft
    finally:
        db.dispose()
