"""The field kinds a catalog may name: the built-in ones and the identifiers declared as data.

The standard set is the built-in kinds and the shipped identifiers
(forms/catalog/identifiers.yaml); a catalog's own `identifiers` add to it, and one that reuses
a shipped identifier's name replaces it for that catalog (a five-digit cost center, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml

from forms.kinds.base import Kind
from forms.kinds.date import DATE
from forms.kinds.email import EMAIL
from forms.kinds.enum import ENUM
from forms.kinds.integer import INTEGER
from forms.kinds.money import MONEY
from forms.kinds.pattern import IdentifierSpec, PatternKind
from forms.kinds.person import PERSON
from forms.kinds.text import TEXT

BUILT_IN: tuple[Kind, ...] = (TEXT, EMAIL, PERSON, MONEY, INTEGER, DATE, ENUM)
SHIPPED_IDENTIFIERS = Path(__file__).parents[1] / "catalog" / "identifiers.yaml"


@dataclass(frozen=True)
class Kinds(Mapping[str, Kind]):
    """Kinds by name, built-in ones first, then identifiers in the order they were declared."""

    by_name: Mapping[str, Kind]

    def __getitem__(self, name: str) -> Kind:
        return self.by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)

    def __hash__(self) -> int:
        return hash(tuple(self.by_name.items()))

    @cached_property
    def identifiers(self) -> tuple[PatternKind, ...]:
        """The identifier kinds, in declaration order (the order the offline parser looks for them);
        worked out once, as the parser asks for them on every message."""
        return tuple(kind for kind in self.by_name.values() if isinstance(kind, PatternKind))

    def with_identifiers(self, declared: Iterable[PatternKind]) -> Kinds:
        """These kinds plus `declared`; a declared name that is already an identifier replaces it.
        Raises ValueError for the name of a built-in kind."""
        by_name = dict(self.by_name)
        for kind in declared:
            if kind.name in by_name and not isinstance(by_name[kind.name], PatternKind):
                raise ValueError(f"{kind.name!r} is a built-in field kind")
            by_name[kind.name] = kind
        return Kinds(by_name)


def declare(entry: object) -> PatternKind:
    """The identifier kind one `identifiers` entry declares (pydantic's ValidationError if it is wrong)."""
    return IdentifierSpec.model_validate(entry).kind()


@cache
def standard() -> Kinds:
    """The built-in kinds and the shipped identifiers: what a field may name in any catalog."""
    data = yaml.safe_load(SHIPPED_IDENTIFIERS.read_text(encoding="utf-8"))
    built_in = Kinds({kind.name: kind for kind in BUILT_IN})
    return built_in.with_identifiers(declare(entry) for entry in data["identifiers"])
