"""A submitted request's life in words, read before the parser (as typed buttons are): withdraw
it, decide it, ask what is in it or why it was declined, send it again, ask for a person.

The offline parser classifies a message among request types and a few conversation intents;
"pull back REQ-1001", "deny 1001 — we have stock" or "why was it declined?" are none of those
(it may read them as cancel, status or out of scope). These rules recognise them in English and
Spanish, with the request they are about: its number ("REQ-1001", "1001", "la 1001"), the one
just sent ("the one I just sent", "la que acabo de enviar", "it"), or words of its fields matched
against the person's own recent requests ("my wheelchair request", "the chairs I asked for").
`read` is pure; `handle` answers, with the same checks and audit as the buttons.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core import approvals, details, queries, withdraw
from bot.core import messages as say
from bot.core.events import Action, ActionName, Message
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Turn
from bot.store import repo
from bot.store.models import Draft, Request
from bot.store.status import RequestStatus

KINDS = ("withdraw", "approve", "reject", "details", "who", "why", "news", "resubmit", "human")
QUESTIONS = ("details", "who", "why", "news")
RECENT_REQUESTS = 20
"""How many of a person's latest requests a description is matched against."""


@dataclass(frozen=True)
class Said:
    """What a message asks about a submitted request."""

    kind: str
    """One of KINDS."""
    ref: str | None = None
    """The request it names by number ("REQ-1001")."""
    recent: bool = False
    """It names the request just sent ("the one I just sent", "it")."""
    words: tuple[str, ...] = field(default=())
    """Words describing the request ("wheelchair"), matched against the person's requests."""
    rest: str = ""
    """A decision's reason, or the change to make when sending it again, as written."""


def fold(text: str) -> str:
    """Lower case without accents, one character for one (so a match's span fits the text)."""
    return "".join(unicodedata.normalize("NFKD", c.lower())[:1] or c for c in text)


