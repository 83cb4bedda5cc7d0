"""Protected health information: found, replaced by placeholders, restored, kept out of logs.

Before any text leaves the process for a model provider, and before any text is logged,
`Redactor.redact` replaces what identifies a patient with numbered placeholders, in English
and Spanish:

    SSN       social security numbers (123-45-6789; nine digits after "SSN", "seguro social")
    MRN       medical record numbers ("MRN SMH-0045821", "MR# ...", "chart number", "record no.",
              encounter, FIN, CSN and visit numbers, "expediente", "historia clínica",
              "número de registro", an id right after "patient")
    DOB       dates of birth in numbers or words ("DOB 03/04/61", "born March 3rd 1961",
              "nacido el 3 de marzo de 1961", "fecha de nacimiento ..."); ordinary dates are kept
    PATIENT   patients' names: after "patient"/"pt"/"paciente", in a list of patients, after or
              before a bed or room number, possessive ("Mr. Lee's family"), "John Smith (patient)",
              relatives ("her daughter Ana"), lower case names after a patient cue, initials,
              hyphens, particles ("de la Cruz", "al-Rashid") and non-Latin scripts
    MEMBER    insurance member, subscriber, policy and Medicaid/Medicare ids, patient accounts
    CARD      payment card numbers (Luhn-checked; spaces or dashes), "card ending 4242", CVV
    BANK      bank account, routing/ABA, IBAN and CLABE numbers
    ADDRESS   street addresses and PO boxes, unless the words before them make them a
              business's (vendor, remit-to, office ...) and nothing makes them a person's
    EMAIL     personal email addresses: a consumer mail provider's (gmail, yahoo, outlook ...),
              any address near words such as patient, family, home, personal, or any address
              outside the organisation's domains when the Redactor knows them
    PHONE     telephone numbers

Business values are never touched: staff names (the directory's, passed to `Redactor`, and
anyone called Dr./nurse), cost centers, EINs (two and seven digits), PO, invoice and asset
numbers, room numbers, amounts, ordinary dates and work emails.

The mapping stays in the process, so a placeholder the model copies into a field is put
back with `restore`. `phi_reason` is the fields' `text_guard`: it names the protected data a
value holds (phone numbers and email addresses are allowed in fields: contacts are business
data). Nothing here ever quotes the secret it found.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from forms import messages
from forms.lexicon import ENGLISH_MONTHS, SPANISH_MONTHS
from intents.given_names import GIVEN_NAMES

REASONS: dict[str, str] = {
    "SSN": messages.REASON_SSN,
    "MRN": messages.REASON_MRN,
    "DOB": messages.REASON_DOB,
    "PATIENT": messages.REASON_PATIENT,
    "MEMBER": messages.REASON_MEMBER,
    "CARD": messages.REASON_CARD,
    "BANK": messages.REASON_BANK,
    "ADDRESS": messages.REASON_ADDRESS,
    "EMAIL": messages.REASON_EMAIL,
    "PHONE": messages.REASON_PHONE,
}
"""What protected data of each kind is called in a refusal (`forms.messages`, said in the
language being spoken when formatted into one)."""
REFUSED_IN_FIELDS = frozenset(REASONS) - {"PHONE", "EMAIL"}


@functools.lru_cache(maxsize=8192)
def _fold(word: str) -> str:
    """Lower case without accents ("María" → "maria")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _upper_class() -> str:
    """A character class of the upper- and title-case letters of Latin, Greek and Cyrillic."""
    spans: list[tuple[int, int]] = []
    for cp in range(0x41, 0x2000):
        ch = chr(cp)
        if ch.isupper() or ch.istitle():
            if spans and spans[-1][1] == cp - 1:
                spans[-1] = (spans[-1][0], cp)
            else:
                spans.append((cp, cp))
    return "[" + "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in spans) + "]"


# -- words -------------------------------------------------------------------------------

_U = _upper_class()
_L = r"[^\W\d_]"
_CAPWORD = rf"{_U}(?:{_L}|['’](?={_L}))*(?:-{_L}+(?:['’]{_L}+)*)*"
_TOKEN = rf"(?:{_U}\.(?:\s?{_U}\.)*|(?:al|el|ibn|bin|abu|abd|ben|d|o)['’-]{_CAPWORD}|{_CAPWORD})"
_PARTICLE = (
    r"(?:de\s+la|de\s+las|de\s+los|van\s+der|van\s+den|de|del|la|las|los|van|von|der|den|da|das|di|do|dos|du"
    r"|le|ter|ten|bin|binti|bint|ibn|al|el|abu|zu)"
)
_NAME = rf"{_TOKEN}(?:(?:\s+{_PARTICLE})*\s+{_TOKEN}){{0,3}}"
_LWORD = rf"{_L}+(?:['’-]{_L}+)*"
_UNCASED = (
    r"[\u3400-\u4dbf\u4e00-\u9fff]{2,4}|[\u3040-\u30ff]{2,8}(?:[\s\u30fb][\u3040-\u30ff]{1,8})?"
    r"|[\uac00-\ud7a3]{2,4}(?:\s[\uac00-\ud7a3]{1,3})?|[\u0600-\u06ff]{2,}(?:\s[\u0600-\u06ff]{2,}){0,2}"
    r"|[\u0590-\u05ff]{2,}(?:\s[\u0590-\u05ff]{2,}){0,2}|[\u0900-\u097f]{2,}(?:\s[\u0900-\u097f]{2,}){0,2}"
)
"""A name in a script without capitals (Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari)."""
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Mstr|Sr|Sra|Srta|Sres|Mme|Mlle|Herr|Frau)\.?|[Ss]e[ñn]or(?:ita|a)?|Don|[Dd]o[ñn]a)"
_STAFF_TITLE = re.compile(r"(?i:dr|dra|doctor|doctora|nurse|enfermer[oa]|rn|np|md|prof|professor|profesor[a]?)\b\.?\s")
"""A name after these is a member of staff, never a patient."""
_MONTH = rf"(?:{'|'.join(sorted({m[:3] for m in (*ENGLISH_MONTHS, *SPANISH_MONTHS)} | {'set'}))})[a-z]*\.?"
"""An English or Spanish month however written ("Dec", "Sept.", "Febuary", "marzo", "dic.")."""

