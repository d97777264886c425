"""Planning an import: read and shape the file, map its columns, check the guesses (date order,
look-alike names, totals), apply the filters, hand the rows to the kind's own reader (roster,
inventory, register, values; raw data has its own), and account for every source row."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from statdesk.domain.numbers import counted
from statdesk.importing import coerce
from statdesk.importing.cells import column_of, ranges
from statdesk.importing.coerce import is_blank
from statdesk.importing.mapping import auto_map, look_alikes, missing_required, parse_map_options
from statdesk.importing.plan import KINDS, ImportOptions, ImportPlan
from statdesk.importing.progress import Progress, step
from statdesk.importing.recipe_files import file_hash
from statdesk.importing.row_filters import parse_filters
from statdesk.importing.shape import Table
from statdesk.importing.sources import SourceInfo, SourceProblem, inspect_source


def plan_import(
    path: Path | str, options: ImportOptions, fy_start: int, progress: Progress | None = None
) -> ImportPlan:
    """Read, shape, map and check a file for an import of `options.kind`. Raises SourceProblem
    only when the file cannot be read or shaped at all, and Cancelled when `progress` is
    cancelled."""
    if options.kind not in KINDS:
        raise SourceProblem(
            f"'{options.kind}' is not a kind of import.", f"Choose one of: {', '.join(KINDS)}."
        )
    path = Path(path)
    info = inspect_source(path, options.encoding)
    if options.decimal and info.format == "csv":
        info = replace(info, decimal=options.decimal)
    if options.kind == "raw":
        from statdesk.importing.raw import plan_raw

        return plan_raw(path, info, options, fy_start, progress)
    step(progress, 0.0, "Reading the sheet")
    with _collector_paused():
        return _plan_table(path, info, options, fy_start, progress)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """A big sheet makes hundreds of thousands of small objects without cycles; the cyclic
    garbage collector would walk them again and again for nothing (15% of a 100,000-row
    import)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def columns_of(path: Path | str, options: ImportOptions) -> list[str]:
    """The column names a file has under `options` (sheet, header row, encoding): only what
    checking a saved recipe against next month's file needs."""
    info = inspect_source(Path(path), options.encoding)
    from statdesk.importing.streaming import load_table

    return load_table(info, options.sheet, options.header_row).columns


def _plan_table(
    path: Path, info: SourceInfo, options: ImportOptions, fy_start: int, progress: Progress | None
) -> ImportPlan:
    from statdesk.importing.streaming import load_table

    step(progress, 0.1, "Reading the sheet and finding its header and data rows")
    table = load_table(info, options.sheet, options.header_row)
    step(progress, 0.5, "Checking every row")
    try:
        given = parse_map_options(
            [f"{c}={f}" for c, f in options.mapping.items()], table.columns, options.kind
        )
    except ValueError as error:
        raise SourceProblem(
            str(error), "Check the --map options against the file's columns."
        ) from error
    empty = [c for i, c in enumerate(table.columns) if all(map(is_blank, table.cells(i)))]
    guessed = auto_map(table.columns, options.kind, empty=empty)
    mapping = {**{c: f for c, f in guessed.items() if f not in given.values()}, **given}
    mapping = {c: f for c, f in mapping.items() if f != "ignore"}
    plan = ImportPlan(
        options,
        info,
        file_hash(path),
        table.sheet,
        table.header_row,
        table.columns,
        mapping,
        len(table.rows),
        notices=list(table.notices),
    )
    _check_guesses(plan, table)
    _name_look_alikes(plan, table)
    for field_name in _DATE_FIELDS.get(options.kind, ()):
        _read_date_order(plan, table, field_name)
    table = _leave_out_totals(plan, table)
    table = _filter(plan, table)
    _builder(options.kind)(plan, table, fy_start, progress)
    if options.kind == "values":
        from statdesk.importing.checks import check
        from statdesk.importing.collisions import settle

        settle(plan, table, fy_start)
        check(plan)
        plan.landed_array = plan.values.landed(plan.combined_rows)
    _account(plan, table)
    step(progress, 1.0)
    required = missing_required(plan.mapping, options.kind)
    if options.kind == "values" and (options.metric or "column_metric" in plan.mapping.values()):
        required = [r for r in required if r != "Metric"]  # the metric is named another way
    plan.missing_fields = plan.missing_fields or required
    return plan


