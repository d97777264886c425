"""Reading a shaped table's rows for a plan: a row's cell for a field, the rows with their
spreadsheet numbers (with progress), and row numbers said as ranges."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from statdesk.importing.progress import Progress
from statdesk.importing.shape import Table


class Cells:
    """A row's cell for a field, by the mapping, looked up in a table made once."""

    def __init__(self, table: Table, mapping: dict[str, str]) -> None:
        self.index = {
            field: table.columns.index(column)
            for column, field in mapping.items()
            if column in table.columns
        }

    def __call__(self, row: list[Any], field_name: str) -> Any:
        position = self.index.get(field_name)
        return None if position is None else row[position]


def rows_of(table: Table, progress: Progress | None) -> Iterator[tuple[list[Any], int]]:
    """The table's rows with their spreadsheet row numbers; progress (from halfway, the
    reading being the first half) every 10,000 rows, where a Stop takes effect."""
    total = max(1, len(table.rows))
    for index, (row, number) in enumerate(zip(table.rows, table.source_rows, strict=True)):
        if progress is not None and index % 10_000 == 0:
            progress.step(0.5 + 0.5 * index / total)
        yield row, number


def ranges(numbers: list[int]) -> str:
    """Row numbers shown as ranges: "3–5, 8, 12–40"."""
    from statdesk.importing.shape import _ranges

    return _ranges(numbers) if numbers else ""


def column_of(mapping: dict[str, str], field_name: str) -> str:
    return next((c for c, f in mapping.items() if f == field_name), field_name)
