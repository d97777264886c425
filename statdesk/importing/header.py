"""Where a sheet's header row is: the first row, in the first 30, that reads like column names
(mostly text, not years or numbers) above rows of data; and a header cell's text, cleaned."""

from __future__ import annotations

import re
from typing import Any

from statdesk.domain.periods import parse_period
from statdesk.importing.coerce import is_blank
from statdesk.importing.sources import SourceProblem

HEADER_SEARCH_ROWS = 30
_FOOTNOTE_DIGITS = re.compile(r"(?<=[a-z\)])\d{1,2}(,\s*\d{1,2})*$")
_SPACE = re.compile(r"\s+")


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
