"""A sheet of metric values (long: one row per metric and period; or wide: one column per
period) turned into `ValueItem`s, whole columns at a time.

A monthly file is 100,000 rows of the same few hundred metric names, the same periods and
plain numbers. Each distinct name, series and period is read once, each column of numbers in
one pass, and the items are made from the columns; only the odd cells (a sentinel, a text, a
missing period) get a line of their own, with the problem the report shows.

A value belongs to a metric, a series and a period. The series is the city's own ("") unless
columns are mapped to `series` (a district, a benchmark, the nation), whose cells then name
the series of each row. Rows that still land on the same metric, series and period are found
afterwards (importing.collisions), never written over each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period
from statdesk.domain.series import series_kind
from statdesk.domain.vocabulary import Frequency
from statdesk.importing import coerce
from statdesk.importing.cells import Cells, column_of
from statdesk.importing.coerce import is_blank
from statdesk.importing.header import clean_label
from statdesk.importing.plan import ImportPlan
from statdesk.importing.progress import Progress, step
from statdesk.importing.register import (
    name_the_units,
    propose_directions,
)
from statdesk.importing.row_metrics import RowMetrics, by_key, metrics_by_row
from statdesk.importing.shape import Table
from statdesk.importing.sources import SourceProblem
from statdesk.importing.value_list import Coded
from statdesk.importing.wide import (
    TARGET_PREFERENCE,
    WideColumn,
    fiscal_order,
    wide_columns,
    year_column,
)


class _Column(NamedTuple):
    """One column of numbers to import: which field, whose values (the metric of each row,
    and of each distinct metric cell), and the period of each row (None: no value)."""

    name: str
    field: str
    metrics: list[str]
    metric_of: dict[Any, str]
    periods: list[Period | None]
    cells: Sequence[Any]
    gaps: bool  # some periods are None


def build(plan: ImportPlan, table: Table, fy_start: int, progress: Progress | None) -> None:
    metrics = _read(plan, table, fy_start, progress)
    # Row by row, as the file has them; a row's in column order. Done once the reading's
    # columns of millions of rows are let go.
    plan.values.order_by_rows()
    plan.problems.sort(key=attrgetter("row"))
    plan.metrics = metrics
    decimals = plan.values.decimals_by_metric()
    for record in metrics:
        if record.get("decimals") is None:
            record["decimals"] = decimals.get(record["name"], 0)
    name_the_units(plan, plan.metrics)
    propose_directions(plan, plan.metrics)


def _read(
    plan: ImportPlan, table: Table, fy_start: int, progress: Progress | None
) -> list[dict[str, Any]]:
    """The values of the table's rows into the plan; the metrics they are of."""
    cells = Cells(table, plan.mapping)
    m = plan.mapping
    options = plan.options
    wide = wide_columns([c for c in table.columns if c not in m], fy_start)
    if wide:
        wide = _date_by_file_order(plan, wide, fy_start)
    year_col = year_column(table.columns) if any(w.needs_year for w in wide) else None
    plan.wide = wide
    column_metrics = [c for c, f in m.items() if f == "column_metric"]
    if not ("metric" in m.values() or options.metric or column_metrics):
        plan.missing_fields.append("Metric")
        return []
    long_fields = [f for f in ("actual", "target", "forecast") if f in m.values()]
    if not wide and not long_fields and not column_metrics:
        plan.missing_fields.append(
            "Actual, Target or Forecast (or one column per period, or columns mapped to "
            "'A metric of its own')"
        )
        return []
    fixed_period = None
    if options.period:
        fixed = coerce.to_period(options.period, fy_start)
        if fixed.value is None:
            raise SourceProblem(
                fixed.problem or "The period given is not a period.",
                "Write it like FY2026, 2014 or Jan 2026.",
            )
        fixed_period = fixed.value
    if not wide and "period" not in m.values() and fixed_period is None:
        plan.missing_fields.append("Period (a column, or --period for the whole file)")
        return []

    count = len(table.rows)
    rows = table.source_rows
    who = metrics_by_row(plan, table, cells, column_metrics)
    series = _series_by_row(plan, table)
    step(progress, 0.6)

    # Rows that give no value at all: no metric, or (in a long sheet) no period.
    dead: set[int] = set()
    if not all(who.names.values()) and not column_metrics:
        metric_column = column_of(m, "metric")
        for index, name in enumerate(who.metric_of):
            if not name:
                plan.skip(rows[index], metric_column, "The row names no metric.")
                dead.add(index)
    periods: list[Period | None] = [fixed_period] * count
    if not wide and "period" in cells.index:
        periods = _periods_by_row(plan, table, cells, dead, fy_start)
    for index in dead:
        periods[index] = None
    step(progress, 0.7)

    columns: list[_Column] = []
    if wide:
        columns = _wide(plan, table, wide, year_col, who, dead, fy_start)
        for field_name in long_fields:  # its period is in no column name: not known
            column = column_of(m, field_name)
            plan.notices.append(
                f"'{column}' is mapped to {field_name}, but this file gives its periods in "
                f"its column names and '{column}' names none, so its cells are not imported; "
                "import it on its own with --period."
            )
    else:
        for field_name in long_fields:
            name, cells_at = column_of(m, field_name), table.cells(cells.index[field_name])
            columns.append(
                _Column(name, field_name, who.metric_of, who.names, periods, cells_at, bool(dead))
            )
    for name in column_metrics:  # each such column is a metric of its own
        of = who.column_names[name]
        metric_of = by_key({k: of.get(k, "") for k in who.names}, who.keys)
        cells_at = table.cells(table.columns.index(name))
        columns.append(_Column(name, "actual", metric_of, of, periods, cells_at, bool(dead)))

    notes: list[str | None] = [None] * count
    if "note" in cells.index:
        note_cells = table.cells(cells.index["note"])
        notes = [n or None for n in coerce.each_distinct(coerce.text, note_cells)]
    sentinels: Counter[str] = Counter()
    used: set[tuple[str, str]] = set()  # the metrics that get at least one value
    coding = _Coding()
    for number, value_column in enumerate(columns):
        step(progress, 0.7 + 0.3 * number / len(columns))
        metrics = _add(plan, value_column, who, series, notes, rows, sentinels, coding)
        used |= {(metric.casefold(), department.casefold()) for metric, department in metrics}
    if sentinels:
        listed = ", ".join(f"'{text}' ×{count:,}" for text, count in sentinels.most_common(6))
        plan.notices.append(
            f"Cells saying there is no value ({listed}) are recorded as "
            "missing, with their text kept in the note."
        )
    return [d for key, d in who.definitions.items() if key in used]