_FUNCTION_WORDS = """
a an and are as at be been but by can could did do does for from had has have he her his how i if in is it its
me my no nor not of on or our she so than that the their them then there these they this those to too us was we
were what when where which who whom why will with would you your yes ok okay also just still again now new old
same other another please pls thanks thank thx hi hello hey dear urgent asap fyi eta re fw fwd cc bcc per via
el la los las un una unos unas en de del y o u con por para es esta está están son fue era al lo le les se su sus
que qué como cómo pero sin sobre entre hasta desde muy más ya no sí hola gracias favor por favor buenos buenas
necesita necesito necesitamos dice dijo pide pidió llama llamó quiere tiene está estaba
room rooms rm bed beds bay bays unit floor suite stretcher cubicle hallway lobby
needs need needed says said called calls wants wanted asked asks requests requested reports reported complains
complained left fell has had got gets is was will would keeps kept refuses refused needs went came
today tomorrow yesterday tonight morning afternoon evening night nights weekend
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
lunes martes miércoles jueves viernes sábado domingo hoy mañana ayer noche tarde
mrn dob ssn id mr# fin csn har acct tv iv ac hvac icu micu sicu nicu picu ccu ed er or pacu ob peds ct mri ekg ecg
pca bp cbc it hr ap po cc ein tin usd
patient patients pt pts paciente pacientes pte nurse rn lpn cna np pa md dr dra doctor doc
mr mrs ms miss mx mstr sr sra srta sres mme mlle herr frau señor señora señorita don doña
habitación habitacion hab cama piso sala cuarto
"""
_ENGLISH_MONTH_WORDS = " ".join((*ENGLISH_MONTHS, *SPANISH_MONTHS, "jan feb mar apr jun jul aug sep sept oct nov dec"))
_PLACE_WORDS = """
west east north south w e n s ne nw se sw oeste este norte sur hall box tower building bldg wing annex pavilion campus
main conference administration admin lab laboratory pharmacy radiology imaging cardiology oncology surgery surgical
emergency department dept services service team office center centre clinic hospital medical health care
facilities facility maintenance security finance procurement legal evs dietary kitchen transport transportation
access experience registration scheduling billing financial relations advocacy advocate safety satisfaction portal
placement flow throughput navigation navigator logistics intake escort sitter sitters lift lifts monitor monitors
monitoring label labels wristband wristbands identification information education engagement communication
belongings food meals nutrition lounge census chair chairs call light line volume rehab gym privacy records
accounts account family families affairs beds unit units accommodations supplies equipment
urgencias enfermería enfermeria farmacia laboratorio admisión admision cocina mantenimiento seguridad
blue cross shield aetna cigna humana kaiser permanente anthem tricare molina medicare medicaid uhc united
unitedhealthcare bcbs ambetter wellcare centene amerigroup caresource imss issste epic cerner kronos workday
"""
_STOP_LATER = frozenset(_fold(w) for w in (_FUNCTION_WORDS + " " + _ENGLISH_MONTH_WORDS).split())
"""Capitalised words that end a name ("John Smith Needs ...", "Ana López Hoy")."""
_STOP_FIRST = _STOP_LATER | frozenset(_fold(w) for w in _PLACE_WORDS.split())
"""Capitalised words that never start a patient's name ("Patient Access", "room 412 Pharmacy")."""
_COMMON_LOWER = _STOP_LATER | frozenset(
    _fold(w)
    for w in _words(
        """
    about after again all any around asking back because before being both broken bring brought can't change
    check could cold come comes coming complaining daughter did didn't doesn't done down each every family fix
    fixed floor from get getting give given glasses go going gone good got help her here him home hot husband
    into isn't keep know last let like look looking lost make many missing more most much must need new next off
    only out over put really same see send sent should some son soon take than that their them these thing this
    those through under until upon use used very wait waiting want was wasn't way well went what when while who
    why wife with without won't work working would wrong yet dejó dejo perdió perdio olvidó olvido tiene quiere
    dice pide está esta estaba en de del con sin por para que su sus ya muy también tambien esposo esposa hijo
    hija madre padre familia"""
    )
)
"""Lower-case words that end a lower-case name ("patient maria lopez left her glasses")."""
_SECOND_SURNAME_SUFFIXES = ("ed", "ing", "ly", "ó", "aba", "ía", "aron", "ieron")


class _Mode:
    """How sure the context is that a name follows."""

    STRONG = 3  # after "patient", "paciente", in a list of patients: one capitalised word is enough
    MEDIUM = 2  # after a relative ("her daughter"): one capitalised word, not in capitals
    PAIR = 1  # beside another identifier ("Wei Zhang, DOB ..."): a title, two words or a known given name
    WEAK = 0  # after or before a room number: a title or a known given name first


def _name_end(text: str, start: int, mode: int, lower: str | None) -> int | None:
    """Where the name written from `start` ends, or None if no name starts there.

    `lower`: "lexicon" reads a lower-case name whose first word is a known given name, "any"
    any lower-case words (after "named"), None none. A name after a title ("Mrs.") or in the
    order "Smith, John" (a known given name after the comma) is read whatever the mode.
    """
    if _STAFF_TITLE.match(text, start):
        return None
    titled = False
    title = _TITLE_AT.match(text, start)
    if title is not None:
        start, titled = title.end(), True
    if mode >= _Mode.STRONG:
        uncased = _UNCASED_AT.match(text, start)
        if uncased is not None:
            return uncased.end()
    m = _NAME_AT.match(text, start)
    if m is not None:
        end = _valid_capitalised(text, start, m.end(), mode, titled)
        inverted = _INVERTED_AT.match(text, start)
        if (
            inverted is not None
            and _fold(inverted.group(2)) in GIVEN_NAMES
            and _fold(inverted.group(1)) not in _STOP_FIRST
            and (end is None or end <= inverted.end())
        ):
            return inverted.end()
        if end is not None:
            return end
    if lower is not None or titled:
        m = _LOWER_NAME_AT.match(text, start)
        if m is not None:
            return _valid_lower(text, start, m.end(), lower or "any", titled)
    return None


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [t.span() for t in _NONSPACE.finditer(text, start, end)]


_NONSPACE = re.compile(r"\S+")


def _bare(word: str) -> tuple[str, bool]:
    """The word without a possessive "'s" (or "s'"), and whether it had one."""
    if len(word) > 3 and word[-1] == "s" and word[-2] in "'’":
        return word[:-2], True
    if len(word) > 2 and word[-1] in "'’":
        return word[:-1], True
    return word, False


def _valid_capitalised(text: str, start: int, end: int, mode: int, titled: bool) -> int | None:
    """The end of the name in text[start:end] (cut at the first word that is not a name), or None."""
    kept: list[tuple[int, int]] = []
    full = False  # a word of two letters or more, not initials
    for a, b in _tokens(text, start, end):
        word, possessive = _bare(text[a:b])
        if not word[:1].isupper():  # a particle ("de", "van") between capitalised words
            continue
        folded = _fold(word)
        if folded in (_STOP_LATER if kept else _STOP_FIRST):
            break
        initials = "." in word or len(word) == 1
        if not initials and word.isupper() and (mode < _Mode.STRONG or folded in _STOP_FIRST):
            break  # "TV", "ICU": a name in capitals only right after "patient"
        kept.append((a, a + len(word)))
        full = full or not initials
        if possessive:
            break
    if not full:
        return None
    known = titled or _fold(text[kept[0][0] : kept[0][1]]) in GIVEN_NAMES
    if not known and (mode == _Mode.WEAK or (mode == _Mode.PAIR and len(kept) < 2)):
        return None  # a known given name first, or a title; beside another identifier, two words do
    return kept[-1][1]


def _valid_lower(text: str, start: int, end: int, lower: str, titled: bool) -> int | None:
    kept: list[tuple[int, int]] = []
    for a, b in _tokens(text, start, end):
        word, possessive = _bare(text[a:b])
        folded = _fold(word)
        if not kept:
            if folded in _COMMON_LOWER or (lower == "lexicon" and not titled and folded not in GIVEN_NAMES):
                return None
        elif (
            folded in _COMMON_LOWER
            or _PARTICLE_RE.fullmatch(folded)
            or (len(kept) >= 2 and folded.endswith(_SECOND_SURNAME_SUFFIXES))
        ):
            break
        kept.append((a, a + len(word)))
        if possessive or len(kept) == 3:
            break
    return kept[-1][1] if kept else None


_TITLE_AT = re.compile(rf"{_TITLE}\s+")
_INVERTED_AT = re.compile(rf"({_CAPWORD}),\s*({_CAPWORD})(?![\w'’-])")
_NAME_AT = re.compile(_NAME)
_LOWER_NAME_AT = re.compile(rf"{_LWORD}(?:\s+{_LWORD}){{0,3}}")
_UNCASED_AT = re.compile(_UNCASED)
_PARTICLE_RE = re.compile(_PARTICLE)


# -- detectors ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int


class _Scanner(Protocol):
    @property
    def marks(self) -> tuple[str, ...]: ...
    @property
    def digits(self) -> bool: ...
    @property
    def starts(self) -> str: ...

    def scan(self, text: str, at: list[int] | None) -> Iterator[_Hit]: ...


