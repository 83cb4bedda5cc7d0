"""The catalog's own schema: what a request-type file may say, checked when it loads."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from forms.kinds.base import Kind
from forms.kinds.registry import standard
from forms.language import SPANISH, Text


def _kind(value: Any, info: ValidationInfo) -> Kind:
    """The kind a field names: from the catalog's kinds while it loads (its own identifiers
    included), else from the standard ones."""
    if isinstance(value, Kind):
        return value
    kinds = (info.context or {}).get("kinds")
    kinds = kinds if kinds is not None else standard()
    if not isinstance(value, str) or value not in kinds:
        raise ValueError(f"unknown field kind {value!r}; a field's kind is one of: {', '.join(kinds)}")
    return kinds[value]


FieldKind = Annotated[
    Kind,
    PlainValidator(_kind),
    PlainSerializer(lambda kind: kind.name, return_type=str),
    WithJsonSchema({"type": "string"}),
]
"""A field's kind: its name in a catalog file, the kind object once loaded (forms/kinds/)."""

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(h|m|d)$")


Translations = tuple[tuple[str, str], ...]
"""A catalog entry's words in another language (`es: {label: ..., question: ...}` in a file),
kept as pairs so the frozen specs stay hashable."""


def _said(english: str, es: Translations, key: str) -> Text:
    words = dict(es).get(key)
    return Text(english, key, {SPANISH: words} if words else {})


def _translations(es: Any, allowed: tuple[str, ...]) -> Any:
    if not isinstance(es, dict):
        return es
    unknown = sorted(set(es) - set(allowed))
    if unknown:
        raise ValueError(f"es: {', '.join(unknown)} is not translated here; only {', '.join(allowed)}")
    return tuple(sorted((str(k), str(v)) for k, v in es.items()))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """One allowed value of an enum field, with the words people use for it."""

    id: str
    label: str = ""
    synonyms: tuple[str, ...] = ()
    es: Translations = ()
    """In Spanish: `label`."""

    @field_validator("es", mode="before")
    @classmethod
    def _es(cls, value: Any) -> Any:
        return _translations(value, ("label",))

    @property
    def display(self) -> Text:
        return _said(self.label or self.id.replace("_", " "), self.es, "label")


class FieldSpec(_Strict):
    """One field of a request type."""

    name: str
    kind: FieldKind
    required: bool = False
    label: str = ""
    question: str = ""
    help: str = ""
    choices: tuple[Choice, ...] = ()
    default: Any = None
    min: float | None = None
    gt: float | None = None
    max: float | None = None
    not_past: bool = False
    max_length: int = 2000
    narrative: Literal["message", "reason"] | None = None
    """A text the person's own words fill: a first message that leaves it empty offers, on the
    review card to confirm or edit, its own words (`message`: a problem, a description) or the
    clause that gives a reason (`reason`: a justification, "… so I can add new staff"), rather
    than asking again for what the person just wrote."""
    examples: tuple[str, ...] = ()
    es: Translations = ()
    """In Spanish: `label`, `question`."""

    @field_validator("es", mode="before")
    @classmethod
    def _es(cls, value: Any) -> Any:
        return _translations(value, ("label", "question"))

    @field_validator("name")
    @classmethod
    def _ident(cls, value: str) -> str:
        if not _IDENT.match(value):
            raise ValueError("field names are lower_snake_case identifiers")
        return value

    @model_validator(mode="after")
    def _fits_kind(self) -> FieldSpec:
        self.kind.check(self)  # an enum lists its choices, and only an enum has any
        return self

    @property
    def display(self) -> Text:
        """The field's label: English as a string, in the language being spoken when formatted."""
        return _said(self.label or self.name.replace("_", " ").capitalize(), self.es, "label")

    @property
    def ask(self) -> Text:
        """The question that asks for the field (`display` says how it reads)."""
        if self.question:
            return _said(self.question, self.es, "question")
        label = self.display
        return Text(
            f"What is the {str.lower(label)}?",
            "",
            {language: f"¿{words}?" for language, words in label.translations.items()},
        )


def parse_hours(value: str | float | int) -> float:
    """`8h`, `30m`, `2d` (calendar days for wall-clock SLAs) or a number of hours."""
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a duration such as 8h, 30m or 2d")
    amount, unit = float(match.group(1)), match.group(2)
    return amount * {"h": 1.0, "m": 1 / 60, "d": 24.0}[unit]