_LEAD = (
    r"^\s*(?:(?:hi|hey|hello|hola|ok|okay|so|please|pls|por favor|can you|could you|would you|can i|could i|"
    r"i want to|i d like to|i'd like to|i would like to|i need to|i have to|i must|let's|lets|"
    r"quiero|necesito|puedes|podrias|me gustaria|quisiera|yo|i)\b[\s,]*)*"
)
_NUM = r"(?:\breq(?:uest)?\s*[-#:]?\s*|#|\b)(\d{4,6})\b"
_RECENT = (
    r"\b(?:the (?:one|request|thing) i just (?:sent|submitted|made|filed|did|asked for)|"
    r"what i just (?:sent|submitted)|the (?:last|latest) (?:one|request)|my (?:last|latest)(?: one| request)?|"
    r"that (?:one|request)|this (?:one|request)|it|la que (?:acabo de|he) (?:enviar|mandar|pedir|enviado|mandado)|"
    r"la ultima|mi ultima(?: solicitud| peticion)?|esa|esta|eso)\b"
)
_APPROVE = r"approve|approved|approving|accept|accepted|apruebo|aprueba|aprobar|aprobada|aprobado|autorizo|acepto"
_REJECT = (
    r"deny|denied|reject|rejected|decline|declined|turn down|rechazo|rechaza|rechazar|rechazada|rechazado|"
    r"deniego|deniega|denegar|denegada|denegado|niego"
)
_DECISION = re.compile(rf"{_LEAD}(?P<verb>{_APPROVE}|{_REJECT})\b(?P<tail>.*)$", re.S)
_STRONG_WITHDRAW = (
    r"withdraw|pull (?:it |that |this )?back|retract|take (?:it |that |this )?back|call (?:it |that )?off|rescind|"
    r"retira|retirar|retiro|retirala|retiralo|anula|anular|anulo|anulala|anulalo"
)
_WEAK_WITHDRAW = (
    r"cancel|scrap|forget(?: about)?|drop|kill|stop|cancela|cancelar|cancelo|cancelala|cancelalo|olvida|"
    r"olvidate de"
)
_WITHDRAW = re.compile(
    rf"{_LEAD}(?:(?P<strong>{_STRONG_WITHDRAW})|(?P<weak>{_WEAK_WITHDRAW})|"
    r"(?P<need>no longer need|don'?t need|do not need|ya no (?:necesito|necesitamos|hace falta)))\b(?P<tail>.*)$",
    re.S,
)
_REQUEST_WORD = re.compile(r"\b(?:request|requests|order|solicitud|pedido|peticion|requisicion)\b")
_WHY = re.compile(
    r"\bwhy\b.*\b(?:declined|rejected|denied|turned down|refused|not approved|say no|said no)\b|"
    r"\breason\b.*\b(?:declined|rejected|denied|rejection|turned down|refused)\b|"
    r"\bpor ?que\b.*\b(?:rechaz\w*|deneg\w*|nega\w*|nego|dijeron que no)\b|\b(?:motivo|razon) del? rechazo\b"
)
_WHO = re.compile(
    r"\bwho\b.*\b(?:sign(?:s|ed)? off|approve|approves|approving|decide|decides|waiting|pending|has it|have it|"
    r"has to|have to|needs? to|still)\b|\bwaiting (?:for|on) whom\b|"
    r"\bquien\b.*\b(?:falta|tiene que|debe|aprueba|firma|lo tiene|la tiene|decide)\b|\ba quien (?:espera|le falta)\b|"
    r"\bcon quien esta\b"
)
_WHAT = re.compile(
    rf"{_LEAD}(?:what'?s in|what is in|whats in|what was in|what did i (?:ask for|put) in|show me|tell me about|"
    r"details (?:of|on|for|about)|detail of|show|que hay en|que tiene|que lleva|que puse en|detalles de|"
    r"muestrame|ensename)\b(?P<tail>.*)$",
    re.S,
)
_NEWS = re.compile(
    rf"{_LEAD}(?:any (?:news|update|updates|word|progress)|(?:is there )?(?:any )?news|"
    r"what'?s (?:new|happening|the latest) (?:on|with)|what happened (?:to|with)|how is|how are|how'?s|"
    r"where is|where are|where'?s|update on|updates on|"
    r"hay (?:novedades|noticias)|novedades|noticias|que paso con|que ha pasado con|como va|como van|donde esta|"
    r"donde estan|sabes algo de)\b(?P<tail>.*)$",
    re.S,
)
_RESUBMIT = re.compile(
    rf"{_LEAD}(?:send (?:it|this|that|the request)? ?(?:in )?again|resend(?: it)?|resubmit(?: it)?|re-submit(?: it)?|"
    r"submit (?:it|this|that) again|file (?:it|this|that) again|send (?:req(?:uest)?\s*[-#]?\s*)?\d{4,6} again|"
    r"reenvia(?:la|lo)?|reenviar(?:la|lo)?|vuelve a (?:enviar|mandar)(?:la|lo)?|"
    r"(?:envia|manda|presenta)(?:la|lo)? (?:de nuevo|otra vez))\b(?P<tail>.*)$",
    re.S,
)
_HUMAN = re.compile(
    r"\b(?:talk|speak|chat|get through) (?:to|with) (?:a |an |some |the |someone |somebody )?"
    r"(?:human|person|real person|someone|somebody|agent|representative|people|live person|actual person)\b|"
    r"^\W*(?:a )?(?:human|agent|operator|representative|real person)\W*(?:please)?\W*$|\bhuman please\b|"
    r"\bhablar con (?:una persona|alguien|un humano|un agente|una persona real)\b|\bquiero (?:una persona|un humano)\b"
)
_CHANGE_LEAD = re.compile(
    r"^[\s,;:.\-–—]*(?:but|and|with|only|just|this time|pero|y|con|solo|esta vez)?\b[\s,;:.\-–—]*"
    r"(?:with|con)?\b[\s,;:.\-–—]*",
    re.S,
)
_REASON_LEAD = re.compile(
    r"^[\s,;:.\-–—]*(?:because|since|as|reason|the reason is|due to|porque|ya que|pues|motivo|razon)?\b[\s,;:.\-–—]*",
    re.S,
)
_STOP_WORDS = (
    "a an the my our your mine this that these those one ones i me we us it its of for to on in at with and or "
    "request requests order orders thing things stuff something asked ask ordered requested sent submitted made "
    "put filed just last latest please news any update updates about is are was were be been what whats s "
    "happened happening new there how where on re de del la las el los lo mi mis nuestra nuestro una un que "
    "solicitud solicitudes pedido pedidos peticion pedi pedimos hay sobre con por para y o se su sus es esta "
    "estan va van donde novedades noticias paso sabes algo"
)
_STOP = frozenset(_STOP_WORDS.split())


