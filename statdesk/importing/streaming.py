"""Text files too big to hold as rows, read a row at a time into columns.

A 300 MB CSV read whole takes its bytes, its text and millions of row lists at once: about
nine times its size. Here the file is decoded as it streams, each data row is sorted as shape
sorts it (blank, a note, data) and its cells go into one list per column, a column's repeated
cells (names, periods) shared as one string. The table is the one shape would make.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from itertools import islice
from typing import Any

from statdesk.importing.coerce import is_blank
from statdesk.importing.header import _filled, find_header_row
from statdesk.importing.shape import (
    Body,
    Table,
    _names,
    shape,
    title_notice,
)
from statdesk.importing.sources import (
    RawTable,
    SourceInfo,
    SourceProblem,
    cannot_decode,
    comma_decimals,
    decimal_notice,
    read_table,
    unclosed_quote_notice,
)

BIG_TEXT_FILE = 32_000_000  # bytes: a text file bigger than this streams into columns
HEAD_ROWS = 2_000  # rows read first, to find the header


def load_table(info: SourceInfo, sheet: str | None, header_row: int | None) -> Table:
    """The table of a sheet or text file (header found unless given); big text files are
    streamed into columns."""
    if info.format == "csv" and info.path.stat().st_size > BIG_TEXT_FILE:
        return streamed(info, header_row)
    raw = read_table(info, sheet)
    table = shape(raw, header_row)
    table.sheet = raw.sheet
    return table


class _Lines:
    """The file's text, line by line, counting its quotation marks (for the notice of a quote
    never closed)."""

    def __init__(self, info: SourceInfo) -> None:
        self.info = info
        self.quotes = 0
        self.line = 0
        self.start = 0

    def __iter__(self) -> Iterator[str]:
        encoding = self.info.encoding or "utf-8"
        try:
            with self.info.path.open(encoding=encoding, newline="") as handle:
                for line in handle:
                    self.quotes += line.count('"')
                    self.line += 1
                    yield line
        except UnicodeDecodeError as error:
            raise cannot_decode(self.info.path, encoding, error) from error


def text_rows(info: SourceInfo, lines: _Lines) -> Iterator[list[str]]:
    """The file's rows; `lines.start` is the line the last row read began on."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(lines, delimiter=info.delimiter or ",")
    while True:
        lines.start = lines.line + 1
        row = next(reader, None)
        if row is None:
            return
        if info.decimal == ",":
            comma_decimals([row])
        yield row


def streamed(info: SourceInfo, header_row: int | None) -> Table:
    lines = _Lines(info)
    rows = text_rows(info, lines)
    head = list(islice(rows, HEAD_ROWS))
    if not head or not any(_filled(r) for r in head):
        raise SourceProblem("The sheet is empty.", "Choose another sheet or file.")
    header = find_header_row(head) if header_row is None else header_row - 1
    if not 0 <= header < len(head):
        raise SourceProblem(
            f"Row {header + 1} is outside the first {len(head):,} rows of the file.",
            "Give a header row near the top of the file.",
        )
    width = max(map(len, head))
    body = Body(width, columnar=True)
    number = header + 1
    last: list[Any] = []
    for row in _chain(head, header, rows):
        number += 1
        if len(row) > body.width:
            body.widen(len(row))
        body.take(row, number)
        last = row
    notices = []
    if info.decimal == ",":
        notices.append(decimal_notice())
    if last and any("\n" in c or "\r" in c for c in last) and lines.quotes % 2:
        notices.append(unclosed_quote_notice(lines.start))
    names_row = head[header]
    used = _used(names_row, body)
    body.narrow(used)
    names = _names(RawTable(head), header, used)
    if header > 0:
        notices.append(title_notice(header))
    return body.table(names, header, notices)


def _chain(head: list[list[str]], header: int, rest: Iterator[list[str]]) -> Iterator[Any]:
    yield from head[header + 1 :]
    yield from rest


def _used(names_row: list[str], body: Body) -> int:
    """The width without the trailing columns that have no name and no data."""
    assert body.columns is not None
    body.flush()
    width = 0
    for position in range(body.width):
        named = position < len(names_row) and not is_blank(names_row[position])
        if named or any(not is_blank(c) for c in body.columns[position]):
            width = position + 1
    return width
