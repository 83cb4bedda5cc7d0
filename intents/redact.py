"""Protected health information: found, replaced by placeholders, restored, kept out of logs.

Before any text leaves the process for a model provider, and before any text is logged,
`Redactor.redact` replaces what identifies a patient with numbered placeholders:

    SSN       social security numbers (123-45-6789; nine digits after "SSN")
    MRN       medical record numbers ("MRN 1234567", "MRN: 00123456", "medical record # ...")
    DOB       dates of birth ("DOB 3/4/1961", "born 03/04/1961"; ordinary dates are left alone)
    PATIENT   patient names in a clinical context ("patient John Smith", "Mr. Smith in bed 4")
    PHONE     telephone numbers
    MEMBER    member, subscriber, policy and account ids ("member ID ABC123456", "acct 12345678")

The mapping stays in the process, so a placeholder the model copies into a field is put
back with `restore`. `phi_reason` is the fields' `text_guard`: it names the protected data a
value holds (phone numbers are allowed in fields: a contact number is business data).
Business values are never touched: cost centers, EINs (two and seven digits, not an SSN),
PO, invoice and asset numbers, amounts, ordinary dates and work emails.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.lexicon import ENGLISH_MONTHS

REASONS: dict[str, str] = {
    "SSN": "a social security number",
    "MRN": "a medical record number",
    "DOB": "a date of birth",
    "PATIENT": "a patient's name",
    "MEMBER": "a member or account id",
    "PHONE": "a phone number",
}
REFUSED_IN_FIELDS = frozenset(REASONS) - {"PHONE"}

_MONTH = rf"(?:{'|'.join(name[:3] for name in ENGLISH_MONTHS)})[a-z]*\.?"
"""An English month however written ("Dec", "Sept.", "Febuary"), so a misspelt date of birth is still
redacted; English only, as are the words that mark a date as a birth date."""
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
)
_NAME_WORD = r"[A-Z][a-zA-Z'’-]+"
_NAME = rf"{_NAME_WORD}(?:\s+[A-Z]\.)?(?:\s+{_NAME_WORD}){{0,2}}"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx)\.?"
_NOT_NAMES = frozenset(
    (
        "access",
        "account",
        "accounts",
        "advocacy",
        "advocate",
        "affairs",
        "beds",
        "bed",
        "belongings",
        "billing",
        "call",
        "care",
        "census",
        "chair",
        "chairs",
        "clinic",
        "communication",
        "department",
        "dept",
        "education",
        "engagement",
        "escort",
        "experience",
        "families",
        "family",
        "financial",
        "flow",
        "food",
        "gym",
        "id",
        "identification",
        "information",
        "intake",
        "kitchen",
        "label",
        "labels",
        "lift",
        "lifts",
        "line",
        "logistics",
        "lounge",
        "meals",
        "monitor",
        "monitors",
        "navigation",
        "navigator",
        "nutrition",
        "placement",
        "portal",
        "privacy",
        "records",
        "registration",
        "rehab",
        "relations",
        "room",
        "rooms",
        "safety",
        "satisfaction",
        "scheduling",
        "service",
        "services",
        "sitter",
        "sitters",
        "throughput",
        "tower",
        "transport",
        "transportation",
        "unit",
        "volume",
        "wing",
        "wristband",
        "wristbands",
    )
)


@dataclass(frozen=True)
class _Detector:
    kind: str
    pattern: re.Pattern[str]
    group: int = 1
    min_digits: int = 0


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_DETECTORS: tuple[_Detector, ...] = (
    _Detector("SSN", _rx(r"(?<![\w-])(\d{3}([- .])\d{2}\2\d{4})(?![\w-]|\.\d)")),
    _Detector(
        "SSN",
        _rx(
            r"(?i)\b(?:ssn|ss#|social(?:\s+security)?(?:\s+(?:number|no\.?|num|#))?)"
            r"\s*(?:is|was|:|#|-)?\s*(\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b"
        ),
    ),
    _Detector(
        "SSN",
        _rx(
            r"(?i)\b(?:ssn|social security(?:\s+number)?)\s*(?:ending(?:\s+in)?|last\s*(?:4|four)"
            r"(?:\s+digits)?(?:\s+of)?)\s*(?:is|:|#)?\s*(\d{4})\b"
        ),
    ),
    _Detector(
        "MRN",
        _rx(
            r"(?i)\b(?:mrn|mr\s*#|medical\s+record(?:\s+(?:number|no\.?|num|#))?|med\s*rec(?:ord)?"
            r"(?:\s*(?:#|no\.?|number))?|chart\s*(?:#|no\.?|number))\s*(?:is|:|#|-)?\s*#?\s*"
            r"([A-Z]{0,3}\d{4,12})\b"
        ),
    ),
    _Detector(
        "DOB",
        _rx(
            rf"(?i)\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)"
            rf"\s*(?:is|was|:|-|of)?\s*({_DATE})(?!\d)"
        ),
    ),
    _Detector("DOB", _rx(rf"(?i)(?<!\d)({_DATE})\s*\(?\s*(?:dob|d\.o\.b\.?|date of birth)\b")),
    _Detector(
        "MEMBER",
        _rx(
            r"(?i)\b(?:member|subscriber|policy|insurance|medicaid|medicare|health\s*plan|mbi)"
            r"(?:\s*(?:id|#|number|no\.?|num))?\s*(?:is|:|#|-)?\s*#?\s*([A-Z0-9][A-Z0-9-]{4,19})\b"
        ),
        min_digits=5,
    ),
    _Detector(
        "MEMBER",
        _rx(
            r"(?i)(?<!vendor\s)(?<!supplier\s)(?<!gl\s)(?<!bank\s)\b(?:acct\.?|account)"
            r"(?:\s*(?:id|#|number|no\.?|num))?\s*(?:is|:|#|-)?\s*#?\s*([A-Z0-9][A-Z0-9-]{5,19})\b"
        ),
        min_digits=6,
    ),
    _Detector("PHONE", _rx(r"(?<![\w-])((?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})(?![\w-]|\.\d)")),
    _Detector(
        "PHONE",
        _rx(
            r"(?i)\b(?:phone|cell|mobile|tel|call(?:\s+me)?(?:\s+at)?|text(?:\s+me)?(?:\s+at)?|fax"
            r"|pager|contact(?:\s+number)?|ext)\.?\s*(?:#|:|number|no\.?|at|is)?\s*"
            r"(\d{10}|\d{3}-\d{4})\b"
        ),
    ),
    _Detector(
        "PATIENT",
        _rx(
            rf"\b(?i:patient(?:'s|s)?|pt\.?)[\s:,]+(?:(?i:name(?:d|\s+is|:)?|called)[\s:]+)?"
            rf"(?:{_TITLE}\s+)?({_NAME})"
        ),
    ),
    _Detector(
        "PATIENT",
        _rx(
            r"\b(?i:patient|pt\.?)\s+(?i:named|called|name\s+is)\s+"
            r"([a-z][a-z'’-]+(?:\s+[a-z][a-z'’-]+)?)"
        ),
    ),
    _Detector(
        "PATIENT",
        _rx(
            rf"\b{_TITLE}\s+({_NAME})(?=[^.\n]{{0,25}}?\b(?i:in|at|from)\s+(?i:bed|bay|room|rm\.?)"
            rf"\s*#?\s*\w)"
        ),
    ),
    _Detector("PATIENT", _rx(rf"\b({_NAME_WORD}\s+{_NAME_WORD})\s*\(\s*(?i:patient|pt)\s*\)")),
)
_PLACEHOLDER = re.compile(r"\[(SSN|MRN|DOB|PATIENT|PHONE|MEMBER)_(\d+)\]")
_KINDS = "SSN|MRN|DOB|PATIENT|PHONE|MEMBER"
_LEFTOVER = re.compile(rf"\[\s*(?:{_KINDS})[_ ]?\d+\s*\]|\b(?:{_KINDS})_\d+\b")


def clean(text: str) -> str:
    """NFKC form, dashes as "-", without invisible format characters (zero-width, direction marks)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(_plain(ch) for ch in folded if unicodedata.category(ch) != "Cf")