def read(text: str) -> Said | None:
    """What a message asks about a submitted request, or None when it is none of these."""
    if len(text) > 400:
        return None
    text = text.lstrip(" \t\n¿¡\"'“‘([")  # "¿qué hay en la 1001?"
    plain = fold(text)
    if _HUMAN.search(plain):
        return Said("human", *_reference(plain))
    found = _RESUBMIT.match(plain)
    if found:
        tail = text[found.start("tail") :]
        ref, recent, _words = _reference(fold(tail))
        change = _strip_number(tail) if ref else tail
        return Said("resubmit", ref, recent or ref is None, (), _CHANGE_LEAD.sub("", change, count=1).strip())
    found = _DECISION.match(plain)
    if found:
        return _decision(text, found)
    found = _WITHDRAW.match(plain)
    if found:
        said = _withdraw(found)
        if said is not None:
            return said
    if _WHY.search(plain):
        return Said("why", *_reference(plain, words=False))
    if _WHO.search(plain):
        ref, recent, words = _reference(plain)
        return Said("who", ref, recent, words)
    for kind, pattern in (("details", _WHAT), ("news", _NEWS)):
        found = pattern.match(plain)
        if found:
            ref, recent, words = _reference(found.group("tail"))
            if ref or words or (recent and kind == "details"):
                return Said(kind, ref, recent, words)
    return None


def _decision(text: str, found: re.Match[str]) -> Said | None:
    verb = found.group("verb")
    kind = "approve" if re.fullmatch(_APPROVE, verb) else "reject"
    tail_start = found.start("tail")
    tail = fold(text[tail_start:])
    number = re.match(rf"^[\s,:]*(?:(?:the|la|el|request|solicitud|req|number|numero|no\.?)\s+)*{_NUM}", tail)
    if number is None:
        bare = re.fullmatch(r"[\s,.!]*(?:(?:it|this|that|this one|that one|la|lo|esta|esa|eso)[\s.!]*)?", tail)
        return Said(kind) if bare else None  # "approve it": which one? "approved budget for …" is no decision
    reason = text[tail_start + number.end() :]
    return Said(kind, f"REQ-{number.group(1)}", rest=_REASON_LEAD.sub("", reason, count=1).strip())


def _withdraw(found: re.Match[str]) -> Said | None:
    tail = found.group("tail")
    ref, recent, words = _reference(tail)
    if found.group("strong"):
        return Said("withdraw", ref, recent, words) if (ref or recent or words) else Said("withdraw")
    if ref or (recent and not re.fullmatch(r"\s*(?:it|this|that|esta|esa|eso)\s*[.!]*\s*", tail)):
        return Said("withdraw", ref, recent)  # "cancel REQ-1001", "forget the one I just sent"
    if words and _REQUEST_WORD.search(tail):
        return Said("withdraw", None, False, words)  # "cancel my wheelchair request"
    return None  # "cancel", "cancel it": the form's Cancel (typed buttons), or a request's own words


def _reference(plain: str, words: bool = True) -> tuple[str | None, bool, tuple[str, ...]]:
    number = re.search(_NUM, plain)
    if number:
        return f"REQ-{number.group(1)}", False, ()
    recent = re.search(_RECENT, plain) is not None
    found = tuple(w for w in re.findall(r"[a-z]+", plain) if w not in _STOP and len(w) > 2) if words else ()
    return None, recent and not found, found


def _strip_number(text: str) -> str:
    """`text` without the request number it names (the rest is what to change)."""
    found = re.search(_NUM, fold(text))
    return text[: found.start()] + " " + text[found.end() :] if found else text


# -- answering ------------------------------------------------------------------------------------


StartAgain = Callable[[Turn, Message, "Draft | None", Request, str], None]
"""Opens a new form filled from a rejected request with a change applied (the conversation's)."""


