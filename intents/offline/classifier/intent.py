"""Intent of a message: rules for the conversation intents, a trained classifier for the rest.

Small talk in front of a request ("hi! hope you're well. we need …") is set aside before
classifying. A request type needs enough evidence: a weak best score is out of scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from forms.catalog import Catalog
from intents.base import ConversationIntent
from intents.offline.classifier import cache as offline_cache
from intents.offline.classifier.model import LinearModel, softmax, train
from intents.offline.classifier.training import training_examples
from intents.offline.extractors.values import Span, find_codes
from intents.offline.text import denoise, tokens

MIN_SCORE = 0.3
TEMPERATURE = 0.1
KEYWORD_BONUS = 0.08
CODE_BONUS = 0.2
CODE_MARGIN = 0.23
TIE_MARGIN = 0.05
UNSURE_COMMAND = 0.65
"""Below this, a conversation intent only the classifier read (no rule) is out of scope."""
COMMAND_INTENTS = frozenset(ConversationIntent) - {ConversationIntent.OUT_OF_SCOPE}
"""Out of scope ahead of a request type by less than this, in a message with an amount or a code,
is a tie the request wins: a wrong refusal is worse than a form the person can cancel."""
_AMOUNT = re.compile(r"(?i)\$\s?\d|\b\d[\d,.]*\s*(?:k\b|dollars?|usd|d[oó]lares|bucks)")

_GREETING = re.compile(
    r"(?i)^\s*(?:(?:hi|hello|hey|hiya|yo|greetings|good\s+(?:morning|afternoon|evening|day)|"
    r"morning|hola|buen[oa]s\s+(?:d[ií]as|tardes|noches)|happy\s+\w+day|dear\s+\w+)"
    r"(?:\s+(?:there|team|all|everyone|folks|guys|bot|front\s*door))?\s*[,!.:;-]*\s*|"
    r"(?:i\s+)?hope\s+(?:you(?:'re|\s+are)|all\s+is|your\s+\w+\s+is)[^.!?,;:]*(?:[.!?,;]+|:\)|:-\)|$)\s*|"
    r"how\s+are\s+(?:you|things)(?:\s+doing)?(?:\s+today)?[?!.]*\s*|"
    r"(?:quick|a)\s+question[:,.!]?\s*|thanks\s+in\s+advance[,.!]?\s*|"
    r"(?:espero\s+que\s+est[eé]s?\s+bien)[.!,]*\s*)+"
)
_POLICY_QUESTION = re.compile(
    r"(?i)^\W*(?:(?:could|can)\s+(?:you|someone)\s+(?:please\s+)?(?:clarify|tell\s+me|confirm|explain)\s+|"
    r"quick\s+question[:,]?\s+|do\s+you\s+know\s+)?"
    r"(?:who\s+(?:approves|authori[sz]es|signs\s+off\s+on|needs\s+to\s+(?:approve|sign))|"
    r"how\s+long\s+(?:does|do|will|should)\s+(?:a|an|the|my)?\s*[\w-]+(?:\s+[\w-]+){0,2}\s+(?:usually\s+)?take|"
    r"qui[eé]n\s+(?:aprueba|autoriza|firma)|cu[aá]nto\s+(?:tarda|tiempo\s+tarda)|"
    r"how\s+(?:many|much)\s+(?:pto|vacation|sick|leave|holiday|personal|comp)\b|"
    r"cu[aá]nt[oa]s\s+(?:d[ií]as|horas)\s+de\s+(?:vacaciones|permiso|incapacidad))\b"
)
"""A question about the policy ("who approves purchases over 5k?"), answered from the catalog: out
of scope however much it speaks of requests."""
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        ConversationIntent.CANCEL,
        re.compile(
            r"(?i)^\s*(?:(?:ok(?:ay)?|no|nah|nope|oh|actually|hmm|sorry),?\s+)*(?:cancel|never\s*mind|nvm|forget\s+(?:it|that|about\s+it)|"
            r"scratch\s+that|abort|discard|stop(?:\s+(?:this|that|it))?\s*[,.!]|start\s+over|cancela|olv[ií]dalo)\b"
            r"(?!.*\b(?:contract|agreement|cost\s+cent(?:er|re)|subscription|reservation|flight|meeting)\b)"
        ),
    ),
    (
        ConversationIntent.CANCEL,
        re.compile(
            r"(?i)\b(?:don'?t|do\s+not)\s+(?:want\s+to\s+)?(?:submit|send)\s+(?:this|that|it)\b"
            r"(?!\s+(?:yet|now|today|until|before|till|right\s+now))|"
            r"(?:^|[,.;!]\s*|\b(?:so|just|please|pls)\s+)(?:cancel|scrap|drop|withdraw|cancela|canc[eé]lal[oa])\s+"
            r"(?:it|this|that|the\s+(?:request|form)|this\s+(?:request|one)|la\s+solicitud)?\s*(?:for\s+now|please|pls)?[.!]*\s*$"
        ),
    ),
    (ConversationIntent.HELP, re.compile(r"(?i)^\s*(?:help|ayuda|menu|options|commands)\s*[?!.]*\s*$")),
    (
        ConversationIntent.HELP,
        re.compile(
            r"(?i)\bwhat\s+(?:else\s+)?can\s+you\s+(?:do|help)|\bwhat\s+(?:kinds?|types?|sorts?)\s+of\s+(?:requests?|things|forms?)\b|"
            r"\bwhat\s+(?:information|info|details|data|fields)\s+(?:do|does|would|will|is|are)\b|"
            r"\bwhat\s+(?:all\s+)?(?:(?:things|stuff|kinds?\s+of\s+(?:things|stuff))\s+)?(?:(?:can|could)\s+i|i\s+(?:can|could))\s+"
            r"(?:submit|request|ask\s+for|use\s+(?:you|this)\s+for)\b|"
            r"\bwhat\s+(?:kinds?\s+of\s+)?(?:things|stuff)\s+(?:can|could)\s+(?:you|u)\s+(?:do|help)\b|"
            r"\bqu[eé]\s+(?:puedes|puede|pueden)\s+hacer\b|\bqu[eé]\s+(?:cosas\s+)?puedo\s+(?:pedir|solicitar)\b|"
            r"\bhow\s+(?:do|can|would|should)\s+i\s+(?:request|submit|file|raise|put\s+in|ask\s+for|use\s+(?:you|this))\b|"
            r"\b(?:through|with|using)\s+(?:you|this\s+bot|this\s+chat)\s*\?"
        ),
    ),
    (
        ConversationIntent.LIST_APPROVALS,
        re.compile(
            r"(?i)\b(?:(?:my|pending|open|list|show)\s+(?:pending\s+)?approvals?\b(?!\s+(?:for|of)\s+my)|"
            r"(?:need|have|got)\s+to\s+(?:approve|sign\s*[- ]?off)|anything\s+(?:to|for\s+me\s+to)\s+(?:approve|sign)|"
            r"(?:waiting|pending)\s+(?:on|for)\s+(?:me|my\s+(?:approval|sign|decision|review))|"
            r"awaiting\s+my\s+(?:approval|sign|decision|review))\b"
        ),
    ),
    (
        ConversationIntent.CHECK_STATUS,
        re.compile(
            r"(?i)\bREQ[-\s#]*\d{3,}|\bstatus\s+(?:of|on|for)\b|^\s*status\b(?!\s+change)|\bany\s+(?:update|news)s?\b|"
            r"\bupdates?\s+on\s+(?:my|the|our)\b|\b(?:go|gone|went)\s+through\b|\bwhere(?:'s|\s+is)\s+my\b|"
            r"\bhappened\s+(?:to|with)\s+my\b|\bapproved\s+yet\b|\b(?:been|get|got|gotten)\s+(?:approved|processed|done)\b|"
            r"\bestado\s+de\b|\b(?:ordered|shipped|delivered|approved|processed|submitted|signed|done|finished)\s+yet\b|"
            r"\bwhere\b.{0,60}\b(?:is|are)\s+at\b|\b(?:did|has|have)\s+[A-Z][a-z]+\s+(?:approved?|signed\s+off|looked\s+at)\b|"
            r"\b(?:check|see)\s+(?:on\s+)?(?:where|if|whether)\s+my\b|\bcan\s+(?:you|u)\s+check\s+(?:on\s+)?(?:where|whether|if)\b|"
            r"\b(?:tell|let)\s+me\s+(?:know\s+)?(?:if|whether)\b.{0,60}\b(?:approved|went\s+through|ordered|done)\b|"
            r"\ben\s+qu[eé]\s+va\b|\bya\s+(?:aprobaron|aprob[oó]|lleg[oó]|est[aá]\s+aprobad[oa])\b"
        ),
    ),
)


_EMAIL = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+\.\w+")
"""An address; matched only from the start of a run of letters, so a long run is read once."""


def for_classifier(text: str, codes: list[Span], words: Mapping[str, str]) -> str:
    """Emails and codes (`codes`: those found in `text`) reduced to what they are (`words`: the
    word for each kind of code), so their letters don't sway the reading."""
    out, last = [], 0
    for span in sorted(codes, key=lambda s: s.start):
        if span.start >= last:
            out.append(text[last : span.start] + f" {words.get(span.kind, '')} ")
            last = span.end
    return _EMAIL.sub(" email ", "".join(out) + text[last:])