class _Series(NamedTuple):
    names: list[str]  # each row's series ("" for the city's own)
    columns: list[str]  # the columns that name it


def _series_by_row(plan: ImportPlan, table: Table) -> _Series:
    """Each row's series, from the columns mapped to `series`: their cells joined ("Police
    Precinct 120"); the row whose series is `own_series` is the city's own figure."""
    columns = [c for c, f in plan.mapping.items() if f == "series"]
    count = len(table.rows)
    if not columns:
        return _Series([""] * count, [])
    read = (lambda c: clean_label(c) if c else "") if table.footnotes else coerce.name
    parts = [coerce.each_distinct(read, table.cells(table.columns.index(c))) for c in columns]
    joined = [" ".join(p for p in row if p) for row in zip(*parts, strict=True)]
    own = coerce.name(plan.options.own_series).casefold()
    spelled: dict[str, str] = {}
    names = []
    for name in joined:
        key = name.casefold()
        names.append("" if key == own else spelled.setdefault(key, name))
    blank = [table.source_rows[i] for i, name in enumerate(joined) if not name]
    if blank:
        plan.notices.append(
            f"{counted(len(blank), 'row')} without {' or '.join(repr(c) for c in columns)}: "
            "their values are taken as the city's own."
        )
    if own and own not in spelled and own not in {n.casefold() for n in joined}:
        plan.problem(
            0,
            columns[0],
            f"No row's series is '{plan.options.own_series}', the city's own you named.",
            "every row is kept as a series of its own; check the spelling",
        )
    plan.series_kinds = {key: series_kind(name) for key, name in spelled.items()}
    plan.series_dimension = " ".join(columns)
    return _Series(names, columns)


