"""The values an import plan holds, kept as columns: a 300 MB file makes millions of values, and
millions of Python tuples would take gigabytes.

Each value is a metric, a department, a series, a period and a field (actual, target or
forecast), each stored as a small integer into its table of names, and a number, a note and
the spreadsheet row it came from. Read one and it is a `ValueItem`; the planner's steps
(collisions, checks) and the writer work on whole columns with numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from statdesk.domain.periods import Period

if TYPE_CHECKING:
    import numpy as np


class ValueItem(NamedTuple):  # a tuple: a 100,000-row file makes 200,000 of them
    metric: str
    department: str
    series: str  # "" for the city's own
    period: Period
    field: str  # actual, target or forecast
    value: float | None
    note: str | None
    row: int


FIELDS = ("actual", "target", "forecast")
_COLUMNS = ("metric", "department", "series", "period", "field", "value", "note", "row")


def distinct(array: Any) -> Any:
    """The array's distinct numbers, sorted, found by sorting a copy: np.unique hashes, which
    for millions of distinct numbers takes several times the array's memory."""
    import numpy as np

    ordered = np.sort(array)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


class _Names:
    """A table of distinct things (names, periods) and each one's number."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.index: dict[Any, int] = {}

    def code(self, item: Any) -> int:
        found = self.index.get(item)
        if found is None:
            found = self.index[item] = len(self.items)
            self.items.append(item)
        return found

    def codes(self, items: Iterable[Any]) -> Any:
        """Numbers for many, each distinct one looked up once. A column repeats the same few
        objects (a period, a name) thousands of times: they are told apart by identity first,
        which costs no hashing of each, then each distinct object is looked up by value."""
        import numpy as np

        items = list(items) if not isinstance(items, list | tuple) else items
        if not items:
            return np.zeros(0, dtype=np.int32)
        ids = np.fromiter(map(id, items), dtype=np.int64, count=len(items))
        _unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        found = np.fromiter(
            (self.code(items[i]) for i in first.tolist()), dtype=np.int32, count=len(first)
        )
        return found[inverse.ravel()]


class Coded(NamedTuple):
    """A column of things (each row's metric, say) as numbers into its own table of the
    distinct things: made once, it serves every column of values that shares it."""

    items: list[Any]
    codes: Any  # a numpy array of int32, one per row

    @classmethod
    def of(cls, things: Sequence[Any]) -> Coded:
        names = _Names()
        return cls(names.items, names.codes(things))

    def positions_of(self, test: Callable[[Any], bool]) -> Any:
        """A boolean array: whether each row's thing passes `test` (asked once a thing)."""
        import numpy as np

        passes = np.fromiter(map(test, self.items), dtype=bool, count=len(self.items))
        return passes[self.codes]

    def into(self, names: _Names, keep: Any = None) -> Any:
        """The codes of the rows at `keep` (all when None) in `names`' numbering; only the
        things those rows have are added to `names`."""
        import numpy as np

        local = self.codes if keep is None else self.codes[keep]
        used = np.unique(local).tolist()
        table = np.zeros(len(self.items), dtype=np.int32)
        table[used] = [names.code(self.items[u]) for u in used]
        return table[local]


class ValueList(Sequence[ValueItem]):
    """A sequence of `ValueItem`s in row order, stored as numpy columns."""

    def __init__(self, items: Iterable[ValueItem] = ()) -> None:
        import numpy as np

        self.metrics = _Names()
        self.departments = _Names()
        self.series_names = _Names()
        self.periods = _Names()
        self.notes = _Names()
        self.notes.code(None)  # note 0: none
        self._parts: list[dict[str, Any]] = []
        self._data: dict[str, Any] = {
            name: np.zeros(0, dtype=np.float64 if name == "value" else np.int32)
            for name in _COLUMNS
        }
        self.extend(items)

    # ----------------------------------------------------------------- adding
    def add_columns(
        self,
        metric: Sequence[str] | Coded,
        department: Sequence[str] | Coded,
        series: Sequence[str] | Coded,
        period: Sequence[Period] | Coded,
        field: str | Sequence[str],
        value: Sequence[float | None] | np.ndarray[Any, Any],
        note: Sequence[str | None] | Coded,
        row: Sequence[int] | np.ndarray[Any, Any],
        keep: np.ndarray[Any, Any] | None = None,
    ) -> None:
        """Many values of one field at once, as columns of equal length (or `Coded` ones, made
        once for many columns); `keep`, the positions to add, when not all."""
        import numpy as np

        numbers = np.asarray(value, dtype=np.float64)  # None: NaN
        rows = np.asarray(row, dtype=np.int32)
        fields = (
            np.full(len(numbers), FIELDS.index(field), dtype=np.int32)
            if isinstance(field, str)
            else np.fromiter(map(FIELDS.index, field), dtype=np.int32, count=len(numbers))
        )
        if keep is not None:
            numbers, rows, fields = numbers[keep], rows[keep], fields[keep]
        if not len(numbers):
            return
        named = (
            ("metric", self.metrics, metric),
            ("department", self.departments, department),
            ("series", self.series_names, series),
            ("period", self.periods, period),
            ("note", self.notes, note),
        )
        part = {
            name: (column if isinstance(column, Coded) else Coded.of(column)).into(names, keep)
            for name, names, column in named
        }
        self._parts.append({**part, "field": fields, "value": numbers, "row": rows})

    def append(self, item: ValueItem) -> None:
        self.extend([item])

    def extend(self, items: Iterable[ValueItem]) -> None:
        items = list(items)
        if items:
            self.add_columns(
                [i.metric for i in items],
                [i.department for i in items],
                [i.series for i in items],
                [i.period for i in items],
                [i.field for i in items],
                [i.value for i in items],
                [i.note for i in items],
                [i.row for i in items],
            )

    # ----------------------------------------------------------------- columns
    def column(self, name: str) -> Any:
        """A whole column as a numpy array (codes for names; values with NaN for none)."""
        self._join()
        return self._data[name]

    def _join(self) -> None:
        if not self._parts:
            return
        import numpy as np

        for name in _COLUMNS:  # a column at a time: one column's copy in memory at once
            pieces = [self._data[name], *(p.pop(name) for p in self._parts)]
            self._data[name] = np.concatenate(pieces)
            del pieces
        self._parts = []

    def reorder(self, order: Any) -> None:
        """Put the values in `order` (an array of positions); positions left out are gone."""
        self._join()
        for name in _COLUMNS:
            self._data[name] = self._data[name][order]

    def order_by_rows(self) -> None:
        """Row order, the values of one row in the order they were added (stable)."""
        import numpy as np

        rows = self.column("row")
        if len(rows) > 1 and np.any(rows[1:] < rows[:-1]):
            self.reorder(np.argsort(rows, kind="stable"))

    def keep(self, mask: Any) -> None:
        """Keep the values where `mask` (a boolean array) is true."""
        import numpy as np

        self.reorder(np.flatnonzero(mask))

    def set_values(self, positions: Any, values: Any, notes: Sequence[str | None]) -> None:
        """New numbers and notes for some values (a sum of rows, a rescaled fraction)."""
        import numpy as np

        self._join()
        self._data["value"][positions] = np.asarray(values, dtype=np.float64)
        self._data["note"][positions] = self.notes.codes(notes)

    # ----------------------------------------------------------------- as a sequence
    def __len__(self) -> int:
        return len(self._data["row"]) + sum(len(p["row"]) for p in self._parts)

    def _item(self, index: int) -> ValueItem:
        d = self._data
        value = float(d["value"][index])
        return ValueItem(
            self.metrics.items[d["metric"][index]],
            self.departments.items[d["department"][index]],
            self.series_names.items[d["series"][index]],
            self.periods.items[d["period"][index]],
            FIELDS[d["field"][index]],
            None if value != value else value,
            self.notes.items[d["note"][index]],
            int(d["row"][index]),
        )

    @overload
    def __getitem__(self, index: int) -> ValueItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[ValueItem]: ...

    def __getitem__(self, index: int | slice) -> ValueItem | list[ValueItem]:
        self._join()
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._item(index)

    def __iter__(self) -> Iterator[ValueItem]:
        self._join()
        for index in range(len(self)):
            yield self._item(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ValueList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:  # a list of values is not a key
        raise TypeError("unhashable type: 'ValueList'")

    def __repr__(self) -> str:
        return f"ValueList({len(self):,} values)"

    # ----------------------------------------------------------------- questions
    def metric_names(self) -> set[str]:
        """The metrics the values are of (own series only, or all)."""
        import numpy as np

        codes = np.unique(self.column("metric"))
        return {self.metrics.items[c] for c in codes}

    def decimals_by_metric(self, most: int = 4) -> dict[str, int]:
        """The decimals each metric's values are written with (7.56: 2), at most `most`: a
        metric made by the import is shown as precisely as the file gives it."""
        import numpy as np

        numbers = self.column("value")
        known = ~np.isnan(numbers)
        places = np.full(len(numbers), most, dtype=np.int8)
        for count in range(most - 1, -1, -1):  # the fewest decimals that write it exactly
            exact = known & np.isclose(np.round(numbers, count), numbers, rtol=0, atol=1e-9)
            places[exact] = count
        places[~known] = 0
        found = np.zeros(len(self.metrics.items), dtype=np.int8)
        np.maximum.at(found, self.column("metric"), places)
        return {name: int(found[code]) for code, name in enumerate(self.metrics.items)}

    def landed(self, combined: Iterable[int] = ()) -> np.ndarray[Any, Any]:
        """The rows the values came from, and `combined` ones, sorted and each once."""
        import numpy as np

        extra = np.fromiter(combined, dtype=np.int32)
        rows: np.ndarray[Any, Any] = distinct(np.concatenate([self.column("row"), extra]))
        return rows
