"""Dead letters are never silent: an approval card the outbox gave up on (`OutboxStatus.DEAD`,
after a permanent failure or its retries) is followed up once: the step's approvers who have no
copy of the card get it in a direct message, the requester is told, the follow-up is audited and
counted. Operators see and retry or discard what stays dead with `frontdoor outbox`.

Run by the App after a delivery round in which a row died, and by every SLA sweep (so a row that
died just before a crash is followed up after it); `dead:<row id>` recorded among the handled
events makes each follow-up happen once.
"""

from __future__ import annotations

from collections import Counter

from bot.core import approvals, assign
from bot.core import messages as say
from bot.core.events import Place
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Turn
from bot.store import dead, repo

BATCH = 100
SOURCE = "dead-follow-up"
FOLLOW_UP = f"{SOURCE}:"
"""The idempotency-key prefix of a follow-up's own messages: one that dies too is not followed up
again (no ping-pong between two unreachable people), only counted and listed."""


def follow_up(turn: Turn) -> Counter[str]:
    """Follow up the dead chat rows nobody has acted on yet; how many of each kind (an approval
    card, `approval_card`; anything else by its message kind)."""
    counted: Counter[str] = Counter()
    for row in dead.unnoticed(turn.session, BATCH):
        if not repo.claim_event(turn.session, f"{dead.NOTICED}{row.id}", turn.now):
            continue  # another sweep or replica took it
        if row.payload.get("purged"):
            continue
        outgoing = Outgoing.from_dict(row.payload)
        is_card = outgoing.kind is OutKind.CARD and outgoing.card is not None and outgoing.card.kind == "approval"
        if is_card and outgoing.card_key and outgoing.card_key.startswith("step:"):
            counted["approval_card"] += 1
            if not row.idempotency_key.startswith(FOLLOW_UP):
                _approval_card(turn, row.id, outgoing, row.last_error)
        else:
            counted[str(outgoing.kind)] += 1
    return counted


def _approval_card(turn: Turn, row_id: int, outgoing: Outgoing, error: str | None) -> None:
    _, ref, seq_text = (outgoing.card_key or "").split(":", 2)
    request = repo.request_by_ref(turn.session, ref)
    step = repo.step_of(turn.session, request.id, int(seq_text)) if request is not None else None
    if request is None or step is None or step.status not in repo.OPEN_STEP:
        return  # decided meanwhile: nobody needs the card any more
    directory = turn.services.directory
    failed = outgoing.to
    posted = set(dead.card_addresses(turn.session, outgoing.card_key or ""))
    others = [p for p in assign.deciders(turn, request, step) if p != failed and p not in posted]
    name = directory.name(request.requester)
    for person in others:
        with turn.speaking_to(person):
            card = approvals.approval_card_for(turn, request, step)
            text = say.DEAD_CARD_LEAD.format(name=name, ref=request.ref, where=_where(turn, failed))
            turn.send(Outgoing.new_card(person, text, card, outgoing.card_key or "", request.ref))
    repo.audit(
        turn.session,
        turn.now,
        "outbox",
        "card_undeliverable",
        request=request.ref,
        step=step.seq,
        detail={"to": failed, "error": (error or "")[:300], "sent_to": others, "row": row_id},
        source=turn.source,
    )
    if posted and not others:
        return  # the approvers have their copies already
    with turn.speaking_to(request.requester):
        where = _where(turn, failed)
        if others:
            names = say.listed([directory.name(p) for p in others])
            told = say.DEAD_SENT_TO.format(ref=request.ref, where=where, names=names)
        else:
            told = say.DEAD_NOT_SENT.format(ref=request.ref, where=where)
        place = Place.from_dict(request.source) if request.source else None
        turn.send(Outgoing.notice(request.requester, told, request.ref, place=place))


def _where(turn: Turn, address: str) -> str:
    return address if address.startswith("#") else turn.services.directory.name(address)
