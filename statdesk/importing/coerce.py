"""Cells as departments fill them, turned into numbers, dates, periods and names.

Every function here returns a `Cell`: the value StatDesk keeps, and, when the text could not
be kept as it was, the original text and a word about why, so the validation report can say
what happened to each cell and the original can go into the record's note.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from statdesk.domain.numbers import MISSING, parse_number
from statdesk.domain.periods import Period, parse_period, period_containing
from statdesk.domain.vocabulary import Frequency

T = TypeVar("T")

# Sentinels seen in real files, beyond the generic "N/A" family of domain.numbers.
SENTINELS = MISSING | {
    "new meas.",
    "new measure",
    "no goal",
    "no session",
    "no election",
    "no cadet class",
    "not applicable",
    "pending",
    "?",
    "???",
    "x",
    "#missing",
    "missing",
}

_EXCEL_1900 = date(1899, 12, 30)  # Excel's day 0, counting its 1900 leap-year bug
_EXCEL_1904 = date(1904, 1, 1)
# The date forms real exports use, most specific first; raw imports try them on whole columns.
DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)


@dataclass(frozen=True)
class Cell:
    value: Any
    original: str | None = None  # the text as it was, when it was not kept as is
    problem: str | None = None  # why the text could not be read at all


# Control characters (a NUL from a broken export, a form feed) never belong in a name or note;
# tabs and line breaks stay for the callers that keep them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any) -> str:
    return "" if value is None else _CONTROL.sub("", str(value)).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_sentinel(value: Any) -> bool:
    return isinstance(value, str) and value.strip().casefold() in SENTINELS


# Excel keeps 15 significant digits; binary noise (91.370000000000005) lies beyond them.
_DIGITS = 15


def number(value: Any) -> Cell:
    """A number; sentinels become missing (original kept); float noise is rounded away
    (`91.370000000000005` → 91.37)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Cell(float(value))
    if isinstance(value, float):  # a number cell: NaN is none; binary noise is rounded away
        if value != value:
            return Cell(None)
        if not math.isfinite(value):
            return Cell(None, original=str(value), problem=f"'{value}' is not a number.")
        return _rounded(value, value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell(None)
    if is_sentinel(value):
        return Cell(None, original=str(value).strip())
    if isinstance(value, bool):
        return Cell(None, original=str(value), problem=f"'{value}' is not a number.")
    if isinstance(value, datetime | date):
        return Cell(None, original=str(value), problem=f"'{value}' is a date, not a number.")
    try:
        parsed = parse_number(value)
    except ValueError as error:
        return Cell(None, original=_text(value), problem=str(error))
    if parsed is None:
        return Cell(None, original=_text(value) or None)
    if not math.isfinite(parsed):
        return Cell(None, original=_text(value), problem=f"'{_text(value)}' is not a number.")
    return _rounded(parsed, value)


def in_a_numbers_column(value: Any) -> bool:
    """Whether a cell belongs in a column of numbers: a number (even one too large to keep)
    or a sentinel ("N/A"), not a word or a date."""
    read = number(value)
    return read.problem is None or read.problem.endswith(_TOO_LARGE)


_TOO_LARGE = "is too large to be a real figure."
# No city's figure comes near this; beyond it a number is a spreadsheet's error value or a
# typing slip, and the charts' arithmetic would overflow on it.
_LARGEST = 1e100


def _rounded(number: float, cell: Any) -> Cell:
    """`number` to Excel's 15 digits; one too large to be a real figure is a problem (rounding
    1.7976931348623157e308 would make it infinite)."""
    if abs(number) >= _LARGEST:
        text = _text(cell)
        return Cell(None, original=text, problem=f"'{text}' {_TOO_LARGE}")
    return Cell(float(f"{number:.{_DIGITS}g}"))


def percent_scale(values: Sequence[float | None], texts: Sequence[Any] = ()) -> tuple[int, str]:
    """Whether a column of percentages holds fractions (0.75) rather than points (75).

    Returns (factor, warning): 100 and a sentence when every value is between 0 and 1 and no
    cell was written with a % sign; otherwise (1, "").
    """
    known = [v for v in values if v is not None]
    if not known or any("%" in str(t) for t in texts):
        return 1, ""
    if all(0 <= v <= 1 for v in known) and any(0 < v < 1 for v in known):
        return 100, (
            "The values are all between 0 and 1, so they are read as fractions and "
            "shown as percentages (0.75 becomes 75%)."
        )
    return 1, ""


def to_date(value: Any, date_1904: bool = False) -> Cell:
    """A date from a date cell, an Excel serial number (1900 or 1904 system), or text in the
    forms real exports use (ISO, US with 12-hour times, `2022/06/14 00:00:00+00`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell(None)
    if isinstance(value, datetime):
        return Cell(value.date())
    if isinstance(value, date):
        return Cell(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's range of days
            base = _EXCEL_1904 if date_1904 else _EXCEL_1900
            return Cell(base + timedelta(days=int(value)), original=str(value))
        return Cell(None, original=str(value), problem=f"{value} is not a date.")
    text = _text(value)
    if is_sentinel(text):
        return Cell(None, original=text)
    cleaned = text
    if ":" in text:  # a time, perhaps with a UTC offset after it ("04:20:33 PM +0000")
        cleaned = re.sub(r"(?<=[\dM])\s?(\+|-)\d{2}(:?\d{2})?$|Z$", "", text).strip()
    cleaned = re.sub(r"\.\d+$", "", cleaned)  # fractions of a second
    for pattern in DATE_FORMATS:
        try:
            return Cell(datetime.strptime(cleaned, pattern).date())
        except ValueError:
            continue
    return Cell(None, original=text, problem=f"'{text}' is not a date StatDesk recognises.")


# The first year the period reader accepts; an earlier date is Excel's day zero or a slip.
FIRST_YEAR = 1900


def to_period(value: Any, fy_start: int, frequency: Frequency | None = None) -> Cell:
    """A period from a label (`FY26 Q1`, `2011, Q1`, `Jan-2024`, `2014`), or from a date (then
    the period of `frequency` that contains it); none before 1900."""
    cell = _to_period(value, fy_start, frequency)
    if isinstance(cell.value, Period) and cell.value.start.year < FIRST_YEAR:
        shown = _text(value)
        return Cell(None, original=shown, problem=f"'{shown}' is before {FIRST_YEAR}: check it.")
    return cell


def _to_period(value: Any, fy_start: int, frequency: Frequency | None) -> Cell:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell(None, problem="No period is given.")
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return Cell(period_containing(day, frequency or Frequency.MONTHLY, fy_start))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    try:
        return Cell(parse_period(text, fy_start, frequency))
    except ValueError as error:
        dated = to_date(text)
        if dated.value is not None:
            return Cell(period_containing(dated.value, frequency or Frequency.MONTHLY, fy_start))
        return Cell(None, original=text, problem=str(error))


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})\b(.*)$")
DATE_ORDERS = ("mdy", "dmy", "ymd")


@dataclass(frozen=True)
class DateOrder:
    """How a column writes its dates: 'mdy', 'dmy', 'ymd', 'mixed' (both fields above 12 on
    different rows), or None when both readings fit every cell; with why."""

    order: str | None
    why: str
    example: str = ""  # a cell that reads two ways, when ambiguous


def date_order(cells: Iterable[Any], periods: bool = False) -> DateOrder:
    """The order of a column's numeric dates ("05/01/2026", "13.01.2026"), from the column as a
    whole: a first field above 12 anywhere makes it day-first, a second above 12 month-first.
    For a column of `periods`, a field that is always 1 while the other changes is the day
    (months dated on their first)."""
    firsts: set[int] = set()
    seconds: set[int] = set()
    example = ""
    same = True  # every date's day and month are one number: both readings agree
    for cell in dict.fromkeys(c for c in cells if isinstance(c, str)):
        match = _NUMERIC_DATE.match(cell)
        if not match:
            continue
        if len(match.group(1)) == 4:
            return DateOrder("ymd", "the year comes first")
        firsts.add(int(match.group(1)))
        seconds.add(int(match.group(2)))
        same = same and match.group(1).lstrip("0") == match.group(2).lstrip("0")
        if not same:
            example = example or cell.strip()
    if not firsts:
        return DateOrder("mdy", "no numeric dates")
    high_first, high_second = max(firsts) > 12, max(seconds) > 12
    if high_first and high_second:
        return DateOrder("mixed", "some dates have a first field above 12, others a second")
    if high_first:
        return DateOrder("dmy", f"a first field is {max(firsts)}: it can only be a day")
    if high_second:
        return DateOrder("mdy", f"a second field is {max(seconds)}: it can only be a day")
    if periods and seconds == {1} and len(firsts) > 1:
        return DateOrder("mdy", "the second field is always 1: months dated on their first day")
    if periods and firsts == {1} and len(seconds) > 1:
        return DateOrder("dmy", "the first field is always 1: months dated on their first day")
    if same:
        return DateOrder("mdy", "day and month are the same number")
    return DateOrder(None, "every date reads either way", example)


def reorder_dates(cells: Sequence[Any], order: str) -> list[Any]:
    """Numeric day-first dates ("13/01/2026 08:15") rewritten year first ("2026-01-13 08:15"),
    which every reader takes one way; other cells as they are."""

    def one(cell: Any) -> Any:
        match = _NUMERIC_DATE.match(cell) if isinstance(cell, str) else None
        if match is None or len(match.group(1)) == 4:
            return cell
        day, month, year = (int(g) for g in match.groups()[:3])
        if order == "mdy":
            day, month = month, day
        if year < 100:
            year += 2000
        return f"{year:04d}-{month:02d}-{day:02d}{match.group(4)}"

    return each_distinct(one, cells)


def name(value: Any) -> str:
    """A person's, department's or dataset's name: one line, single spaces."""
    return " ".join(_text(value).split())


def text(value: Any) -> str:
    """A description, a note or a methodology: kept as written, line breaks and inner spaces
    included; only the ends are trimmed (and control characters dropped)."""
    return _text(value)


_TITLE_WORDS = re.compile(
    r"\b(mayor|director|chief|officer|manager|analyst|administrator|deputy|assistant|"
    r"coordinator|commissioner|head|lead|president|secretary|supervisor|counsel|staff|"
    r"specialist|advisor|adviser|executive|senior|budget|operations|city)\b",
    re.IGNORECASE,
)


def split_name_title(text: Any) -> tuple[str, str]:
    """ "Ana Ruiz - Deputy Mayor, Operations" or "Chief of Staff - John Merrill" → (name,
    title). Without a dash, the whole cell is the name."""
    cell = name(text)
    parts = re.split(r"\s+[-–—]\s+", cell, maxsplit=1)
    if len(parts) < 2:
        return cell, ""
    first, second = parts
    first_is_title = bool(_TITLE_WORDS.search(first)) and not _TITLE_WORDS.search(second)
    return (second, first) if first_is_title else (first, second)


def truthy(value: Any) -> bool | None:
    """Yes/No, Y/N, True/False, 1/0, x — or None when the cell says nothing either way."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = _text(value).casefold()
    if text in ("y", "yes", "true", "t", "1", "x", "✓", "checked", "key"):
        return True
    if text in ("n", "no", "false", "f", "0"):
        return False
    return None


def each_distinct(read: Callable[[Any], T], cells: Sequence[Any]) -> list[T]:
    """`[read(cell) for cell in cells]`, calling `read` once per distinct cell: files repeat
    the same names, periods and codes row after row. Cells of different types never share an
    answer (1, 1.0 and True are equal in Python but not in a spreadsheet)."""
    if len(set(map(type, cells))) == 1:  # the usual column, of one type: no keys to make
        same = {cell: read(cell) for cell in dict.fromkeys(cells)}
        return list(map(same.__getitem__, cells))
    keys = list(zip(map(type, cells), cells, strict=True))
    answers = {key: read(key[1]) for key in dict.fromkeys(keys)}
    return list(map(answers.__getitem__, keys))


# A float within ±1e9 that is the nearest float to a number of at most 6 decimals has at most
# 15 significant digits, so `number` keeps it as it is. Adding and taking away 1.5 × 2**52
# rounds x * 1e6 to a whole number in float arithmetic: telling so costs four operations,
# not a conversion to text and back (a tenth of a 100,000-row import, done so).
_SCALE = 1e6
_ROUND = 6755399441055744.0
_PLAIN_LIMIT = 1e9
# Text that is a plain decimal number ("1234.56", "-7"): float() reads it as `number` would,
# without a Cell made for each of a column's million distinct amounts. At most 15 digits.
_PLAIN_TEXT = re.compile(r"-?\d+(\.\d+)?").fullmatch
_PLAIN_DIGITS = 15
_CHUNK = 100_000  # cells read into Python floats at a time


def _whole_floats(cells: Sequence[Any]) -> bool:
    """Whether every cell is a float holding a whole number of at most 15 digits."""
    try:
        whole = bool(cells) and all(map(float.is_integer, cells))
        return whole and min(cells) > -1e15 and max(cells) < 1e15
    except TypeError:  # a cell that is not a float
        return False


def numbers(cells: Sequence[Any]) -> tuple[Any, dict[int, Cell]]:
    """`number` of a whole column, fast for the usual column of plain numbers.

    Returns the value of each cell as a numpy array (NaN for a blank cell, and for a cell that
    is not a plain number), and, by position, the `Cell` of each cell that is neither blank
    nor a plain number (a sentinel, a text, NaN): its value, and the original text or problem
    to report.
    """
    import numpy as np

    from statdesk.importing.number_cells import NumberCells

    if isinstance(cells, NumberCells):  # a big file's numbers, read as numbers already
        array, texts = cells.numbers()
        written = [i for i, text in texts.items() if not is_blank(text)]
        return _read_odd(array, written, [texts[i] for i in written])
    if _whole_floats(cells):  # counts: nothing to round, nothing to report
        return np.array(cells, dtype=np.float64), {}
    array = np.empty(len(cells), dtype=np.float64)
    odd: list[int] = []
    for start in range(0, len(cells), _CHUNK):  # a chunk of Python floats at a time
        chunk = cells[start : start + _CHUNK]
        values: list[float | None] = [
            cell
            if cell.__class__ is float
            and -_PLAIN_LIMIT < cell < _PLAIN_LIMIT
            and ((cell * _SCALE + _ROUND) - _ROUND) / _SCALE == cell
            else float(cell)
            if cell.__class__ is int
            else float(cell)
            if cell.__class__ is str and _PLAIN_TEXT(cell) and len(cell) <= _PLAIN_DIGITS
            else None
            for cell in chunk
        ]
        if None in values:
            odd += [start + i for i, v in enumerate(values) if v is None and not is_blank(chunk[i])]
        array[start : start + len(values)] = values  # None: NaN
    return _read_odd(array, odd, [cells[i] for i in odd])


def _read_odd(values: Any, odd: list[int], cells: list[Any]) -> tuple[Any, dict[int, Cell]]:
    """The cells at `odd` (not blank, not plain numbers) read one distinct cell at a time:
    a number with binary noise or many digits goes into `values`; the rest are returned."""
    others: dict[int, Cell] = {}
    for position, answer in zip(odd, each_distinct(number, cells), strict=True):
        if answer.original is None and answer.problem is None and answer.value is not None:
            values[position] = answer.value  # a number with binary noise, or big
        else:
            others[position] = answer
    return values, others