def handle(turn: Turn, msg: Message, draft: Draft | None, start_again: StartAgain) -> bool:
    """Answer a message about a submitted request; False when it is not one (read as usual)."""
    if draft is not None and draft.info_request:
        return False  # an approver's question waits: the message is its answer
    said = read(msg.text)
    if said is None:
        return False
    if said.kind == "human":
        return _human(turn, msg, draft, said)
    if said.kind in ("approve", "reject"):
        return _decide(turn, msg, said)
    if said.kind in QUESTIONS and said.ref is None and said.words:
        if draft is not None and draft.pending_field:
            return False  # words only, while a form asks a question: an answer, not a request named
        if not _described(turn, msg.person, said.words):
            return False  # "where is the supply room?": words of no request of theirs, perhaps a new request
    request = _which(turn, msg, said)
    if request is None:
        return True  # told why (not found, which one?)
    if said.kind == "withdraw":
        turn.source = {**turn.source, "typed": True}
        withdraw.withdraw(turn, msg.person, msg.place, request)
    elif said.kind == "resubmit":
        _resubmit(turn, msg, draft, request, said, start_again)
    elif not details.involved(turn, request, msg.person):
        repo.audit(
            turn.session,
            turn.now,
            msg.person,
            "refused",
            request=request.ref,
            detail={"action": "details", "reason": "not involved"},
            source=turn.source,
        )
        _say(turn, msg, say.NOT_INVOLVED.format(ref=request.ref), OutKind.ERROR)
    else:
        focus = said.kind if said.kind in details.FOCUS else "details"
        _say(turn, msg, details.details_text(turn, request, focus), ref=request.ref)
    return True


def _say(turn: Turn, msg: Message, text: str, kind: OutKind = OutKind.REPLY, ref: str | None = None) -> None:
    turn.send(Outgoing(kind, msg.person, text, ref, place=msg.place))


def _which(turn: Turn, msg: Message, said: Said) -> Request | None:
    """The request a message means, or None once the person is told why none (or which ones)."""
    if said.ref:
        request = repo.request_by_ref(turn.session, said.ref)
        if request is None:
            _say(turn, msg, say.NO_SUCH_REQUEST.format(ref=said.ref), OutKind.ERROR)
        return request
    mine = repo.requests_of(turn.session, msg.person, limit=RECENT_REQUESTS)
    if not mine:
        _say(turn, msg, say.NO_RECENT)
        return None
    if said.words:
        scored = [(_score(turn, r, said.words), r) for r in mine]
        best = max(score for score, _ in scored)
        matches = [r for score, r in scored if score == best and score > 0]
        if len(matches) == 1 or (matches and said.kind in QUESTIONS):
            return matches[0]  # a question about several: the latest of them (a withdrawal asks which)
        if not matches:
            what = " ".join(said.words)
            lines = say.bullet(queries.request_line(turn, r) for r in mine[:5])
            _say(turn, msg, say.NO_MATCH.format(what=what, lines=lines))
            return None
        _say(turn, msg, say.WHICH_REQUEST.format(lines=say.bullet(queries.request_line(turn, r) for r in matches[:5])))
        return None
    if said.kind == "why":
        rejected = [r for r in mine if r.status == RequestStatus.REJECTED]
        return max(rejected, key=lambda r: r.updated_at) if rejected else mine[0]
    if said.kind == "resubmit":
        return max(mine, key=lambda r: (r.updated_at, r.id))  # the one just declined, most likely
    if said.kind == "who":
        waiting = [r for r in mine if r.status == RequestStatus.PENDING_APPROVAL]
        return waiting[0] if waiting else mine[0]
    if said.recent or len(mine) == 1:
        return mine[0]
    _say(turn, msg, say.WHICH_REQUEST.format(lines=say.bullet(queries.request_line(turn, r) for r in mine[:5])))
    return None


def _described(turn: Turn, person: str, words: tuple[str, ...]) -> bool:
    """Whether some of `person`'s recent requests fit the words."""
    return any(_score(turn, r, words) for r in repo.requests_of(turn.session, person, limit=RECENT_REQUESTS))


