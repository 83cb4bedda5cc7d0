"""Errors raised by the catalog and by field normalisation.

CatalogError          a catalog file is malformed (names the file, type and field)
FieldError            a value does not fit its field (names the field and the form)
  AmbiguousValue      a value matches more than one thing (two people, two choices)
"""

from __future__ import annotations


class CatalogError(Exception):
    """A catalog file that cannot be loaded; the message names file, type and field."""

    def __init__(self, message: str, *, file: str = "", type_id: str = "", field: str = "") -> None:
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"type {type_id}" if type_id else "",
                f"field {field}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.type_id = type_id
        self.field = field


class FieldError(ValueError):
    """A value refused for a field, with a message a person can act on."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class AmbiguousValue(FieldError):
    """The value could mean several things; `candidates` lists them."""

    def __init__(self, field: str, message: str, candidates: list[str]) -> None:
        super().__init__(field, message)
        self.candidates = candidates
