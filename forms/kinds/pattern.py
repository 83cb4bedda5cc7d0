"""Identifier kinds: codes such as a cost center or a PO number, declared as data in the catalog.

Every identifier is one `PatternKind`, read from an entry of a catalog file's `identifiers`
list (forms/catalog/identifiers.yaml holds the shipped ones):

    name         the kind's name, as a field's `kind` says it (lower_snake_case)
    accept       a regular expression for the whole value as a person types it; its groups
                 are the parts kept
    canonical    the normalised value, its groups put into the `{}`s (`CC-{}`)
    expected     what the value looks like, in words, for refusals ("CC- and four digits")
    example      a value in its normalised form ("CC-4410"): it must normalise to itself
    find         optional: a regular expression that finds the value in a sentence, the value
                 in group 1 (without it the value is only read as an answer to its question)
    word         optional: what the intent classifier reads in place of a found value
                 (default: the name with spaces)
    bare         optional: when `find` matches the value alone, with no cue word, the form the
                 value must have to count (nine bare digits are an EIN only as `12-3456789`)
    not_after    optional: a match is ignored when this is found in the 25 characters before
                 it (an EIN right after "SSN")
    placeholder  optional: what an empty input shows
    prompt       optional: the value's shape as the language model is told it (`CC-####`)
    es           optional: `expected` in Spanish (`es: {expected: CC- y cuatro dígitos}`)

The regular expressions are Python's, compiled as written: `(?i)` makes one ignore case.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from forms import messages
from forms.errors import FieldError
from forms.kinds.base import Found, Kind, NormalizeContext
from forms.language import SPANISH, Text

if TYPE_CHECKING:
    from forms.spec import FieldSpec

LOOK_BEHIND = 25
"""How far before a found value `not_after` looks."""
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, repr=False, kw_only=True)
class PatternKind(Kind):
    """A code kind: accepted as typed, normalised to its canonical form, found in sentences."""

    name: str
    accept: re.Pattern[str]
    canonical: str
    expected: str
    example: str
    finder: re.Pattern[str] | None = None
    word: str = ""
    bare: re.Pattern[str] | None = None
    not_after: re.Pattern[str] | None = None
    placeholder: str = ""
    prompt: str = ""
    certain = True

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> str:
        match = self.accept.fullmatch(" ".join(str(raw).split()).strip(" .,"))
        if not match:
            raise FieldError(
                spec.name, messages.NOT_A_CODE.format(label=spec.display, expected=self.expected, example=self.example)
            )
        return self.canonical.format(*match.groups())

    def find(self, text: str) -> list[Found]:
        found: list[Found] = []
        for m in self.finder.finditer(text) if self.finder is not None else ():
            raw, value = m.group(0), m.group(1)
            if self.bare is not None and value == raw.strip() and not self.bare.fullmatch(value):
                continue  # the value alone, without a cue word, counts only in its bare form
            if self.not_after is not None and self.not_after.search(text[max(0, m.start() - LOOK_BEHIND) : m.start()]):
                continue
            found.append(Found(m.start(), m.end(), raw, value))
        return found


def _compile(pattern: str, key: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{key} is not a regular expression: {exc}") from None


class IdentifierSpec(BaseModel):
    """One entry of a catalog file's `identifiers` list, checked when the catalog loads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    accept: str
    canonical: str
    expected: str
    example: str
    find: str | None = None
    word: str = ""
    bare: str | None = None
    not_after: str | None = None
    placeholder: str = ""
    prompt: str = ""
    es: tuple[tuple[str, str], ...] = ()
    """In Spanish: `expected` (a mapping in the file, kept as pairs)."""

    @field_validator("es", mode="before")
    @classmethod
    def _es(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        unknown = sorted(set(value) - {"expected"})
        if unknown:
            raise ValueError(f"es: {', '.join(unknown)} is not translated here; only expected")
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))

    @field_validator("name")
    @classmethod
    def _ident(cls, value: str) -> str:
        if not _IDENT.match(value):
            raise ValueError("identifier names are lower_snake_case identifiers")
        return value

    @field_validator("accept", "find", "bare", "not_after")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value, "the pattern")
        return value

    @model_validator(mode="after")
    def _fits(self) -> IdentifierSpec:
        groups = re.compile(self.accept).groups
        slots = [part[1] for part in string.Formatter().parse(self.canonical) if part[1] is not None]
        if any(slots) or len(slots) != groups:
            raise ValueError(f"canonical needs one {{}} for each of the {groups} group(s) of accept")
        if self.find is not None and re.compile(self.find).groups < 1:
            raise ValueError("find needs a group around the value")
        match = re.compile(self.accept).fullmatch(self.example)
        if match is None or self.canonical.format(*match.groups()) != self.example:
            raise ValueError(f"example {self.example!r} does not normalise to itself")
        return self

    def kind(self) -> PatternKind:
        """The kind this entry declares."""
        spanish = dict(self.es).get("expected")
        return PatternKind(
            name=self.name,
            accept=re.compile(self.accept),
            canonical=self.canonical,
            expected=Text(self.expected, "expected", {SPANISH: spanish} if spanish else {}),
            example=self.example,
            finder=re.compile(self.find) if self.find is not None else None,
            word=self.word or self.name.replace("_", " "),
            bare=re.compile(self.bare) if self.bare is not None else None,
            not_after=re.compile(self.not_after) if self.not_after is not None else None,
            placeholder=self.placeholder,
            prompt=self.prompt,
        )
