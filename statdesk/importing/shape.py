"""From a sheet's cells to a table: where the header is, what the columns are called, which
rows are data. Everything left out is said in a notice, so the preview shows exactly what
will be imported and why the rest will not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from statdesk.domain.periods import parse_period
from statdesk.importing import coerce
from statdesk.importing.coerce import is_blank
from statdesk.importing.sources import RawTable, SourceProblem
from statdesk.importing.totals import TotalRow, find_totals, group_column, is_candidate

HEADER_SEARCH_ROWS = 30
_FOOTNOTE_DIGITS = re.compile(r"(?<=[a-z\)])\d{1,2}(,\s*\d{1,2})*$")
_SPACE = re.compile(r"\s+")


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]
    source_rows: list[int]  # the spreadsheet's row number (1-based) of each row
    header_row: int  # 1-based; 0 when the file has no header
    notices: list[str] = field(default_factory=list)
    footnotes: bool = False  # rows of footnotes were found: names may carry their markers
    # Rows (by index) labelled and placed as totals of the rows above them; the planner
    # leaves them out unless they have an identifier of their own or totals are kept.
    totals: dict[int, TotalRow] = field(default_factory=dict)
    _cells: dict[int, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def cells(self, position: int) -> list[Any]:
        """The cells of the column at `position`, top to bottom (made once; every row is as
        wide as `columns`)."""
        if position not in self._cells:
            self._cells[position] = list(map(itemgetter(position), self.rows))
        return self._cells[position]

    def with_cells(self, position: int, cells: list[Any]) -> None:
        """Put `cells` in the column at `position` (dates rewritten year first, say); the
        rows whose cell changes are copied, so the sheet as read stays as it was."""
        for index, (row, cell) in enumerate(zip(self.rows, cells, strict=True)):
            if row[position] is not cell and row[position] != cell:
                self.rows[index] = row = list(row)
                row[position] = cell
        self._cells[position] = list(cells)

    def without(self, indices: set[int]) -> Table:
        """The table without the rows at `indices` (totals left out, rows filtered out)."""
        if not indices:
            return self
        kept = [i for i in range(len(self.rows)) if i not in indices]
        renumber = {old: new for new, old in enumerate(kept)}
        return Table(
            self.columns,
            [self.rows[i] for i in kept],
            [self.source_rows[i] for i in kept],
            self.header_row,
            self.notices,
            self.footnotes,
            {renumber[i]: t for i, t in self.totals.items() if i in renumber},
        )


def clean_label(text: Any) -> str:
    """One line, single spaces, no footnote digits glued on ("Violent\\ncrime2" → "Violent
    crime", "Louisville Metro6, 7" → "Louisville Metro")."""
    label = _SPACE.sub(" ", str(text).replace("\ufeff", "")).strip()
    return _FOOTNOTE_DIGITS.sub("", label).strip()


def _text_cells(row: list[Any]) -> int:
    """Cells that read as column names: text, or a year (a header of "2023, 2024, 2025")."""
    return sum(
        (isinstance(v, str) and bool(v.strip()) and not _looks_numeric(v)) or _is_year(v)
        for v in row
    )


def _is_year(value: Any) -> bool:
    """A number that the period reader takes for a year, as a column name ("2023")."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    text = str(value).strip().removesuffix(".0")
    if not text.isdigit():
        return False
    try:
        parse_period(text, 1)
    except ValueError:
        return False
    return True


def _filled(row: list[Any]) -> int:
    return sum(not is_blank(v) for v in row)


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\s$€£(+-]*[\d.,\s]+%?\)?\s*", text))


def find_header_row(rows: list[list[Any]]) -> int:
    """The index of the header row: the first row, among the first few, whose cells are mostly
    text, that is about as wide as the table, and that has data below it."""
    width = max((_filled(r) for r in rows[:200]), default=0)
    if width == 0:
        raise SourceProblem("The sheet is empty.", "Choose another sheet or file.")
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = _text_cells(row)
        if texts >= max(2, 0.6 * width) and texts >= 0.8 * _filled(row):
            below = rows[index + 1 : index + 6]
            if any(_filled(r) >= max(1, width // 3) for r in below):
                return index
    filled = [r for r in rows[:HEADER_SEARCH_ROWS] if _filled(r)]
    if len(filled) == 1:
        first = ", ".join(str(v) for v in filled[0] if not is_blank(v))
        shown = first if len(first) <= 60 else first[:57] + "…"
        raise SourceProblem(
            f"The sheet has only one row ({shown}) and no data below it.",
            "Ask the department for the file with its data.",
        )
    raise SourceProblem(
        "StatDesk found no header row (a row of column names) in the first "
        f"{HEADER_SEARCH_ROWS} rows.",
        "Give the header row's number, or check the sheet.",
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
        notices.append(
            f"The header is on row {header + 1}; the {header} row(s) above it "
            "(titles) are not imported."
        )
    data, numbers = [], []
    blank = 0
    trailing_notes = []
    candidate: dict[str, bool] = {}  # per distinct first text: files repeat their labels
    labels: list[str] = []  # each data row's label, where it may name a total
    padding = [None] * width
    known = _all_usual(body, width) if lengths == {width} else None
    if known is not None:  # nothing to leave out: no row is looked at on its own
        data, numbers = body, list(range(header + 2, len(rows) + 1))
        body = []
    for index in range(len(rows) - len(body), len(rows)):
        row = rows[index]
        if len(row) != width:
            row = (row + padding)[:width]
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
                blank += 1
                continue
            only = present[0]
            if (
                len(present) == 1
                and data
                and isinstance(only, str)
                and (len(only) > 25 or re.match(r"^\s*\d{1,2}\s", only))
            ):
                trailing_notes.append(index + 1)  # a footnote or a note under the table
                continue
        first_text = label or _first_text(row)
        total = candidate.get(first_text)
        if total is None:
            total = candidate[first_text] = bool(first_text) and is_candidate(first_text)
        labels.append(first_text if total else "")
        data.append(row)
        numbers.append(index + 1)
    if trailing_notes:
        notices.append(
            f"{len(trailing_notes)} row(s) holding only a note or footnote "
            f"(rows {_ranges(trailing_notes)}) are not imported."
        )
    if blank:
        notices.append(f"{blank} blank row(s) are skipped.")
    if not data:
        raise SourceProblem(
            f"The sheet has a header on row {header + 1} but no data below it.",
            "Check the sheet, or give another header row.",
        )
    groups = _fill_down(data, numbers, names, width, notices) if known is None else None
    totals: dict[int, TotalRow] = {}
    if any(labels):  # some row is labelled like a total: is it one?
        totals = find_totals(data, numbers, labels, groups, _number)
    table = Table(names, data, numbers, header + 1, notices, bool(trailing_notes), totals)
    table._cells.update(known or {})
    return table


def _number(cell: Any) -> float | None:
    value: float | None = coerce.number(cell).value
    return value


def _fill_down(
    data: list[list[Any]], numbers: list[int], names: list[str], width: int, notices: list[str]
) -> list[Any] | None:
    """Carry a group label (written on a group's first row only, as pivot tables do) down to
    the blank cells below it; each row's group, or None when no column labels groups."""
    column = group_column(data, width)
    if column is None:
        return None
    filled: list[int] = []
    current = data[0][column]
    groups = []
    for index, number in enumerate(numbers):
        if is_blank(data[index][column]):
            data[index] = row = list(data[index])  # the caller's sheet stays as it was read
            row[column] = current
            filled.append(number)
        else:
            current = data[index][column]
        groups.append(current)
    notices.append(
        f"The column '{names[column]}' names each group of rows on its first row only; its "
        f"label is carried down to the {len(filled):,} row(s) below it without one "
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
