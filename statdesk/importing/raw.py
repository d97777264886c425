"""Raw operational data (a row per 311 request, per permit) turned into metric values: rows are
filtered, dated, grouped by period, and measured (a count, a sum or median of a column, the
median days between two dates, the share done within so many days).

pandas does the work, reading only the columns needed, so a million-row extract stays within
memory and close to the time pandas takes to read and group it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from statdesk.domain.periods import Period
from statdesk.domain.vocabulary import Frequency
from statdesk.importing import coerce
from statdesk.importing.coerce import DATE_FORMATS
from statdesk.importing.plan import ImportOptions, ImportPlan, ValueItem, file_hash
from statdesk.importing.shape import shape
from statdesk.importing.sources import SourceInfo, SourceProblem, read_table

_MEASURE = re.compile(
    r"^(count|sum|mean|median|p\d{1,2}|median_days|share_within)"
    r"(?::(.+))?$"
)


def _parse_measure(text: str) -> tuple[str, list[str]]:
    match = _MEASURE.match(text.strip())
    if not match:
        raise SourceProblem(
            f"'{text}' is not a measure StatDesk knows.",
            "Use count, sum:COLUMN, mean:COLUMN, median:COLUMN, p90:COLUMN, "
            "median_days:START,END or share_within:START,END,DAYS.",
        )
    args = [a.strip() for a in (match.group(2) or "").split(",") if a.strip()]
    return match.group(1), args


def _frame(path: Path, info: SourceInfo, options: ImportOptions, needed: list[str]) -> Any:
    import pandas as pd

    if info.format == "csv" and options.header_row in (None, 1):
        try:
            frame = pd.read_csv(
                path,
                dtype=str,
                encoding=info.encoding,
                sep=info.delimiter or ",",
                usecols=lambda c: c.strip() in needed,
                keep_default_na=False,
                engine="c",
            )
        except ValueError as error:
            raise SourceProblem(
                f"{path.name} could not be read: {error}.", "Check the column names given."
            ) from error
        frame.columns = [c.strip() for c in frame.columns]
        return frame, 1
    table = shape(read_table(info, options.sheet), options.header_row)
    frame = pd.DataFrame(table.rows, columns=table.columns)
    return frame[[c for c in table.columns if c in needed]], table.header_row


def _periods(dates: Any, frequency: Frequency, fy_start: int) -> Any:
    """The start of each date's period, vectorised."""
    import pandas as pd

    if frequency is Frequency.WEEKLY:
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    month_start = dates.dt.to_period("M").dt.to_timestamp()
    if frequency is Frequency.MONTHLY:
        return month_start
    months_into_year = (dates.dt.month - fy_start) % 12
    size = 3 if frequency is Frequency.QUARTERLY else 12
    back = months_into_year % size
    return (
        month_start
        - pd.to_timedelta(0, unit="D")
        - back.map(lambda n: pd.DateOffset(months=int(n)))
    )


def _to_numbers(texts: Any) -> Any:
    """Numbers from text, fast for plain ones; the rest ("(1,200)", "N/A", "1 200") go
    through the one coercer, cell by cell."""
    import pandas as pd

    numbers = pd.to_numeric(texts.str.replace(r"[$,%\s]", "", regex=True), errors="coerce")
    unread = numbers.isna() & texts.ne("")
    if unread.any():
        numbers[unread] = texts[unread].map(lambda text: coerce.number(text).value)
    return numbers


def _to_dates(texts: Any) -> Any:
    """Dates from text, fast: the one format that reads a sample is used for the whole column
    (pandas' format="mixed" guesses row by row, many times slower); mixed columns fall back."""
    import pandas as pd

    sample = texts[texts != ""].head(200)
    for fmt in DATE_FORMATS:
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        if len(sample) and parsed.notna().mean() >= 0.95:
            result = pd.to_datetime(texts, format=fmt, errors="coerce")
            break
    else:
        result = pd.to_datetime(texts, errors="coerce", format="mixed")
    if getattr(result.dt, "tz", None) is not None:
        result = result.dt.tz_convert(None)
    return result