def _plain(ch: str) -> str:
    return "-" if ch != "-" and unicodedata.category(ch) == "Pd" else ch


@dataclass(frozen=True)
class Finding:
    """One piece of protected data: its kind, the secret text and where it is."""

    kind: str
    secret: str
    start: int
    end: int


def _accept(detector: _Detector, secret: str) -> bool:
    if sum(ch.isdigit() for ch in secret) < detector.min_digits:
        return False
    if detector.kind == "PATIENT":
        first = secret.split()[0].lower().strip("'’")
        return first not in _NOT_NAMES
    return True


def find(text: str) -> list[Finding]:
    """Protected data in `text`, in order, without overlaps (the first detector wins)."""
    found: list[Finding] = []
    for detector in _DETECTORS:
        for m in detector.pattern.finditer(text):
            start, end = m.span(detector.group)
            secret = m.group(detector.group)
            if detector.kind == "PATIENT":
                secret = secret.rstrip("'’")
                end = start + len(secret)
            if not _accept(detector, secret):
                continue
            if any(start < f.end and f.start < end for f in found):
                continue
            found.append(Finding(detector.kind, secret, start, end))
    return sorted(found, key=lambda f: f.start)


@dataclass(frozen=True)
class Redacted:
    """Redacted text and the placeholders it holds (placeholder → original text)."""

    text: str
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def kinds(self) -> set[str]:
        return {m.group(1) for m in _PLACEHOLDER.finditer(" ".join(self.mapping))}


