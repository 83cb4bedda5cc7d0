"""A second request in the same message: "… and also the sink in the dirty utility room is
leaking", "…, and while you're at it, …", "she'll also need Kronos write access", "y también …".

`split` cuts a message where such words join two parts; the engine then reads each part alone
with its parser (bot.core.conversation), and keeps the second for later only when it reads as a
request by itself. The joins are data: a list of patterns, the first match wins.
"""

from __future__ import annotations

import re

_SUBJECT = r"(?:she|he|they|we|i|you|the unit|the team|ella|el|ellos|nosotros)"
_WILL = r"(?:\s*'ll|\s*’ll| will| would)?"
_JOINS: tuple[str, ...] = (
    r"[,;]?\s+and\s+while\s+(?:you'?re|you’re|you\s+are)\s+at\s+it[,:]?\s+",
    r"[,;.!]?\s+while\s+(?:you'?re|you’re|you\s+are)\s+at\s+it[,:]?\s+",
    r"[,;]?\s+and\s+also[,:]?\s+",
    r"[,;]?\s+(?:and\s+)?(?:one|another)\s+more\s+thing[,:]?\s+",
    r"[,;]?\s+and\s+(?:separately|on\s+another\s+note|on\s+a\s+separate\s+note)[,:]?\s+",
    rf"[,;]?\s+and\s+(?={_SUBJECT}{_WILL}\s+also\s)",
    rf"(?<=[.!?;])\s+(?={_SUBJECT}{_WILL}\s+also\s)",
    r"(?<=[.!?;])\s+(?:also|plus|oh\s+and|and|separately|another\s+thing)[,:]?\s+",
    r"[,;]?\s+y\s+(?:tambi[eé]n|adem[aá]s|de\s+paso|aprovechando)[,:]?\s+",
    r"(?<=[.!?;])\s+(?:tambi[eé]n|adem[aá]s|otra\s+cosa|aparte)[,:]?\s+",
)
_JOIN = re.compile("|".join(f"(?:{j})" for j in _JOINS), re.IGNORECASE)
SHORTEST_PART = 8
"""Characters each part must have to be read alone ("and also 4" is not a second request)."""


def split(text: str) -> tuple[str, str] | None:
    """The message's first part and what follows the first join, or None when there is no join
    (or one part is too short to be a request)."""
    for found in _JOIN.finditer(text):
        head, tail = text[: found.start()].strip(" ,;"), text[found.end() :].strip()
        if len(head) >= SHORTEST_PART and len(tail) >= SHORTEST_PART:
            return head, tail
    return None


_SAME_PERSON = re.compile(
    r"^(?:and\s+)?(?:she|he|they|ella|[eé]l|ellos)\b|\b(?:for|to|give|get)\s+(?:her|him|them)\b|\b(?:para)\s+(?:ella|[eé]l)\b",
    re.IGNORECASE,
)


def names_same_person(tail: str) -> bool:
    """Whether the second part speaks of the first part's person by a pronoun ("she'll also
    need Kronos access", "and get him a badge")."""
    return bool(_SAME_PERSON.search(tail))
