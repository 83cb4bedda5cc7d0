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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """One allowed value of an enum field, with the words people use for it."""

    id: str
    label: str = ""
    synonyms: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return self.label or self.id.replace("_", " ")


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
    def display(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def ask(self) -> str:
        return self.question or f"What is the {self.display.lower()}?"


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
    """An approval step: who approves (a role, or `manager`), when, and its SLA."""

    role: str
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
