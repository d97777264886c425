"""Raw operational data (a row per 311 request, per permit) turned into metric values: rows are
filtered, dated, grouped by period, and measured (a count, a sum or median of a column, the
median days between two dates, the share done within so many days).

pandas does the work, reading only the columns needed, a chunk of rows at a time: each chunk
is reduced to each row's period and number before the next is read, so a gigabyte extract
stays within bounded memory and close to the time pandas takes to read and group it.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period, fiscal_year_start
from statdesk.domain.vocabulary import Frequency
from statdesk.importing import coerce
from statdesk.importing.coerce import DATE_FORMATS
from statdesk.importing.plan import ImportOptions, ImportPlan
from statdesk.importing.progress import Progress, step
from statdesk.importing.recipe_files import file_hash
from statdesk.importing.row_filters import parse_filters
from statdesk.importing.sources import SourceInfo, SourceProblem, cannot_decode
from statdesk.importing.value_list import ValueItem

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


CHUNK_ROWS = 200_000  # a text file is read this many rows at a time: memory stays bounded


def _csv_columns(path: Path, info: SourceInfo) -> list[str]:
    import pandas as pd

    try:
        head = pd.read_csv(
            path, nrows=0, dtype=str, encoding=info.encoding, sep=info.delimiter or ","
        )
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceProblem(
            f"{path.name} could not be read: {error}.", "Check the file's encoding and columns."
        ) from error
    return [str(c) for c in head.columns]


def _chunks(
    path: Path,
    info: SourceInfo,
    options: ImportOptions,
    needed: list[str],
    progress: Progress | None,
) -> tuple[list[str], int, Iterator[Any]]:
    """The file's columns, its header row, and its rows as frames of the needed columns only.

    A text file with its header on the first row streams in chunks of CHUNK_ROWS (progress by
    bytes read); anything else is shaped whole, as one chunk."""
    import pandas as pd

    if info.format == "csv" and options.header_row in (None, 1):
        columns = _csv_columns(path, info)
        wanted = [c for c in columns if c.strip() in needed]

        def stream() -> Iterator[Any]:
            size = max(1, path.stat().st_size)
            with path.open("rb") as handle:
                reader = pd.read_csv(
                    handle,
                    dtype=str,
                    encoding=info.encoding,
                    sep=info.delimiter or ",",
                    usecols=wanted,
                    keep_default_na=False,
                    engine="c",
                    chunksize=CHUNK_ROWS,
                )
                with reader:
                    try:
                        for chunk in reader:
                            chunk.columns = [c.strip() for c in chunk.columns]
                            step(progress, handle.tell() / size, "Reading and counting rows")
                            yield chunk
                    except UnicodeDecodeError as error:
                        raise cannot_decode(path, info.encoding or "utf-8", error) from error

        return [c.strip() for c in columns], 1, stream()
    from statdesk.importing.streaming import load_table

    table = load_table(info, options.sheet, options.header_row)
    frame = pd.DataFrame(
        {c: table.cells(i) for i, c in enumerate(table.columns) if c in needed}, dtype=object
    )
    return table.columns, table.header_row, iter([frame])


def _periods(dates: Any, frequency: Frequency, fy_start: int) -> Any:
    """The start of each date's period, vectorised."""
    import pandas as pd

    if frequency is Frequency.WEEKLY:
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    if frequency is Frequency.MONTHLY:
        return dates.dt.to_period("M").dt.to_timestamp()
    size = 3 if frequency is Frequency.QUARTERLY else 12
    back = ((dates.dt.month - fy_start) % 12) % size  # months since the period began
    months = dates.dt.year * 12 + dates.dt.month - 1 - back
    return pd.to_datetime(
        pd.DataFrame({"year": months // 12, "month": months % 12 + 1, "day": 1}, index=dates.index)
    )


def _to_numbers(texts: Any, decimal: str = ".") -> Any:
    """Numbers from text, fast for plain ones; the rest ("(1,200)", "N/A", "1 200") go
    through the one coercer, cell by cell. With decimal commas, "1.234,56" is 1234.56."""
    import pandas as pd

    if decimal == ",":
        texts = texts.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(texts.str.replace(r"[$,%\s]", "", regex=True), errors="coerce")
    unread = numbers.isna() & texts.ne("")
    if unread.any():
        numbers[unread] = texts[unread].map(lambda text: coerce.number(text).value)
    return numbers


def _to_dates(texts: Any, order: str = "mdy") -> Any:
    """Dates from text, fast: the one format that reads a sample is used for the whole column
    (pandas' format="mixed" guesses row by row, many times slower); mixed columns fall back.
    Day-first columns ("13/01/2026") are rewritten year first."""
    import pandas as pd

    if order == "dmy":
        texts = pd.Series(coerce.reorder_dates(list(texts), "dmy"), index=texts.index)
    sample = texts[texts != ""].head(200)
    for fmt in DATE_FORMATS:
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        if len(sample) and parsed.notna().mean() >= 0.95:
            result = pd.to_datetime(texts, format=fmt, errors="coerce")
            break
    else:
        result = pd.to_datetime(texts, errors="coerce", format="mixed", dayfirst=order == "dmy")
    if getattr(result.dt, "tz", None) is not None:
        result = result.dt.tz_convert(None)
    return result


class _Reading:
    """What the chunks share: the order of the file's dates (decided on the first chunk, for
    every date column together), whether the date column holds years, and the tallies."""

    def __init__(self, options: ImportOptions, date_columns: list[str], decimal: str) -> None:
        self.options = options
        self.date_columns = date_columns
        self.decimal = decimal
        self.order: str | None = options.date_order
        self.years: bool | None = None
        self.tally: Counter[str] = Counter()

    def decide_order(self, frame: Any) -> str:
        if self.order is None:
            seen = [
                t
                for column in self.date_columns
                for t in frame[column].astype(str).str.strip().unique()[:50_000]
            ]
            found = coerce.date_order(seen)
            if found.order in (None, "mixed"):
                named = ", ".join(repr(c) for c in self.date_columns)
                raise SourceProblem(
                    f"The dates in {named} "
                    + (
                        f"read either way (such as '{found.example}': month or day first)."
                        if found.order is None
                        else "are written both month first and day first."
                    ),
                    "Say which with --date-order mdy or dmy.",
                )
            self.order = found.order
        return self.order


_YEAR = r"^(19|20)\d{2}(\.0)?$"


def _reduce(
    frame: Any,
    reading: _Reading,
    kind: str,
    args: list[str],
    filters: dict[str, set[str]],
    frequency: Frequency,
    fy_start: int,
) -> Any:
    """One chunk of rows reduced to what the measure needs: each kept row's period, and its
    number or its days between two dates. The rest of the chunk is let go."""
    import pandas as pd

    options, tally = reading.options, reading.tally
    tally["rows"] += len(frame)
    for column, values in filters.items():
        cells = frame[column].astype(str).str.split().str.join(" ").str.casefold()
        frame = frame[cells.isin(values)]
    tally["kept"] += len(frame)

    def dates(column: str) -> Any:
        return _to_dates(frame[column].astype(str).str.strip(), reading.decide_order(frame))

    if options.date_column is None:  # every row in the one period given
        assert options.period is not None
        start = coerce.to_period(options.period, fy_start).value
        assert start is not None
        when = pd.Series(pd.Timestamp(start.start), index=frame.index)
    else:
        texts = frame[options.date_column].astype(str).str.strip()
        if reading.years is None:
            filled = texts[texts != ""]
            reading.years = bool(len(filled)) and bool(filled.str.match(_YEAR).all())
        if reading.years:  # a year column: each row dated the start of its fiscal year
            years = pd.to_numeric(texts, errors="coerce")
            starts = years.map(
                lambda y: pd.Timestamp(fiscal_year_start(int(y), fy_start)) if y == y else pd.NaT
            )
            when = pd.to_datetime(starts)
        else:
            when = dates(options.date_column)
    dated = when.notna()
    tally["undated"] += int((~dated).sum())
    compact = pd.DataFrame({"_period": _periods(when[dated], frequency, fy_start)})
    if kind in ("median_days", "share_within"):
        start, end = (dates(c)[dated] for c in args[:2])
        days = (end - start).dt.total_seconds() / 86400
        tally["no_start"] += int(start.isna().sum())
        tally["open"] += int((start.notna() & end.isna()).sum())
        backwards = days < 0
        tally["backwards"] += int(backwards.sum())
        compact["_days"] = days.where(~backwards).to_numpy()
    elif kind != "count":
        numbers = _to_numbers(frame[args[0]].astype(str).str.strip(), reading.decimal)[dated]
        tally["no_number"] += int(numbers.isna().sum())
        compact["_value"] = numbers.to_numpy()
    return compact


def _measure(rows: Any, kind: str, args: list[str]) -> Any:
    """The measure per period, from the reduced rows of every chunk."""
    if kind == "count":
        return rows.groupby("_period", sort=True).size().astype(float)
    if kind in ("median_days", "share_within"):
        days = rows.dropna(subset=["_days"]).groupby("_period", sort=True)["_days"]
        if kind == "median_days":
            return days.median()
        limit = float(args[2]) if len(args) > 2 else 1.0
        return days.apply(lambda s: float((s <= limit).mean() * 100))
    grouped = rows.dropna(subset=["_value"]).groupby("_period", sort=True)["_value"]
    if kind == "sum":
        return grouped.sum()
    if kind == "mean":
        return grouped.mean()
    if kind == "median":
        return grouped.median()
    return grouped.quantile(int(kind[1:]) / 100)


def plan_raw(
    path: Path,
    info: SourceInfo,
    options: ImportOptions,
    fy_start: int,
    progress: Progress | None = None,
) -> ImportPlan:
    import pandas as pd

    metric = (options.metric or "").strip()
    if not options.date_column and not options.period:
        raise SourceProblem(
            "A raw-data import needs the date column (--date-column), or the one period of "
            "every row (--period).",
            "Name the column that dates each row, such as CreatedDate.",
        )
    try:
        frequency = Frequency(options.frequency)
    except ValueError as error:
        raise SourceProblem(
            f"'{options.frequency}' is not a frequency.",
            "Use weekly, monthly, quarterly or annual.",
        ) from error
    if options.period and not options.date_column:
        fixed = coerce.to_period(options.period, fy_start)
        if fixed.value is None:
            raise SourceProblem(
                fixed.problem or "The period given is not a period.",
                "Write it like FY2026, 2014 or Jan 2026.",
            )
        frequency = fixed.value.frequency
    kind, args = _parse_measure(options.measure)
    date_args = args[:2] if kind in ("median_days", "share_within") else []
    value_args = [args[0]] if kind in ("sum", "mean", "median") or (kind[0] == "p" and args) else []
    filter_columns = [text.partition("=")[0].strip() for text in options.filters]
    needed = list(
        dict.fromkeys(
            [c for c in (options.date_column,) if c] + date_args + value_args + filter_columns
        )
    )
    columns, header_row, chunks = _chunks(path, info, options, needed, progress)
    for column in needed:
        if column not in columns:
            near = difflib.get_close_matches(column, columns, n=1, cutoff=0.5)
            raise SourceProblem(
                f"The file has no column '{column}' (its columns are read from row {header_row}).",
                f"Did you mean '{near[0]}'?" if near else "Check the name against the file.",
            )
    filters = parse_filters(options.filters, columns)
    date_columns = list(dict.fromkeys([c for c in (options.date_column,) if c] + date_args))
    reading = _Reading(options, date_columns, info.decimal)
    parts = [_reduce(chunk, reading, kind, args, filters, frequency, fy_start) for chunk in chunks]
    tally = reading.tally
    if reading.years:
        frequency = Frequency.ANNUAL
    plan = ImportPlan(
        options, info, file_hash(path), options.sheet, header_row, columns, {}, tally["rows"]
    )
    if not metric:
        plan.missing_fields.append("Metric (--metric NAME)")
    filtered = tally["rows"] - tally["kept"]
    if filters:
        plan.notices.append(
            f"{tally['kept']:,} of {plan.rows_read:,} rows pass the filters; {filtered:,} are "
            "left out by them."
        )
    if reading.years:
        month = calendar.month_name[fy_start]
        plan.notices.append(
            f"'{options.date_column}' holds years: each row is dated 1 {month}, the start of "
            "its fiscal year (named for the year it ends in), so the values are annual."
        )
    start = f"'{date_args[0] if date_args else ''}'"
    end = f"'{date_args[1] if len(date_args) > 1 else ''}'"
    left_out = {  # why rows are left out: without what (said the same of one row or many)
        "undated": f"without a readable date in '{options.date_column}'",
        "no_start": f"without a {start} date",
        "open": f"without a {end} yet (still open)",
        "backwards": f"with an end before the start ({end} before {start})",
        "no_number": f"without a number in '{value_args[0] if value_args else ''}'",
    }
    for key, words in left_out.items():
        if tally[key]:
            rows = counted(tally[key], "row")
            plan.notices.append(f"{rows} {words}: left out of the measure.")
            if key == "backwards":
                plan.problem(
                    0,
                    date_args[1],
                    f"{rows} {words}.",
                    "left out of the measure; check them in the source system",
                )
    skipped = filtered + sum(tally[k] for k in left_out)
    plan.tally = {"landed": tally["rows"] - skipped, "listed": skipped}
    rows = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"_period": pd.Series(dtype="datetime64[ns]")})
    )
    result = _measure(rows, kind, args)
    for start, value in result.items():
        plan.values.append(
            ValueItem(
                metric,
                "",
                "",
                Period(start.date(), frequency),
                "actual",
                round(float(value), 6),
                None,
                0,
            )
        )
    plan.metrics = [{"name": metric, "department": "", "frequency": frequency}] if metric else []
    by = f"by '{options.date_column}'" if options.date_column else f"in {options.period}"
    plan.notices.append(
        f"{counted(len(plan.values), frequency.value + ' value')} from {options.measure} of "
        f"the rows, {by}."
    )
    return plan
