"""The command line as users run it: exit codes and one-line answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FRONTDOOR = [sys.executable, "-m", "bot"]


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_") or k == "FRONTDOOR_TEST_PG_URL"}
    full_env.update(env or {})
    return subprocess.run([*FRONTDOOR, *args], capture_output=True, text=True, env=full_env, timeout=timeout)


def test_catalog_validate_shipped() -> None:
    result = run("catalog", "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 10 request types")


def test_catalog_validate_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: thing\ntitle: T\ndescription: D\nfields:\n  - {name: size, kind: bignum}\n")
    result = run("catalog", "validate", str(bad))
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr and "type thing" in result.stderr and "field size" in result.stderr


def test_bad_setting_exits_2_with_one_line() -> None:
    result = run("db", "upgrade", env={"FRONTDOOR_HTTP_PORT": "abc"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "FRONTDOOR_HTTP_PORT" in lines[0]


def test_unknown_timezone_is_named() -> None:
    result = run("db", "upgrade", env={"FRONTDOOR_TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 2 and "FRONTDOOR_TIMEZONE" in result.stderr and "Mars/Olympus" in result.stderr


def test_db_upgrade_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    result = run("db", "upgrade", env={"FRONTDOOR_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.db").exists()