class ApprovalStepSpec(_Strict):
    """An approval step: who approves, when, and its SLA.

    Who approves is one of: a `role` (or `manager`), decided by one of its holders; a `role` with
    `any: N`, decided by N different holders; or `all_of: [role, ...]`, decided by one holder of
    each role listed (each a different person). Every approver decides once; the first rejection
    ends the step (and the request); the step is approved when every one needed has approved."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    role: str = ""
    all_of: tuple[str, ...] = ()
    quorum: int | None = Field(default=None, alias="any", ge=1)
    """`any: N` in a catalog file: N different holders of `role` must approve."""
    sla_hours: float = Field(gt=0)
    when: str | None = None
    label: str = ""
    escalation_may_decide: bool = False
    """Whether the escalation (150 % of the SLA) gives the approver's manager (or the role's
    manager) the decision buttons as well as Reassign; by default they may only reassign."""

    @model_validator(mode="before")
    @classmethod
    def _sla(cls, data: Any) -> Any:
        if isinstance(data, dict) and "sla" in data:
            data = dict(data)
            data["sla_hours"] = parse_hours(data.pop("sla"))
        return data

    @model_validator(mode="after")
    def _who(self) -> ApprovalStepSpec:
        if not self.all_of:
            if not self.role:
                raise ValueError("a step names who approves: `role` (with `any: N` for several holders) or `all_of`")
            if self.quorum is not None and self.role == "manager":
                raise ValueError("`any: N` needs a role with several holders; a requester has one manager")
            return self
        if self.role or self.quorum is not None:
            raise ValueError("a step has either `all_of` or a `role` (with `any: N`), not both")
        if len(self.all_of) < 2:
            raise ValueError("`all_of` lists at least two roles (a single approver is a `role`)")
        if len(set(self.all_of)) != len(self.all_of):
            raise ValueError("`all_of` names a role twice (for several holders of one role, use `role` with `any: N`)")
        bad = [name for name in self.all_of if not _IDENT.match(name)]
        if bad:
            raise ValueError(f"`all_of` lists role names (lower_snake_case), not {', '.join(map(repr, bad))}")
        return self

    @property
    def members(self) -> tuple[str, ...]:
        """The role of each decision the step needs, in order: one for a plain step, one per role
        of `all_of`, N times the role for `any: N`."""
        if self.all_of:
            return self.all_of
        return (self.role,) * (self.quorum or 1)

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles the step names, each once."""
        return tuple(dict.fromkeys(self.members))

    @property
    def summary(self) -> str:
        """Who approves, as the catalog says it: `legal`, `all_of(legal, compliance)`, `any 2 of finance`."""
        if self.all_of:
            return f"all_of({', '.join(self.all_of)})"
        return f"any {self.quorum} of {self.role}" if self.quorum and self.quorum > 1 else self.role


class ResponseSla(_Strict):
    """A wall-clock response SLA chosen by a field's value (work orders)."""

    field: str
    hours: dict[str, float]
    default_hours: float = 24.0


class RequestTypeSpec(_Strict):
    """A request type as the catalog declares it."""

    id: str
    title: str
    description: str
    team: str = ""
    contact: str = ""
    """How to reach the service team (a channel, an email, an extension): told to someone who asks
    for a person, or whose withdrawal the team's system refused."""
    fields: tuple[FieldSpec, ...]
    approvals: tuple[ApprovalStepSpec, ...] = ()
    response_sla: ResponseSla | None = None
    expiry: int = Field(default=10, gt=0)
    """Business days an approval step may wait (in its SLA calendar) before the SLA sweep closes
    the request as expired (`bot.core.expiry`)."""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    es: Translations = ()
    """In Spanish: `title`, `description`."""

    @field_validator("es", mode="before")
    @classmethod
    def _es(cls, value: Any) -> Any:
        return _translations(value, ("title", "description"))

    @model_validator(mode="after")
    def _translated(self) -> RequestTypeSpec:
        """`title` and `description` carry their translations (`forms.language.Text`): English
        where they are matched or compared, in the language being spoken where they are said."""
        object.__setattr__(self, "title", _said(self.title, self.es, "title"))
        object.__setattr__(self, "description", _said(self.description, self.es, "description"))
        return self

    @field_validator("id")
    @classmethod
    def _ident(cls, value: str) -> str:
        if not _IDENT.match(value):
            raise ValueError("type ids are lower_snake_case identifiers")
        return value

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    @property
    def required(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields if spec.required)
