"""What every field kind is: an object that reads, shows, asks for and describes its values.

A field's `kind` in the catalog names one of these objects (forms/kinds/registry.py). The
engine, the channels and the parsers ask the kind instead of comparing its name, so a new
kind is one module here, and a new identifier is a declaration in a catalog file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from forms import messages
from forms.errors import FieldError

if TYPE_CHECKING:
    from forms.spec import FieldSpec

PersonResolver = Callable[[str], str]
"""Maps an email, mention or name to a directory email; raises LookupError or AmbiguousValue."""


@dataclass(frozen=True)
class NormalizeContext:
    """What normalisation needs from outside: today, the directory, the requester."""

    today: date
    resolve_person: PersonResolver | None = None
    requester: str | None = None
    text_guard: Callable[[str], str | None] | None = None
    """Returns a reason when a text must not be stored (protected health information)."""
    extra: dict[str, Any] = field(default_factory=dict)


class InputHint(StrEnum):
    """How a form asks for a value, whatever a channel's platform calls that input."""

    TEXT = "text"
    EMAIL = "email"
    NUMBER = "number"
    """A whole number."""
    DECIMAL = "decimal"
    """A number that may have cents."""
    DATE = "date"
    PERSON = "person"
    """Someone in the directory: a people picker where the platform has one."""
    CHOICE = "choice"
    """One of the field's choices."""


class Named(Protocol):
    """A person as a card names them."""

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...


class People(Protocol):
    """Who an email belongs to (bot.directory.Directory is one)."""

    def get(self, email: str) -> Named | None: ...


@dataclass(frozen=True)
class Found:
    """A value a kind found in a sentence: where, the text matched, and the value's own text."""

    start: int
    end: int
    raw: str
    value: str


class Kind:
    """A field kind. Subclasses set the class attributes and implement `normalize`.

    name         what a catalog file writes as a field's `kind`
    hint         the input a form shows for it (channels switch on this, never on the name)
    placeholder  the hint shown in an empty input, if any
    prompt       how the language model is told what such a value looks like ("" for nothing)
    certain      whether the offline parser reads it with certainty (a code, an email, an
                 amount), so a model's different reading is asked about, not believed
    free_text    whether the value is free words (read loosely, never repeated from a model)
    """

    name: str = ""
    hint: InputHint = InputHint.TEXT
    placeholder: str = ""
    prompt: str = ""
    certain: bool = False
    free_text: bool = False

    def normalize(self, spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> Any:
        """The normalised value of `raw` (text, or a value already typed), or FieldError naming
        the field and the expected form. Nothing is guessed or silently dropped."""
        raise NotImplementedError

    def check(self, spec: FieldSpec) -> None:
        """Refuse (ValueError) a field declaration this kind cannot take, when the catalog loads."""
        if spec.choices:
            raise ValueError("only enum fields have choices")

    def display(self, spec: FieldSpec, value: Any, people: People | None = None) -> str:
        """A normalised value as a card shows it."""
        return str(value)

    def quoted(self, value: Any) -> str:
        """A normalised value as a question repeats it to the person."""
        return str(value)

    def described(self, spec: FieldSpec) -> str:
        """What follows the field's name in the language model's list of fields."""
        return f":{self.prompt}" if self.prompt else ""

    def model_type(self, spec: FieldSpec) -> Any:
        """The Python type of a normalised value, for the catalog's pydantic model of a type."""
        return str

    def find(self, text: str) -> list[Found]:
        """Values of this kind in a sentence, where the kind alone can tell (codes, emails);
        [] when finding them takes the parser's reading of the sentence (dates, amounts)."""
        return []

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


def fold(text: str) -> str:
    """Lower case without accents and punctuation, for matching words."""
    stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", stripped.lower()).split())


def check_bounds(spec: FieldSpec, number: Decimal) -> None:
    """A number's field limits (`gt`, `min`, `max`), with the field's name in the refusal."""
    if spec.gt is not None and number <= Decimal(str(spec.gt)):
        raise FieldError(spec.name, messages.MORE_THAN.format(label=spec.display, bound=spec.gt))
    if spec.min is not None and number < Decimal(str(spec.min)):
        raise FieldError(spec.name, messages.AT_LEAST.format(label=spec.display, bound=spec.min))
    if spec.max is not None and number > Decimal(str(spec.max)):
        raise FieldError(spec.name, messages.AT_MOST.format(label=spec.display, bound=spec.max))


def normalize(spec: FieldSpec, raw: Any, ctx: NormalizeContext) -> Any:
    """The normalised value of `raw` for the field, or FieldError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise FieldError(spec.name, messages.EMPTY.format(label=spec.display))
    if isinstance(raw, str) and ctx.text_guard is not None:  # every field, before it is read or echoed
        reason = ctx.text_guard(raw)
        if reason:
            raise FieldError(spec.name, messages.PROTECTED.format(label=spec.display, reason=reason))
    return spec.kind.normalize(spec, raw, ctx)