def _check_guesses(plan: ImportPlan, table: Table) -> None:
    """Mapping guesses that the cells contradict are taken back, and the notices say so: a
    'Goal' column of sentences is not the target; an 'ID' that changes from row to row of
    the same metric numbers the rows, it does not name the metric."""
    given = set(plan.options.mapping)
    for column, field_name in list(plan.mapping.items()):
        if column in given:
            continue
        if field_name in ("actual", "target", "forecast") and (
            sample := _sample(table.cells(table.columns.index(column)))
        ):
            numbers = sum(map(coerce.in_a_numbers_column, sample))  # "N/A" says there is none
            if numbers < len(sample) / 2:
                del plan.mapping[column]
                plan.notices.append(
                    f"'{column}' looks like the {field_name} by its name, but its cells are "
                    f"mostly text, so it is not imported as the {field_name} (map it with "
                    f'--map "{column}={field_name}" if it is).'
                )
        if field_name == "code" and plan.options.kind == "values":
            metric = column_of(plan.mapping, "metric")
            names = table.cells(table.columns.index(metric)) if metric in table.columns else []
            pairs = len(set(zip(names, table.cells(table.columns.index(column)), strict=False)))
            if not names:
                del plan.mapping[column]
                plan.notices.append(
                    f"No column names the metric, so '{column}' is not used as a metric's ID."
                )
            elif pairs > 1.5 * len(set(names)):
                del plan.mapping[column]
                plan.notices.append(
                    f"'{column}' changes from row to row of the same metric: it numbers the "
                    "rows rather than naming the metric, so it is not used as the metric's ID."
                )


