"""The bodies of the backend contract (interfaces.md, "Backend contract"), as pydantic models.

`CreateRequest.approvals` and `CreateRequest.reference` extend the contract: the ordered
approval steps tell the backend when a request is fully approved, and the reference (our
public id, such as "REQ-1001") lets it quote our id back in its status callbacks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RequestStatus = Literal["received", "in_progress", "fulfilled", "failed", "rejected", "cancelled"]
DecisionKind = Literal["approve", "reject", "request_info"]


class CreateRequest(BaseModel):
    """Body of `POST /requests`: one submitted request."""

    model_config = ConfigDict(extra="forbid")

    type: str
    fields: dict[str, Any]
    requester: str
    entity: str | None = None
    cost_center: str | None = None
    source: dict[str, Any] = Field(default_factory=dict)
    approvals: list[str] = Field(default_factory=list)
    reference: str


class Decision(BaseModel):
    """Body of `POST /requests/{id}/decisions`: one approval step's decision."""

    model_config = ConfigDict(extra="forbid")

    step: str
    decision: DecisionKind
    approver: str
    comment: str | None = None
    decided_at: datetime


class Cancellation(BaseModel):
    """Body of `POST /requests/{id}/cancel`."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = None


class RecordedDecision(Decision):
    """A decision as the backend reports it back (unknown keys are ignored)."""

    model_config = ConfigDict(extra="ignore")


class HistoryEntry(BaseModel):
    """One status change of a request, as the backend reports it."""

    status: RequestStatus
    reason: str | None = None
    at: datetime


class BackendRequest(BaseModel):
    """What the backend answers about a request (create answers carry only the first fields)."""

    id: str
    status: RequestStatus
    reference: str = ""
    type: str = ""
    decisions: list[RecordedDecision] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)


class StatusEvent(BaseModel):
    """The backend's callback to Front Door's `POST /backend/events`, signed (see `signing`)."""

    request_id: str
    reference: str = ""
    status: RequestStatus
    reason: str | None = None
    at: datetime
    event_id: str
