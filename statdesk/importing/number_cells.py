"""A big text file's column of numbers, kept as numbers.

A 300 MB CSV of values has millions of distinct numbers as text ("3152.22"): as Python strings
they take about 60 bytes each. `NumberCells` keeps each as a float and its count of decimals (9
bytes), and gives back the very text the file had when read: a cell is kept as a number only if
it is plain decimal text ("-12", "3152.20") that its number writes back exactly. Anything else
("1,234", "n/a", "", "1e5", "007") is kept as text.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

_PLAIN = re.compile(r"-?\d+(?:\.(\d+))?").fullmatch
_DIGITS = 15  # a double holds any decimal of 15 significant digits exactly as written
_TEXT = -1  # the decimals of a cell kept as text


class NumberCells(Sequence[Any]):
    """A column's cells: numbers as floats, the rest as text; reads back as the file's text."""

    def __init__(self, cells: Iterable[Any] = ()) -> None:
        self.values = array("d")
        self.decimals = array("b")
        self.texts: dict[int, Any] = {}
        self.extend(cells)

    def extend(self, cells: Iterable[Any]) -> None:
        values, decimals, texts = self.values, self.decimals, self.texts
        add_value, add_decimals = values.append, decimals.append
        position = len(values)
        for cell in cells:
            match = _PLAIN(cell) if cell.__class__ is str and len(cell) <= _DIGITS else None
            if match is not None:
                places = len(match[1] or "")
                number = float(cell)
                if f"{number:.{places}f}" == cell:
                    add_value(number)
                    add_decimals(places)
                    position += 1
                    continue
            add_value(0.0)
            add_decimals(_TEXT)
            texts[position] = cell
            position += 1

    def take(self, positions: Sequence[int]) -> NumberCells:
        """The cells at `positions`, in that order, still kept as numbers."""
        taken = NumberCells()
        taken.values = array("d", map(self.values.__getitem__, positions))
        taken.decimals = array("b", map(self.decimals.__getitem__, positions))
        texts = self.texts
        if texts:
            taken.texts = {new: texts[old] for new, old in enumerate(positions) if old in texts}
        return taken

    def mostly_text(self) -> bool:
        """Whether more than a tenth of the cells are text: a plain list is smaller then."""
        return len(self.texts) > len(self.values) // 10

    def numbers(self) -> tuple[Any, dict[int, Any]]:
        """Each cell's number as a numpy array (NaN for a cell kept as text), and the cells
        kept as text by position."""
        import numpy as np

        values = np.frombuffer(self.values, dtype=np.float64).copy()
        if self.texts:
            values[list(self.texts)] = np.nan
        return values, self.texts

    def _cell(self, index: int) -> Any:
        places = self.decimals[index]
        if places == _TEXT:
            return self.texts[index]
        return f"{self.values[index]:.{places}f}"

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._cell(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._cell(index)

    def __iter__(self) -> Iterator[Any]:
        return map(self._cell, range(len(self)))
