"""Reading a changing call's body once: its idempotency key, a replay, or a refusal."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from backend_client.embedded.store import BackendStore

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Accepted:
    """A new call: its key ("" when none was sent), the digest of its body, the validated body."""

    key: str
    digest: str
    body: dict[str, Any]


def error(status: int, message: str, /, **extra: Any) -> web.Response:
    return web.json_response({"error": message, **extra}, status=status)


def accept(
    store: BackendStore, request: web.Request, raw: bytes, model: type[BaseModel], *, key_required: bool = True
) -> Accepted | web.Response:
    """The call to carry out, or the answer to give instead: 400 without a key (when required),
    422 for a body that does not fit `model`, the remembered answer for a replay, 409 for a key
    reused with another body or route."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if key_required and not key:
        return error(400, "Idempotency-Key header is required")
    if len(key) > MAX_KEY_LENGTH:
        return error(400, f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters")
    try:
        body = model.model_validate_json(raw or b"{}").model_dump(mode="json")
    except ValidationError as exc:
        problems = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        return error(422, "the body does not fit the contract", problems=problems)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    seen = store.remembered(key) if key else None
    if seen is None:
        return Accepted(key, digest, body)
    route, old_digest, status, response = seen
    if route != request.path or old_digest != digest:
        return error(409, "Idempotency-Key reused with a different request")
    return web.json_response(response, status=status)


def remember(store: BackendStore, request: web.Request, call: Accepted, status: int, response: dict[str, Any]) -> None:
    """Keep the answer to give again for the same key (nothing to keep without a key)."""
    if call.key:
        store.remember(call.key, request.path, call.digest, status, response)