_CLAUSE = re.compile(
    r"(?<=[.!?)])\s+|\s+[—–-]\s+|\n+|\s+(?=(?:could|can|would)\s+(?:you|we|someone|somebody|i)\b)|"
    r"\s+(?=(?:please|pls|kindly|por\s+favor)\b)"
)
"""Where a message divides into parts that may be read alone."""


def strip_small_talk(text: str) -> str:
    """The message without greetings and pleasantries in front ("" if that is all it is)."""
    match = _GREETING.match(text)
    return text[match.end() :] if match else text


def rule_intent(text: str) -> str | None:
    """A conversation intent the message states outright, if any."""
    for intent, pattern in _RULES:
        if pattern.search(text):
            return intent
    return None


@dataclass(frozen=True)
class Reading:
    intent: str
    confidence: float
    scores: dict[str, float]


_MODELS: dict[str, LinearModel] = {}


def _trained(catalog: Catalog) -> LinearModel:
    """One trained model per distinct training set, shared by every parser in the process and,
    through the model cache (intents/offline/classifier/cache.py), by later processes."""
    examples = training_examples(catalog)
    key = offline_cache.digest(examples)
    if key not in _MODELS:
        model = offline_cache.load(key)
        if model is None:
            model = train(examples)
            offline_cache.save(key, model)
        _MODELS[key] = model
    return _MODELS[key]


