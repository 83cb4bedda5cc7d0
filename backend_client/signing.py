"""HMAC-SHA256 signatures of the backend's status callbacks.

The backend signs the raw body of each callback with the shared secret and sends
`X-Frontdoor-Signature: sha256=<hex>`; the receiver recomputes it over the bytes it received.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Frontdoor-Signature"
PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex>` of the body under the shared secret."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header_value: str | None, secret: str) -> bool:
    """Whether the header carries the body's signature (constant-time comparison)."""
    if not header_value or not secret:
        return False
    return hmac.compare_digest(sign(body, secret).encode(), header_value.strip().encode())
