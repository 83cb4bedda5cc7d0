"""The contract's documents and pure parts: OpenAPI against the served app, signatures, retry rules."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import backend_client
from backend_client import BackendClient, Cancellation, CreateRequest, Decision, StatusEvent, sign, verify
from backend_client.embedded import EmbeddedBackend
from backend_client.retry import MAX_BACKOFF, full_jitter, is_retryable, requested_wait
from tests.backend_client.conftest import SECRET, TOKEN, Receiver, create_body, decision

SPEC_PATH = Path(backend_client.__file__).with_name("openapi.yaml")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def conforms(spec: dict[str, Any], schema: str, instance: Any) -> list[str]:
    """The problems of `instance` against a component schema of the OpenAPI document."""
    registry: Registry[Any] = Registry().with_resource("urn:contract", DRAFT202012.create_resource(spec))
    validator = Draft202012Validator({"$ref": f"urn:contract#/components/schemas/{schema}"}, registry=registry)
    return [error.message for error in validator.iter_errors(instance)]


def test_every_served_route_is_documented_and_nothing_more(spec: dict[str, Any]) -> None:
    embedded = EmbeddedBackend(":memory:", None, None, SECRET)
    app = embedded.app()
    embedded.store.close()
    served = {
        (route.resource.canonical, route.method.lower())
        for route in app.router.routes()
        if route.resource is not None and route.method != "HEAD"
    }
    documented = {(path, method) for path, operations in spec["paths"].items() for method in operations}
    assert served == documented
    assert spec["openapi"].startswith("3.1") and "backendEvents" in spec["webhooks"]
    assert spec["components"]["parameters"]["IdempotencyKey"]["name"] == "Idempotency-Key"
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.parametrize("model", [CreateRequest, Decision, Cancellation, StatusEvent])
def test_the_models_and_the_document_name_the_same_fields(spec: dict[str, Any], model: type[Any]) -> None:
    assert set(spec["components"]["schemas"][model.__name__]["properties"]) == set(model.model_fields)


async def test_real_bodies_fit_the_documented_schemas(
    spec: dict[str, Any], backend: EmbeddedBackend, receiver: Receiver
) -> None:
    body = create_body(approvals=[]).model_dump(mode="json")
    async with httpx.AsyncClient(base_url=backend.url, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        created = await http.post("/requests", json=body, headers={"Idempotency-Key": "k"})
        reused = await http.post("/requests", json={**body, "reference": "X"}, headers={"Idempotency-Key": "k"})
        await backend.settle()
        fetched = await http.get(f"/requests/{created.json()['id']}")
    assert conforms(spec, "CreateRequest", body) == []
    assert conforms(spec, "Decision", decision().model_dump(mode="json")) == []
    assert conforms(spec, "Created", created.json()) == []
    assert conforms(spec, "Error", reused.json()) == [] and reused.status_code == 409
    assert conforms(spec, "BackendRequest", fetched.json()) == []
    assert [conforms(spec, "StatusEvent", event) for event in receiver.events] == [[], []]
    assert conforms(spec, "StatusEvent", {"request_id": "BK-1", "status": "lost"}) != []  # the check can fail


def test_the_public_surface() -> None:
    assert sorted(backend_client.__all__) == sorted(
        [
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
    )
    assert all(hasattr(backend_client, name) for name in backend_client.__all__)
    assert BackendClient.__init__.__kwdefaults__ is not None
    assert {"timeout": 5.0, "retries": 3, "backoff": 0.2}.items() <= BackendClient.__init__.__kwdefaults__.items()


def test_importing_the_client_loads_no_server() -> None:
    code = "import sys, backend_client; print(sorted(m for m in ('aiohttp', 'sqlite3') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_signatures() -> None:
    vector = sign(b"The quick brown fox jumps over the lazy dog", "key")
    assert vector == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    signature = sign(b'{"a": 1}', SECRET)
    assert verify(b'{"a": 1}', signature, SECRET) and verify(b'{"a": 1}', f" {signature} ", SECRET)
    assert not verify(b'{"a": 2}', signature, SECRET)
    assert not verify(b'{"a": 1}', signature, "other")
    assert not verify(b'{"a": 1}', signature.removeprefix("sha256="), SECRET)
    assert not verify(b'{"a": 1}', None, SECRET) and not verify(b'{"a": 1}', "", SECRET)
    assert not verify(b'{"a": 1}', "sha256=é", SECRET)
    assert not verify(b"", sign(b"", ""), "")  # no secret, no trust


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (408, True),
        (429, True),
        (500, True),
        (503, True),
        (599, True),
        (400, False),
        (401, False),
        (404, False),
        (409, False),
        (422, False),
        (302, False),
    ],
)
def test_which_statuses_are_retried(status: int, retryable: bool) -> None:
    assert is_retryable(status) is retryable


def test_backoff_is_full_jitter_within_its_cap() -> None:
    waits = [full_jitter(attempt, 0.5, MAX_BACKOFF) for attempt in range(12) for _ in range(20)]
    assert all(0.0 <= wait <= MAX_BACKOFF for wait in waits)
    assert all(0.0 <= full_jitter(1, 0.5, MAX_BACKOFF) <= 1.0 for _ in range(50))
    assert len(set(waits)) > 100  # random, not a fixed schedule


@pytest.mark.parametrize(
    ("status", "value", "expected"),
    [
        (429, "12", 12.0),
        (503, "0.5", 0.5),
        (503, "-3", 0.0),
        (429, "99999", 30.0),
        (429, "soon", None),
        (429, "nan", None),
        (500, "5", None),
        (429, "", None),
        (503, "Wed, 05 Mar 2025 10:00:10 GMT", 10.0),
        (503, "Wed, 05 Mar 2025 09:59:00 GMT", 0.0),
    ],
)
def test_a_429_or_503_asks_for_its_retry_after_capped(status: int, value: str, expected: float | None) -> None:
    answer = httpx.Response(status, headers={"Retry-After": value})
    assert requested_wait(answer, now=datetime(2025, 3, 5, 10, 0, tzinfo=UTC)) == expected
