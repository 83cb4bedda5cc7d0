"""Signatures of the backend's status callbacks.

Each callback is signed as Standard Webhooks sign theirs (standardwebhooks.com): headers
`webhook-id` (the event id), `webhook-timestamp` (Unix seconds) and `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`) under the shared callback secret. The
receiver refuses a callback whose timestamp is more than five minutes from its own clock, so a
recorded callback cannot be replayed later, and the event id is handled once.

The older form, `X-Frontdoor-Signature: sha256=<hex HMAC of the body>`, has no timestamp: the
embedded backend still sends it beside the new headers, and Front Door accepts it alone only
when FRONTDOOR_BACKEND_CALLBACK_LEGACY is set (for a backend not yet updated).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SIGNATURE_HEADER = "X-Frontdoor-Signature"
PREFIX = "sha256="
WEBHOOK_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")

__all__ = [
    "SIGNATURE_HEADER",
    "WEBHOOK_HEADERS",
    "WebhookVerificationError",
    "sign",
    "verify",
    "verify_webhook",
    "webhook_headers",
]


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex>` of the body under the shared secret (the older form)."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header_value: str | None, secret: str) -> bool:
    """Whether the header carries the body's signature (constant-time comparison)."""
    if not header_value or not secret:
        return False
    return hmac.compare_digest(sign(body, secret).encode(), header_value.strip().encode())


def webhook_headers(body: bytes, secret: str, message_id: str, at: datetime | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers that sign `body` as message `message_id`, sent `at` (now)."""
    at = at or datetime.now(UTC)
    signature = Webhook(secret.encode()).sign(message_id, at, body)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())), "webhook-signature": signature}


def verify_webhook(body: bytes, headers: Mapping[str, str], secret: str) -> None:
    """Raise WebhookVerificationError unless the headers sign this body, within five minutes of now."""
    if not secret:
        raise WebhookVerificationError("no callback secret is set")
    Webhook(secret.encode()).verify(body, dict(headers), json_parse=False)
