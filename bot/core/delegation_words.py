"""Delegation said in plain words, in English and Spanish: the rules that read a message as the start
or the end of a delegation. Only the reading lives here; `bot.core.delegation` checks and acts.

Starting one names the delegate ("… Carol Diaz can approve for me …", "hand my approvals to Frank
Ito …", "Carol puede aprobar por mí") and usually an end ("until the 14th", "till Monday", "hasta el
viernes"); with no end the engine asks for one. Ending one: "I'm back, stop forwarding", "end
delegation", "ya volví". A question ("can Carol approve for me?") is no command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHO = r"(?P<who>[^,;:!?]+?)"
_WHO_REST = r"(?P<who>[^,;:!?]+)"
_APPROVALS = r"(?:all\s+(?:of\s+)?)?my\s+(?:approvals|approval\s+requests|sign[- ]?offs)"
_GIVE = (
    r"(?:delegate|forward|hand(?:\s+over)?|pass(?:\s+on)?|send|route|give|redirect|reassign)\s+"
    + _APPROVALS
    + r"\s+(?:over\s+|on\s+)?to\s+"
    + _WHO_REST
)
_CAN_APPROVE = (
    r"(?:^|[,;:.]\s*|\band\s+|\bso\s+)"
    + _WHO
    + r"\s+(?:can|will|may|should|is\s+going\s+to|'ll)\s+(?:approve|sign\s+off|decide)(?:\s+(?:things|requests))?"
    + r"\s+(?:for\s+me|on\s+my\s+behalf|in\s+my\s+place|instead\s+of\s+me)"
)
_DAR_ES = (
    r"(?:delega|delegar|pasa|pasar|reenv[ií]a|reenviar|env[ií]a|enviar|manda|mandar|redirige)\s+"
    r"(?:todas\s+)?mis\s+aprobaciones\s+a\s+" + _WHO_REST
)
_PUEDE_ES = (
    r"(?:^|[,;:.]\s*|\by\s+)"
    + _WHO
    + r"\s+(?:puede|podr[aá]|va\s+a|se\s+encarga\s+de)\s+aprobar\s+(?:por\s+m[ií]|en\s+mi\s+lugar|mis\s+solicitudes)"
)
_STARTS = [re.compile(p, re.I) for p in (_GIVE, _CAN_APPROVE, _DAR_ES, _PUEDE_ES)]
_UNTIL = re.compile(
    r"\b(?:until|till|til|through|thru|up\s+to|hasta)\s+(?P<until>[^,;:!?]+?)\s*(?:$|[,;:!?]|\.(?:\s|$))", re.I
)
_WHO_STOP = re.compile(
    r"\s+(?:until|till|til|through|thru|up\s+to|while|when|whilst|for\s+the|for\s+now|from|starting|hasta|"
    r"mientras|desde|durante|por\s+favor|please)\b.*$",
    re.I,
)
_END = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|hi|hey|hello|hola)[,!]?\s+)?(?:"
    r"(?:i'?m|i\s+am)\s+back\b"
    r"|(?:please\s+)?(?:stop|end|cancel)\s+(?:my\s+)?(?:approval\s+)?(?:delegat(?:ion|ing)|forwarding)\b"
    r"|(?:please\s+)?stop\s+forwarding\s+my\s+approvals\b"
    r"|(?:please\s+)?(?:take|give)\s+(?:me\s+)?(?:back\s+)?my\s+approvals\s+back\b"
    r"|ya\s+(?:volv[ií]|regres[eé]|estoy\s+de\s+vuelta)\b"
    r"|(?:he\s+)?(?:vuelto|regresado)\b"
    r"|(?:por\s+favor\s+)?(?:termina|terminar|cancela|cancelar|quita|quitar|det[eé]n|finaliza)\s+"
    r"(?:la\s+|mi\s+)?delegaci[oó]n\b"
    r"|(?:por\s+favor\s+)?deja\s+de\s+(?:reenviar|delegar|pasar)\b"
    r")",
    re.I,
)
_SHOW = re.compile(
    r"^\s*(?:(?:show|what(?:'s|\s+is)|see)\s+)?(?:me\s+)?my\s+(?:current\s+)?delegation\s*[?.!]?\s*$"
    r"|^\s*who\s+(?:has|holds|gets)\s+my\s+approvals\s*(?:now|right\s+now)?\s*[?.!]?\s*$"
    r"|^\s*(?:mi|ver\s+mi|mu[eé]strame\s+mi)\s+delegaci[oó]n\s*[?.!]?\s*$"
    r"|^\s*¿?\s*qui[eé]n\s+(?:tiene|aprueba)\s+(?:mis\s+aprobaciones|por\s+m[ií])\s*[?.!]?\s*$",
    re.I,
)
_SHORT = 6
"""A message ending a delegation with no word about approvals ("I'm back", "ya volví") is this short."""
_ABOUT_APPROVALS = re.compile(r"\b(?:forward|delegat|approv|sign[- ]?off|reenv|delega|aprob)", re.I)
_DROP = re.compile(
    r"^\s*(?:never\s*mind|nevermind|forget\s+it|cancel|no|nope|don'?t|olv[ií]dalo|d[eé]jalo|cancela|no\s+importa)\b",
    re.I,
)
_ANSWER_PREFIX = re.compile(r"^\s*(?:(?:it'?s|it\s+is|i'?m\s+back|back|vuelvo|regreso)\s+)?(?:on\s+|el\s+)?", re.I)


@dataclass(frozen=True)
class Reading:
    """A delegation said in words: `end`, or the delegate as written and the end as written (None
    when the message gives none)."""

    end: bool = False
    who: str = ""
    until: str | None = None
    show: bool = False


def read(text: str) -> Reading | None:
    """The message read as a delegation command; None when it is not one."""
    if _END.match(text) and (len(text.split()) <= _SHORT or _ABOUT_APPROVALS.search(text)):
        return Reading(end=True)  # "I'm back from lunch, I need a laptop" is a request, not an end
    if _SHOW.match(text):
        return Reading(show=True)
    if text.strip().endswith("?"):
        return None
    for pattern in _STARTS:
        match = pattern.search(text)
        if match:
            who = _WHO_STOP.sub("", match.group("who")).strip().strip(".")
            who = re.sub(r"^(?:and|so|y|then|luego)\s+", "", who, flags=re.I).strip()
            if not who:
                return None
            until = _UNTIL.search(text)
            return Reading(who=who, until=until.group("until").strip() if until else None)
    return None


def drops_question(text: str) -> bool:
    """ "never mind", "olvídalo": the person no longer wants the delegation asked about."""
    return bool(_DROP.match(text))


def answer_date_text(text: str) -> str:
    """The date in an answer to "until when?": "until Friday" → "Friday", "hasta el viernes" → "el
    viernes"."""
    until = _UNTIL.search(text)
    if until:
        return until.group("until").strip()
    return _ANSWER_PREFIX.sub("", text.strip()).strip(" .!")
