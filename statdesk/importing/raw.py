"""Raw operational data (a row per 311 request, per permit) turned into metric values: rows are
filtered, dated, grouped by period, and measured (a count, a sum or median of a column, the
median days between two dates, the share done within so many days).

pandas does the work, reading only the columns needed, a chunk of rows at a time: each chunk
is reduced to each row's period and number before the next is read, so a gigabyte extract
stays within bounded memory and close to the time pandas takes to read and group it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from statdesk.domain.periods import Period
from statdesk.domain.vocabulary import Frequency
from statdesk.importing import coerce
from statdesk.importing.coerce import DATE_FORMATS
from statdesk.importing.plan import ImportOptions, ImportPlan, ValueItem, file_hash
from statdesk.importing.progress import Progress, step
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
                    for chunk in reader:
                        chunk.columns = [c.strip() for c in chunk.columns]
                        step(progress, handle.tell() / size, "Reading and counting rows")
                        yield chunk

        return [c.strip() for c in columns], 1, stream()
    table = shape(read_table(info, options.sheet), options.header_row)
    frame = pd.DataFrame(table.rows, columns=table.columns)
    frame = frame[[c for c in table.columns if c in needed]]
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


def _reduce(
    frame: Any,
    options: ImportOptions,
    kind: str,
    args: list[str],
    filters: list[tuple[str, str]],
    frequency: Frequency,
    fy_start: int,
    tally: Counter[str],
    decimal: str = ".",
    orders: dict[str, str] | None = None,
) -> Any:
    """One chunk of rows reduced to what the measure needs: each kept row's period, and its
    number or its days between two dates. The rest of the chunk is let go."""
    import pandas as pd

    orders = {} if orders is None else orders
    date_columns = args[:2] if kind in ("median_days", "share_within") else []
    tally["rows"] += len(frame)
    for column, value in filters:
        frame = frame[frame[column].astype(str).str.strip().str.casefold() == value.casefold()]
    tally["kept"] += len(frame)

    def dates(column: str) -> Any:
        texts = frame[column].astype(str).str.strip()
        if "" not in orders:  # decided on the first chunk, for every date column together
            columns = dict.fromkeys([options.date_column, *date_columns])
            seen = [t for c in columns for t in frame[c].astype(str).str.strip().unique()[:50_000]]
            found = coerce.date_order(seen)
            order = options.date_order or found.order
            if order in (None, "mixed"):
                raise SourceProblem(
                    f"The dates in {', '.join(repr(c) for c in columns)} "
                    + (
                        f"read either way (such as '{found.example}': month or day first)."
                        if order is None
                        else "are written both month first and day first."
                    ),
                    "Say which with --date-order mdy or dmy.",
                )
            orders[""] = order
        column = ""
        return _to_dates(texts, orders[column])

    assert options.date_column is not None
    when = dates(options.date_column)
    dated = when.notna()
    tally["undated"] += int((~dated).sum())
    compact = pd.DataFrame({"_period": _periods(when[dated], frequency, fy_start)})
    if kind in ("median_days", "share_within"):
        start, end = (dates(c)[dated] for c in args[:2])
        days = (end - start).dt.total_seconds() / 86400
        tally["open"] += int(days.isna().sum())
        compact["_days"] = days.to_numpy()
    elif kind != "count":
        numbers = _to_numbers(frame[args[0]].astype(str).str.strip(), decimal)
        compact["_value"] = numbers[dated].to_numpy()
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
    columns, header_row, chunks = _chunks(path, info, options, needed, progress)
    missing = [c for c in needed if c not in columns]
    if missing:
        raise SourceProblem(
            f"The file has no column {', '.join(repr(c) for c in missing)}.",
            f"Its columns are read from row {header_row}; check the names.",
        )
    tally: Counter[str] = Counter()
    orders: dict[str, str] = {}  # each date column's order, from its first chunk
    parts = [
        _reduce(
            chunk, options, kind, args, filters, frequency, fy_start, tally, info.decimal, orders
        )
        for chunk in chunks
    ]
    plan = ImportPlan(
        options, info, file_hash(path), options.sheet, header_row, columns, {}, tally["rows"]
    )
    if not metric:
        plan.missing_fields.append("Metric (--metric NAME)")
    plan.notices.append(f"{tally['kept']:,} of {plan.rows_read:,} rows pass the filters.")
    if tally["undated"]:
        plan.notices.append(
            f"{tally['undated']:,} row(s) have no readable date in "
            f"'{options.date_column}' and are not counted."
        )
    if tally["open"]:
        plan.notices.append(
            f"{tally['open']:,} row(s) have no '{date_args[1]}' yet (still "
            "open) and are left out of the measure."
        )
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
    plan.notices.append(
        f"{len(plan.values)} {frequency.value} value(s) from "
        f"{options.measure} of the rows, by '{options.date_column}'."
    )
    return plan
