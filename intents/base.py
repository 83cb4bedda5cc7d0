"""The parser seam: text and context in, a proposal out.

The conversation engine calls `Parser.parse(text, context)`; it never knows which parser
(offline, LLM, hybrid) answers. A proposal only proposes: the engine validates every value
against the catalog before using it, and the user confirms before anything is submitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field


class ConversationIntent(StrEnum):
    """The intents a message may have besides a request type (catalog.md): the one list every
    parser and the engine read, so a new one cannot be known to one and missed by another.
    A member is its string, so a proposal's `intent` stays a plain string."""

    CHECK_STATUS = "check_status"
    LIST_APPROVALS = "list_approvals"
    HELP = "help"
    CANCEL = "cancel"
    OUT_OF_SCOPE = "out_of_scope"


REQUEST_INTENTS_EXTRA: tuple[str, ...] = tuple(intent.value for intent in ConversationIntent)
"""The conversation intents as plain strings, in the enum's order: the language model's allowed
answers besides the catalog's type ids, the names of their training files, and what `in` can test
a string against (`"help" in ConversationIntent` is an error before Python 3.12)."""


class People(Protocol):
    """What a parser may ask of the directory."""

    def resolve(self, text: str) -> str:
        """An email, mention or unique name → email; LookupError, or AmbiguousValue."""
        ...

    def known_names(self) -> Iterable[tuple[str, str]]:
        """(display name, email) of everyone in the directory."""
        ...


@dataclass(frozen=True)
class ParseContext:
    """What the parser knows besides the text.

    `now` is the requester's local wall time (naive). When a draft is open, `draft_type` and
    `draft_values` describe it and `pending_field` is the field the bot just asked for, so a
    bare answer ("4", "next Friday", "Kronos") can be read as that field.
    """

    now: datetime
    requester: str | None = None
    draft_type: str | None = None
    draft_values: Mapping[str, Any] = field(default_factory=dict)
    pending_field: str | None = None
    people: People | None = None


class Proposal(BaseModel):
    """A parser's reading of one message.

    intent: a catalog type id or a ConversationIntent.
    slots: normalised values (catalog.md forms) by field name; only values found in the
      text, never defaults. For `check_status`, `request_id` may hold "REQ-1042".
    slot_confidence: 0..1 per slot. errors: field → message for values found but refused
      (e.g. an impossible date), so the engine can say what to change.
    missing: required fields of the intent's type still without a value (draft included).
    """

    intent: str
    confidence: float = Field(ge=0.0, le=1.0)
    slots: dict[str, Any] = Field(default_factory=dict)
    slot_confidence: dict[str, float] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    suggestions: dict[str, Any] = Field(default_factory=dict)
    """Free-text values the message implies but does not label (not reported as slots):
    the engine validates them and shows them for review like any other value."""
    reason: Literal["smalltalk", "clinical", "policy_question", "other"] | None = None
    """For `out_of_scope`: why, so the answer fits (a greeting gets a greeting, a clinical question
    is pointed to the clinical resource); None when the parser does not say."""
    alternatives: list[str] = Field(default_factory=list)
    """For an uncertain `out_of_scope`: the likeliest request types, best first, to ask which."""
    parser: str = "offline"
    llm_calls: int = 0


class Parser(Protocol):
    """Anything that turns a message into a Proposal."""

    name: str

    def parse(self, text: str, context: ParseContext) -> Proposal: ...
