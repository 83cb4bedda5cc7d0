"""The service catalog: request types as data, field kinds, validation and approval policy."""

from forms.catalog import DEFAULT_CATALOG, Catalog, load_catalog
from forms.errors import AmbiguousValue, CatalogError, FieldError
from forms.kinds import NormalizeContext, normalize
from forms.spec import ApprovalStepSpec, Choice, FieldSpec, RequestTypeSpec
from forms.validate import FormCheck, check_form, missing_fields, normalize_field

__all__ = [
    "DEFAULT_CATALOG",
    "AmbiguousValue",
    "ApprovalStepSpec",
    "Catalog",
    "CatalogError",
    "Choice",
    "FieldError",
    "FieldSpec",
    "FormCheck",
    "NormalizeContext",
    "RequestTypeSpec",
    "check_form",
    "load_catalog",
    "missing_fields",
    "normalize",
    "normalize_field",
]
