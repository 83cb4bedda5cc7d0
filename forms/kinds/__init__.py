"""Field kinds: objects that turn what a person typed into the catalog's value, or refuse it.

One module per kind (text, email, person, money, integer, date, enum) and `pattern`, the kind
of every identifier a catalog declares as data (cost center, EIN, PO, invoice, asset tag).
`registry` maps the names a catalog writes to these objects; `normalize` reads any field.
"""

from forms.kinds.base import (
    Found,
    InputHint,
    Kind,
    Named,
    NormalizeContext,
    People,
    PersonResolver,
    fold,
    normalize,
)
from forms.kinds.date import DATE, DateKind
from forms.kinds.email import EMAIL, EmailKind
from forms.kinds.enum import ENUM, EnumKind
from forms.kinds.integer import INTEGER, IntegerKind
from forms.kinds.money import MONEY, MoneyKind
from forms.kinds.pattern import IdentifierSpec, PatternKind
from forms.kinds.person import PERSON, PersonKind
from forms.kinds.registry import BUILT_IN, Kinds, declare, standard
from forms.kinds.text import TEXT, TextKind

__all__ = [
    "BUILT_IN",
    "DATE",
    "EMAIL",
    "ENUM",
    "INTEGER",
    "MONEY",
    "PERSON",
    "TEXT",
    "DateKind",
    "EmailKind",
    "EnumKind",
    "Found",
    "IdentifierSpec",
    "InputHint",
    "IntegerKind",
    "Kind",
    "Kinds",
    "MoneyKind",
    "Named",
    "NormalizeContext",
    "PatternKind",
    "People",
    "PersonKind",
    "PersonResolver",
    "TextKind",
    "declare",
    "fold",
    "normalize",
    "standard",
]
