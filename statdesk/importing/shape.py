"""From a sheet's cells to a table: where the header is, what the columns are called, which
rows are data. Everything left out is said in a notice, so the preview shows exactly what
will be imported and why the rest will not."""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, overload

from statdesk.domain.numbers import counted
from statdesk.importing import coerce
from statdesk.importing.coerce import is_blank
from statdesk.importing.header import _filled, clean_label, find_header_row
from statdesk.importing.number_cells import NumberCells
from statdesk.importing.sources import RawTable, SourceProblem
from statdesk.importing.totals import TotalRow, find_totals, group_column, is_candidate


@dataclass
class Table:
    columns: list[str]
    rows: Sequence[list[Any]]
    source_rows: Sequence[int]  # the spreadsheet's row number (1-based) of each row
    header_row: int  # 1-based; 0 when the file has no header
    notices: list[str] = field(default_factory=list)
    footnotes: bool = False  # rows of footnotes were found: names may carry their markers
    # Rows (by index) labelled and placed as totals of the rows above them; the planner
    # leaves them out unless they have an identifier of their own or totals are kept.
    totals: dict[int, TotalRow] = field(default_factory=dict)
    # A big file's cells, held by column (rows is then a view over them); a column of numbers
    # as NumberCells.
    columnar: list[Any] | None = field(default=None, repr=False, compare=False)
    sheet: str | None = None  # the workbook's sheet it was read from
    _cells: dict[int, Sequence[Any]] = field(default_factory=dict, repr=False, compare=False)

    def cells(self, position: int) -> Sequence[Any]:
        """The cells of the column at `position`, top to bottom (made once; every row is as
        wide as `columns`)."""
        if position not in self._cells:
            self._cells[position] = list(map(itemgetter(position), self.rows))
        return self._cells[position]

    def with_cells(self, position: int, cells: list[Any]) -> None:
        """Put `cells` in the column at `position` (dates rewritten year first, say); the
        rows whose cell changes are copied, so the sheet as read stays as it was."""
        if self.columnar is not None:
            self.columnar[position] = self._cells[position] = list(cells)
            return
        assert isinstance(self.rows, list)
        for index, (row, cell) in enumerate(zip(self.rows, cells, strict=True)):
            if row[position] is not cell and row[position] != cell:
                self.rows[index] = row = list(row)
                row[position] = cell
        self._cells[position] = list(cells)

    def distinct_texts(self, column: str, limit: int = 500) -> list[str]:
        """The column's distinct cells as text, sorted, at most `limit` (what a choice of
        series or filter may name)."""
        cells = self.cells(self.columns.index(column))
        texts = dict.fromkeys(str(c).strip() for c in cells if c not in (None, ""))
        return sorted(texts, key=str.casefold)[:limit]

    def without(self, indices: set[int]) -> Table:
        """The table without the rows at `indices` (totals left out, rows filtered out)."""
        if not indices:
            return self
        kept = [i for i in range(len(self.rows)) if i not in indices]
        renumber = {old: new for new, old in enumerate(kept)}
        totals = {renumber[i]: t for i, t in self.totals.items() if i in renumber}
        if self.columnar is not None:
            columns = [
                column.take(kept) if isinstance(column, NumberCells) else [column[i] for i in kept]
                for column in self.columnar
            ]
            table = Table(
                self.columns,
                RowsView(columns, len(kept)),
                [self.source_rows[i] for i in kept],
                self.header_row,
                self.notices,
                self.footnotes,
                totals,
                columns,
            )
            table._cells.update(enumerate(columns))
            return table
        return Table(
            self.columns,
            [self.rows[i] for i in kept],
            [self.source_rows[i] for i in kept],
            self.header_row,
            self.notices,
            self.footnotes,
            totals,
        )


def _fill_merged(raw: RawTable, first_data: int) -> None:
    """Give every cell of a merged range its top-left value where the range labels groups of
    rows (a department written once for several lines)."""
    for (r0, c0), (r1, c1) in raw.merged:
        if r0 < first_data or r1 == r0 or r0 >= len(raw.rows):
            continue
        value = raw.rows[r0][c0] if c0 < len(raw.rows[r0]) else None
        for r in range(r0, min(r1, len(raw.rows) - 1) + 1):
            row = raw.rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if is_blank(row[c]):
                    row[c] = value


def _names(raw: RawTable, header: int, width: int) -> list[str]:
    """Column names from the header row, prefixed by a merged group label above it."""
    groups: dict[int, str] = {}
    for (r0, c0), (r1, c1) in raw.merged:
        if r0 == header - 1 and r1 == r0 and c1 > c0:
            label = clean_label(raw.rows[r0][c0])
            for c in range(c0, c1 + 1):
                groups[c] = label
    names: list[str] = []
    seen: set[str] = set()
    cells = raw.rows[header] + [None] * (width - len(raw.rows[header]))
    for index, cell in enumerate(cells[:width]):
        name = clean_label(cell) if not is_blank(cell) else ""
        if index in groups and name:
            name = f"{groups[index]}: {name}"
        if not name:
            name = f"Column {_letters(index)}"
        base, count = name, 2
        while name in seen:
            name = f"{base} ({count})"
            count += 1
        names.append(name)
        seen.add(name)
    return names


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def title_notice(header: int) -> str:
    return f"The header is on row {header + 1}; " + (
        "the row above it (a title) is not imported."
        if header == 1
        else f"the {header} rows above it (titles) are not imported."
    )


