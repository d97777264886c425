"""The values an import plan holds, kept as columns: a 300 MB file makes millions of values, and
millions of Python tuples would take gigabytes.

Each value is a metric, a department, a series, a period and a field (actual, target or
forecast), each stored as a small integer into its table of names, and a number, a note and
the spreadsheet row it came from. Read one and it is a `ValueItem`; the planner's steps
(collisions, checks) and the writer work on whole columns with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from statdesk.domain.periods import Period

if TYPE_CHECKING:
    import numpy as np

    from statdesk.importing.plan import ValueItem

FIELDS = ("actual", "target", "forecast")
_COLUMNS = ("metric", "department", "series", "period", "field", "value", "note", "row")


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
        """Numbers for many, each distinct one looked up once."""
        import numpy as np

        items = list(items) if not isinstance(items, list | tuple) else items
        distinct = dict.fromkeys(items)
        for item in distinct:
            distinct[item] = self.code(item)
        return np.fromiter(map(distinct.__getitem__, items), dtype=np.int32, count=len(items))


class ValueList(Sequence["ValueItem"]):
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
        metric: Sequence[str],
        department: Sequence[str],
        series: Sequence[str],
        period: Sequence[Period],
        field: str | Sequence[str],
        value: Sequence[float | None],
        note: Sequence[str | None],
        row: Sequence[int],
    ) -> None:
        """Many values of one field at once, as columns of equal length."""
        import numpy as np

        count = len(metric)
        if not count:
            return
        numbers = np.fromiter(
            (np.nan if v is None else v for v in value), dtype=np.float64, count=count
        )
        fields = (
            np.full(count, FIELDS.index(field), dtype=np.int32)
            if isinstance(field, str)
            else np.fromiter(map(FIELDS.index, field), dtype=np.int32, count=count)
        )
        self._parts.append(
            {
                "metric": self.metrics.codes(metric),
                "department": self.departments.codes(department),
                "series": self.series_names.codes(series),
                "period": self.periods.codes(period),
                "field": fields,
                "value": numbers,
                "note": self.notes.codes(note),
                "row": np.asarray(row, dtype=np.int32),
            }
        )

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

    def __iadd__(self, items: Iterable[ValueItem]) -> ValueList:
        self.extend(items)
        return self

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
        self._data["value"][positions] = np.fromiter(
            (np.nan if v is None else v for v in values), dtype=np.float64, count=len(values)
        )
        self._data["note"][positions] = self.notes.codes(notes)

    # ----------------------------------------------------------------- as a sequence
    def __len__(self) -> int:
        return len(self._data["row"]) + sum(len(p["row"]) for p in self._parts)

    def _item(self, index: int) -> ValueItem:
        from statdesk.importing.plan import ValueItem

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

    def with_series(self) -> bool:
        import numpy as np

        codes = np.unique(self.column("series"))
        return any(self.series_names.items[c] for c in codes)

    def landed(self, combined: Iterable[int] = ()) -> np.ndarray[Any, Any]:
        """The rows the values came from, and `combined` ones, sorted and each once."""
        import numpy as np

        extra = np.fromiter(combined, dtype=np.int32)
        rows: np.ndarray[Any, Any] = np.union1d(self.column("row"), extra)
        return rows

    def numbers(self) -> np.ndarray[Any, Any]:
        array: np.ndarray[Any, Any] = self.column("value")
        return array
