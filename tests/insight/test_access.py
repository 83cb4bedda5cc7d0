"""`insight_viewers` in the directory file, and who sees what from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import DirectoryError, load_directory
from bot.insight.access import scope_for
from bot.insight.queries import Scope

FILE = """
people:
  - {email: Ops.Lead@example.org, name: Ops Lead}
  - {email: ann@example.org, name: Ann, manager: ops.lead@example.org, roles: [finance]}
"""


def test_insight_viewers_see_everything(tmp_path: Path) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text(FILE + "insight_viewers: [OPS.LEAD@example.org]\n")
    directory = load_directory(path)
    assert directory.insight_viewers == {"ops.lead@example.org"}
    assert scope_for(directory, "ops.lead@example.org") == Scope()
    ann = scope_for(directory, "ann@example.org")
    assert not ann.everything and ann.roles == {"finance"}


def test_insight_viewers_default_empty(tmp_path: Path) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text(FILE)
    directory = load_directory(path)
    assert directory.insight_viewers == frozenset()
    lead = scope_for(directory, "ops.lead@example.org")  # a manager: their organisation only
    assert not lead.everything and lead.requesters == {"ops.lead@example.org", "ann@example.org"}


def test_an_unknown_viewer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text(FILE + "insight_viewers: [nobody@example.org]\n")
    with pytest.raises(DirectoryError, match=r"insight_viewers: nobody@example\.org is not in the directory"):
        load_directory(path)
    path.write_text(FILE + "insight_viewer: [ann@example.org]\n")  # a misspelt field is refused too
    with pytest.raises(DirectoryError, match="insight_viewer"):
        load_directory(path)


def test_the_demo_names_a_viewer() -> None:
    demo = load_directory(None)
    assert demo.insight_viewers == {"chloe.reed@example.org"}
    assert scope_for(demo, "chloe.reed@example.org") == Scope()