def _periods_by_row(
    plan: ImportPlan, table: Table, cells: Cells, dead: set[int], fy_start: int
) -> list[Period | None]:
    """Each row's period, read once per distinct cell; a row without one is skipped (added to
    `dead`, with its problem)."""
    period_cells = table.cells(cells.index["period"])
    unread: list[Any] = []  # distinct cells that give no period
    frequency = Frequency(plan.options.frequency)  # the period a date stands for

    def period_of(cell: Any) -> Period | None:
        period: Period | None = coerce.to_period(cell, fy_start, frequency).value
        if period is None:
            unread.append(cell)
        return period

    periods = coerce.each_distinct(period_of, period_cells)
    for index, period in enumerate(periods) if unread else ():
        if period is None and index not in dead:
            problem = coerce.to_period(period_cells[index], fy_start, frequency).problem
            column = column_of(plan.mapping, "period")
            plan.skip(table.source_rows[index], column, problem or "The row has no period.")
            dead.add(index)
    return periods


class _Coding:
    """Each row's metric, department, series, period or note as a `Coded` column, made once
    for all the columns of values that share the same list."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[Sequence[Any], Coded]] = {}

    def __call__(self, things: Sequence[Any]) -> Coded:
        made = self._made.get(id(things))
        if made is None or made[0] is not things:
            made = self._made[id(things)] = (things, Coded.of(things))  # the list kept alive
        return made[1]


def _add(
    plan: ImportPlan,
    column: _Column,
    who: RowMetrics,
    series: _Series,
    notes: list[str | None],
    rows: Sequence[int],
    sentinels: Counter[str],
    coding: _Coding,
) -> set[tuple[str, str]]:
    """Add the column's values to the plan (one per row with a metric, a period and a cell
    that is not blank); returns the metrics (name, department) they are of."""
    values, others = coerce.numbers(column.cells)
    periods = column.periods
    if others:
        notes = list(notes)
        for index, parsed in others.items():
            if periods[index] is None:
                continue
            if parsed.original:
                before = notes[index]
                notes[index] = f"{before}; {parsed.original}" if before else parsed.original
                if parsed.problem:
                    plan.problem(
                        rows[index],
                        column.name,
                        parsed.problem,
                        "no number is recorded; the text is kept in the note",
                    )
                else:
                    sentinels[parsed.original] += 1
    import numpy as np

    metric, period, department = coding(column.metrics), coding(periods), coding(who.department_of)
    wanted = ~np.isnan(values)  # a number, or a cell whose text goes into the note
    if others:
        wanted[list(others)] = True
    wanted &= metric.positions_of(bool) & period.positions_of(lambda p: p is not None)
    keep = None if wanted.all() else np.flatnonzero(wanted)
    plan.values.add_columns(
        metric,
        department,
        coding(series.names),
        period,
        column.field,
        values,
        Coded.of(notes) if others else coding(notes),  # notes with this column's texts
        rows,
        keep,
    )
    metrics, departments = (
        (metric.codes, department.codes)
        if keep is None
        else (metric.codes[keep], department.codes[keep])
    )
    width = len(department.items)
    pairs = np.unique(metrics.astype(np.int64) * width + departments).tolist()
    return {(metric.items[p // width], department.items[p % width]) for p in pairs}


def _date_by_file_order(
    plan: ImportPlan, wide: list[WideColumn], fy_start: int
) -> list[WideColumn]:
    """Month and quarter columns are dated within each row's fiscal year. When the file runs
    its months in an order that starts another fiscal year than the city's (OCT…SEP in a July
    city), the dry run says so; `file_fiscal_start` dates them by the file's own order."""
    start = fiscal_order(wide, fy_start)
    chosen = plan.options.file_fiscal_start
    if chosen:
        if (chosen - fy_start) % 3 and any(w.quarter for w in wide):
            quarters = [w.column for w in wide if w.quarter]
            plan.notices.append(
                f"The file's quarters ({', '.join(quarters)}) do not line up with this city's "
                "quarters, so those columns are not imported; set the city's fiscal-year start "
                "to import them."
            )
            wide = [w for w in wide if not w.quarter]
        return [w.dated_from(chosen) for w in wide]
    if start is not None:
        import calendar

        plan.fiscal_order = start
        months = [w.column for w in wide if w.month is not None]
        plan.problem(
            0,
            f"{months[0]}…{months[-1]}",
            f"The month columns run {months[0]}…{months[-1]}, a fiscal year starting in "
            f"{calendar.month_name[start]}; this city's fiscal year starts in "
            f"{calendar.month_name[fy_start]}, so each month would be dated by the city's year "
            f"({calendar.month_abbr[fy_start].upper()} first).",
            f"set the city's fiscal-year start to {calendar.month_name[start]}, or date the "
            f"columns by the file's order (--file-fiscal-start {start})",
        )
        plan.choices_needed.append(
            f"how to date month columns in {calendar.month_name[start]}-to-"
            f"{calendar.month_name[(start - 2) % 12 + 1]} order (--file-fiscal-start {start}, "
            "or change the city's fiscal-year start)"
        )
    return wide