def plan_raw(path: Path, info: SourceInfo, options: ImportOptions, fy_start: int) -> ImportPlan:

    metric = (options.metric or "").strip()
    if not options.date_column:
        raise SourceProblem(
            "A raw-data import needs the date column (--date-column).",
            "Name the column that dates each row, such as CreatedDate.",
        )
    try:
        frequency = Frequency(options.frequency)
    except ValueError as error:
        raise SourceProblem(
            f"'{options.frequency}' is not a frequency.",
            "Use weekly, monthly, quarterly or annual.",
        ) from error
    kind, args = _parse_measure(options.measure)
    filters = []
    for text in options.filters:
        column, sep, value = text.partition("=")
        if not sep:
            raise SourceProblem(
                f"'{text}' is not a filter COLUMN=VALUE.",
                "Write filters like RequestType=Bulky Items.",
            )
        filters.append((column.strip(), value.strip()))
    date_args = args[:2] if kind in ("median_days", "share_within") else []
    needed = list(
        dict.fromkeys(
            [
                options.date_column,
                *date_args,
                *(
                    [args[0]]
                    if kind in ("sum", "mean", "median")
                    or (kind.startswith("p") and kind != "count" and args)
                    else []
                ),
                *(c for c, _ in filters),
            ]
        )
    )
    frame, header_row = _frame(path, info, options, needed)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise SourceProblem(
            f"The file has no column {', '.join(repr(c) for c in missing)}.",
            f"Its columns are read from row {header_row}; check the names.",
        )
    plan = ImportPlan(
        options,
        info,
        file_hash(path),
        options.sheet,
        header_row,
        list(frame.columns),
        {},
        len(frame),
    )
    if not metric:
        plan.missing_fields.append("Metric (--metric NAME)")
    for column, value in filters:
        frame = frame[frame[column].astype(str).str.strip().str.casefold() == value.casefold()]
    plan.notices.append(f"{len(frame):,} of {plan.rows_read:,} rows pass the filters.")

    def dates(column: str) -> Any:
        return _to_dates(frame[column].astype(str).str.strip())

    when = dates(options.date_column)
    undated = int(when.isna().sum())
    if undated:
        plan.notices.append(
            f"{undated:,} row(s) have no readable date in "
            f"'{options.date_column}' and are not counted."
        )
    frame = frame.assign(_period=_periods(when, frequency, fy_start))[when.notna()]
    groups = frame.groupby("_period", sort=True)
    if kind == "count":
        result = groups.size().astype(float)
    elif kind in ("median_days", "share_within"):
        start, end = (dates(c)[when.notna()] for c in date_args)
        days = (end - start).dt.total_seconds() / 86400
        frame = frame.assign(_days=days)
        open_rows = int(days.isna().sum())
        if open_rows:
            plan.notices.append(
                f"{open_rows:,} row(s) have no '{date_args[1]}' yet (still "
                "open) and are left out of the measure."
            )
        grouped = frame.dropna(subset=["_days"]).groupby("_period", sort=True)["_days"]
        if kind == "median_days":
            result = grouped.median()
        else:
            limit = float(args[2]) if len(args) > 2 else 1.0
            result = grouped.apply(lambda s: float((s <= limit).mean() * 100))
    else:
        column = args[0] if args else ""
        numbers = _to_numbers(frame[column].astype(str).str.strip())
        frame = frame.assign(_value=numbers)
        grouped = frame.dropna(subset=["_value"]).groupby("_period", sort=True)["_value"]
        if kind == "sum":
            result = grouped.sum()
        elif kind == "mean":
            result = grouped.mean()
        elif kind == "median":
            result = grouped.median()
        else:
            result = grouped.quantile(int(kind[1:]) / 100)
    for start, value in result.items():
        plan.values.append(
            ValueItem(
                metric,
                "",
                Period(start.date(), frequency),
                "actual",
                round(float(value), 6),
                None,
                0,
            )
        )
    plan.metrics = [{"name": metric, "department": "", "frequency": frequency}] if metric else []
    plan.notices.append(
        f"{len(plan.values)} {frequency.value} value(s) from "
        f"{options.measure} of the rows, by '{options.date_column}'."
    )
    return plan
