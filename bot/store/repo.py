"""Small queries the engine makes, one function each, all on a caller's session.

The engine (`bot/core`) names that session `repo.Session` and imports no SQLAlchemy itself (a
lint rule keeps it so): every statement it needs is a function here or in a store module beside
this one, where the schema and its indexes can be read together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import Row, Table, bindparam, case, delete, exists, insert, null, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as Session  # the engine's name for it, see above
from sqlalchemy.orm.attributes import set_committed_value

from bot.store.models import (
    REQUEST_OFFSET,
    ApprovalStep,
    AuditEvent,
    CardPost,
    ClosedDraft,
    Contact,
    Decision,
    Draft,
    InboundEvent,
    OutboxMessage,
    ReminderSent,
    Request,
)
from bot.store.status import OPEN_STEP as OPEN_STEP  # the steps someone may decide now

Tx = Session | Connection
"""A transaction: an ORM session, or a bare connection for work that is Core statements only
(see `Database.core_transaction`)."""


def core(session: Tx) -> Connection:
    """The session's connection for Core statements (after flushing pending ORM changes):
    the hot paths skip the ORM's per-statement work. A session is one transaction here, so its
    connection is looked up once. A bare connection is itself."""
    if isinstance(session, Connection):
        return session
    session.flush()
    transaction = session.get_transaction()
    held = session.info.get("connection")
    if held is None or held[0] is not transaction:
        held = session.info["connection"] = (transaction, session.connection())
    return cast(Connection, held[1])


def _insert(dialect: str) -> Any:
    """The dialect's INSERT builder (both have ON CONFLICT)."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


@cache  # built once per table and dialect: its compiled form is then cached too
def _insert_once_statement(dialect: str, model: Any) -> Any:
    return _insert(dialect)(model.__table__).on_conflict_do_nothing().returning(*model.__table__.primary_key.columns)