def _stem(word: str) -> str:
    for ending in ("es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _score(turn: Turn, request: Request, words: tuple[str, ...]) -> int:
    """How many of the words describe the request (its type's title, its values)."""
    spec = turn.services.catalog.get(request.type_id)
    text = fold(" ".join([spec.title, spec.team, *(str(v) for v in (request.fields or {}).values())]))
    held = {_stem(w) for w in re.findall(r"[a-z]+", text)}
    score = 0
    for word in words:
        stem = _stem(word)
        if stem in held or (len(stem) >= 4 and any(stem in h for h in held)):
            score += 1
    return score


def _decide(turn: Turn, msg: Message, said: Said) -> bool:
    """A decision typed: the same checks as the buttons; without a number, the cards to choose from."""
    if said.ref is None:
        waiting = [
            (step, request)
            for step, request in repo.open_steps(turn.session)
            if approvals.may_decide(turn, request, step, msg.person) is None
        ]
        if not waiting:
            _say(turn, msg, say.NO_APPROVALS)
            return True
        _say(turn, msg, say.TYPED_WHICH.format(ref=waiting[0][1].ref))
        for open_step, waiting_request in waiting[:10]:
            approvals.post_step_card(turn, waiting_request, open_step, msg.person)
        return True
    request = repo.request_by_ref(turn.session, said.ref)
    if request is None:
        _say(turn, msg, say.NO_SUCH_REQUEST.format(ref=said.ref), OutKind.ERROR)
        return True
    step = approvals.target_step(turn, request, None)
    if step is None:
        if details.involved(turn, request, msg.person):
            status = say.status(request.status)
            _say(turn, msg, say.NOTHING_TO_DECIDE.format(ref=request.ref, status=status), ref=request.ref)
        else:
            _say(turn, msg, say.NOT_YOURS_TO_DECIDE.format(ref=request.ref, why=say.NOT_WAITING_FOR_YOU))
        return True
    turn.source = {**turn.source, "typed": True}
    action = ActionName.APPROVE if said.kind == "approve" else ActionName.REJECT
    event = Action(
        msg.person,
        msg.place,
        action,
        request=request.ref,
        step=step.seq,
        comment=said.rest or None,
        event_id=msg.event_id,
    )
    approvals.decide(turn, event)  # refusals are told there, as for a click
    if step.decided_by == msg.person and step.decided_at == turn.now:
        if action is ActionName.APPROVE:
            text = say.TYPED_APPROVED.format(ref=request.ref)
        else:
            reason = say.TYPED_REASON.format(reason=said.rest) if said.rest else ""
            name = turn.services.directory.name(request.requester)
            text = say.TYPED_REJECTED.format(ref=request.ref, reason=reason, name=name)
        _say(turn, msg, text, ref=request.ref)
    return True


def _resubmit(
    turn: Turn, msg: Message, draft: Draft | None, request: Request, said: Said, start_again: StartAgain
) -> None:
    if request.requester != msg.person:
        _say(turn, msg, say.NOT_YOURS_TO_RESUBMIT.format(ref=request.ref), OutKind.ERROR)
        return
    if request.status != RequestStatus.REJECTED:
        status = say.status(request.status)
        _say(turn, msg, say.NOT_REJECTED.format(ref=request.ref, status=status), OutKind.ERROR, request.ref)
        return
    repo.audit(
        turn.session,
        turn.now,
        msg.person,
        "resubmit_started",
        request=request.ref,
        detail={"change": bool(said.rest)},
        source=turn.source,
    )
    start_again(turn, msg, draft, request, said.rest)


def _human(turn: Turn, msg: Message, draft: Draft | None, said: Said) -> bool:
    """ "Talk to a human": the contact of the service team of the request in view (the form being
    filled, the request named, else the latest), else whom to ask about Front Door."""
    type_id = draft.type_id if draft is not None and draft.type_id else None
    if type_id is None:
        request = repo.request_by_ref(turn.session, said.ref) if said.ref else None
        if request is not None and not details.involved(turn, request, msg.person):
            request = None
        if request is None:
            mine = repo.requests_of(turn.session, msg.person, limit=1)
            request = mine[0] if mine else None
        type_id = request.type_id if request is not None else None
    fallback = turn.services.help_contact or say.HELP_CONTACT
    if type_id is None or type_id not in turn.services.catalog:
        _say(turn, msg, say.HUMAN_GENERAL.format(contact=fallback) + say.HUMAN_TAIL)
        return True
    spec = turn.services.catalog.get(type_id)
    contact = spec.contact or fallback
    text = say.HUMAN.format(title=spec.title.lower(), team=spec.team or say.SERVICE_TEAM, contact=contact)
    _say(turn, msg, text + say.HUMAN_TAIL)
    return True
