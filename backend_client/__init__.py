"""The orchestration backend: the async client Front Door uses to reach it.

The embedded reference backend lives in `backend_client.embedded` (imported on demand).
"""

from backend_client.client import BackendClient
from backend_client.errors import BackendAuthError, BackendError, BackendRejected, BackendUnavailable
from backend_client.models import (
    BackendRequest,
    Cancellation,
    CreateRequest,
    Decision,
    DecisionKind,
    HistoryEntry,
    RecordedDecision,
    RequestStatus,
    StatusEvent,
)
from backend_client.signing import SIGNATURE_HEADER, sign, verify, verify_webhook, webhook_headers

__all__ = [
    "SIGNATURE_HEADER",
    "BackendAuthError",
    "BackendClient",
    "BackendError",
    "BackendRejected",
    "BackendRequest",
    "BackendUnavailable",
    "Cancellation",
    "CreateRequest",
    "Decision",
    "DecisionKind",
    "HistoryEntry",
    "RecordedDecision",
    "RequestStatus",
    "StatusEvent",
    "sign",
    "verify",
    "verify_webhook",
    "webhook_headers",
]