def _wide(
    plan: ImportPlan,
    table: Table,
    wide: list[WideColumn],
    year_col: str | None,
    who: RowMetrics,
    dead: set[int],
    fy_start: int,
) -> list[_Column]:
    """One column per period: each row's period from the column, and from the row's fiscal
    year for month, quarter and CFY columns. Of several targets for the same period in a row,
    the one whose word comes first in TARGET_PREFERENCE is kept."""
    count = len(table.rows)
    fiscal: list[int | None] = [plan.options.fiscal_year] * count
    if year_col is not None:
        years = coerce.each_distinct(
            lambda c: coerce.number(c).value, table.cells(table.columns.index(year_col))
        )
        fiscal = [int(y) if y else plan.options.fiscal_year for y in years]
    columns: list[_Column] = []
    for wide_column in wide:
        by_year = {year: wide_column.period(year, fy_start) for year in set(fiscal)}
        periods = [None if index in dead else by_year[year] for index, year in enumerate(fiscal)]
        cells = table.cells(table.columns.index(wide_column.column))
        for index, year in enumerate(fiscal):
            if by_year[year] is None and index not in dead and not is_blank(cells[index]):
                plan.problem(
                    table.source_rows[index],
                    wide_column.column,
                    "No fiscal year is known for this row.",
                    "the value is left out; give --fiscal-year",
                )
        role = wide_column.role
        gaps = any(period is None for period in periods)
        columns.append(
            _Column(wide_column.column, role, who.metric_of, who.names, periods, list(cells), gaps)
        )
    _keep_preferred_targets(plan, wide, columns)
    return columns


def _keep_preferred_targets(
    plan: ImportPlan, wide: list[WideColumn], columns: list[_Column]
) -> None:
    """Blank the targets that a preferred column gives for the same row and period, and say
    how many were passed over."""

    def rank(column: WideColumn) -> int:
        if column.word in TARGET_PREFERENCE:
            return TARGET_PREFERENCE.index(column.word)
        return len(TARGET_PREFERENCE)

    targets = sorted(
        (rank(w), number) for number, w in enumerate(wide) if w.role == "target"
    )  # the best first; of equals, the leftmost
    if len(targets) < 2:
        return
    winner: dict[tuple[int, Period], int] = {}
    passed: Counter[str] = Counter()
    for _, number in targets:
        periods, cells = columns[number].periods, columns[number].cells
        assert isinstance(cells, list)  # a copy of the sheet's column, made by _wide
        for index, (period, cell) in enumerate(zip(periods, cells, strict=True)):
            if period is None or is_blank(cell):
                continue
            if winner.setdefault((index, period), number) != number:
                cells[index] = None
                passed[columns[number].name] += 1
    if passed:
        kept = ", ".join(w.column for _, n in targets for w in [wide[n]])
        listed = ", ".join(f"{name} ×{n:,}" for name, n in passed.most_common())
        plan.notices.append(
            f"Where a row gives several targets for the same period, the first of {kept} is "
            f"kept; passed over: {listed}."
        )
