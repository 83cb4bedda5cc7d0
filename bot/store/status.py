"""The states a stored row can be in, one enum each. They are `StrEnum`s: the store keeps their
values (plain strings, as before), and a value read back compares equal to its member."""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    """A request's own life, as Front Door decides it."""

    SUBMITTED = "submitted"
    """No approval needed: handed straight to the service team."""
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    """Its approval step waited past the request type's `expiry` (business days): closed by the
    SLA sweep, the backend told to cancel it; the requester may send it again."""


class StepStatus(StrEnum):
    """One approval step. Steps wait `PENDING` until the one before them is decided; only an
    `ACTIVE` (or `INFO_REQUESTED`) step can be decided."""

    PENDING = "pending"
    ACTIVE = "active"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    """A manager step for a requester who has no manager in the directory."""
    CANCELLED = "cancelled"


OPEN_STEP = (StepStatus.ACTIVE, StepStatus.INFO_REQUESTED)
"""A step someone may decide now."""


class BackendStatus(StrEnum):
    """What the backend says of a request (its status callbacks, backend_client/openapi.yaml)."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    FAILED = "failed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    """An outbox row (or a kept inbound event)."""

    PENDING = "pending"
    SENT = "sent"
    """Delivered (a kept inbound event: processed)."""
    DEAD = "dead"
    """Given up: it failed in a way trying again cannot mend, or too many times."""
    DISCARDED = "discarded"
    """Dead, and given up for good by an operator (`frontdoor outbox discard ID`)."""
    PURGED = "purged"
    """Delivered, and its text forgotten after the retention period."""
