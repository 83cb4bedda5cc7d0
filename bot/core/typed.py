"""Buttons said in words: "yes, submit it", "looks good, send it", "edit", "never mind", in English
and Spanish, under a review card; and the question "what else do you need?" asked in the middle of
a form.

Only a whole message that is nothing but such words counts: "yes but make it 4" is a correction
and goes to the parser, "don't send it yet" is not a confirmation. A bare "no" under a review card
is read as Edit, never as Cancel: a wrong edit costs a click, a wrong cancel throws the form away;
"no" followed by cancel words ("no, cancel", "no, olvídalo") cancels.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.events import ActionName

_POLITE = r"(?:please|pls|plz|thanks|thank you|thx|ty|por favor|gracias|thank u|cheers|mate)"
_CONFIRM_WORD = (
    r"(?:yes|yeah|yep|yup|ya|y|ok|okay|k|sure|correct|right|perfect|great|good|fine|awesome|cool|"
    r"confirm|confirmed|i confirm|submit|submit it|submit this|submit that|submit the request|send|send it|"
    r"send this|send that|send it off|send it in|send it through|go ahead|go for it|do it|please do|looks good|"
    r"looks right|looks fine|looks great|looks correct|looks good to me|all good|all correct|all set|sounds good|"
    r"that works|works for me|good to go|ship it|that s right|that s correct|that s fine|"
    r"that s good|that s it|thats right|thats correct|lgtm|approve it|file it|"
    r"si|vale|claro|confirmar|confirmo|confirmado|enviar|envialo|enviala|envielo|enviela|envia|envie|mandalo|"
    r"mandala|mandelo|mandela|esta bien|todo bien|correcto|de acuerdo|adelante|dale|perfecto|listo|ok envialo)"
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
    r"cancel everything|cancel the whole thing|cancel the form|cancel the whole request|"
    r"discard|discard it|drop it|stop|cancelar|cancela|cancelalo|cancelala|olvidalo|olvidala|olvidate|"
    r"no lo envies|no lo mandes|dejalo)"
)
_SEP = r"(?:\s+|$)"
_AND = r"(?:(?:and|y|then|and then)\s+)?"
"""Words may be joined: "go ahead and submit", "sí y envíalo"."""
_NO = r"(?:(?:no|nope|nah)\s+)*"
"""A "no" before cancel words is part of them: "no, cancel", "no no, olvídalo"."""


def _whole(words: str, lead: str = "") -> re.Pattern[str]:
    return re.compile(rf"^(?:{_POLITE}\s+)*{lead}(?:{_AND}{words}{_SEP}(?:{_POLITE}{_SEP})*)+$")


_PATTERNS = (
    (ActionName.CONFIRM, _whole(_CONFIRM_WORD)),
    (ActionName.CANCEL, _whole(_CANCEL_WORD, _NO)),
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


_WHAT_IS_MISSING = (
    r"(?:(?:so|ok|okay|and|then|right|y|entonces|bueno|vale|pues)\s+)*(?:"
    r"what (?:else )?(?:do|would|will) you (?:still )?need(?: from me| to know| to finish| for (?:this|it|that))?"
    r"|what (?:else )?(?:do|would|will) you (?:still )?need me to (?:tell|give|send|provide|fill in|answer)(?: you)?"
    r"|what (?:else )?(?:is|s) (?:still )?(?:missing|needed|left|required|left to fill in)"
    r"|what (?:else )?(?:are you|you re) (?:still )?missing"
    r"|what else(?: is there)?"
    r"|what (?:else )?(?:do|should) i (?:still )?(?:need to )?(?:tell|give|send|provide|fill in|answer)(?: you)?"
    r"|(?:is )?(?:there )?anything (?:else )?(?:missing|needed|left)"
    r"|(?:do you )?need anything else(?: from me)?|anything else(?: you need)?"
    r"|what (?:information|info|details|fields) (?:do you (?:still )?need|are (?:still )?missing|are left)"
    r"|que mas (?:necesitas|necesita|necesitan|falta|te falta|le falta|hace falta|quieres saber|ocupas)(?: de mi)?"
    r"|que (?:me |te |le )?faltan?(?: por (?:llenar|completar|poner))?"
    r"|que (?:necesitas|necesita|ocupas)(?: de mi| saber)?"
    r"|que (?:datos|informacion|campos) (?:necesitas|necesita|faltan?|te faltan?)"
    r"|(?:falta|hace falta) algo(?: mas)?|necesitas algo mas(?: de mi)?"
    r")(?:\s+(?:then|now|exactly|still|ahora|entonces|todavia|aun))*"
)
_ASKS_WHAT_IS_MISSING = _whole(_WHAT_IS_MISSING)


def asks_what_is_missing(text: str) -> bool:
    """Whether a message only asks what the form still needs: "what else do you need?",
    "what's missing?", "¿qué más necesitas?", "¿qué falta?" (asked while a form is being filled)."""
    return len(text) <= _MOST_CHARS and bool(_ASKS_WHAT_IS_MISSING.match(_plain(text)))


_YES_FIRST = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|ok|okay|please do|go ahead|do it|si|claro|dale|vale|adelante)"
    r"(?:\s|$)"
)


def says_yes_first(text: str) -> bool:
    """Whether a message opens with a yes ("yes, do the Kronos access for her now", "sí, hazla");
    "ok thanks" only acknowledges."""
    plain = _plain(text)
    if _THANKS.search(plain) and _ONLY_WEAK.match(plain):
        return False
    return bool(_YES_FIRST.match(plain))
