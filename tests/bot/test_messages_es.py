"""The Spanish catalogue: every sentence of `bot.core.messages` has its Spanish, with the same
placeholders, and the bot says it when Spanish is being spoken (English otherwise)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core import messages as say
from bot.core.messages_es import ES
from forms.language import Text, catalogue, placeholders, speaking


def _sentences() -> dict[str, str]:
    """The catalogue's upper-case string constants, by name (their English words)."""
    return {
        name: str.__str__(value)
        for name, value in vars(say).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, str)
    }


def test_every_sentence_has_its_spanish() -> None:
    missing = sorted(set(_sentences()) - set(ES))
    assert not missing, f"{len(missing)} sentences of bot.core.messages have no Spanish in messages_es.ES: {missing}"


def test_every_sentence_is_a_text_carrying_its_spanish() -> None:
    """A constant defined after `catalogue(...)` runs stays a plain str and is never said in Spanish."""
    plain = sorted(name for name, value in vars(say).items() if name in _sentences() and not isinstance(value, Text))
    assert not plain, f"defined after catalogue() in bot.core.messages, so never translated: {plain}"


def test_the_spanish_fills_the_same_placeholders() -> None:
    english = _sentences()
    catalogue(dict(english), {"es": ES})  # raises on an unknown name or other placeholders
    differ = {
        name: (sorted(placeholders(words)), sorted(placeholders(english[name])))
        for name, words in ES.items()
        if name in english and placeholders(words) != placeholders(english[name])
    }
    assert not differ


def test_the_spanish_keeps_the_english_edges() -> None:
    """Sentences are joined: a leading or trailing space, or a blank line, stays where the English has it."""
    english = _sentences()
    wrong = [
        name
        for name, words in ES.items()
        if name in english
        and (words[:1].isspace(), words[-1:].isspace(), words.count("\n"))
        != (english[name][:1].isspace(), english[name][-1:].isspace(), english[name].count("\n"))
    ]
    assert not wrong


def test_spoken_in_spanish() -> None:
    with speaking("es"):
        assert str(say.OWN_REQUEST) == "No puede aprobar su propia solicitud; necesita la decisión de otra persona."
        submitted = say.SUBMITTED_NEEDS.format(ref="REQ-1001", title="Solicitud de compra", approvers="Carol Diaz")
        assert submitted == (
            "Se envió REQ-1001 (Solicitud de compra). Necesita la aprobación de Carol Diaz. Le avisaré en cada paso."
        )
        assert say.duration(timedelta(hours=3)) == "3 horas"
        assert say.day(date(2026, 12, 14)) == "lun 14 dic"
        assert say.status("pending_approval") == "en espera de aprobación"
        assert say.a_or_an("solicitud de acceso") == "solicitud de acceso"
        assert say.RESPOND_WITHIN.format(hours=4.0) == " El equipo de servicio responderá en un plazo de 4 horas."


def test_spoken_in_english_otherwise() -> None:
    assert str(say.OWN_REQUEST) == "You can't approve your own request; it needs someone else's decision."
    submitted = say.SUBMITTED_NEEDS.format(ref="REQ-1001", title="Purchase requisition", approvers="Carol Diaz")
    assert submitted == (
        "Submitted REQ-1001 (Purchase requisition). It needs approval from Carol Diaz. I'll let you know at each step."
    )
    assert say.duration(timedelta(hours=3)) == "3 hours"
    assert say.day(date(2026, 12, 14)) == "Mon Dec 14"
    with speaking("en"):
        assert say.a_or_an("access request") == "an access request"
    with speaking("es"):
        assert str(say.BUTTON_APPROVE) == "Aprobar"
    assert str(say.BUTTON_APPROVE) == "Approve"  # English again once the Spanish stretch ends
