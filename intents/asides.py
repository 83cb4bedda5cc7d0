"""A question asked in the middle of a form that is about something else: not the field's value.

While a form waits for a field, "did someone pick this up yet?", "any news on my other
request?", "who approves this?", "how long does this usually take?" or "¿ya lo vio alguien?" is
a new question, not the location, the vendor's name or the description asked for (a text field
would take any words). `read` says which kind of question a message is, or None:

- `this`: whether the matter at hand has been seen, taken, approved ("status?", "approved yet?");
  while a form is open, it has not been sent at all;
- `status`: news of another request (an earlier one, or one named by number);
- `approver`: who approves or signs off;
- `duration`: how long it takes.

Only the whole message's shape counts, and only when it holds nothing the form could use: a
message with a number in it (a room, an amount, a date) is an answer that happens to ask
something ("room 4B, can someone come?"), unless the number is a request's ("REQ-1001"). Pure,
regular expressions only: every parser and the engine may ask it for each message in a form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["this", "status", "approver", "duration"]
MOST_CHARS = 160
"""A longer message says more than a question aside."""


@dataclass(frozen=True)
class Aside:
    """A question about something else than the field asked for."""

    kind: Kind
    ref: str | None = None
    """The request it names by number ("REQ-1001"), for `status`."""


def _plain(text: str) -> str:
    """Lower case, accents and punctuation gone (a question mark kept), apostrophes dropped."""
    folded = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(c for c in folded if not unicodedata.combining(c)).replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^a-z0-9? ]+", " ", letters).split())


_REF = re.compile(r"\b(?:req(?:uest)?\s*-?\s*#?\s*|#)(\d{4,6})\b")
_SOMEONE = r"(?:s[ou]me?\s*(?:one|b\w?dy)|an[yi]\s*(?:one|b\w?dy)|alguien|the team|facilities|you guys)"
_THIS = r"(?:this|it|that|my request|the request|my order|the form|esto|eso|lo|la)"
_TAKEN = (
    r"(?:pick(?:ed)?\s+(?:\w+\s+)?up|look(?:ed|in|ing)?\s+at|seen|see|saw|got|gotten|take|taken|took|grab(?:bed)?|"
    r"assign(?:ed)?|work(?:ed|in|ing)?\s+on|started|fix(?:ed)?|approv\w*|received|receive|respond\w*)"
)
_SEEN = re.compile(
    # "did someone pick this up yet?", "has anyone looked at it", "anyone lookin at it yet??"
    rf"\b(?:did|has|have|is|are|was)?\s*{_SOMEONE}\s+(?:already\s+|yet\s+)?(?:been\s+)?{_TAKEN}\b"
    rf"|\bpick(?:ed)?\s+{_THIS}\s+up\b"
    # "wen will sombody come", "when is someone coming"
    rf"|\b(?:when|wen|wh?en)\s+(?:will|is|are|does|can|do)\s+{_SOMEONE}\s+(?:be\s+)?(?:com\w*|here|show\w*|get\w*\s+here|"
    r"arriv\w*|fix\w*|look\w*|respond\w*|answer\w*|get back)"
    # "approved yet?", "status?", "any update?"
    r"|\b(?:approved|seen|fixed|done|sent|assigned|picked up|looked at|received|processed|handled)\s+yet\b"
    r"|^(?:so\s+|and\s+|ok\s+)?(?:status|estado|any updates?|update|news|novedades|any news)\s*\??$"
    # Spanish: "¿ya lo vio alguien?", "¿alguien ya lo revisó?", "¿cuándo viene alguien?"
    r"|\bya\s+(?:lo|la|le)?\s*(?:vio|vieron|reviso|revisaron|tomo|tomaron|atendio|atendieron|aprobaron|aprobo|recibieron)\b"
    r"|\balguien\s+(?:ya\s+)?(?:lo|la)?\s*(?:vio|esta viendo|reviso|tomo|atendio)\b"
    r"|\bcuando\s+(?:viene|vienen|vendra|vendran|llega|llegan|pasa|pasan)\b"
    r"|\bya\s+(?:esta|estan)\s+(?:aprobad\w+|asignad\w+|enviad\w+)\b"
)
_OTHER = r"(?:other|previous|prior|earlier|last|first|old|older|otra|otro|anterior|ultima|ultimo|primera|primer)"
_REQUEST = r"(?:requests?|one|ones|orders?|tickets?|forms?|pedidos?|solicitud(?:es)?|peticion(?:es)?)"
_STATUS = re.compile(
    # "any news on my other request?", "wat happend to my last one", "my previous request"
    rf"\b{_OTHER}\s+(?:\w+\s+)?{_REQUEST}\b|\b{_REQUEST}\s+{_OTHER}\b"
)
_STATUS_WORDS = re.compile(
    r"\b(?:news|updates?|status|happ?e?n\w*|approv\w*|going|progress|where|how|sent|done|novedades|noticias|"
    r"paso|estado|va|aprob\w*|sabes|hear\w*|word)\b"
)
_APPROVER = re.compile(
    r"\b(?:who|whom)\b.{0,50}\b(?:approv\w*|authori[sz]\w*|sign\w*\s+off|signs|decid\w*|responsible|ok\s+it|okay\s+it)\b"
    r"|\bquien(?:es)?\b.{0,50}\b(?:aprueb\w*|aprobar\w*|autoriz\w*|firma\w*|decide\w*|responsable)\b"
)
_DURATION = re.compile(
    r"\bhow\s+(?:long|soon|quick(?:ly)?|fast)\b.{0,60}\b(?:take|takes|taking|last|wait|be|get|done|fixed|approved|"
    r"processed|happen)\b"
    r"|\bhow\s+long\b.{0,30}\?"
    r"|\bcuanto\s+(?:tiempo\s+)?(?:se\s+)?(?:tarda|tardan|demora|demoran|tardara|lleva)\b"
    r"|\bcuanto\s+tiempo\b"
)
_QUESTION_START = re.compile(
    r"^(?:did|has|have|is|are|was|when|wen|who|whom|how|any|may|could|can|would|will|do|does|status|estado|"
    r"approved|cuando|quien|quienes|ya|cuanto|novedades|wat|what|whats|where)\b"
)
_FRAME_WORDS = """
    a an the my our your this that these those it its me i we us you u they them he she him her one ones
    is are was were be been being am do does did done has have had will would could can may might shall should
    must ask asking asked tell telling know let advise wondering wonder curious kind kindly please pls plz so
    just quick question also btw hi hey hello ok okay and but or as to of on in for at with about from by if
    whether yet already still now today usually typically normally generally ever any some someone somebody
    anyone anybody someone there here what wat whats how who whom when wen where why which
    request requests order orders form forms ticket tickets thing things stuff one
    news update updates status happened happen happend approved approve approves approval authorising
    authorizing authorise authorize authorises authorizes responsible sign signs off decide decides take takes
    long soon see seen saw look looking lookin looked pick picked up come coming get got sent
    ya lo la le los las el de del mi mis su sus tu esto eso esta este ese esa que quien quienes como cuando
    cuanto tiempo tarda tardan normalmente alguien hay novedades noticias pedido pedidos solicitud anterior
    ultima ultimo otra otro tiene tienen que aprobar aprueba vio vieron por favor se me te y o a en es son
