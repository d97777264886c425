"""Which rows of a table are totals (or averages) of the rows above them, not data.

A row is a total only when it is labelled as one *and* either sits at the end of its block
(before a blank row, a new group, or the end of the table) or holds, column by column, the
sum (or mean) of the rows it closes. "Total gallons of fuel consumed" in the middle of a
measure register is a measure, not a total; "02 - Police Department Total" under the Police
rows, or "Grand Total" at the foot of the table, is a total. Shape finds the candidates; the
planner leaves out those without an identifier of their own, and lists each one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from statdesk.importing.coerce import is_blank

_TOTAL_WORDS = r"(?:grand\s+|sub-?\s*)?totals?"
# A label that calls its row a total, at its start or its end ("Total", "Police Total").
TOTAL_LABEL = re.compile(
    rf"^\s*{_TOTAL_WORDS}\b|\b{_TOTAL_WORDS}\s*:?\s*$|^\s*(sum|all\s+(departments|cities|"
    r"agencies|funds|programs))\s*:?\s*$",
    re.IGNORECASE,
)
MEAN_LABEL = re.compile(r"^\s*(average|mean)s?\s*:?\s*$", re.IGNORECASE)
_STRIP = re.compile(rf"^\s*{_TOTAL_WORDS}\b\s*:?|\b{_TOTAL_WORDS}\s*:?\s*$|\bfor\b", re.I)


@dataclass(frozen=True)
class TotalRow:
    label: str
    reason: str  # "the sum of rows 8–11", "the last row of its block"


def is_candidate(label: str) -> bool:
    return bool(TOTAL_LABEL.search(label) or MEAN_LABEL.search(label))


def _words(label: str) -> str:
    return " ".join(_STRIP.sub(" ", label).casefold().split())


def find_totals(
    rows: Sequence[list[Any]],
    source_rows: Sequence[int],
    labels: Sequence[str],
    groups: Sequence[Any] | None,
    number: Callable[[Any], float | None],
) -> dict[int, TotalRow]:
    """The rows (by index) that are totals or averages of the rows above them.

    `labels` is each row's label (its first text), `groups` each row's group label where a
    column labels groups of rows (filled down), and `number` reads a cell as a number."""
    found: dict[int, TotalRow] = {}
    block_start = 0  # the first row of the block the next total would close
    detail: list[int] = []  # every row so far that is not a total (for a grand total)
    for index, label in enumerate(labels):
        if not label or not is_candidate(label):
            detail.append(index)
            continue
        block = [i for i in range(block_start, index) if i not in found]
        mean = bool(MEAN_LABEL.search(label))
        closes = _closes(rows, index, block, number, mean) or _closes(
            rows, index, detail, number, mean
        )
        end = _ends_block(rows, source_rows, groups, index)
        pure = _is_pure(label, [labels[i] for i in block], groups, index)
        if closes and block:
            shown = _span([source_rows[i] for i in (block if closes == "block" else detail)])
            what = "average" if mean else "sum"
            found[index] = TotalRow(label, f"it holds the {what} of rows {shown}")
        elif pure and end:
            found[index] = TotalRow(label, "it closes its block of rows")
        else:
            detail.append(index)
            continue
        block_start = index + 1
    return found


def _closes(
    rows: Sequence[list[Any]],
    index: int,
    block: list[int],
    number: Callable[[Any], float | None],
    mean: bool,
) -> str:
    """'block' when the row holds, in every column where it has a number, the sum (or mean)
    of the numbers of `block` in that column, with at least one column of two or more."""
    if not block:
        return ""
    row = rows[index]
    compared = 0
    for column, cell in enumerate(row):
        value = number(cell)
        if value is None:
            continue
        values = [v for i in block if (v := number(rows[i][column])) is not None]
        if not values:
            if value == 0:
                continue
            return ""
        expected = sum(values) / len(values) if mean else sum(values)
        if abs(expected - value) > max(0.01, 1e-6 * abs(value)):
            return ""
        compared += len(values) >= 2
    return "block" if compared else ""


def _ends_block(
    rows: Sequence[list[Any]], source_rows: Sequence[int], groups: Sequence[Any] | None, index: int
) -> bool:
    if index == len(rows) - 1:
        return True
    if source_rows[index + 1] != source_rows[index] + 1:  # a blank or left-out row follows
        return True
    return groups is not None and index > 0 and groups[index + 1] != groups[index - 1]


def _is_pure(label: str, above: list[str], groups: Sequence[Any] | None, index: int) -> bool:
    """Whether the label says nothing but "total" (of the group above): "Total", "Grand
    Total", "Police Total" under Police's rows, "Total for Fire"."""
    rest = _words(label)
    if not rest:
        return True
    named = {_words(str(g)) for g in ([groups[index - 1]] if groups and index else [])}
    named |= {" ".join(a.casefold().split()) for a in above[:1]}
    return rest in named


def _span(numbers: list[int]) -> str:
    if not numbers:
        return ""
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


def group_column(first_columns: Sequence[Sequence[Any]]) -> int | None:
    """A column that labels groups of rows on their first row only (a pivot table's
    department column), so its label belongs to the blank cells below it: of the first two
    columns (their cells given), one whose filled cells are text, each label once, blank in at
    least a fifth of the rows, and never blank on the first row."""
    for column, cells in enumerate(first_columns):
        if len(cells) < 3 or is_blank(cells[0]):
            continue
        filled = [c for c in cells if not is_blank(c)]
        blank = len(cells) - len(filled)
        if blank < max(1, len(cells) // 5):
            continue
        if not all(isinstance(c, str) for c in filled):
            continue
        labels = [" ".join(str(c).split()).casefold() for c in filled]
        if len(set(labels)) != len(labels):
            continue
        return column
    return None
