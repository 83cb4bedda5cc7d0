"""The language a person writes in, and the sentences of a message catalogue said in it.

Front Door speaks English and Spanish. What it says lives in message catalogues (the bot's in
`bot.core.messages`, the fields' refusals in `forms.messages`): each sentence is a `Text`, whose
English words are the string itself and whose translations come with it. `format` (and `str`) give
it in the language being spoken, which `speaking` sets for a stretch of work — the turn of the
person who wrote, then, around a notice or a card for someone else, that person's language.

`detect` reads the language of a message from its words: the common words of each language, and
Spanish's own letters and marks (ñ, accents, ¿ ¡). A message with nothing to tell ("REQ-1001",
"4", "ok") gives None, and the person's remembered language stands.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

ENGLISH = "en"
SPANISH = "es"
LANGUAGES = (ENGLISH, SPANISH)
NAMES = {ENGLISH: "English", SPANISH: "Spanish"}

SPEAKING: ContextVar[str] = ContextVar("frontdoor_speaking", default=ENGLISH)
"""The language being spoken by the work in hand."""


def current() -> str:
    return SPEAKING.get()


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Speak `language` (unchanged when None) until the block ends."""
    if language is None or language not in LANGUAGES:
        yield SPEAKING.get()
        return
    token = SPEAKING.set(language)
    try:
        yield language
    finally:
        SPEAKING.reset(token)


class Text(str):
    """A sentence of a catalogue: the English words, with their translations.

    Used as a `str` it is English (compared, hashed, joined, matched); `format(...)`, `str(...)`,
    f-strings, `+`, `lower()` and `capitalize()` give it in the language being spoken (`speaking`),
    English where a translation is missing."""

    __slots__ = ("key", "translations")
    key: str
    translations: Mapping[str, str]

    def __new__(cls, english: str, key: str = "", translations: Mapping[str, str] | None = None) -> Text:
        text = super().__new__(cls, english)
        text.key = key
        text.translations = dict(translations or {})
        return text

    def said(self, language: str | None = None) -> str:
        """The words in `language` (the language being spoken by default)."""
        language = language or SPEAKING.get()
        if language != ENGLISH:
            words = self.translations.get(language)
            if words is not None:
                return words
        return str.__str__(self)

    def format(self, *args: Any, **kwargs: Any) -> str:
        return self.said().format(*args, **kwargs)

    def __str__(self) -> str:
        return self.said()

    def __format__(self, spec: str) -> str:
        return format(self.said(), spec)

    def __add__(self, other: str) -> str:
        return self.said() + other

    def __radd__(self, other: str) -> str:  # "lead " + text: Python asks the subclass first
        return other + self.said()

    def lower(self) -> str:  # "Here is your {title.lower()}": said, then lowered
        return self.said().lower()

    def capitalize(self) -> str:
        return self.said().capitalize()


def said(text: str, language: str) -> str:
    """`text` in `language` (a catalogue's constant is typed `str` where it is written)."""
    return text.said(language) if isinstance(text, Text) else text


def placeholders(template: str) -> set[str]:
    """The names a template fills in ("{ref} is {status}" → {"ref", "status"})."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def catalogue(names: MutableMapping[str, Any], translations: Mapping[str, Mapping[str, str]]) -> dict[str, Text]:
    """Turn a module's upper-case string constants into `Text`s carrying their translations
    (`translations[language][NAME]`); the catalogue by name. A translation naming no sentence, or
    filling other placeholders than the English, is an error (caught by the tests at import)."""
    texts: dict[str, Text] = {}
    for name, value in list(names.items()):
        if name.isupper() and isinstance(value, str) and not name.startswith("_"):
            said = {lang: words[name] for lang, words in translations.items() if name in words}
            texts[name] = names[name] = Text(value, name, said)
    for lang, words in translations.items():
        unknown = set(words) - set(texts)
        if unknown:
            raise ValueError(f"{lang} catalogue names sentences that do not exist: {sorted(unknown)}")
        for name, words_said in words.items():
            if placeholders(words_said) != placeholders(texts[name]):
                theirs, ours = placeholders(words_said), placeholders(texts[name])
                raise ValueError(f"{lang} {name}: placeholders {theirs} != {ours}")
    return texts


# Reading the language of a message.

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]", re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SPANISH_WORDS = _words(
    """
    hablar persona humano alguien saber decir dar tomar hacer ver buscar bien gracias perdón disculpe
    último última próximo próxima tiene tienen tengo estoy estamos ese esos aquel
    de la el los las del que por para con una uno unos unas al lo le les se su sus mi mis tu tus nos es son está
    están esta este estos estas eso esto ese esa hay ha han fue ser estar tengo tiene tenemos necesito
    necesitamos necesita quiero queremos quisiera podría puede pueden puedo favor gracias hola buenos buenas
    días tardes noches saludos estimado estimada atentamente cordialmente señor señora pero como cuando donde
    dónde qué quién cuál cuánto cuanto también ya muy más menos sin sobre entre hasta desde hacia otro otra
    nuevo nueva nuevos nuevas solicitud solicito solicitar compra comprar aprobar aprobación aprobado rechazar
    rechazado centro costo costos cuenta equipo cama sala piso baño fuga luz puerta arreglar reparar acceso
    sistema lectura escritura proveedor factura contrato semana mañana hoy ayer lunes martes miércoles jueves
    viernes sábado domingo mes año día dólares dolares pesos unidad unidades urgente ahora pronto después antes
    ningún ninguna nada todo todos ni pues entonces porque aquí allí alguien alguno alguna cosa cosas ayuda
    ayudar eres oye mandar enviar cancelar retirar anular estado pedido pedí mío mía nuestro nuestra claro listo
    """
)
ENGLISH_WORDS = _words(
    """
    talk speak human person anyone know tell let like go see look find give take make thing what's where's
    sure sorry great good morning afternoon evening last next this that's there's isn't doesn't won't
    the an to of and for in on at by with from is are was were be been it its this that these those i we you she
    they our your their us them i'm we're it's don't can't please thanks thank need needs want would could
    should can will may might must have has had do does did get got hi hello hey dear regards sincerely best
    what who which when where why how any some all new order buy purchase approve approved reject rejected cost
    center account team bed room floor fix repair broken access system read write vendor invoice contract week
    tomorrow today yesterday monday tuesday wednesday thursday friday saturday sunday month year day dollars
    unit units urgent now soon after before nothing everything there here someone something help send cancel
    withdraw status request requests mine also just yes yeah not or but if so because about
    """
)
_SHARED = frozenset({"no", "si", "sí", "me", "a", "he", "y", "o", "u", "ok", "okay", "vale"})
"""Words both languages write (or that tell nothing): counted for neither."""
_MARGIN = 2
"""How many more of one language's words (a Spanish mark counts as one) a message needs to be read
as that language; a message of three words or fewer needs one, and none of the other."""


def detect(text: str) -> str | None:
    """The language `text` is written in, or None when it does not tell (codes only, too few
    words, as much of each: "necesito 3 monitors for 4 West")."""
    words = [w.lower() for w in _WORD.findall(text)]
    spanish = sum(1 for w in words if w in SPANISH_WORDS and w not in _SHARED)
    english = sum(1 for w in words if w in ENGLISH_WORDS and w not in _SHARED)
    spanish += min(2, len(_SPANISH_MARKS.findall(text)))
    margin = 1 if len(words) <= 3 and min(spanish, english) == 0 else _MARGIN
    if spanish - english >= margin:
        return SPANISH
    if english - spanish >= margin:
        return ENGLISH
    return None
