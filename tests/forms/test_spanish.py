"""The catalog and the fields' refusals in Spanish: everything said has its translation, and the
words follow the language being spoken while English stays as it was."""

from __future__ import annotations

from datetime import date

import pytest

from forms import FieldError, NormalizeContext, load_catalog, messages, normalize_field
from forms.kinds.base import fold
from forms.language import ENGLISH, SPANISH, placeholders, speaking
from intents.guard import _again
from intents.offline.classifier.training import training_examples
from intents.redact import phi_reason

CATALOG = load_catalog()
CTX = NormalizeContext(today=date(2026, 11, 23))
PURCHASE = CATALOG.get("purchase_requisition")


def test_every_type_field_and_choice_has_spanish() -> None:
    missing: list[str] = []
    for spec in CATALOG.types.values():
        for key in ("title", "description"):
            if SPANISH not in getattr(spec, key).translations:
                missing.append(f"{spec.id}: {key}")
        for field in spec.fields:
            for key, words in (("label", field.display), ("question", field.ask)):
                if SPANISH not in words.translations:
                    missing.append(f"{spec.id}.{field.name}: {key}")
            missing.extend(
                f"{spec.id}.{field.name}.{choice.id}: label"
                for choice in field.choices
                if SPANISH not in choice.display.translations
            )
    assert not missing, missing


def test_every_identifier_says_what_it_expects_in_spanish() -> None:
    kinds = CATALOG.kinds.identifiers
    assert kinds
    assert [k.name for k in kinds if SPANISH not in getattr(k.expected, "translations", {})] == []


def test_spanish_choice_labels_name_their_own_choice_only() -> None:
    """A Spanish label typed back is read as its choice, and as no other of the field's."""
    for spec in CATALOG.types.values():
        for field in spec.fields:
            for choice in field.choices:
                label = choice.display.translations[SPANISH]
                with speaking(SPANISH):
                    assert normalize_field(spec, field.name, label, CTX) == choice.id, (spec.id, label)
                others = {fold(name) for o in field.choices if o is not choice for name in (o.id, o.label, *o.synonyms)}
                assert fold(label) not in others, (spec.id, field.name, label)


def test_every_message_has_spanish_with_the_same_placeholders() -> None:
    assert messages.MESSAGES
    for name, text in messages.MESSAGES.items():
        assert getattr(messages, name) is text
        spanish = text.translations.get(SPANISH)
        assert spanish, f"{name} has no Spanish"
        assert placeholders(spanish) == placeholders(text), name
    assert set(messages.ES) == set(messages.MESSAGES)


def refusal(field: str, raw: object, language: str) -> str:
    with speaking(language), pytest.raises(FieldError) as caught:
        normalize_field(PURCHASE, field, raw, CTX)
    return caught.value.message


@pytest.mark.parametrize(
    ("field", "raw", "english", "spanish"),
    [
        (
            "cost_center",
            "44",
            "Cost center should be CC- and four digits, e.g. CC-4410.",
            "El campo «Centro de costos» debe ser CC- y cuatro dígitos, p. ej., CC-4410.",
        ),
        (
            "estimated_cost",
            "lots",
            "Estimated cost should be an amount in US dollars, like $12,500 or 12.5k.",
            "El campo «Costo estimado» debe ser un monto en dólares estadounidenses, como $12,500 o 12.5k.",
        ),
        (
            "estimated_cost",
            "0",
            "Estimated cost must be more than 0.",
            "El campo «Costo estimado» debe ser mayor que 0.",
        ),
        (
            "needed_by",
            "someday",
            "Needed by should be a date, like 2026-12-01, Dec 1 or next Friday.",
            "El campo «Fecha requerida» debe ser una fecha, como 2026-12-01, 1 de diciembre o el próximo viernes.",
        ),
        (
            "needed_by",
            "2020-01-01",
            "Needed by cannot be in the past; please give a date from today on.",
            "El campo «Fecha requerida» no puede ser una fecha pasada; indique una fecha a partir de hoy.",
        ),
        (
            "nothing_such",
            "x",
            "Purchase requisition has no field called 'nothing_such'.",
            "«Solicitud de compra» no tiene ningún campo llamado 'nothing_such'.",
        ),
    ],
)
def test_refusals_follow_the_language_spoken(field: str, raw: object, english: str, spanish: str) -> None:
    assert refusal(field, raw, SPANISH) == spanish
    assert refusal(field, raw, ENGLISH) == english
    assert type(refusal(field, raw, ENGLISH)) is str  # a plain string: said once, in its language


def test_a_choice_refusal_lists_ids_in_english_and_labels_in_spanish() -> None:
    access = CATALOG.get("access_request")
    with pytest.raises(FieldError) as english:
        normalize_field(access, "access_level", "sudo", CTX)
    assert english.value.message == "Access level should be one of: read, write, admin."
    with speaking(SPANISH), pytest.raises(FieldError) as spanish:
        normalize_field(access, "access_level", "sudo", CTX)
    assert spanish.value.message == (
        "El campo «Nivel de acceso» debe ser una de estas opciones: Lectura, Escritura, Administrador."
    )


def test_protected_data_is_named_in_the_language_spoken() -> None:
    reason = phi_reason("SSN 123-45-6789")
    assert reason == "a social security number"
    with speaking(SPANISH):
        said = messages.PROTECTED.format(label=PURCHASE.field("justification").display, reason=reason)
    assert said == "El campo «Justificación» no debe contener un número de seguro social; por favor, retire ese dato."
    assert messages.PROTECTED.format(label=PURCHASE.field("justification").display, reason=reason) == (
        "Justification must not contain a social security number; please leave it out."
    )


def test_a_label_inside_a_sentence_is_lowered_in_the_language_spoken() -> None:
    field = PURCHASE.field("cost_center")
    assert _again(field) == "I couldn't read the cost center; please give it again."
    with speaking(SPANISH):
        assert _again(field) == "No pude leer el campo «centro de costos»; por favor, escríbalo de nuevo."


def test_the_classifier_learns_english_whatever_language_is_spoken() -> None:
    english = [(e.text, e.label, e.weight) for e in training_examples(CATALOG)]
    with speaking(SPANISH):
        spanish = [(e.text, e.label, e.weight) for e in training_examples(CATALOG)]
    assert spanish == english
    assert ("Purchase requisition. Buy goods or services.", "purchase_requisition", 0.8) in english
    assert all(type(text) is str for text, _, _ in spanish)