"""
_FRAME = frozenset(_FRAME_WORDS.split())
"""Words a question aside is made of: what is left of a message once these are gone is something
the form could use ("could someone look at the sink in the lobby?" names a place)."""


def _leftover(plain: str) -> list[str]:
    """The words of a message that are no part of asking (see `_FRAME`)."""
    return [w for w in re.findall(r"[a-z]+", plain) if w not in _FRAME and len(w) > 2]


def read(text: str) -> Aside | None:
    """The kind of question a message asked in the middle of a form is, or None when it may be
    the answer (or anything else)."""
    if len(text) > MOST_CHARS:
        return None
    plain = _plain(text)
    if not plain:
        return None
    ref = _REF.search(plain)
    rest = _REF.sub(" ", plain)
    if re.search(r"\d", rest):
        return None  # a room, an amount, a date: something the form could use
    asked = text.rstrip().endswith("?") or text.lstrip().startswith("¿") or _QUESTION_START.match(rest)
    if not asked:
        return None  # not shaped as a question
    kind = _kind(rest)
    if kind is None and ref is None:
        return None
    for pattern in (_APPROVER, _DURATION, _STATUS, _SEEN):
        rest = pattern.sub(" ", rest)
    if _leftover(rest):
        return None  # it says more than a question: a place, a thing, a name
    return Aside("status", f"REQ-{ref.group(1)}") if ref is not None else Aside(kind or "status")


def _kind(plain: str) -> Kind | None:
    if _APPROVER.search(plain):
        return "approver"
    if _DURATION.search(plain):
        return "duration"
    if _STATUS.search(plain) and _STATUS_WORDS.search(plain):
        return "status"
    if _SEEN.search(plain):
        return "this"
    return None
