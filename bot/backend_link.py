"""The bot's side of the backend: delivering outbox rows with the backend client."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from backend_client import BackendClient, BackendRejected, BackendUnavailable, CreateRequest, Decision
from bot.core import messages as say
from bot.core.clock import Clock
from bot.core.engine import enqueue_chat
from bot.core.events import Place
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Services, Turn
from bot.core.withdraw import close_confirmation
from bot.insight import facts
from bot.outbox import Tally, backoff, drain, uncounted
from bot.store import claims, repo
from bot.store.db import Database
from bot.store.models import Request
from bot.store.status import BackendStatus, RequestStatus, StepStatus

log = logging.getLogger("frontdoor.backend")


class BackendDispatcher:
    """Delivers backend rows of the outbox in order per request, with idempotency keys."""

    def __init__(
        self,
        db: Database,
        client: BackendClient,
        services: Services,
        clock: Clock,
        owner: str | None = None,
        tally: Tally = uncounted,
    ) -> None:
        self.db, self.client, self.services, self.clock = db, client, services, clock
        self.owner = owner  # this replica's id on its leases
        self.tally = tally
        self._told = False

    def take_told(self) -> bool:
        """Whether chat messages were written since the last call (they wait for a claim round)."""
        told, self._told = self._told, False
        return told

    async def drain(self) -> int:
        return await drain(self.run_once)

    async def run_once(self, limit: int = 100) -> tuple[int, bool]:
        rows, more = await self.db.run(self._claim, limit, quick=True)
        done = 0
        for row_id, key, payload, attempts in rows:
            done += await self._deliver(row_id, key, payload, attempts)
        return done, more

    def _claim(self, limit: int) -> tuple[list[tuple[int, str, dict[str, Any], int]], bool]:
        with self.db.core_transaction() as session:
            claimed = claims.claim(session, "backend", self.clock.now(), limit, lease=claims.LEASE, owner=self.owner)
            return [(r.id, r.idempotency_key, dict(r.payload), r.attempts) for r in claimed.rows], claimed.more

    async def _deliver(self, row_id: int, key: str, payload: dict[str, Any], attempts: int) -> int:
        try:
            result = await self._call(key, payload)
        except BackendUnavailable as exc:
            await self.db.run(self._failed, row_id, payload, attempts, str(exc))
            self.tally("backend", "retry")
            return 0
        except BackendRejected as exc:
            if payload["op"] == "cancel" and exc.status == 409:  # the backend's answer, not a failure
                await self.db.run(self._cancel_refused, row_id, payload, _why(exc), exc.status)
                self.tally("backend", "sent")
                return 1
            await self.db.run(self._refused, row_id, payload, str(exc))
            self.tally("backend", "dead")
            return 0
        await self.db.run(self._delivered, row_id, payload, attempts, result)
        self.tally("backend", "sent")
        return 1

    def _delivered(self, row_id: int, payload: dict[str, Any], attempts: int, result: tuple[str, str] | None) -> None:
        now = self.clock.now()
        with self.db.transaction() as session:
            request = repo.request_by_ref(session, payload["ref"])
            if request is not None and result is not None:
                request.backend_id, request.backend_status = result
            claims.settle(session, row_id, now)
            if attempts and payload["op"] == "create" and request is not None:
                self._tell(session, now, request, say.BACKEND_DELIVERED_LATE, OutKind.NOTICE, ref=request.ref)
            closed = (RequestStatus.CANCELLED, RequestStatus.EXPIRED)  # withdrawn or expired here already
            if payload["op"] == "cancel" and request is not None and request.status not in closed:
                self._cancelled(session, now, request)  # withdrawn past approval: the backend agreed

    def _read(self, ref: str, seq: int | None) -> tuple[dict[str, Any], list[str], Any, Any] | None:
        """The request as the backend is told it: snapshot, approval names (bot/backend_link's
        `_approval_names`), the step's name and its decision."""
        with self.db.transaction() as session:
            request = repo.request_by_ref(session, ref)
            if request is None:
                return None
            steps = repo.steps_of(session, request.id)
            step = next((s for s in steps if s.seq == seq), None)
            decision = repo.decision_of(session, step.id) if step else None
            names = _approval_names(steps)
            approvals = [names[s.seq] for s in steps if s.status != StepStatus.SKIPPED]
            return _snapshot(request), approvals, names[step.seq] if step else None, decision

    async def _call(self, key: str, payload: dict[str, Any]) -> tuple[str, str] | None:
        found = await self.db.run(self._read, payload["ref"], payload.get("step"))
        if found is None:
            return None
        snapshot, roles, step, decision = found
        if payload["op"] == "create":
            body = CreateRequest(reference=snapshot["ref"], approvals=roles, **snapshot["body"])
            created = await self.client.create_request(body, idempotency_key=key)
            return created.id, created.status
        backend_id = snapshot["backend_id"]
        if payload["op"] == "decision" and step is not None and decision is not None and backend_id:
            await self.client.post_decision(
                backend_id,
                Decision(
                    step=step,
                    decision=decision.decision,
                    approver=decision.approver,
                    comment=decision.comment,
                    decided_at=decision.decided_at,
                ),
                idempotency_key=key,
            )
        elif payload["op"] == "cancel" and backend_id:
            await self.client.cancel(backend_id, payload.get("reason") or "", idempotency_key=key)
        return None

    def _failed(self, row_id: int, payload: dict[str, Any], attempts: int, error: str) -> None:
        now = self.clock.now()
        log.warning("backend unavailable; will retry", extra={"ref": payload.get("ref"), "attempts": attempts + 1})
        with self.db.transaction() as session:
            claims.settle(session, row_id, now, error=error, retry_at=now + backoff(attempts + 1, cap=60.0))
            request = repo.request_by_ref(session, payload["ref"])
            if attempts == 0 and payload["op"] == "create" and request is not None:
                self._tell(session, now, request, say.BACKEND_QUEUED, OutKind.NOTICE, ref=request.ref)

    def _refused(self, row_id: int, payload: dict[str, Any], error: str) -> None:
        now = self.clock.now()
        with self.db.transaction() as session:
            claims.settle(session, row_id, now, error=error, dead=True)
            request = repo.request_by_ref(session, payload["ref"])
            if request is not None:
                repo.audit(
                    session,
                    now,
                    "backend",
                    "backend_refused",
                    request=request.ref,
                    detail={"op": payload["op"], "error": error},
                )
                facts.note_backend(request, "backend_refused", now)
                self._tell(session, now, request, say.BACKEND_REFUSED, OutKind.ERROR, ref=request.ref, error=error)

    def _cancelled(self, session: Any, now: datetime, request: Request) -> None:
        """The backend accepted the cancel of a request past approval: it is withdrawn."""
        request.status, request.backend_status, request.updated_at = (
            RequestStatus.CANCELLED,
            BackendStatus.CANCELLED,
            now,
        )
        repo.audit(session, now, "backend", "withdrawn", request=request.ref, detail={"by": "backend"})
        turn = Turn(session=session, now=now, services=self.services)
        with turn.speaking_to(request.requester):
            close_confirmation(turn, request, say.WITHDRAWN_AT.format(when=turn.when(now)))
        for outgoing in turn.out:
            enqueue_chat(turn, outgoing, f"backend:{request.ref}:withdrawn:card")
        team = self.services.catalog.get(request.type_id).team or say.SERVICE_TEAM
        self._tell(session, now, request, say.WITHDRAW_CONFIRMED, OutKind.NOTICE, ref=request.ref, team=team)

    def _cancel_refused(self, row_id: int, payload: dict[str, Any], why: str, status: int) -> None:
        """The backend refused to cancel (work has started, or it is finished): the requester is told
        why (the backend's reason, else the answer it gave: `status`)."""
        now = self.clock.now()
        with self.db.transaction() as session:
            claims.settle(session, row_id, now)
            request = repo.request_by_ref(session, payload["ref"])
            if request is None:
                return
            detail = why or f"it answered {status}"  # what the audit records, in the operators' words
            repo.audit(session, now, "backend", "withdraw_refused", request=request.ref, detail={"error": detail})
            turn = Turn(session=session, now=now, services=self.services)
            with turn.speaking_to(request.requester):
                spec = self.services.catalog.get(request.type_id)
                team = spec.team or str(say.SERVICE_TEAM)
                contact = say.contact_line(team, spec.contact)
                reason = why or say.BACKEND_ANSWERED.format(status=status)
                text = say.WITHDRAW_REFUSED.format(team=team, ref=request.ref, why=reason, contact=contact).strip()
            self._tell(session, now, request, text, OutKind.NOTICE)

    def _tell(self, session: Any, now: datetime, request: Request, text: str, kind: OutKind, **values: Any) -> None:
        """Tell the requester `text` (a catalogue sentence filled with `values`), in their language."""
        place = Place.from_dict(request.source) if request.source else None
        turn = Turn(session=session, now=now, services=self.services)
        with turn.speaking_to(request.requester):
            said = text.format(**values) if values else str(text)
            outgoing = Outgoing(kind, request.requester, said, request.ref, place=place)
        enqueue_chat(turn, outgoing, f"backend:{request.ref}:{kind}:{said[:40]}")
        self._told = True


def _why(refused: BackendRejected) -> str:
    """The backend's reason for a refusal, as the requester reads it ("" when it gave none)."""
    try:
        body = json.loads(refused.body)
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    return str(error)[:200] if error else ""


def _snapshot(request: Request) -> dict[str, Any]:
    return {
        "ref": request.ref,
        "backend_id": request.backend_id,
        "body": {
            "type": request.type_id,
            "fields": dict(request.fields),
            "requester": request.requester,
            "entity": request.entity,
            "cost_center": request.cost_center,
            "source": dict(request.source or {}),
        },
    }


def _approval_names(steps: list[Any]) -> dict[int, str]:
    """Each step's name for the backend, by seq: its role; a role's second and later steps of one
    request (an `any: N` step: N holders, one step each) `finance#2`, ..., so that the backend
    waits for every one of them."""
    seen: dict[str, int] = {}
    names: dict[int, str] = {}
    for step in steps:
        seen[step.role] = seen.get(step.role, 0) + 1
        names[step.seq] = step.role if seen[step.role] == 1 else f"{step.role}#{seen[step.role]}"
    return names