def insert_once(session: Tx, model: Any, **values: Any) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True when the row was added, False when its key existed."""
    connection = core(session)
    return connection.execute(_insert_once_statement(connection.dialect.name, model), values).first() is not None


def claim_event(session: Session, key: str, now: datetime) -> bool:
    """Record an inbound event id; False when it was handled before (a retry)."""
    return insert_once(session, InboundEvent, key=key, at=now)


# The engine's hot queries are built once, with bound parameters: building a statement costs more
# than running it on SQLite, and a prebuilt one is compiled once and then served from the cache.
_DRAFT = select(Draft).where(Draft.person == bindparam("person"), Draft.place == bindparam("place"))
_REQUEST_BY_REF = select(Request).where(Request.ref == bindparam("ref"))
_REQUEST_BY_BACKEND_ID = select(Request).where(Request.backend_id == bindparam("backend_id"))
_STEPS = select(ApprovalStep).where(ApprovalStep.request_id == bindparam("request_id")).order_by(ApprovalStep.seq)
_STEP = select(ApprovalStep).where(
    ApprovalStep.request_id == bindparam("request_id"), ApprovalStep.seq == bindparam("seq")
)
_DECISION = select(Decision).where(Decision.step_id == bindparam("step_id"))
_POSTS = cast(Table, CardPost.__table__)
_CARD_POSTS = select(_POSTS.c.channel, _POSTS.c.platform_ref).where(_POSTS.c.card_key == bindparam("card_key"))
_CONTACT_ROWS = cast(Table, Contact.__table__)
_CONTACTS = select(_CONTACT_ROWS.c.channel, _CONTACT_ROWS.c.address).where(_CONTACT_ROWS.c.email == bindparam("email"))
_DRAFTS = cast(Table, Draft.__table__)
_DROP_DRAFT = delete(_DRAFTS).where(_DRAFTS.c.id == bindparam("draft_id"))  # Core: no ORM bookkeeping


_EVENT_SEEN = select(InboundEvent.key).where(InboundEvent.key == bindparam("key"))


def event_seen(session: Session, key: str) -> bool:
    """Whether an inbound event id was handled already."""
    return core(session).execute(_EVENT_SEEN, {"key": key}).first() is not None


def get_draft(session: Session, person: str, place: str) -> Draft | None:
    return session.scalars(_DRAFT, {"person": person, "place": place}).first()


def close_draft(session: Session, draft: Draft, outcome: str, now: datetime) -> bool:
    """Record what became of a draft (submitted, cancelled, set_aside), then delete it, so a late
    press on its card can be told what happened. False when another turn closed it first (two
    Confirms at once on PostgreSQL: the second's insert waits for the first, then finds its row),
    and then nothing may be done in its name."""
    if draft.id is not None and not insert_once(
        session, ClosedDraft, draft_id=draft.id, person=draft.person, place=draft.place, outcome=outcome, closed_at=now
    ):
        return False
    drop_draft(session, draft)
    return True


_SET_CLOSED_REF = (
    update(ClosedDraft).where(ClosedDraft.draft_id == bindparam("closed_id")).values(request_ref=bindparam("ref"))
)


def closed_as(session: Session, draft_id: int, ref: str) -> None:
    """The request a closed draft became."""
    core(session).execute(_SET_CLOSED_REF, {"closed_id": draft_id, "ref": ref})


_CLOSED_DRAFT = select(ClosedDraft).where(ClosedDraft.draft_id == bindparam("draft_id"))
_LAST_CLOSED = (
    select(ClosedDraft)
    .where(ClosedDraft.person == bindparam("person"), ClosedDraft.place == bindparam("place"))
    .order_by(ClosedDraft.closed_at.desc(), ClosedDraft.draft_id.desc())
    .limit(1)
)


def closed_draft(session: Session, draft_id: int) -> ClosedDraft | None:
    return session.scalars(_CLOSED_DRAFT, {"draft_id": draft_id}).first()


def last_closed_draft(session: Session, person: str, place: str) -> ClosedDraft | None:
    """The draft this person closed most recently in this place."""
    return session.scalars(_LAST_CLOSED, {"person": person, "place": place}).first()


def drop_draft(session: Session, draft: Draft) -> None:
    """Delete a draft; changes made to it in this turn are not written first."""
    if draft in session:
        session.expunge(draft)
    if draft.id is not None:
        core(session).execute(_DROP_DRAFT, {"draft_id": draft.id})


def request_by_ref(session: Session, ref: str) -> Request | None:
    return session.scalars(_REQUEST_BY_REF, {"ref": ref.upper()}).first()


def request_by_backend_id(session: Session, backend_id: str) -> Request | None:
    return session.scalars(_REQUEST_BY_BACKEND_ID, {"backend_id": backend_id}).first()


def new_request(session: Session, **values: Any) -> Request:
    """Insert a request and give it its public id (REQ-1000 + row id). The id is written with
    the session's next flush, together with whatever the caller adds meanwhile (its steps)."""
    request = Request(ref="pending", **values)
    session.add(request)
    session.flush()
    request.ref = f"REQ-{REQUEST_OFFSET + request.id}"
    return request


def steps_of(session: Session, request_id: int) -> list[ApprovalStep]:
    return list(session.scalars(_STEPS, {"request_id": request_id}))


def step_of(session: Session, request_id: int, seq: int) -> ApprovalStep | None:
    return session.scalars(_STEP, {"request_id": request_id, "seq": seq}).first()


@cache  # one prebuilt statement per set of columns moved
def _move_statement(names: tuple[str, ...]) -> Any:
    table = cast(Table, ApprovalStep.__table__)
    return (
        update(table)
        .where(table.c.id == bindparam("step_id"), table.c.status.in_(bindparam("from_states", expanding=True)))
        .values({name: bindparam(f"new_{name}") for name in names})
    )


def move_step(session: Session, step_id: int, from_states: Sequence[str], **values: Any) -> bool:
    """Compare-and-set a step's status: True only for the one caller whose update applied."""
    statement = _move_statement(tuple(sorted(values)))
    params = {"step_id": step_id, "from_states": list(from_states), **{f"new_{k}": v for k, v in values.items()}}
    result = core(session).execute(statement, params)
    changed = bool(result.rowcount)
    loaded = session.identity_map.get(session.identity_key(ApprovalStep, step_id)) if changed else None
    for name, value in values.items() if loaded is not None else ():
        set_committed_value(loaded, name, value)  # the loaded step shows the new state, with no reload
    return changed


def record_decision(session: Session, **values: Any) -> bool:
    """Store the step's one decision; False if one exists (the unique key refuses it)."""
    return insert_once(session, Decision, **values)


def decision_of(session: Session, step_id: int) -> Decision | None:
    return session.scalars(_DECISION, {"step_id": step_id}).first()


_AUDIT_INSERT = insert(cast(Table, AuditEvent.__table__))


def audit(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    *,
    request: str | None = None,
    step: int | None = None,
    detail: dict[str, Any] | None = None,
    source: dict[str, Any] | None = None,
) -> None:
    row = {
        "at": at,
        "actor": actor,
        "action": action,
        "request_ref": request,
        "step_seq": step,
        "detail": detail or {},
        "source": source or {},
    }
    core(session).execute(_AUDIT_INSERT, row)


def audit_trail(session: Session, ref: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.request_ref == ref).order_by(AuditEvent.id)
    return list(session.scalars(query))


def enqueue(
    session: Session, topic: str, key: str, idempotency_key: str, payload: dict[str, Any], now: datetime
) -> None:
    """Add an outbox message in the caller's transaction; a repeated idempotency key is a no-op."""
    insert_once(
        session,
        OutboxMessage,
        topic=topic,
        key=key,
        idempotency_key=idempotency_key,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


@cache
def _enqueue_statement(dialect: str) -> Any:
    """INSERT of outbox rows, each leased (taken) only when no earlier row of its key is waiting,
    skipping repeated idempotency keys; built once per dialect."""
    table = cast(Table, OutboxMessage.__table__)
    waiting = table.alias("waiting")
    topic, key = bindparam("m_topic", type_=table.c.topic.type), bindparam("m_key", type_=table.c.key.type)
    behind = exists().where(waiting.c.topic == topic, waiting.c.key == key, waiting.c.status == "pending")
    now = bindparam("m_now", type_=table.c.created_at.type)
    columns = {
        "topic": topic,
        "key": key,
        "idempotency_key": bindparam("m_idempotency_key", type_=table.c.idempotency_key.type),
        "payload": bindparam("m_payload", type_=table.c.payload.type),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "lease_until": case((behind, null()), else_=bindparam("m_lease", type_=table.c.lease_until.type)),
        "lease_owner": case((behind, null()), else_=bindparam("m_owner", type_=table.c.lease_owner.type)),
    }
    return (
        _insert(dialect)(table)
        .values(columns)
        .on_conflict_do_nothing()
        .returning(table.c.idempotency_key, table.c.id, table.c.lease_until)
    )


@cache
def _add_taken_statement(dialect: str) -> Any:
    table = cast(Table, OutboxMessage.__table__)
    return _insert(dialect)(table).on_conflict_do_nothing().returning(table.c.id, table.c.lease_until)


def keep_row(dialect: str, row: OutboxRow, now: datetime, owner: str, *, ordered: bool) -> tuple[Any, dict[str, Any]]:
    """The one statement adding `row`, taken by `owner` until `row.lease`, and its values (for
    `Database.keep`). It returns the row's `id` and `lease_until` (None: the row is not taken, it
    waits behind an earlier row of its key), and no row when the idempotency key exists. Only an
    `ordered` row looks for earlier rows of its key; any other row's key is its own, and the
    statement a plain INSERT."""
    if ordered:
        values = {
            "m_topic": row.topic,
            "m_key": row.key,
            "m_idempotency_key": row.idempotency_key,
            "m_payload": row.payload,
            "m_now": now,
            "m_lease": row.lease,
            "m_owner": owner,
        }
        return _enqueue_statement(dialect), values
    values = {
        "topic": row.topic,
        "key": row.key,
        "idempotency_key": row.idempotency_key,
        "payload": row.payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "lease_until": row.lease,
        "lease_owner": owner,
    }
    return _add_taken_statement(dialect), values


_KEY_LOCKS = text(
    "SELECT pg_advisory_xact_lock(hashtextextended(k, 0))"
    " FROM (SELECT k FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k) AS keys"
)


def lock_keys(session: Session, topic: str, keys: list[str]) -> None:
    """On PostgreSQL, hold each outbox key until the transaction ends (in sorted order), so that
    of two concurrent transactions writing rows of one key the second sees the first's row and
    queues behind it. SQLite runs one writer at a time: nothing to do."""
    if keys and core(session).dialect.name == "postgresql":
        core(session).execute(_KEY_LOCKS, {"keys": [f"{topic}:{key}" for key in keys]})


class OutboxRow(NamedTuple):
    """One row for `enqueue_many`: where it goes (topic), its order key, its idempotency key, what
    it carries, and the lease it is written with (None: left for the claim rounds)."""

    topic: str
    key: str
    idempotency_key: str
    payload: dict[str, Any]
    lease: datetime | None = None


def enqueue_many(
    session: Tx,
    messages: Sequence[OutboxRow | tuple[str, str, str, dict[str, Any], datetime | None]],
    now: datetime,
    *,
    owner: str | None = None,
) -> dict[str, tuple[int, bool]]:
    """Add outbox messages (topic, key, idempotency key, payload, lease) in one statement. A
    message with a lease is written already taken until then, unless an earlier message of its
    key is waiting (it must queue behind that one). Returns, by idempotency key, each new row's
    id and whether it was taken (a repeated idempotency key adds nothing). A lease is `owner`'s
    (this replica's id), so that it takes the rows back at once if it restarts."""
    if not messages:
        return {}
    rows = [
        {
            "m_topic": topic,
            "m_key": key,
            "m_idempotency_key": idempotency_key,
            "m_payload": payload,
            "m_now": now,
            "m_lease": lease,
            "m_owner": owner if lease is not None else None,
        }
        for topic, key, idempotency_key, payload, lease in messages
    ]
    connection = core(session)
    statement = _enqueue_statement(connection.dialect.name)
    return {idem: (row_id, lease is not None) for idem, row_id, lease in connection.execute(statement, rows)}


def rungs_sent(session: Session, step_id: int) -> set[int]:
    return set(session.scalars(select(ReminderSent.rung).where(ReminderSent.step_id == step_id)))


@cache  # one statement per table, dialect and set of columns
def _upsert_statement(dialect: str, model: Any, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    statement = _insert(dialect)(cast(Table, model.__table__))
    changed = {name: statement.excluded[name] for name in columns if name not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)


def upsert(session: Tx, model: Any, keys: tuple[str, ...], row: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE the other columns of `row`, in one statement."""
    connection = core(session)
    connection.execute(_upsert_statement(connection.dialect.name, model, keys, tuple(row)), row)


def save_contact(session: Session, email: str, channel: str, address: dict[str, Any], now: datetime) -> None:
    """Remember how to reach a person on a channel (the newest conversation wins); one statement,
    so two first messages of one person at once do not collide."""
    upsert(
        session,
        Contact,
        ("email", "channel"),
        {"email": email, "channel": channel, "address": address, "updated_at": now},
    )
    loaded = session.identity_map.get(session.identity_key(Contact, (email, channel)))
    if loaded is not None:
        set_committed_value(loaded, "address", address)
        set_committed_value(loaded, "updated_at", now)


def upsert_card_post(session: Tx, row: dict[str, Any]) -> None:
    """Record where a card was posted; posting it again to the same place replaces the reference."""
    upsert(session, CardPost, ("card_key", "channel", "address"), row)


def card_posts(session: Tx, card_key: str) -> list[Row[tuple[str, dict[str, Any]]]]:
    """Where a card was posted: (channel, platform_ref) rows, read with Core (they are only read)."""
    return list(core(session).execute(_CARD_POSTS, {"card_key": card_key}))


def open_steps(session: Session) -> list[tuple[ApprovalStep, Request]]:
    query = (
        select(ApprovalStep, Request)
        .join(Request, Request.id == ApprovalStep.request_id)
        .where(ApprovalStep.status.in_(OPEN_STEP))
        .order_by(ApprovalStep.activated_at)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def requests_of(session: Session, person: str, limit: int = 5) -> list[Request]:
    query = select(Request).where(Request.requester == person).order_by(Request.id.desc()).limit(limit)
    return list(session.scalars(query))


def contacts_of(session: Tx, email: str) -> list[Row[tuple[str, dict[str, Any]]]]:
    """How to reach a person: (channel, address) rows, one per channel they have used."""
    return list(core(session).execute(_CONTACTS, {"email": email}))


def contacts_on(session: Session, channel: str) -> list[tuple[str, dict[str, Any]]]:
    """Every person's stored address on one channel: (email, address), read when the channel starts."""
    query = select(Contact.email, Contact.address).where(Contact.channel == channel)
    return [(email, dict(address)) for email, address in session.execute(query)]


def last_payload(session: Session, topic: str, key: str) -> dict[str, Any] | None:
    """The payload of the newest outbox message of a key (a card's latest version, for instance)."""
    query = (
        select(OutboxMessage.payload)
        .where(OutboxMessage.topic == topic, OutboxMessage.key == key)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def newest_ref(session: Session) -> str | None:
    """The reference of the request created last."""
    return session.scalar(select(Request.ref).order_by(Request.id.desc()).limit(1))


def card_posts_on(
    session: Session, channel: str, request_ref: str | None, address: str | None = None
) -> list[CardPost]:
    """The cards posted on a channel for a request (or, with no request, a draft's cards), newest
    first; only those posted to `address` when given."""
    query = select(CardPost).where(
        CardPost.channel == channel,
        CardPost.request_ref.is_(None) if request_ref is None else CardPost.request_ref == request_ref,
    )
    if address is not None:
        query = query.where(CardPost.address == address)
    return list(session.scalars(query.order_by(CardPost.id.desc())))
