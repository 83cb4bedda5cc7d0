"""Every sentence the forms and the parsers say to a person, in one place: English, and Spanish.

A field's refusal names the field by its label (`FieldSpec.display`, a `forms.language.Text`):
`NAME.format(label=spec.display, ...)` says the sentence and the label in the language being
spoken (`forms.language.speaking`). Where a label sits inside a sentence in lower case, `lowered`
lowers the words said, whatever kind of string it is given. The bot's own sentences are in
`bot.core.messages`.
"""

from __future__ import annotations

from forms import language

# Refusals of a value (forms/kinds/, forms/validate.py).

EMPTY = "{label} cannot be empty."
PROTECTED = "{label} must not contain {reason}; please leave it out."
MORE_THAN = "{label} must be more than {bound:g}."
AT_LEAST = "{label} must be at least {bound:g}."
AT_MOST = "{label} must be at most {bound:g}."
NOT_A_DATE = "{label} should be a date, like 2026-12-01, Dec 1 or next Friday."
PAST_DATE = "{label} cannot be in the past; please give a date from today on."
NOT_AN_EMAIL = "{label} should be an email address, like jane.doe@example.org."
NOT_A_CHOICE = "{label} should be one of: {choices}."
NOT_A_NUMBER = "{label} should be a whole number, like 3."
NOT_A_COUNT = "{label} should be a whole number, like 3 or three."
NOT_AN_AMOUNT = "{label} should be an amount in US dollars, like $12,500."
NOT_AN_AMOUNT_SHORT = "{label} should be an amount in US dollars, like $12,500 or 12.5k."
NOT_A_CODE = "{label} should be {expected}, e.g. {example}."
"""An identifier (forms/kinds/pattern.py): `expected` is the identifier's own words for it."""
WHICH_PERSON = "{label}: {value!r} could be {names}. Which one (email)?"
UNKNOWN_PERSON = "{label}: I can't find that person in the directory; give their work email."
TOO_LONG = "{label} is too long ({length} characters; at most {limit})."
NO_SUCH_FIELD = "{title} has no field called {name!r}."
OR = " or "
"""Between the last two of a list of alternatives ("Bob Martin or Bob Lee")."""
AND = " and "
"""Between the things of a list ("monitors and keyboards")."""
PERSON_PLACEHOLDER = "Name or email"
"""What an empty person input shows."""

# What protected data a value holds, said in a refusal (intents/redact.py, `PROTECTED`).

REASON_SSN = "a social security number"
REASON_MRN = "a medical record number"
REASON_DOB = "a date of birth"
REASON_PATIENT = "a patient's name"
REASON_MEMBER = "a member or account id"
REASON_CARD = "a payment card number"
REASON_BANK = "a bank account or routing number"
REASON_ADDRESS = "a home address"
REASON_EMAIL = "a personal email address"
REASON_PHONE = "a phone number"
REASON_REMOVED = "protected data that was removed"

# What the parsers could not read for sure (intents/).

READ_AGAIN = "I couldn't read the {label}; please give it again."
READ_TWO_WAYS = "I read the {label} as {first} but also as {second} — which is it?"
NOT_SURE = "I'm not sure I read the {label} right{shown}; what is it?"
"""`shown` is empty, or the value read in brackets after a space (" (CC-4410)")."""
MORE_THAN_ONE_ITEM = "I read more than one item ({items}); one request holds one — which is this one?"

ES = {
    "EMPTY": "El campo «{label}» no puede quedar vacío.",
    "PROTECTED": "El campo «{label}» no debe contener {reason}; por favor, retire ese dato.",
    "MORE_THAN": "El campo «{label}» debe ser mayor que {bound:g}.",
    "AT_LEAST": "El campo «{label}» debe ser al menos {bound:g}.",
    "AT_MOST": "El campo «{label}» debe ser como máximo {bound:g}.",
    "NOT_A_DATE": "El campo «{label}» debe ser una fecha, como 2026-12-01, 1 de diciembre o el próximo viernes.",
    "PAST_DATE": "El campo «{label}» no puede ser una fecha pasada; indique una fecha a partir de hoy.",
    "NOT_AN_EMAIL": "El campo «{label}» debe ser una dirección de correo electrónico, como jane.doe@example.org.",
    "NOT_A_CHOICE": "El campo «{label}» debe ser una de estas opciones: {choices}.",
    "NOT_A_NUMBER": "El campo «{label}» debe ser un número entero, como 3.",
    "NOT_A_COUNT": "El campo «{label}» debe ser un número entero, como 3 o tres.",
    "NOT_AN_AMOUNT": "El campo «{label}» debe ser un monto en dólares estadounidenses, como $12,500.",
    "NOT_AN_AMOUNT_SHORT": "El campo «{label}» debe ser un monto en dólares estadounidenses, como $12,500 o 12.5k.",
    "NOT_A_CODE": "El campo «{label}» debe ser {expected}, p. ej., {example}.",
    "WHICH_PERSON": "{label}: {value!r} podría ser {names}. ¿A quién se refiere (correo electrónico)?",
    "UNKNOWN_PERSON": "{label}: no encuentro a esa persona en el directorio; indique su correo electrónico de trabajo.",
    "TOO_LONG": "El campo «{label}» es demasiado largo ({length} caracteres; máximo {limit}).",
    "NO_SUCH_FIELD": "«{title}» no tiene ningún campo llamado {name!r}.",
    "OR": " o ",
    "AND": " y ",
    "PERSON_PLACEHOLDER": "Nombre o correo electrónico",
    "REASON_SSN": "un número de seguro social",
    "REASON_MRN": "un número de expediente médico",
    "REASON_DOB": "una fecha de nacimiento",
    "REASON_PATIENT": "el nombre de un paciente",
    "REASON_MEMBER": "un número de afiliado o de cuenta",
    "REASON_CARD": "un número de tarjeta de pago",
    "REASON_BANK": "un número de cuenta bancaria o de ruta bancaria",
    "REASON_ADDRESS": "un domicilio particular",
    "REASON_EMAIL": "un correo electrónico personal",
    "REASON_PHONE": "un número de teléfono",
    "REASON_REMOVED": "datos protegidos que se eliminaron",
    "READ_AGAIN": "No pude leer el campo «{label}»; por favor, escríbalo de nuevo.",
    "READ_TWO_WAYS": "Leí el campo «{label}» como {first}, pero también como {second}: ¿cuál es?",
    "NOT_SURE": "No estoy seguro de haber leído bien el campo «{label}»{shown}; ¿cuál es?",
    "MORE_THAN_ONE_ITEM": "Leí más de un artículo ({items}); cada solicitud lleva uno solo: ¿cuál es este?",
}


def lowered(words: str) -> str:
    """`words` as said in the language being spoken, in lower case (a label inside a sentence)."""
    return str(words).lower()


def joined(items: list[str] | tuple[str, ...], between: str) -> str:
    """`items` joined by a catalogue word (`OR`, `AND`) as the language being spoken says it."""
    return str(between).join(str(item) for item in items)


MESSAGES = language.catalogue(globals(), {language.SPANISH: ES})
"""Every sentence by name."""
