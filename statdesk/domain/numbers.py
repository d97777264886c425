"""Numbers as people write them, and as StatDesk shows them.

`parse_number` is the one coercer for text typed, pasted or imported: "64.98%", "$2,500,000 ",
"375 000" with non-breaking spaces, "(1,200)" for a negative, and "N/A" or "No Data" for nothing.
`format_value` shows a value in its metric's unit.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from statdesk.domain.vocabulary import Unit

MISSING = frozenset(
    {
        "",
        "-",
        "–",
        "—",
        "n/a",
        "na",
        "n\\a",
        "n.a.",
        "none",
        "null",
        "nan",
        "no data",
        "not available",
        "not reported",
        "tbd",
        "#n/a",
        "#div/0!",
        "#value!",
        "..",
        "*",
    }
)

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")
_COMMA_GROUPS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?-?$")
_DOT_GROUPS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: object, decimal_comma: bool = False) -> float | None:
    """A number from what people write, or None for an empty or "not available" cell.

    A percent sign is dropped, not divided: "64.98%" is 64.98, as percent metrics are kept in
    points. Raises ValueError, with the text, for anything else.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"'{text}' is not a number.")
    if isinstance(text, int | float):
        if isinstance(text, float) and math.isnan(text):
            return None
        return float(text)
    raw = str(text)
    cleaned = raw.strip()
    if cleaned.casefold() in MISSING:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    cleaned = cleaned.replace("$", "").replace("€", "").replace("£", "").replace("%", "")
    cleaned = _SPACES.sub("", cleaned)
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," not in cleaned and _DOT_GROUPS.match(cleaned):
        cleaned = cleaned.replace(".", "")  # "12.502.745": dots between groups of three
    elif "," in cleaned:
        if not _COMMA_GROUPS.match(cleaned):  # "0,75" is no thousand: a decimal comma?
            raise ValueError(
                f"'{raw.strip()}' is not a number here: its comma does not separate thousands "
                "(give --decimal , if the file writes decimal commas)."
            )
        cleaned = cleaned.replace(",", "")
    if cleaned.endswith("-") and cleaned[:-1].replace(".", "").isdigit():
        cleaned = "-" + cleaned[:-1]  # "1200-", an accounting habit
    if not _NUMBER.match(cleaned):
        raise ValueError(f"'{raw.strip()}' is not a number.")
    value = float(cleaned)
    return -value if negative else value


_UNIT_SUFFIX = {Unit.DAYS: " days", Unit.HOURS: " h", Unit.MINUTES: " min"}


def rounded(value: float, decimals: int) -> float:
    """`value` to `decimals` places, halves away from zero, judged on the number as written
    (its shortest repr: 2.675, not the binary 2.67499999…)."""
    if not math.isfinite(value):
        return value
    exact = Decimal(repr(float(value))).quantize(  # float(): numpy's repr names its type
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE
    )
    return float(exact)


_WIDE = Context(prec=400)  # every digit of the largest double, and its decimals


def format_value(
    value: float | None, unit: Unit, decimals: int = 0, unit_label: str | None = None
) -> str:
    """A value as the metric's readers expect it: 87.1%, $2,500,000, 24 days, 1,234. Halves
    round away from zero, as in Excel and on paper: 14.5% shows as 15%, 2.675 as 2.68 (a
    float's own rounding gave 14% and 2.67)."""
    if value is None:
        return "–"
    number = f"{rounded(abs(value), max(decimals, 0)):,.{max(decimals, 0)}f}"
    sign = "-" if value < 0 and float(number.replace(",", "")) != 0 else ""
    if unit is Unit.PERCENT:
        return f"{sign}{number}%"
    if unit is Unit.CURRENCY:
        return f"{sign}${number}"
    return f"{sign}{number}{_UNIT_SUFFIX.get(unit, '')}"


def implausible(value: float | None, unit: Unit) -> str | None:
    """Why a value cannot be right for its unit (a percent of 6498), or None."""
    if value is None:
        return None
    if unit is Unit.PERCENT and not 0 <= value <= 100:
        return f"{value:g} is not a percentage between 0 and 100."
    if unit in (Unit.COUNT, Unit.DAYS, Unit.HOURS, Unit.MINUTES, Unit.RATE) and value < 0:
        return f"A {unit.label.lower()} cannot be negative ({value:g})."
    return None


_EXCEL_SUFFIX = {Unit.DAYS: ' "days"', Unit.HOURS: ' "h"', Unit.MINUTES: ' "min"'}


def excel_format(unit: Unit, decimals: int = 0) -> str:
    """The spreadsheet number format that shows a value as `format_value` does: a percent
    stored as 87.1 shows as 87.1% (no multiplying by 100), money with a dollar sign."""
    places = "0." + "0" * decimals if decimals > 0 else "0"
    grouped = "#,##" + places
    if unit is Unit.PERCENT:
        return places + '"%"'
    if unit is Unit.CURRENCY:
        return '"$"' + grouped
    return grouped + _EXCEL_SUFFIX.get(unit, "")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 row", "2,000 rows": a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
