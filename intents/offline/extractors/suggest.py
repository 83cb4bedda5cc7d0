"""Suggestions: free-text values a first message implies but does not label.

"we need 3 monitors for 4 West" names its item right after the quantity. Such values are not
certain enough to be reported as slots (evaluation counts them as readings), so the parser
offers them as suggestions; the engine validates them and shows them on the review card,
where the person confirms or edits them.
"""

from __future__ import annotations

import re
from typing import Any

from forms.kinds import INTEGER
from forms.lexicon import ENGLISH_CARDINALS, alternation
from forms.spec import RequestTypeSpec

_COUNT_WORDS = ["a", "an", *(word for word, n in ENGLISH_CARDINALS.items() if n), "a dozen", "a couple of", "some"]
_COUNT = rf"(?:\d+|{alternation(_COUNT_WORDS)})"
"""A quantity in English, as the words after the counted thing are ("for", "from", "costing")."""
_AFTER_COUNT = re.compile(
    rf"(?i)\b{_COUNT}\s+(?:new\s+|more\s+|extra\s+|replacement\s+(?=\w+\s))?"
    r"(?P<thing>[a-z][a-z0-9&'\"/\- ]{1,60}?)"
    r"(?=\s+(?:for|from|to|at|on|in|by|with|that|which|so|because|costing|priced|about|around|under|totaling)\b|[,.;:!?]|$)"
)
_NOT_A_THING = re.compile(r"(?i)^(?:of (?:them|those|these)|more|thing|things|item|items|few|bit|lot|days?|weeks?)$")


def suggest(spec: RequestTypeSpec, body: str, slots: dict[str, Any]) -> dict[str, Any]:
    """The first required text field, read as the phrase counted by the type's integer field."""
    counted = [f for f in spec.fields if f.kind == INTEGER]
    wanted = next((f for f in spec.fields if f.required and f.kind.free_text), None)
    if not counted or wanted is None or wanted.name in slots:
        return {}
    own_words = _words(" ".join((spec.title, *spec.keywords, "request")))
    for match in _AFTER_COUNT.finditer(body):
        thing = " ".join(match.group("thing").split()).strip(" -'\"")
        if not thing or _NOT_A_THING.match(thing) or re.search(r"\d{3,}|\$", thing):
            continue
        if _words(thing) & own_words:  # "a requisition", "a PO request": the request itself
            continue
        return {wanted.name: thing}
    return {}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 1}