def _iter(pattern: re.Pattern[str], text: str, at: list[int] | None) -> Iterator[re.Match[str]]:
    """The pattern's matches in `text`, or only those starting at the positions `at` (in order)."""
    if at is None:
        yield from pattern.finditer(text)
        return
    last = 0
    for pos in at:
        if pos >= last:
            m = pattern.match(text, pos)
            if m is not None:
                last = max(m.end(), pos + 1)
                yield m


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _iban(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


@dataclass(frozen=True)
class _Rx:
    """A pattern whose group `group` is the secret.

    `min_digits`: fewest digits the secret holds. `check`: a test of the secret (Luhn ...).
    `near`: a cue that must occur within `window` characters before (or `after` after) the
    secret, unless `uncued` accepts the secret alone. `unless`: a cue there that vetoes it,
    unless `near` is also there. `each`: the
    group is a list; each match of `each` in it is one secret. For speed: `marks`, strings of
    which the text must hold one for the pattern to be tried; `digits`, the secret holds
    digits, so a text without any is skipped; `starts`, the words (lower case) a match starts
    with: then the pattern is tried only where they stand.
    """

    kind: str
    pattern: re.Pattern[str]
    group: int = 1
    min_digits: int = 0
    check: Callable[[str], bool] | None = None
    near: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    window: int = 60
    after: int = 0
    uncued: Callable[[str], bool] | None = None
    each: re.Pattern[str] | None = None
    marks: tuple[str, ...] = ()
    digits: bool = True
    starts: str = ""

    def scan(self, text: str, at: list[int] | None) -> Iterator[_Hit]:
        for m in _iter(self.pattern, text, at):
            start, end = m.span(self.group)
            if start < 0:
                continue
            secret = text[start:end]
            if self.min_digits and sum(ch.isdigit() for ch in secret) < self.min_digits:
                continue
            if self.check is not None and not self.check(secret):
                continue
            if self.near is not None or self.unless is not None:
                around = text[max(0, start - self.window) : start] + " " + text[end : end + self.after]
                cued = self.near is not None and self.near.search(around) is not None
                alone = self.uncued is not None and self.uncued(secret)
                if self.near is not None and not cued and self.unless is None and not alone:
                    continue
                if self.unless is not None and not cued and self.unless.search(around):
                    continue
            if self.each is None:
                yield _Hit(self.kind, start, end)
                continue
            for item in self.each.finditer(text, start, end):
                if sum(ch.isdigit() for ch in item.group(0)) >= self.min_digits:
                    yield _Hit(self.kind, item.start(), item.end())


@dataclass(frozen=True)
class _ValueBefore:
    """A value written just before its cue ("7/2/1988 (DOB)"): the cue is found first."""

    kind: str
    cue: re.Pattern[str]
    value: re.Pattern[str]
    window: int = 40
    marks: tuple[str, ...] = ()
    digits: bool = True
    starts: str = ""

    def scan(self, text: str, at: list[int] | None) -> Iterator[_Hit]:
        for cue in _iter(self.cue, text, at):
            m = self.value.search(text, max(0, cue.start() - self.window), cue.start())
            if m is not None:
                yield _Hit(self.kind, *m.span(1))


@dataclass(frozen=True)
class _Names:
    """A cue after which one name (or, with `many`, a list of names) is written.

    A cue whose group `named` matched ("named", "se llama") lets any lower-case words be the name.
    """

    pattern: re.Pattern[str]
    mode: int
    lower: str | None = None
    many: bool = False
    context: re.Pattern[str] | None = None
    marks: tuple[str, ...] = ()
    digits: bool = False
    starts: str = ""

    def scan(self, text: str, at: list[int] | None) -> Iterator[_Hit]:
        if self.context is not None and not self.context.search(text):
            return
        for m in _iter(self.pattern, text, at):
            groups = m.groupdict()
            lower = "any" if groups.get("named") or groups.get("named2") else self.lower
            pos = m.end()
            for _ in range(200 if self.many else 1):
                item = _LIST_PREFIX.match(text, pos) if self.many else None
                if item is not None:
                    pos = item.end()
                end = _name_end(text, pos, self.mode, lower)
                if end is None:
                    break
                title = _TITLE_AT.match(text, pos)
                yield _Hit("PATIENT", title.end() if title else pos, end)
                more = _LIST_NEXT.match(text, end) if self.many else None
                if more is None:
                    break
                pos = more.end()


@dataclass(frozen=True)
class _NameBefore:
    """A name followed by what makes it a patient's (" in bed 4", "'s family", " (patient)").

    The cue is found first; `link` matches the words joining the name to it, ending where the
    cue starts; the name is the longest run of capitalised words ending there that reads as
    one ("Yesterday Sandra Lee was admitted": "Sandra Lee"). With `titled_gap`, `link` finds
    titles instead, and a titled name may stand up to that many characters before the cue
    ("Mr. Smith who is in bed 4").
    """

    cue: re.Pattern[str]
    link: re.Pattern[str]
    mode: int
    window: int = 40
    titled_gap: int = 0
    marks: tuple[str, ...] = ()
    digits: bool = False
    starts: str = ""

    def scan(self, text: str, at: list[int] | None) -> Iterator[_Hit]:
        for cue in _iter(self.cue, text, at):
            lo = max(0, cue.start() - self.window)
            if self.titled_gap:
                for title in self.link.finditer(text, lo, cue.start()):
                    end = _name_end(text, title.start(), self.mode, None)
                    gap = text[end : cue.start()] if end is not None else "."
                    if end is not None and len(gap) <= self.titled_gap and not any(c in gap for c in ".\n"):
                        yield _Hit("PATIENT", title.end(), end)
                        break
                continue
            link = self.link.search(text, lo, cue.start())
            if link is not None:
                start = _name_ending(text, link.start(), self.mode)
                if start is not None:
                    yield _Hit("PATIENT", start, link.start())


def _name_ending(text: str, end: int, mode: int) -> int | None:
    """Where the name that ends at `end` starts, or None."""
    for token in _TOKEN_START.finditer(text, max(0, end - 60), end):
        first = token.start()
        if not text[first].isupper() or _NAME_AT.fullmatch(text, first, end) is None:
            continue
        for a, b in _tokens(text, first, end):  # leading words that are not names are left out
            if not text[a].isupper() or _fold(_bare(text[a:b])[0]) in _STOP_FIRST:
                continue
            if _STAFF_BEFORE.search(text, max(0, a - 12), a):
                return None
            titled = _TITLE_BEFORE.search(text, max(0, a - 12), a) is not None
            return a if _valid_capitalised(text, a, end, mode, titled) == end else None
        return None
    return None


_TOKEN_START = re.compile(r"(?<!\S)\S")
_TITLE_BEFORE = re.compile(rf"(?<![\w.]){_TITLE}\s+\Z")
_TITLE_ANYWHERE = re.compile(rf"(?<![\w.]){_TITLE}\s+")
_STAFF_BEFORE = re.compile(r"(?i)\b(?:dr|dra|doctor|doctora|nurse|enfermer[oa]|rn|np|md|prof)\.?\s+\Z")


def _rx(pattern: str, first: str = "") -> re.Pattern[str]:
    """Compiled; `first`: the characters a match can start with, tested first (5 times faster)."""
    if first:
        folded = pattern.startswith("(?i)")
        chars = re.escape("".join(sorted(set(first.lower() + first.upper() if folded else first))))
        flags, rest = ("(?i)", pattern[4:]) if folded else ("", pattern)
        pattern = f"{flags}(?=[{chars}]){rest}"
    return re.compile(pattern)


_DIGITS = "0123456789"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SEP = r"\s*(?:is|was|es|are|:|#|-|=|of)?\s*#?\s*"
_NO = r"(?:number|numero|número|no\.?|n\.?\s*[oº°]\.?|num\.?|nbr|#|id)"

# Cues around a value that make it a person's, or a business's.
_PERSONAL = _rx(
    r"(?i)\b(?:patient|pt|pts|inpatient|outpatient|family|families|home|personal|private|wife|husband|spouse"
    r"|daughter|son|mother|father|mom|mum|dad|parent|parents|guardian|caregiver|relative|next\s+of\s+kin|lives"
    r"|resides|residence|paciente|pacientes|familia|familiar|casa|particular|privad[oa]|esposa|esposo"
    r"|hija|hijo|madre|padre|tutor|domicilio|vive|reside)\b"
)
_BUSINESS = _rx(
    r"(?i)\b(?:vendor|supplier|remit|remit-to|remittance|company|llc|inc|corp|corporation|ltd|office|offices"
    r"|clinic|campus|building|warehouse|headquarters|hq|dock|facility|store|shop|branch|ship|shipping|deliver"
    r"|delivery|proveedor|empresa|oficina|cl[ií]nica|almac[eé]n|sucursal|bodega|our)\b"
)
_PATIENTISH = _rx(
    r"(?i)\b(?:patient|pt|paciente|mrn|dob|d\.o\.b|date\s+of\s+birth|fecha\s+de\s+nacimiento|medical\s+record"
    r"|expediente|historia\s+cl[ií]nica|chart|admitted|discharged|ingresad[oa]|nacid[oa]|born|wristband|armband)"
)
_BUSINESS_PREFIXES = _words(
    "PO INV AT CC REQ WO SO PR GL TKT INC RITM CHG TASK SR CASE ASSET SN SKU PN REF QT ORD CON CTR VEN EMP LIC LOT "
    "BATCH RMA ACH EIN TIN NPI DEA PRJ PROJ CAP BUD FY Q"
)

_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})(?![/.-]?\d)|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:\d{{4}}|'\d{{2}})"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th|º|o)?(?:\s+of|\s+de)?[\s-]+{_MONTH},?(?:\s+(?:de|del)\s+|[\s-]+)"
    rf"(?:\d{{4}}|\d{{2}})|{_MONTH},?\s+(?:de\s+)?\d{{4}}|\d{{8}})"
)
_DOB_CUE = (
    r"(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on|\s+in)?|b\.(?=\s*\d)"
    r"|fecha\s+de\s+nacimiento|fecha\s+nac\.?|f\.\s*(?:de\s+)?nac(?:imiento|\.)?|(?-i:FDN|FN)"
    r"|nacid[oa]s?(?:\s+(?:el|en|on))?|naci[oó](?:\s+el)?|cumplea[nñ]os)"
)
_PHONE_CUE = (
    r"(?:phone|ph|cell|cellphone|mobile|tel|telephone|call(?:\s+me)?(?:\s+at)?|text(?:\s+me)?(?:\s+at)?|fax|pager"
    r"|contact(?:\s+number)?|ext|whatsapp|tel[eé]fono|celular|cel|m[oó]vil|llamar(?:\s+al)?|ll[aá]me(?:me)?"
    r"(?:\s+al)?|n[uú]mero\s+de\s+contacto|contacto)"
)
_ADDRESS_TYPES = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Pike|Row|Alley|Crescent|Cres|Close|Run"
    r"|Path|Point|Pt|Ridge|Heights|Hts)"
)
_STATE = r"(?:[A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
_CONSUMER_MAIL = _words(
    """gmail googlemail yahoo ymail rocketmail hotmail outlook live msn passport icloud me mac aol aim proton
    protonmail pm gmx yandex mail inbox qq 163 126 naver hanmail daum comcast xfinity verizon att sbcglobal
    bellsouth cox charter spectrum earthlink optonline juno netzero prodigy terra libero orange free laposte
    btinternet sky virginmedia shaw rogers sympatico bigpond tutanota tuta fastmail hey zoho hushmail
    web t-online"""
)
"""Consumer mail providers: the name before the public suffix (gmail.com, yahoo.com.mx, proton.me)."""
_TWO_LEVEL_SUFFIXES = _words("co.uk com.mx com.br com.ar com.co com.pe com.au co.nz co.jp net.mx org.mx com.es")
_EMAIL = _rx(r"(?<![\w.+%'-])[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")


