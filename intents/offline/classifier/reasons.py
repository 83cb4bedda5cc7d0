"""Why a message is out of scope, so the answer fits it: small talk gets a friendly word, a
clinical question is pointed to the clinical resource, an uncertain one is asked which request it
is. Only out-of-scope messages are read here, so a word like "insulin" never turns a request away.
"""

from __future__ import annotations

import re

_SMALLTALK = re.compile(
    r"(?i)^\s*(?:(?:hi|hello|hey|hiya|yo|good\s+(?:morning|afternoon|evening|day|night)|morning|hola|"
    r"buen[oa]s\s+(?:d[ií]as|tardes|noches)|thanks?(?:\s+you)?(?:\s+(?:so\s+much|a\s+lot|again))?|thx|ty|"
    r"(?:muchas\s+)?gracias(?:\s+por\s+(?:la|tu)\s+ayuda)?|cheers|great|cool|ok(?:ay)?|awesome|perfect|"
    r"are\s+you\s+(?:a\s+)?(?:bot|robot|human|real|person|ai)|who\s+are\s+you|what\s+are\s+you|"
    r"how\s+are\s+you(?:\s+doing)?(?:\s+today)?|eres\s+(?:un\s+)?(?:bot|robot|humano)|"
    r"bye|goodbye|see\s+you|have\s+a\s+(?:good|nice|great)\s+\w+)"
    r"(?:\s+(?:there|team|all|everyone|bot|front\s*door|again|for\s+(?:the|your)\s+help))?[\s,!.?:)(😀🙂👍🙏]*)+$"
)
_CLINICAL = re.compile(
    r"(?i)\b(?:dos(?:e|es|age|ing|is)|mg|mcg|mEq|units?/kg|ml/h|titrat\w*|contraindicat\w*|side\s+effects?|"
    r"drug\s+interactions?|interacci[oó]n|compatib\w*|y-?site|iv\s+push|heparin|insulin|vancomycin|warfarin|"
    r"morphine|antibiotic\w*|piperacillin|potassium|sodium\s+level|lab\s+values?|sepsis|symptoms?|diagnos\w*|"
    r"wound\s+care|pressure\s+(?:injury|ulcer)|fall\s+risk|isolation\s+precautions?|code\s+blue|triage|"
    r"medicamento|dosis|s[ií]ntomas?|diagn[oó]stico|paciente\s+con)\b"
)
_POLICY = re.compile(
    r"(?i)\b(?:who\s+(?:approves|authori[sz]es|signs\s+off|needs\s+to\s+approve)|how\s+long\s+(?:does|do|will)|"
    r"what(?:'s|\s+is)\s+the\s+(?:limit|threshold|sla|policy)|do\s+i\s+need\s+(?:approval|a\s+po)|"
    r"how\s+do\s+approvals\s+work|qui[eé]n\s+(?:aprueba|autoriza)|cu[aá]nto\s+tarda)\b"
)


def out_of_scope_reason(text: str) -> str:
    """smalltalk, clinical, policy_question or other."""
    if _SMALLTALK.match(text):
        return "smalltalk"
    if _POLICY.search(text):
        return "policy_question"
    if _CLINICAL.search(text):
        return "clinical"
    return "other"
