"""The person writing, as the value of a person field: "reports to me", "could I get access".

`cues.yaml` lists, by field name, phrases that make the requester the value (`me`: "reports
to me", "su jefa soy yo") and phrases after which the requester is only the likely value
(`likely_me`: "could I get read access to Kronos", "for me"), offered on the review card
rather than reported as read. Neither applies when the field has a value or, for a likely
one, when the message names anybody else.
"""

from __future__ import annotations

import re
from functools import cache

from forms.kinds import PERSON
from forms.spec import FieldSpec, RequestTypeSpec
from intents.offline.extractors.names import field_cues
from intents.offline.text import fold


@cache
def _phrases(spec: FieldSpec, key: str) -> re.Pattern[str] | None:
    phrases = sorted({fold(str(p)) for p in field_cues(spec).get(key, [])}, key=len, reverse=True)
    if not phrases:
        return None
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w'])")


def _says(spec: FieldSpec, key: str, folded: str) -> bool:
    pattern = _phrases(spec, key)
    return pattern is not None and pattern.search(folded) is not None


def me_fields(
    spec: RequestTypeSpec, text: str, filled: set[str], requester: str | None, likely: bool
) -> dict[str, str]:
    """Person fields the requester fills: those a `me` phrase names, or with `likely` those a
    `likely_me` phrase points at (the caller checks that nobody else is named)."""
    if not requester:
        return {}
    folded = fold(text).replace("’", "'")
    key = "likely_me" if likely else "me"
    return {
        f.name: requester for f in spec.fields if f.kind == PERSON and f.name not in filled and _says(f, key, folded)
    }