class Redactor:
    """Replaces protected data with `[KIND_n]`; one Redacted per call, numbering per kind."""

    def redact(self, text: str, mapping: Mapping[str, str] | None = None) -> Redacted:
        """Redact `text`; pass an earlier mapping to keep its placeholders and numbering."""
        text = clean(text)
        table = dict(mapping or {})
        reverse = {_kind(p) + "\0" + secret: p for p, secret in table.items()}
        out: list[str] = []
        last = 0
        for finding in find(text):
            key = finding.kind + "\0" + finding.secret
            placeholder = reverse.get(key)
            if placeholder is None:
                count = sum(1 for p in table if p.startswith(f"[{finding.kind}_")) + 1
                placeholder = f"[{finding.kind}_{count}]"
                table[placeholder] = finding.secret
                reverse[key] = placeholder
            out.append(text[last : finding.start] + placeholder)
            last = finding.end
        out.append(text[last:])
        return Redacted("".join(out), table)


def _kind(placeholder: str) -> str:
    match = _PLACEHOLDER.fullmatch(placeholder)
    if match is None:
        raise ValueError(f"{placeholder!r} is not a redaction placeholder")
    return match.group(1)


def restore(value: Any, mapping: Mapping[str, str]) -> Any:
    """Put back the originals of the placeholders in a string value; other values unchanged."""
    if not isinstance(value, str) or not mapping:
        return value
    return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)


def restored_reason(value: Any, mapping: Mapping[str, str]) -> str | None:
    """The reason to refuse a value that holds placeholders of data refused in fields, or None."""
    if not isinstance(value, str):
        return None
    for match in _PLACEHOLDER.finditer(value):
        if match.group(0) in mapping and match.group(1) in REFUSED_IN_FIELDS:
            return REASONS[match.group(1)]
    return None


def phi_reason(text: str) -> str | None:
    """What protected data `text` holds ("a social security number"), or None; a text_guard."""
    if _LEFTOVER.search(text):
        return "protected data that was removed"
    for finding in find(clean(text)):
        if finding.kind in REFUSED_IN_FIELDS:
            return REASONS[finding.kind]
    return None


def redact_text(text: str) -> str:
    return Redactor().redact(text).text


def loggable(text: str, debug: bool) -> str:
    """What a log may hold of a user's message: its length, or with `debug` the redacted text."""
    return redact_text(text) if debug else f"<{len(text)} chars>"


class RedactingFilter(logging.Filter):
    """A logging filter that redacts protected data in the message and the traceback.

    Attach it to handlers (a logger's filters do not see records from its children):
    `handler.addFilter(RedactingFilter())`.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True


def iter_placeholders(text: str) -> Iterator[str]:
    """The placeholders written in `text`."""
    return (m.group(0) for m in _PLACEHOLDER.finditer(text))
