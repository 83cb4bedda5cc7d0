"""Fixtures shared by the parser tests: the shipped catalog, the demo directory, a trained offline parser."""

from __future__ import annotations

import pytest

from bot.directory import Directory, load_directory
from forms import Catalog, load_catalog
from intents.offline import OfflineParser


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_directory()


@pytest.fixture(scope="session")
def offline(catalog: Catalog, directory: Directory) -> OfflineParser:
    parser = OfflineParser(catalog, directory)
    parser.warm()
    return parser
