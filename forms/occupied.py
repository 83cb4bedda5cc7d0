"""Which characters of a text are taken by values already found.

A long message holds thousands of candidate values; testing each new one against a list of the
ones found so far made reading it quadratic in its length. A mark per character makes the test
proportional to the candidate's own length instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Occupied:
    """Character marks over a text of `size` characters."""

    __slots__ = ("_marks",)

    def __init__(self, size: int, spans: Iterable[_Spanned] = ()) -> None:
        self._marks = bytearray(size + 1)
        for span in spans:
            self.add(span.start, span.end)

    def add(self, start: int, end: int) -> None:
        if end > start:
            self._marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any character of [start, end) is taken (an empty range never is)."""
        return end > start and self._marks.find(1, start, end) != -1

    def taken(self, position: int) -> bool:
        return 0 <= position < len(self._marks) and self._marks[position] == 1