def shape(raw: RawTable, header_row: int | None = None) -> Table:
    """`header_row` is 1-based as people count rows; None finds it."""
    # Filling merged cells writes into the rows: a copy, so the caller's sheet stays as read.
    rows = [list(r) for r in raw.rows] if raw.merged else list(raw.rows)
    if not rows or not any(_filled(r) for r in rows):
        raise SourceProblem("The sheet is empty.", "Choose another sheet or file.")
    raw = RawTable(rows, raw.merged, raw.sheet, raw.date_1904, raw.notices)
    header = find_header_row(rows) if header_row is None else header_row - 1
    if not 0 <= header < len(rows):
        raise SourceProblem(
            f"Row {header + 1} is outside the sheet ({len(rows)} rows).",
            "Give a header row within the sheet.",
        )
    _fill_merged(raw, header + 1)
    body = rows[header + 1 :]
    lengths = set(map(len, body))  # of the data rows: one pass over them
    width = max([*map(len, rows[: header + 1]), *lengths])
    # Phantom columns: no name and no data anywhere below the header.
    used = [
        c
        for c in range(width)
        if not is_blank(rows[header][c] if c < len(rows[header]) else None)
        or any(c < len(r) and not is_blank(r[c]) for r in body)
    ]
    width = (max(used) + 1) if used else 0
    names = _names(raw, header, width)
    notices: list[str] = list(raw.notices)
    if header > 0:
        notices.append(title_notice(header))
    body_rows = Body(width)
    known = _all_usual(body, width) if lengths == {width} else None
    if known is not None:  # nothing to leave out: no row is looked at on its own
        body_rows.rows, body_rows.numbers = body, list(range(header + 2, len(rows) + 1))
    else:
        for index in range(header + 1, len(rows)):
            body_rows.take(rows[index], index + 1)
    return body_rows.table(names, header, notices, fill=known is None, known=known)


class Body:
    """The data rows below a header, told from blank rows and notes as they come, kept as rows
    or (for a file too big for that, importing.streaming) as columns of cells."""

    INTERN_LIMIT = 50_000  # distinct cells of a column shared as one string, up to this many

    def __init__(self, width: int, columnar: bool = False) -> None:
        self.width = width
        self.padding = [None] * width
        self.rows: list[list[Any]] = []
        self.columns: list[Any] | None = [[] for _ in range(width)] if columnar else None
        self._pending: list[list[Any]] = []  # rows not yet moved into the columns
        self._seen: list[dict[Any, Any] | None] = [{} for _ in range(width)]
        # The sheet's row numbers: a compact array for a big file's millions.
        self.numbers: Any = array("i") if columnar else []
        self.blank = 0
        self.notes: list[int] = []
        self.labels: dict[int, str] = {}  # a data row's label, where it may name a total
        self._candidate: dict[str, bool] = {}  # per distinct first text: files repeat them
        self.count = 0

    def take(self, row: list[Any], number: int) -> None:
        """Sort one row (as the sheet numbers it): blank, a note under the table, or data."""
        width = self.width
        if len(row) != width:
            row = (row + self.padding)[:width]
        # The usual row: a label, then a second cell filled; read without a call, for speed.
        first = row[0] if width else None
        second = row[1] if width > 1 else None
        label = first if first.__class__ is str and first.strip() else None
        usual = (
            second is not None
            and (label is not None or (first is not None and first.__class__ is not str))
            and (second.__class__ is not str or bool(second.strip()))
        )
        if not usual:
            present = [v for v in row if not is_blank(v)]
            if not present:
                self.blank += 1
                return
            only = present[0]
            if (
                len(present) == 1
                and self.count
                and isinstance(only, str)
                and (len(only) > 25 or re.match(r"^\s*\d{1,2}\s", only))
            ):
                self.notes.append(number)  # a footnote or a note under the table
                return
        first_text = label or _first_text(row)
        total = self._candidate.get(first_text)
        if total is None:
            total = self._candidate[first_text] = bool(first_text) and is_candidate(first_text)
        if total:
            self.labels[self.count] = first_text
        if self.columns is None:
            self.rows.append(row)
        else:
            self._pending.append(row)
            if len(self._pending) >= 20_000:
                self._move()
        self.numbers.append(number)
        self.count += 1

    def widen(self, width: int) -> None:
        """Room for a row longer than any before it: blank cells for the rows already kept."""
        assert self.columns is not None
        self.flush()
        for _ in range(width - self.width):
            self.columns.append([None] * self.count)
            self._seen.append({})
        self.width = width
        self.padding = [None] * width

    def narrow(self, width: int) -> None:
        """Drop the columns from `width` on (no name, no data: a phantom used range)."""
        assert self.columns is not None
        self.flush()
        del self.columns[width:]
        del self._seen[width:]
        self.width = width

    def flush(self) -> None:
        self._move()

    def _move(self) -> None:
        """The pending rows into the columns, each column's repeated cells as one object."""
        assert self.columns is not None
        if not self._pending:
            return
        columns = self.columns
        for position, cells in enumerate(zip(*self._pending, strict=True)):
            seen = self._seen[position]
            if seen is not None:
                cells = tuple(map(seen.setdefault, cells, cells))
                if len(seen) > self.INTERN_LIMIT:  # nearly all distinct: not shared
                    self._seen[position] = None
                    columns[position].extend(cells)
                    numbers = NumberCells(columns[position])  # numbers: kept as numbers
                    if not numbers.mostly_text():
                        columns[position] = numbers
                    continue
            column = columns[position]
            column.extend(cells)
            if isinstance(column, NumberCells) and column.mostly_text():
                columns[position] = list(column)
        self._pending = []

    def table(
        self,
        names: list[str],
        header: int,
        notices: list[str],
        fill: bool = True,
        known: dict[int, list[Any]] | None = None,
    ) -> Table:
        if self.columns is not None:
            self._move()
        if self.notes:
            notices.append(
                f"{counted(len(self.notes), 'row')} holding only a note or footnote "
                f"(rows {_ranges(self.notes)}): not imported."
            )
        if self.blank:
            notices.append(f"{counted(self.blank, 'blank row')}: skipped.")
        if not self.rows and not self.count:
            raise SourceProblem(
                f"The sheet has a header on row {header + 1} but no data below it.",
                "Check the sheet, or give another header row.",
            )
        rows: Sequence[list[Any]] = (
            self.rows if self.columns is None else RowsView(self.columns, self.count)
        )
        groups = _fill_down(self, names, notices) if fill else None
        totals: dict[int, TotalRow] = {}
        if self.labels:  # some row is labelled like a total: is it one?
            labels = [self.labels.get(i, "") for i in range(len(rows))]
            totals = find_totals(rows, self.numbers, labels, groups, _number)
        table = Table(names, rows, self.numbers, header + 1, notices, bool(self.notes), totals)
        if self.columns is not None:
            table._cells.update(enumerate(self.columns))
            table.columnar = self.columns
        table._cells.update(known or {})
        return table