def _mail_name(domain: str) -> str:
    labels = domain.lower().split(".")
    cut = 2 if ".".join(labels[-2:]) in _TWO_LEVEL_SUFFIXES else 1
    rest = labels[:-cut]
    return rest[-1] if rest else ""


_CARD_NUMBER = _rx(r"(?<![\w-])(\d{4}([ -]?)\d{4}\2\d{4}\2\d{1,7}|\d{4}([ -]?)\d{6}\3\d{4,5})(?![\w-])", _DIGITS)
_CARD_IIN = _rx(r"4|5[1-5]|2[2-7]|3[47]|6011|65|64[4-9]|3[0689]|35|62")
"""The first digits of Visa, Mastercard, American Express, Discover, Diners, JCB and UnionPay numbers."""
_CARD_CUE = _rx(r"(?i)\b(?:card|visa|master\s*card|amex|american\s+express|discover|debit|credit|tarjeta|cc\s*#)")


def _card(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return 13 <= len(digits) <= 19 and _luhn(digits)


_ID = r"(?-i:[A-Z]{1,5}[- ]?)?\d[\d-]{2,14}\d(?:-?(?-i:[A-Z]))?"
_MRN_STRONG = (
    r"(?:mrns?|m\.r\.n\.?|mr\s*#|mr\s*(?:no\.?|number)|(?-i:MR)(?=[\s:#-]*[A-Z]{0,5}-?\d)"
    rf"|medical\s+records?(?:\s+{_NO})?|med\.?\s*rec(?:ord)?s?(?:\s*{_NO})?|(?:electronic\s+)?health\s+record\s*{_NO}"
    rf"|expediente(?:\s+(?:cl[ií]nico|m[eé]dico))?(?:\s+{_NO})?|{_NO}\s+de\s+expediente"
    rf"|(?:{_NO}\s+de\s+)?historia\s+cl[ií]nica(?:\s+{_NO})?|(?-i:N?HC)|{_NO}\s+de\s+registro(?:\s+m[eé]dico)?"
    r"|registro\s+m[eé]dico|unit\s+number)"
)
_MRN_WEAK = (
    rf"(?:charts?(?:\s+{_NO})?|records?\s+{_NO}|(?:patient|pt)\s*(?:id|identifier|{_NO})"
    rf"|(?:encounter|enc|visit|admission|account\s+encounter|hospital\s+account)\s*{_NO}?|(?-i:FIN|CSN|HAR)\s*{_NO}?"
    rf"|(?:fin|csn|har)\s*{_NO}|hospital\s+{_NO}|(?:n[uú]mero\s+de\s+)?(?:episodio|ingreso|cuenta\s+hospitalaria)"
    rf"\s*{_NO}?)"
)
_MRN_LIST = rf"({_ID}(?:\s*(?:,|;|/|&|\band\b|\by\b|\bor\b)\s*{_ID})*)"
_ROOM_WORD = r"(?i:room|rm|bed|bay|stretcher|cama|habitaci[oó]n|hab|cuarto)\.?\s*#?\s*\d"
_ROOM = rf"(?:{_ROOM_WORD}|\d{{1,2}}[NSEW]{{1,2}}-\d{{1,3}}\b)"
"""A bed or room: "bed 4", "habitación 12", or a unit and room code ("5E-310", "3W-08")."""
_UNIT = r"(?:(?-i:[A-Z0-9]{2,6})\s+)?"
"""A unit's name between "in" and the bed ("in CCU bed 2")."""
_NAME_BEFORE = r"(?<=[^\W\d_])(?![^\W\d_])"
"""Where the words joining a name to its cue start: right after the name's last letter."""

_DETECTORS: tuple[_Scanner, ...] = (
    # payment cards first: a card number holds digit groups that other patterns would take
    _Rx("CARD", _CARD_NUMBER, check=_card, near=_CARD_CUE, window=40, uncued=lambda s: _CARD_IIN.match(s) is not None),
    _Rx(
        "CARD",
        _rx(
            r"(?i)\b(?:card|visa|master\s*card|mc|amex|american\s+express|discover|debit|credit|tarjeta)\b"
            r"[^.\n\d]{0,30}?(?:ending|ends|last\s*(?:4|four)(?:\s+digits)?|terminaci[oó]n|termina|que\s+termina)"
            r"\s*(?:in|en|with|of|digits|:|is|-)?\s*(\d{4})\b",
            "cvmadt",
        ),
        starts="card visa master mastercard mc amex american discover debit credit tarjeta",
    ),
    _Rx(
        "CARD",
        _rx(
            r"(?i)\b(?:cvv2?|cvc2?|cid|card\s+security\s+code|security\s+code|c[oó]digo\s+de\s+seguridad)"
            r"\s*(?:is|es|:|#|-)?\s*(\d{3,4})\b",
            "cs",
        ),
        starts="cvv cvc cid card security código codigo",
    ),
    _Rx("SSN", _rx(r"(?<![\w-])(\d{3}([- .])\d{2}\2\d{4})(?![\w-]|\.\d)", _DIGITS)),
    _Rx("SSN", _rx(r"(?i)(?<![\w-])((?:x{3}|\*{3}|#{3})[- ](?:x{2}|\*{2}|#{2})[- ]\d{4})(?![\w-])", "x*#")),
    _Rx(
        "SSN",
        _rx(
            r"(?i)\b(?:ssn|ss#|ss\s+no\.?|soc(?:ial)?\.?\s*sec(?:urity)?\.?|social(?:\s+security)?|(?:n[uú]mero\s+de\s+)?"
            rf"seguro\s+social|(?-i:NSS))(?:\s+{_NO})?\s*(?:is|was|es|:|#|-)?\s*"
            r"(\d{9}|\d{11}|\d{3}[- .]\d{2}[- .]\d{4}|\d{2}[- ]\d{2}[- ]\d{2}[- ]\d{4}[- ]\d)\b",
            "sn",
        ),
        starts="ssn ss soc social número numero seguro nss",
    ),
    _Rx(
        "SSN",
        _rx(
            r"(?i)\b(?:ssn|social security(?:\s+number)?|seguro\s+social)\s*(?:ending(?:\s+in)?|last\s*(?:4|four)"
            r"(?:\s+digits)?(?:\s+of)?|terminaci[oó]n|termina\s+en)\s*(?:is|:|#|en)?\s*(\d{4})\b",
            "s",
        ),
        starts="ssn social seguro",
    ),
    _Rx(
        "SSN",
        _rx(r"(?i)\bcurp\s*(?:is|es|:|#|-)?\s*([A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d)\b", "c"),
        starts="curp",
    ),
    _Rx(
        "BANK",
        _rx(rf"(?i)\b(?:routing|aba|rtn|transit|ruteo)(?:\s+{_NO})?\s*(?:is|es|:|#|-)?\s*(\d{{9}})\b", "rat"),
        starts="routing aba rtn transit ruteo",
    ),
    _Rx(
        "BANK",
        _rx(
            r"(?i)\b(?:bank|banking|checking|chequing|savings|deposit|ach|wire|direct\s+deposit)\s+(?:account|acct)"
            rf"(?:\s+{_NO})?(?:\s*(?:ending|ends)(?:\s+in)?)?\s*(?:is|:|#|-)?\s*(\d[\d -]{{2,20}}\d)\b",
            "bcsdaw",
        ),
        min_digits=4,
        starts="bank banking checking chequing savings deposit ach wire direct",
    ),
    _Rx(
        "BANK",
        _rx(rf"(?i)\b(?:account|acct)(?:\s+{_NO})?\s*(?:is|:|#|-)?\s*(\d[\d-]{{3,16}}\d)\b", "a"),
        min_digits=4,
        near=_rx(r"(?i)\b(?:routing|aba|bank|banking|checking|savings|ach|wire|iban|swift)\b"),
        window=80,
        after=80,
        starts="account acct",
    ),
    _Rx(
        "BANK",
        _rx(
            r"(?i)\b(?:cuenta\s+(?:bancaria|de\s+ahorros?|corriente|de\s+cheques|de\s+dep[oó]sito)|n[uú]mero\s+de\s+cuenta"
            r"|clabe(?:\s+interbancaria)?|cuenta)(?:\s+(?:bancaria|n[uú]mero|no\.?|#))?\s*(?:es|:|#|-)?\s*"
            r"(\d[\d -]{4,22}\d)\b",
            "cn",
        ),
        min_digits=6,
        starts="cuenta número numero clabe",
    ),
    _Rx("BANK", _rx(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b", _UPPER), check=_iban),
    _Rx(
        "MRN",
        _rx(rf"(?i)\b{_MRN_STRONG}{_SEP}{_MRN_LIST}\b", "mehnur#i"),
        min_digits=4,
        each=_rx(_ID),
        starts=(
            "mrn mrns m mr medical med electronic health expediente número numero no n num nbr id historia "
            "hc nhc registro unit"
        ),
    ),
    _Rx(
        "MRN",
        _rx(rf"(?i)\b{_MRN_WEAK}{_SEP}{_MRN_LIST}\b", "crpevahfin#"),
        min_digits=5,
        each=_rx(_ID),
        starts=(
            "chart charts record records patient pt encounter enc visit admission account hospital fin csn "
            "har número numero episodio ingreso cuenta"
        ),
    ),
    _Rx(
        "MRN",
        _rx(
            r"(?i)(?<!\d)(?<!\d\s)\b(?:patient|pt|paciente|pte)\b\.?(?:['’]s)?\s*(?:id|#|number|no\.?)?"
            r"\s*[:#-]?\s*((?-i:[A-Z]{0,5})-?\d{5,12})\b",
            "p",
        ),
        min_digits=5,
        starts="patient pt paciente pte",
    ),
    _Rx(
        "MRN",
        _rx(r"(?<![\w-])([A-Z]{2,5}-\d{6,10})(?![\w-])", _UPPER),
        check=lambda s: s.split("-")[0] not in _BUSINESS_PREFIXES,
        near=_PATIENTISH,
        window=120,
        after=120,
    ),
    _Rx(
        "DOB",
        _rx(rf"(?i)\b{_DOB_CUE}\s*(?:is|was|es|fue|:|-|of|=|on|el)?\s*(?:(?:on|el|the)\s+)?({_DATE})(?!\d)", "dbfnc"),
        starts=(
            "dob d date birth birthdate birthday born b fecha f fdn fn nacido nacida nacidos nacidas nació "
            "nacio cumpleaños"
        ),
    ),
    _ValueBefore(
        "DOB",
        _rx(r"(?i)\b(?:dob|d\.o\.b\.?|date of birth|fecha de nacimiento|f\.\s*nac\.?)\b", "dfb"),
        _rx(rf"(?i)(?<!\d)({_DATE})\s*\(?\s*\Z"),
        starts="dob d date fecha f",
    ),
    _Rx(
        "MEMBER",
        _rx(
            r"(?i)\b(?:member|subscriber|policy|policyholder|insurance|insured|insurer|medicaid|medicare|medi-cal"
            r"|health\s*plan|mbi|beneficiary|afiliad[oa]|afiliaci[oó]n|p[oó]liza|asegurad[oa]|derechohabiente"
            r"|(?:seguro|plan|group|grupo|coverage|benefits?|payer|cobertura)\s*(?=(?:member\s*)?(?:id|#|number|no|n[uú]mero))"
            r"|bcbs|blue\s+cross(?:\s+blue\s+shield)?|aetna|cigna|uhc|united\s*health(?:care)?|humana|kaiser|anthem"
            r"|tricare|molina|ambetter|wellcare|centene|amerigroup|caresource|imss|issste)"
            r"(?:\s*(?:member|subscriber|id|#|number|no\.?|num|n[uú]mero|card|mbi|de\s+afiliad[oa]|de\s+p[oó]liza)){0,3}"
            r"\s*(?:is|es|:|#|-)?\s*#?\s*(?=[A-Z0-9 -]*\d)((?:[A-Z0-9][A-Z0-9-]{4,19}|[A-Z0-9]{2,4}(?=\s\d))"
            r"(?:\s(?=[A-Z]*\d)[A-Z0-9]{2,6}\b){0,4})\b",
            "mspihbadgcuktwo",
        ),
        min_digits=5,
        starts=(
            "member subscriber policy policyholder insurance insured insurer medicaid medicare medi health "
            "healthplan mbi beneficiary afiliado afiliada afiliación afiliacion póliza poliza asegurado "
            "asegurada derechohabiente seguro plan group grupo coverage benefit benefits payer cobertura "
            "bcbs blue aetna cigna uhc united unitedhealth unitedhealthcare humana kaiser anthem tricare "
            "molina ambetter wellcare centene amerigroup caresource imss issste"
        ),
    ),
    _Rx(
        "MEMBER",
        _rx(
            r"(?i)(?<!vendor\s)(?<!supplier\s)(?<!gl\s)(?<!bank\s)(?<!checking\s)(?<!savings\s)(?<!ledger\s)"
            r"\b(?:acct\.?|account)(?:\s*(?:id|#|number|no\.?|num))?\s*(?:is|:|#|-)?\s*#?\s*([A-Z0-9][A-Z0-9-]{5,19})\b",
            "a",
        ),
        min_digits=6,
        starts="acct account",
    ),
    _Rx(
        "EMAIL",
        _EMAIL,
        group=0,
        check=lambda s: _mail_name(s.rsplit("@", 1)[1]) in _CONSUMER_MAIL,
        marks=("@",),
        digits=False,
    ),
    _Rx("EMAIL", _EMAIL, group=0, near=_PERSONAL, window=50, marks=("@",), digits=False),
    _Rx(
        "PHONE",
        _rx(r"(?<![\w-])((?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})(?![\w-]|\.\d)", _DIGITS + "(+"),
    ),
    _Rx(
        "PHONE",
        _rx(r"(?<![\w+-])(\+(?:[2-9]\d{0,2})(?:[\s.-]?\(?\d{1,4}\)?){2,5})(?![\w-])", "+"),
        check=lambda s: 8 <= sum(ch.isdigit() for ch in s) <= 15,
        marks=("+",),
    ),
    _Rx(
        "PHONE",
        _rx(
            rf"(?i)\b{_PHONE_CUE}\.?\s*(?:#|:|number|no\.?|at|is|es|al|-)?\s*"
            r"(\d{10}|\d{7,8}|\d{3}-\d{4}|\d{2,4}[\s.-]\d{3,4}[\s.-]\d{4}|\d{4}[\s.-]\d{4})\b",
            "pcmtfewln",
        ),
        starts=(
            "phone ph cell cellphone mobile tel telephone call text fax pager contact ext whatsapp teléfono "
            "telefono celular cel móvil movil llamar llame llámeme llameme número numero contacto"
        ),
    ),
    _Rx(
        "ADDRESS",
        _rx(
            rf"(?<![\w$.,-])(\d{{1,6}}(?:-?[A-Z])?\s+(?:(?:[NSEW]|North|South|East|West|N[EW]|S[EW])\.?\s+)?"
            rf"(?:(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))\s+){{1,4}}?{_ADDRESS_TYPES}\b\.?"
            rf"(?:,?\s*(?:(?i:apt|apartment|unit|suite|ste|fl|floor|#)\.?\s*#?\s*[\w-]{{1,6}}))?"
            rf"(?:,\s*[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){{0,2}})?(?:,?\s+{_STATE}(?=[\s,]+\d{{5}}))?"
            rf"(?:,?\s+\d{{5}}(?:-\d{{4}})?)?)",
            _DIGITS,
        ),
        near=_PERSONAL,
        unless=_BUSINESS,
        window=80,
        after=20,
    ),
    _Rx(
        "ADDRESS",
        _rx(
            r"(?<![\w])((?i:calle|c/|avenida|avda\.?|av\.|paseo|plaza|pza\.|camino|carrera|cra\.|carretera|ronda"
            r"|traves[ií]a|callej[oó]n|privada|calzada|prolongaci[oó]n|cerrada|andador)\s+"
            r"(?:[\w.'’-]+\s+){0,4}(?:#|No\.?|n\.?\s*[oº°]\.?|n[uú]mero)?\s*\d{1,5}[A-Za-z]?"
            r"(?:,?\s*(?:\d{1,2}\s*[ºª°oa]\.?\s*[A-Za-z]?|piso\s+\d+|depto?\.?\s*\w+|int(?:erior)?\.?\s*\w+))?"
            r"(?:,\s*(?:Col\.?|Colonia|Fracc\.?|Barrio)\s+[A-ZÁÉÍÓÚÑ][\w ]{1,30}?(?=[,.\n]|$))?"
            r"(?:,?\s*(?:C\.?\s?P\.?|CP)\s*\d{5})?)",
            "caprtCAPRT",
        ),
        near=_PERSONAL,
        unless=_BUSINESS,
        window=80,
        after=20,
        starts=(
            "calle c avenida avda av paseo plaza pza camino carrera cra carretera ronda travesía travesia "
            "callejón callejon privada calzada prolongación prolongacion cerrada andador"
        ),
    ),
    _Rx(
        "ADDRESS",
        _rx(r"(?i)\b((?:p\.?\s*o\.?\s*box|post\s+office\s+box|apartado(?:\s+postal)?)\s*#?\s*\d{1,6})\b", "pa"),
        near=_PERSONAL,
        unless=_BUSINESS,
        window=80,
        after=20,
        starts="p po post apartado",
    ),
    # patients' names
    _Names(
        _rx(
            r"(?i)(?<!\d)(?<!\d\s)(?<![\w-])(?:patient|pt|paciente|pte)\b\.?(?:['’]s)?"
            r"(?:\s+(?:full\s+|complete\s+)?(?P<named>name|nombre)(?:\s+(?:is|was|es))?\s*:?)?"
            r"(?:\s+(?:is|was|es)\b)?"
            r"(?:\s+(?P<named2>named|called|llamad[oa]|de\s+nombre|se\s+llama|by\s+the\s+name\s+of))?"
            r"[\s:,(\-–]*",
            "p",
        ),
        _Mode.STRONG,
        lower="lexicon",
        starts="patient pt paciente pte",
    ),
    _Names(
        _rx(
            r"(?i)\b(?P<named>(?:the\s+)?name\s+of\s+(?:the\s+)?patient(?:\s+is)?|nombre\s+(?:del?\s+(?:la\s+)?)?paciente"
            r"(?:\s+es)?)\s*:?\s*",
            "tn",
        ),
        _Mode.STRONG,
        starts="the name nombre",
    ),
    _Names(
        _rx(
            r"(?i)(?<!\d)\b(?:patients|pts|pacientes|census|roster|(?:patient|pt)\s+list|lista\s+de\s+pacientes)\b"
            r"(?:[^.()\n:;]{0,40}?[:(]|\s+(?:in|on|at|en|de|del)\s+[\w-]+(?:\s+[\w-]+)?)?"
            r"\s*(?:are|were|include|including|incl\.?|son|:|-|–)?\s*:?\s*",
            "pcrl",
        ),
        _Mode.STRONG,
        lower="lexicon",
        many=True,
        starts="patients pts pacientes census roster patient pt lista",
    ),
    _Names(
        _rx(
            r"(?i)\b(?:room|rm|bed|bay|stretcher|cubicle|cama|habitaci[oó]n|hab|cuarto|box)\.?\s*#?\s*"
            r"\d{1,4}[A-Za-z]?(?:-\d{1,2}|-[A-Da-d])?\b\s*(?:[:,\-–(/|]\s*)?(?:\s+is\s+)?",
            "rbschc",
        ),
        _Mode.WEAK,
        lower="lexicon",
        digits=True,
        starts="room rm bed bay stretcher cubicle cama habitación habitacion hab cuarto box",
    ),
    _Names(
        _rx(
            r"(?i)\b(?:wife|husband|spouse|daughter|son|mother|father|mom|mum|dad|sister|brother|guardian|caregiver"
            r"|grandson|granddaughter|grandmother|grandfather|niece|nephew|esposa|esposo|hija|hijo|madre|padre|mam[aá]"
            r"|pap[aá]|hermana|hermano|tutora?|cuidadora?|nieta|nieto|abuela|abuelo)(?:\s*,)?\s+"
            r"(?:(?P<named>named|called|llamad[oa]|de\s+nombre)\s+)?",
            "whsdmfbgcnepta",
        ),
        _Mode.MEDIUM,
        starts=(
            "wife husband spouse daughter son mother father mom mum dad sister brother guardian caregiver "
            "grandson granddaughter grandmother grandfather niece nephew esposa esposo hija hijo madre padre "
            "mamá mama papá papa hermana hermano tutor tutora cuidador cuidadora nieta nieto abuela abuelo"
        ),
    ),
    _Names(
        _rx(
            r"(?i)\b(?:familia|familiares|expediente|historia\s+cl[ií]nica|esposa|esposo|hija|hijo|madre|padre)"
            r"\s+(?:de|del)\s+(?:la\s+|el\s+)?(?:paciente\s+)?",
            "fehmp",
        ),
        _Mode.MEDIUM,
        starts="familia familiares expediente historia esposa esposo hija hijo madre padre",
    ),
    _Names(
        _rx(r"(?i)\b(?:cama|habitaci[oó]n|cuarto)\s+(?:de|del)\s+(?:la\s+|el\s+)?", "chc"),
        _Mode.WEAK,
        starts="cama habitación habitacion cuarto",
    ),
    _Names(
        _rx(r"(?i)\b(?:(?:full\s+)?name|nombre(?:\s+completo)?)\s*[:=]\s*", "fn"),
        _Mode.STRONG,
        lower="lexicon",
        context=_PATIENTISH,
        starts="full name nombre",
    ),
    _NameBefore(
        _rx(rf"(?i)\b{_ROOM_WORD}", "rbschc"),
        _rx(
            rf"{_NAME_BEFORE}\s*[,(\-–]?\s*(?i:(?:(?:is|who\s+is|está)\s+)?(?:in|at|from|en|de|del)\s+"
            rf"(?:(?:the|la|el)\s+)?{_UNIT})?\Z"
        ),
        _Mode.WEAK,
        digits=True,
        starts="room rm bed bay stretcher cama habitación habitacion hab cuarto",
    ),
    _NameBefore(
        _rx(r"(?<![\w-])\d{1,2}[NSEW]{1,2}-\d{1,3}\b", _DIGITS),
        _rx(
            rf"{_NAME_BEFORE}\s*[,(\-–]?\s*(?i:(?:(?:is|who\s+is|está)\s+)?(?:in|at|from|en|de|del)\s+"
            r"(?:(?:the|la|el)\s+)?)?\Z"
        ),
        _Mode.WEAK,
        digits=True,
    ),
    _NameBefore(
        _rx(rf"(?i)\b(?:in|at|from|en|de)\s+(?:(?:the|la|el)\s+)?{_UNIT}{_ROOM}", "iafed"),
        _TITLE_ANYWHERE,
        _Mode.WEAK,
        window=60,
        titled_gap=25,
        digits=True,
        starts="in at from en de",
    ),
    _NameBefore(
        _rx(
            r"(?i)\b(?:dob|d\.o\.b|date\s+of\s+birth|birth\s*date|born|mrn|mr\s*#|medical\s+record|chart\s+(?:number|no"
            r"|#)|record\s+(?:number|no|#)|ssn|social\s+security|(?:member|insurance|policy|subscriber)\s+(?:id|#|number)"
            r"|fecha\s+de\s+nacimiento|nacid[oa]|expediente|historia\s+cl[ií]nica|nss|aged?\s+\d{1,3})\b",
            "dbmcrsifnheay",
        ),
        _rx(rf"{_NAME_BEFORE}\s*[,(:\-–]?\s*(?:(?i:his|her|their|su)\s+)?\Z"),
        _Mode.PAIR,
        starts=(
            "dob d date birth born mrn mr medical chart record ssn social member insurance policy subscriber "
            "fecha nacido nacida expediente historia nss age aged"
        ),
    ),
    _NameBefore(
        _rx(r"(?i)\b(?:\d{1,3}\s*(?:yo|y/o|y\.o\.|years?\s+old|años))\b", _DIGITS),
        _rx(rf"{_NAME_BEFORE}\s*[,(:\-–]?\s*\Z"),
        _Mode.PAIR,
        marks=("yo", "y/o", "y.o", "old", "años"),
        digits=True,
    ),
    _Names(
        _rx(
            r"(?i)\b(?:discharge|admission|readmission|transport|transfer\s+home|stay|surgery|procedure|belongings"
            r"|wristband|alta|ingreso|traslado)\s+(?:of|for|de|del)\s+(?:(?:the\s+)?(?:patient|pt)\s+|(?:la|el)\s+"
            r"(?:paciente\s+)?)?",
            "dartsbpwi",
        ),
        _Mode.PAIR,
        starts=(
            "discharge admission readmission transport transfer stay surgery procedure belongings wristband "
            "alta ingreso traslado"
        ),
    ),
    _NameBefore(
        _rx(
            r"['’]s\s+(?i:room|bed|chart|records?|mrn|dob|family|wife|husband|spouse|daughter|son|mother|father|mom"
            r"|dad|sister|brother|caregiver|guardian|meds|medications?|iv|pump|labs?|wristband|armband|belongings"
            r"|dentures|glasses|hearing\s+aids?|walker|wheelchair|discharge|admission|surgery|procedure|diagnosis"
            r"|vitals|insulin|call\s+light|insurance|prescription|test\s+results|x-ray|scan|mri|biopsy|diet|tray"
            r"|bedside|ssn|date\s+of\s+birth|address|phone|visitors?|nurse|doctor|physician|care\s+team)\b",
            "'’",
        ),
        _rx(rf"{_NAME_BEFORE}\Z"),
        _Mode.WEAK,
        marks=("'s", "’s"),
    ),
    _NameBefore(
        _rx(r"(?i)\b(?:patient|pt|paciente|pte)\b(?-i:(?!\s+[A-Z][a-z]))", "p"),
        _rx(
            rf"{_NAME_BEFORE}(?:\s*\(\s*|(?:,\s+(?i:(?:is|was|es|who\s+is)\s+)?|\s+(?i:is|was|es|who\s+is)\s+)"
            r"(?i:a|an|the|our|my|un|una|el|la|nuestr[oa])\s+(?:\w+\s+)?)\Z"
        ),
        _Mode.MEDIUM,
        starts="patient pt paciente pte",
    ),
    _NameBefore(
        _rx(
            r"(?i)\b(?:admitted|discharged|readmitted|ingresad[oa]|dad[oa]\s+de\s+alta|hospitalizad[oa]|internad[oa])\b",
            "adrhi",
        ),
        _rx(rf"{_NAME_BEFORE}\s+(?i:was|is|has\s+been|got|fue|ha\s+sido)\s+\Z"),
        _Mode.MEDIUM,
        starts=(
            "admitted discharged readmitted ingresado ingresada dado dada hospitalizado hospitalizada "
            "internado internada"
        ),
    ),
)
_GATED: tuple[tuple[_Scanner, re.Pattern[str] | None], ...] = tuple(
    (d, re.compile("|".join(map(re.escape, d.marks))) if d.marks else None) for d in _DETECTORS
)
"""Each detector with its marks as one pattern: a text holding none of them is not scanned."""
_TRIGGERS: dict[str, tuple[int, ...]] = {}
for _index, _detector in enumerate(_DETECTORS):
    for _word in _detector.starts.split():
        _TRIGGERS[_word] = (*_TRIGGERS.get(_word, ()), _index)
"""Cue word → the detectors whose matches start with it."""
_LIST_PREFIX = re.compile(
    r"(?i)(?:(?:room|rm|bed|bay|cama|hab|habitaci[oó]n)\.?\s*#?\s*)?\d{1,4}[A-Za-z]?\s*[-:,.)]?\s+(?=\S)"
)
_LIST_NEXT = re.compile(
    r"(?i)(?:\s*\(\s*(?:(?:room|rm|bed|cama|hab)\.?\s*)?#?\s*\d{1,4}[A-Za-z]?\s*\)|\s+(?:in|en)\s+(?:(?:room|rm|bed|"
    r"cama|hab)\.?\s*)?#?\s*\d{1,4}[A-Za-z]?|\s*[-:]?\s*(?:(?:room|rm|bed|cama|hab)\.?\s*)?#?\s*\d{1,4}[A-Za-z]?\b)?"
    r"\s*(?:,\s*(?:and|y|&)?|;|/|&|\+|\band\b|\by\b|\be\b|\n|\s[-–]\s)\s*"
)

_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_PLACEHOLDER = re.compile(rf"\[({'|'.join(REASONS)})_(\d+)\]")
_KINDS = "|".join(REASONS)
_LEFTOVER = re.compile(rf"\[\s*(?:{_KINDS})[_ ]?\d+\s*\]|\b(?:{_KINDS})_\d+\b")


def clean(text: str) -> str:
    """NFKC form, dashes as "-", without invisible format characters (zero-width, direction marks)."""
    if text.isascii():  # already clean: ASCII has no format characters and one dash
        return text
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


def find(
    text: str, staff: frozenset[str] = frozenset(), work_domains: frozenset[str] = frozenset(), *, full: bool = False
) -> list[Finding]:
    """Protected data in `text`, in order, without overlaps (the first detector wins).

    `staff`: folded names of the organisation's people, never taken for patients' names.
    `work_domains`: the organisation's email domains; when given, any other address is personal.
    `full`: try every pattern over the whole text, not only where its cue words stand (the
    same findings, slower: for tests).
    """
    found: list[Finding] = []
    taken = bytearray(len(text))  # 1 where a finding is: overlaps are looked up, not searched for

    def add(kind: str, start: int, end: int) -> None:
        if taken.find(1, start, end) == -1:
            found.append(Finding(kind, text[start:end], start, end))
            taken[start:end] = b"\1" * (end - start)

    for hit in _hits(text, full):
        if hit.kind != "PATIENT" or not staff or _fold(" ".join(text[hit.start : hit.end].split())) not in staff:
            add(hit.kind, hit.start, hit.end)
    if any(f.kind == "PATIENT" for f in found):
        for start, end in _repeats(text, found):
            add("PATIENT", start, end)
    if work_domains and "@" in text:
        for m in _EMAIL.finditer(text):
            domain = m.group(1).lower()
            if not any(domain == d or domain.endswith("." + d) for d in work_domains):
                add("EMAIL", m.start(), m.end())
    return sorted(found, key=lambda f: f.start)


def _hits(text: str, full: bool) -> Iterator[_Hit]:
    """Every detector's hits, detector by detector; each tried only where it can match."""
    lower = text.lower()
    has_digit = _DIGIT.search(text) is not None
    at = {} if full else _cue_positions(text, lower)
    for index, (detector, marks) in enumerate(_GATED):
        if detector.digits and not has_digit:
            continue
        if full:
            yield from detector.scan(text, None)
        elif detector.starts:
            if index in at:
                yield from detector.scan(text, at[index])
        elif marks is None or marks.search(lower):
            yield from detector.scan(text, None)


def _cue_positions(text: str, lower: str) -> dict[int, list[int]]:
    """Where each detector's cue words stand: detector index → word starts."""
    at: dict[int, list[int]] = {}
    same = len(lower) == len(text)  # lower case keeps the positions (nearly always)
    for m in _WORD.finditer(lower if same else text):
        for index in _TRIGGERS.get(m.group() if same else m.group().lower(), ()):
            at.setdefault(index, []).append(m.start())
    return at


def _repeats(text: str, found: list[Finding]) -> Iterator[tuple[int, int]]:
    """Other mentions of a patient named once in context ("patient John Smith ... Smith's wife").

    The full name and each of its words of three letters or more, as written or capitalised,
    where they stand alone: not after a staff title ("Dr."), not inside a longer run of
    capitalised words ("Alice" of "Alice Nguyen").
    """
    forms: set[str] = set()
    for f in found:
        if f.kind == "PATIENT":
            forms.add(f.secret)
            for word in f.secret.split():
                word = word.rstrip(".")
                if len(word) >= 3 and _fold(word) not in _STOP_FIRST and not word.isupper():
                    forms.update((word, word[:1].upper() + word[1:]))
    if not forms:
        return
    alternation = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    for m in re.finditer(rf"(?<![\w'’.-])(?:{alternation})(?![\w-])", text):
        start, end = m.span()
        before = max(0, start - 30)
        if _CAPITALISED_AFTER.match(text, end) or (
            _CAPITALISED_BEFORE.search(text, before, start) and not _TITLE_BEFORE.search(text, before, start)
        ):
            continue
        if not _STAFF_BEFORE.search(text, max(0, start - 12), start):
            yield start, end


_CAPITALISED_BEFORE = re.compile(rf"{_U}[^\W\d_]*\.? \Z")
_CAPITALISED_AFTER = re.compile(rf" {_U}")


@dataclass(frozen=True)
class Redacted:
    """Redacted text and the placeholders it holds (placeholder → original text)."""

    text: str
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def kinds(self) -> set[str]:
        return {m.group(1) for m in _PLACEHOLDER.finditer(" ".join(self.mapping))}


class _People(Protocol):
    def known_names(self) -> Iterable[tuple[str, str]]: ...


class Redactor:
    """Replaces protected data with `[KIND_n]`; one Redacted per call, numbering per kind.

    `staff`: names of the organisation's people, kept even where a patient's name could stand;
    `work_domains`: the organisation's email domains (then every other address is redacted).
    `Redactor.for_people(directory)` takes both from the directory.
    """

    def __init__(self, staff: Iterable[str] = (), work_domains: Iterable[str] = ()) -> None:
        self.staff = frozenset(_fold(" ".join(name.split())) for name in staff)
        self.work_domains = frozenset(d.lower().lstrip("@") for d in work_domains)

    @classmethod
    def for_people(cls, people: _People) -> Redactor:
        known = list(people.known_names())
        return cls((name for name, _ in known), {email.rsplit("@", 1)[-1] for _, email in known if "@" in email})

    def find(self, text: str) -> list[Finding]:
        return find(clean(text), self.staff, self.work_domains)

    def reason(self, text: str) -> str | None:
        """`phi_reason` knowing the organisation's people: a text_guard where the directory is known."""
        return _reason(text, self.staff)

    def redact(self, text: str, mapping: Mapping[str, str] | None = None) -> Redacted:
        """Redact `text`; pass an earlier mapping to keep its placeholders and numbering."""
        text = clean(text)
        table = dict(mapping or {})
        reverse = {_kind(p) + "\0" + secret: p for p, secret in table.items()}
        out: list[str] = []
        last = 0
        for finding in find(text, self.staff, self.work_domains):
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
    """What protected data `text` holds ("a social security number"), or None; a text_guard.

    The reason names the kind of data, never the data itself.
    """
    return _reason(text, frozenset())


def _reason(text: str, staff: frozenset[str]) -> str | None:
    if _LEFTOVER.search(text):
        return messages.REASON_REMOVED
    for finding in find(clean(text), staff):
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
