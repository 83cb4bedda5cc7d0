"""Buttons said in words: "yes, submit it", "looks good, send it", "edit", "never mind", in English
and Spanish, under a review card.

Only a whole message that is nothing but such words counts: "yes but make it 4" is a correction
and goes to the parser. A bare "no" under a review card is read as Edit, never as Cancel: a wrong
edit costs a click, a wrong cancel throws the form away.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.events import ActionName

_POLITE = r"(?:please|pls|plz|thanks|thank you|thx|ty|por favor|gracias|thank u|cheers|mate)"
_CONFIRM_WORD = (
    r"(?:yes|yeah|yep|yup|ya|y|ok|okay|k|sure|correct|right|perfect|great|good|fine|awesome|cool|"
    r"confirm|confirmed|i confirm|submit|submit it|submit this|submit that|submit the request|send|send it|"
    r"send this|send that|send it off|send it in|send it through|go ahead|go for it|do it|looks good|looks right|"
    r"looks fine|looks great|looks correct|all good|all correct|that s right|that s correct|that s fine|"
    r"that s good|that s it|thats right|thats correct|lgtm|approve it|file it|"
    r"si|vale|claro|confirmar|confirmo|confirmado|enviar|envialo|enviala|envia|mandalo|mandala|esta bien|"
    r"todo bien|correcto|de acuerdo|adelante|dale|perfecto|listo|ok envialo)"
)
_EDIT_WORD = (
    r"(?:edit|edit it|edit this|edit that|edit the form|change|change it|change something|change this|"
    r"change that|modify|modify it|fix|fix it|no|nope|not quite|wrong|not right|that s wrong|that s not right|"
    r"i want to edit|i want to change something|i need to change something|let me edit|let me change something|"
    r"can i edit|can i edit it|can i change it|can i change something|wait|hold on|no wait|"
    r"editar|cambiar|modificar|corregir|quiero cambiar algo|no esta bien)"
)
_CANCEL_WORD = (
    r"(?:cancel|cancel it|cancel this|cancel that|cancel the request|never mind|nevermind|nvm|forget it|"
    r"forget about it|don t submit|do not submit|don t send|do not send|don t send it|scrap it|scrap that|"
    r"discard|discard it|drop it|stop|cancelar|cancela|cancelalo|olvidalo|no lo envies|no lo mandes|dejalo)"
)
_SEP = r"(?:\s+|$)"


def _whole(words: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{_POLITE}\s+)*(?:{words}{_SEP}(?:{_POLITE}{_SEP})*)+$")


_PATTERNS = (
    (ActionName.CONFIRM, _whole(_CONFIRM_WORD)),
    (ActionName.CANCEL, _whole(_CANCEL_WORD)),
    (ActionName.EDIT, _whole(_EDIT_WORD)),
)
_THANKS = re.compile(r"\b(?:thanks|thank you|thank u|thx|ty|cheers|gracias)\b")
_ONLY_WEAK = _whole(r"(?:ok|okay|k|sure|fine|good|great|cool|awesome|perfect|right|vale)")
_MOST_CHARS = 80
"""A longer message says more than a button does."""


def _plain(text: str) -> str:
    """Lower case, accents and punctuation gone, apostrophes as spaces ("that's" → "that s")."""
    folded = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", letters).split())


def typed_action(text: str) -> ActionName | None:
    """The review card's button a message stands for, or None when it says anything more."""
    if len(text) > _MOST_CHARS:
        return None
    plain = _plain(text)
    if not plain:
        return ActionName.CONFIRM if text.strip() in ("👍", "👌", "✅", "✔️", "✔") else None
    if _THANKS.search(plain) and _ONLY_WEAK.match(plain):
        return None  # "ok thanks" acknowledges; it does not clearly say "submit"
    for action, pattern in _PATTERNS:
        if pattern.match(plain):
            return action
    return None