def _sample(cells: Sequence[Any], size: int = 500) -> list[Any]:
    """About `size` of the column's cells that are not blank, spread over the column."""
    sample = [c for c in cells[:: max(1, len(cells) // size)] if not is_blank(c)]
    if len(sample) < size // 10:  # a sparse column: look at every cell
        sample = [c for c in cells if not is_blank(c)]
    return sample[:: max(1, len(sample) // size)]


def _name_look_alikes(plan: ImportPlan, table: Table) -> None:
    """Columns left unmapped that look like a field are named, with the option that maps
    them; an inventory's column of portal ids ("jji9-e2m5") becomes its key."""
    if plan.options.kind == "inventory":
        from statdesk.importing.inventory import portal_ids

        ids = portal_ids(table, plan.mapping)
        if ids is not None:
            plan.mapping[ids] = "identifier"
            plan.notices.append(
                f"'{ids}' holds a distinct portal id on every row, so it is each dataset's "
                "identifier: rows with the same title stay apart."
            )
    wide = set()
    if plan.options.kind == "values":
        from statdesk.importing.wide import wide_columns

        wide = {w.column for w in wide_columns(table.columns, 7)}  # named as periods anyway
    for column, field_label in look_alikes(table.columns, plan.mapping, plan.options.kind):
        if column in wide:
            continue
        plan.notices.append(
            f"'{column}' looks like the {field_label.lower()} but is not imported: map it "
            f'with --map "{column}=…" if it is.'
        )


_VALUE_FIELDS = ("actual", "target", "forecast", "column_metric")
_DATE_FIELDS = {"values": ("period",), "inventory": ("last_updated",)}


def _read_date_order(plan: ImportPlan, table: Table, field_name: str) -> None:
    """A column of numeric dates is read in one order for the whole column: day-first when a
    first field is above 12 anywhere, month-first when a second is; a column that reads both
    ways with no clue needs the analyst's word (--date-order)."""
    column = column_of(plan.mapping, field_name)
    if column not in table.columns:
        return
    position = table.columns.index(column)
    cells = table.cells(position)
    found = coerce.date_order(cells, periods=field_name == "period")
    order = plan.options.date_order or found.order
    if order == "mixed":
        plan.problem(
            0,
            column,
            f"The dates in '{column}' are written both ways: {found.why}.",
            "the rows whose dates cannot be read are listed; correct the file",
        )
        return
    if order is None:
        example = found.example
        month_first = coerce.to_date(example).value
        day_first = coerce.to_date(coerce.reorder_dates([example], "dmy")[0]).value
        readings = (
            f": '{example}' is {month_first:%d %B %Y} month first, or {day_first:%d %B %Y} "
            "day first"
            if month_first and day_first
            else f" (such as '{example}')"
        )
        plan.problem(
            0,
            column,
            f"The dates in '{column}' read either way{readings}.",
            "nothing is imported until you say which (--date-order mdy or dmy)",
        )
        plan.choices_needed.append(f"the order of the dates in '{column}' (--date-order)")
        return
    if order == "dmy":
        table.with_cells(position, coerce.reorder_dates(cells, "dmy"))
        if not plan.options.date_order:
            plan.notices.append(f"The dates in '{column}' are read day first: {found.why}.")


# The field whose cell makes a row labelled "Total…" a record of its own.
_IDENTIFIER = {"values": "code", "metrics": "code", "inventory": "identifier"}


def _leave_out_totals(plan: ImportPlan, table: Table) -> Table:
    """Rows that shape found labelled and placed as totals are left out (and listed), unless
    they carry an identifier of their own or the analyst keeps totals."""
    if not table.totals:
        return table
    identifier = column_of(plan.mapping, _IDENTIFIER.get(plan.options.kind, ""))
    position = table.columns.index(identifier) if identifier in table.columns else None
    left_out: set[int] = set()
    for index, total in sorted(table.totals.items()):
        number = table.source_rows[index]
        if position is not None and not is_blank(table.rows[index][position]):
            continue  # "Total gallons of fuel consumed", measure 7447: a record, not a total
        if plan.options.keep_totals:
            continue
        plan.skip(
            number,
            table.columns[0],
            f"'{total.label}' is a total: {total.reason}.",
            "the row is not imported (--keep-totals imports it)",
        )
        left_out.add(index)
    kept = len(table.totals) - len(left_out)
    if plan.options.keep_totals and kept:
        plan.notices.append(f"{counted(kept, 'row')} labelled as totals: imported, as you chose.")
    return table.without(left_out)


def _filter(plan: ImportPlan, table: Table) -> Table:
    """Only the rows where each filtered column has one of its values; the others are listed
    together (a filter is the analyst's own choice)."""
    if not plan.options.filters:
        return table
    chosen = parse_filters(plan.options.filters, table.columns)
    keep = [True] * len(table.rows)
    for column, wanted in chosen.items():
        cells = coerce.each_distinct(
            lambda c: coerce.name(c).casefold(), table.cells(table.columns.index(column))
        )
        keep = [k and c in wanted for k, c in zip(keep, cells, strict=True)]
    out = {i for i, k in enumerate(keep) if not k}
    plan.filtered_rows = [table.source_rows[i] for i in sorted(out)]
    plan.skipped_rows.update(plan.filtered_rows)
    described = " and ".join(
        f"{column} = {' or '.join(sorted(values))}" for column, values in chosen.items()
    )
    plan.notices.append(
        f"{len(out):,} of {counted(len(table.rows), 'row')} left out by the filter {described}"
        + (f" (rows {ranges(plan.filtered_rows)})" if out else "")
        + "; without the filter they are imported."
    )
    return table.without(out)


def _account(plan: ImportPlan, table: Table) -> None:
    """Every row of the table either gave a record or value, or is listed with its reason:
    the rows that gave nothing and were not yet listed are listed now."""
    if plan.missing_fields or plan.options.kind == "raw":
        return
    with_problems = {p.row for p in plan.problems}
    if plan.landed_array is not None:  # by arrays: a big file has millions of rows
        import numpy as np

        from statdesk.importing.value_list import distinct

        rows = distinct(np.asarray(table.source_rows))
        left = rows[~np.isin(rows, plan.landed_array, assume_unique=True)].tolist()
        silent = [n for n in left if n not in plan.skipped_rows]
    else:
        silent = [
            n for n in table.source_rows if n not in plan.landed_rows and n not in plan.skipped_rows
        ]
    empty = "The row gives no record: its cells are empty."
    if plan.options.kind == "values":
        columns = [c for c, f in plan.mapping.items() if f in _VALUE_FIELDS]
        columns += [w.column for w in plan.wide]
        shown = ", ".join(f"'{c}'" for c in columns[:4]) + (" …" if len(columns) > 4 else "")
        empty = f"The row gives no value: its value cells ({shown}) are empty."
    for number in silent:
        plan.skip(
            number,
            "",
            "None of the row's values can be imported (see its problems)."
            if number in with_problems
            else empty,
        )
    plan.problems.sort(key=lambda p: p.row)


def _builder(kind: str) -> Callable[[ImportPlan, Table, int, Progress | None], None]:
    """The reader of a kind of table, loaded when an import of that kind starts."""
    import importlib

    module = importlib.import_module(f"statdesk.importing.{_BUILDERS[kind]}")
    build: Callable[[ImportPlan, Table, int, Progress | None], None] = module.build
    return build


_BUILDERS = {
    "roster": "roster",
    "inventory": "inventory",
    "metrics": "register",
    "values": "values",
}
