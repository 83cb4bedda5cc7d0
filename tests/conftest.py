"""Shared fixtures: a clean environment, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.core.turn

bot.core.turn.STRICT_LANGUAGE = True  # a notice composed in the sender's language for someone else fails its test

PG_ADMIN_URL = os.environ.get("FRONTDOOR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The development data and official schemas laid beside the repository (CI always has them; a
fresh clone alone does not, and the tests that read them skip there, naming the folder)."""
SCHEMA_DIR = Path(os.environ.get("FRONTDOOR_SCHEMA_DIR", SHARED / "schemas"))
DATA_DIR = SHARED / "data"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test when `path` (under ../shared) is not here, saying which folder is missing."""
    return pytest.mark.skipif(
        not path.exists(), reason=f"needs {path.name} from the shared folder {path.parent}, which is not here"
    )


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the machine; each test runs in its own folder."""
    for name in list(os.environ):
        ours = name.startswith(("FRONTDOOR_", "SLACK_", "MICROSOFT_", "OPENAI_", "ANTHROPIC_"))
        if ours and name not in ("FRONTDOOR_TEST_PG_URL", "FRONTDOOR_SCHEMA_DIR"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_server() -> str:
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL is not reachable")
    return PG_ADMIN_URL


def fresh_pg_database(admin_url: str) -> tuple[str, str]:
    """Create an empty database for one test; returns (url, name)."""
    import psycopg

    name = f"frontdoor_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_pg_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'frontdoor.db'}"
        return
    admin = request.getfixturevalue("pg_server")
    url, name = fresh_pg_database(admin)
    try:
        yield url
    finally:
        drop_pg_database(admin, name)
