"""Spreadsheets out: CSV (UTF-8 with a byte-order mark, so Excel reads the accents) and XLSX
(a sheet per table, the header row frozen, widths to fit, a metric's numbers in its unit's
format, dates as real dates).

Formula injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
would be run as a formula by Excel or LibreOffice opening a CSV. In CSV such text gets a
leading apostrophe (the spreadsheet convention for "this is text"); in XLSX it is stored as
text with the quote-prefix style, exactly as Excel stores a typed `'=1+1`. Numbers stay
numbers: only text is ever changed. openpyxl is imported only when an XLSX is written.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from statdesk.domain.numbers import excel_format
from statdesk.reporting.xml_text import xml_text
from statdesk.storage.atomic import replacing
from statdesk.storage.views.tables import Cell, Quantity, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767  # characters a cell can hold
MAX_WIDTH = 60


def neutralised(text: str) -> str:
    """Text as a CSV cell that no spreadsheet will run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def csv_cell(cell: Cell) -> str | int | float:
    if cell is None:
        return ""
    if isinstance(cell, Quantity):
        return _number(cell.value)
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str):
        return neutralised(cell)
    return _number(cell)


def write_csv(table: Table, target: Path) -> Path:
    """The table as CSV, written whole or not at all."""
    with replacing(target) as temp, temp.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([neutralised(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_cell(c) for c in row])
    return target


def _text(value: str) -> str:
    cleaned = xml_text(value)
    if len(cleaned) > EXCEL_CELL_LIMIT:
        cleaned = cleaned[: EXCEL_CELL_LIMIT - 1] + "…"
    return cleaned


def _width(cell: Cell) -> int:
    if cell is None:
        return 0
    if isinstance(cell, Quantity):
        return len(f"{cell.value:,.{cell.decimals}f}") + 5
    if isinstance(cell, datetime):
        return 16
    if isinstance(cell, date):
        return 10
    text = str(cell)
    return max((len(line) for line in text.splitlines()), default=0)


def _xlsx_cell(sheet: Any, cell: Cell) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if cell is None or (isinstance(cell, (int, float)) and not isinstance(cell, bool)):
        return cell
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    if isinstance(cell, Quantity):
        written = WriteOnlyCell(sheet, value=cell.value)
        written.number_format = excel_format(cell.unit, cell.decimals)
        return written
    if isinstance(cell, datetime):
        written = WriteOnlyCell(sheet, value=cell)
        written.number_format = "yyyy-mm-dd hh:mm"
        return written
    if isinstance(cell, date):
        written = WriteOnlyCell(sheet, value=cell)
        written.number_format = "yyyy-mm-dd"
        return written
    text = _text(cell)
    if not text.startswith(FORMULA_STARTS):
        return text
    written = WriteOnlyCell(sheet, value=text)
    written.data_type = "s"  # openpyxl would store "=…" as a formula
    written.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return written


def write_xlsx(tables: Sequence[Table], target: Path, title: str = "") -> Path:
    """One sheet per table, written whole or not at all."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    book.properties.creator = "StatDesk"
    book.properties.title = _text(title) if title else None
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(table.columns, start=1):
            widest = max([len(name), *(_width(row[index - 1]) for row in table.rows[:2000])])
            sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, MAX_WIDTH)
        header = []
        for name in table.columns:
            cell = WriteOnlyCell(sheet, value=_text(name))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    with replacing(target) as temp:
        book.save(temp)
    return target