class IntentModel:
    """The classifier for one catalog, trained on first use and kept in memory."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._identifiers = catalog.kinds.identifiers
        self._words = {**{kind.name: kind.word for kind in self._identifiers}, "request_id": "request"}
        self._model: LinearModel | None = None
        self._keys: dict[tuple[str, ...], str] | None = None
        self._owners: dict[str, str] | None = None

    @property
    def model(self) -> LinearModel:
        if self._model is None:
            self._model = _trained(self.catalog)
        return self._model

    def _keywords(self) -> dict[tuple[str, ...], str]:
        """Each type's keywords (as stems) that no other type lists."""
        if self._keys is None:
            owners: dict[tuple[str, ...], set[str]] = {}
            for spec in self.catalog.types.values():
                for keyword in spec.keywords:
                    owners.setdefault(tuple(t.stem for t in tokens(keyword)), set()).add(spec.id)
            for spec in self.catalog.types.values():  # "cost center" is a field of a purchase too
                for field in spec.fields:
                    for name in (field.label, field.name.replace("_", " ")):
                        key = tuple(t.stem for t in tokens(name))
                        if key in owners:
                            owners[key].add(spec.id)
            self._keys = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1 and k}
        return self._keys

    def _code_owners(self) -> dict[str, str]:
        """Code kinds (asset tag, invoice number, EIN...) that a single request type has a field for."""
        if self._owners is None:
            owners: dict[str, set[str]] = {}
            for spec in self.catalog.types.values():
                for field in spec.fields:
                    owners.setdefault(field.kind.name, set()).add(spec.id)
            self._owners = {kind: next(iter(ids)) for kind, ids in owners.items() if len(ids) == 1}
        return self._owners

    def _rerank(self, text: str, scores: dict[str, float], codes: list[Span]) -> dict[str, float]:
        """Among request types, a type's own keywords in the message count for it, and so does a
        code that only that type has a field for ("at-67219" for the asset tag of a repair)."""
        stems = [t.stem for t in tokens(text)]
        joined = f" {' '.join(stems)} "
        adjusted = dict(scores)
        for key, type_id in self._keywords().items():
            if f" {' '.join(key)} " in joined and type_id in adjusted:
                adjusted[type_id] += KEYWORD_BONUS
        owners = self._code_owners()
        for kind in {span.kind for span in codes}:
            if owners.get(kind) in adjusted:
                adjusted[owners[kind]] += CODE_BONUS
        return adjusted

    def classify(self, text: str) -> Reading:
        codes = find_codes(text, self._identifiers)
        scores = self.model.scores(self.model.vector(for_classifier(text, codes, self._words)))
        best = max(scores, key=lambda k: scores[k])
        near = False
        if best == ConversationIntent.OUT_OF_SCOPE:  # a code that only a request type has, close behind out of scope
            owners = self._code_owners()
            owned = {owners[span.kind] for span in codes if span.kind in owners}
            near = any(scores[t] >= scores[ConversationIntent.OUT_OF_SCOPE] - CODE_MARGIN for t in owned)
            if not near and (codes or _AMOUNT.search(text)):  # a tie, and an amount or a code: a request
                request = max((k for k in scores if k in self.catalog), key=lambda k: scores[k])
                near = scores[request] >= max(MIN_SCORE, scores[ConversationIntent.OUT_OF_SCOPE] - TIE_MARGIN)
        if best in self.catalog or near:
            scores = self._rerank(text, scores, codes)
            best = max((k for k in scores if k in self.catalog), key=lambda k: scores[k])
        elif best != ConversationIntent.OUT_OF_SCOPE:  # help, status…: no rule said so, a request may
            adjusted = self._rerank(text, scores, [])  # its own words, not a code ("what is an EIN for?")
            request = max((k for k in adjusted if k in self.catalog), key=lambda k: adjusted[k])
            if adjusted[request] >= max(scores[best], MIN_SCORE):
                scores, best = adjusted, request
        probs = softmax(scores, TEMPERATURE)
        if best in COMMAND_INTENTS and probs[best] < UNSURE_COMMAND:
            # help, status…: the rules read them when they are said plainly; a weak reading by the
            # classifier alone is a question the catalog does not cover ("when do classes start")
            return Reading(ConversationIntent.OUT_OF_SCOPE, round(max(0.5, 1.0 - probs[best]), 3), scores)
        if best != ConversationIntent.OUT_OF_SCOPE and best in self.catalog and scores[best] < MIN_SCORE:
            return Reading(ConversationIntent.OUT_OF_SCOPE, round(max(0.5, 1.0 - probs[best]), 3), scores)
        return Reading(best, round(probs[best], 3), scores)

    def read(self, text: str) -> Reading:
        """Rules first, then the classifier on the message without its small talk."""
        body = strip_small_talk(text).strip()
        if not body:
            return Reading(ConversationIntent.OUT_OF_SCOPE, 0.9, {})
        if _POLICY_QUESTION.search(body):
            return Reading(ConversationIntent.OUT_OF_SCOPE, 0.95, {})
        ruled = rule_intent(body)
        if ruled is not None:
            return Reading(ruled, 0.95, {})
        body = denoise(body)
        reading = self.classify(body)
        if reading.intent != ConversationIntent.OUT_OF_SCOPE:
            return reading
        # small talk the greeting pattern did not know, or a long chatty message: a part of it
        # that reads clearly as a request is the request ("hiii happy friday!! quick one — the
        # microwave in the 4 west break room died lol")
        parts = [p.strip() for p in _CLAUSE.split(body) if len(p.split()) >= 3]
        best: Reading | None = None
        for part in parts if len(parts) > 1 else []:
            later = self.classify(part)
            score = later.scores.get(later.intent, 0.0)
            if (
                later.intent in self.catalog
                and score >= MIN_SCORE + 0.15
                and (best is None or score > best.scores[best.intent])
            ):
                best = later
        return best or reading