class RowsView(Sequence[list[Any]]):
    """Rows read from columns, one at a time: a big file's table holds its cells by column."""

    def __init__(self, columns: list[Any], count: int) -> None:
        self.columns = columns
        self.length = count  # not `count`: that is Sequence's count(value)

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...

    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        return [column[index] for column in self.columns]


def _number(cell: Any) -> float | None:
    value: float | None = coerce.number(cell).value
    return value


def _fill_down(body: Body, names: list[str], notices: list[str]) -> list[Any] | None:
    """Carry a group label (written on a group's first row only, as pivot tables do) down to
    the blank cells below it; each row's group, or None when no column labels groups."""
    first_two = [
        body.columns[c] if body.columns is not None else [row[c] for row in body.rows]
        for c in range(min(2, body.width))
    ]
    column = group_column(first_two)
    if column is None:
        return None
    cells = first_two[column]
    filled: list[int] = []
    current = cells[0]
    groups = []
    for index, number in enumerate(body.numbers):
        if is_blank(cells[index]):
            if body.columns is not None:
                body.columns[column][index] = current
            else:  # a copy of the row: the caller's sheet stays as it was read
                body.rows[index] = row = list(body.rows[index])
                row[column] = current
            filled.append(number)
        else:
            current = cells[index]
        groups.append(current)
    notices.append(
        f"The column '{names[column]}' names each group of rows on its first row only; its "
        f"label is carried down to the {counted(len(filled), 'row')} below it without one "
        f"(rows {_ranges(filled)})."
    )
    return groups


def _all_usual(body: list[list[Any]], width: int) -> dict[int, list[Any]] | None:
    """The first two columns' cells, when every row below the header (each as wide as the
    table) is a usual data row: a label first that is not a total's, and a second cell filled.
    Each distinct label and second cell is looked at once. None when some row is not so (then
    each row is looked at)."""
    if width < 2 or not body:
        return None
    labels = list(map(itemgetter(0), body))
    if not all(
        label.__class__ is str and label.strip() and not is_candidate(label)
        for label in dict.fromkeys(labels)
    ):
        return None
    seconds = list(map(itemgetter(1), body))
    if not all(
        cell is not None and (cell.__class__ is not str or cell.strip())
        for cell in dict.fromkeys(seconds)
    ):
        return None
    return {0: labels, 1: seconds}


def _first_text(row: list[Any]) -> str:
    """The first text among a row's first three cells, where a total row says "Total"."""
    for cell in row[:3]:
        if cell.__class__ is str and cell.strip():
            return str(cell)
    return ""


def _ranges(numbers: list[int]) -> str:
    parts, start = [], numbers[0]
    for previous, current in zip(numbers, [*numbers[1:], None], strict=True):
        if current != previous + 1 if current is not None else True:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
            start = current if current is not None else start
    return ", ".join(parts)
