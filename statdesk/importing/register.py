"""A measure register (one metric per row: name, department, unit, frequency, direction…)
read into metric definitions; `metric_record` also gives a values import the definitions of
the metrics it creates. Words of the closed lists are read by importing.words: what it does
not know is listed, never turned into a default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import Direction, Unit
from statdesk.importing import coerce, words
from statdesk.importing.cells import Cells, column_of, rows_of
from statdesk.importing.plan import ImportPlan
from statdesk.importing.progress import Progress
from statdesk.importing.shape import Table
from statdesk.importing.sources import SourceProblem

Heard = Callable[[str, Any, words.Word], None]  # field, the cell, what was made of it


def metric_record(cells: Cells, row: list[Any], heard: Heard | None = None) -> dict[str, Any]:
    """A metric's fields from a row, by the mapping (fields the file has no column for are
    left out); `heard` is told of every word of a closed list that was not read."""

    def text(field_name: str) -> str:
        position = cells.index.get(field_name)
        return "" if position is None else coerce.name(row[position])

    record: dict[str, Any] = {
        "name": coerce.name(cells(row, "name") or cells(row, "metric")),
        "department": text("department"),
    }
    if "description" in cells.index and (description := coerce.text(cells(row, "description"))):
        record["description"] = description
    for name, (_what, read) in words.READERS.items():
        if name not in cells.index:
            continue
        cell = cells(row, name)
        word = read(cell)
        if word.value is not None:
            record[name] = word.value
        if not word.known and heard is not None:
            heard(name, cell, word)
    if code := text("code"):
        record["code"] = code
    method = [coerce.text(cells(row, "methodology"))]
    if source := text("data_source"):
        method.append(f"Data source: {source}")
    if any(method):
        record["methodology"] = "\n".join(t for t in method if t)
    return record


def hear_into(plan: ImportPlan, number: int) -> Heard:
    """A `heard` that lists each unknown word as a problem of row `number`."""

    def heard(field_name: str, cell: Any, word: words.Word) -> None:
        what = words.READERS[field_name][0]
        shown = coerce.name(cell)[:60]
        near = f"; did you mean '{word.nearest}'?" if word.nearest else ""
        action = (
            "the dataset is recorded as non-public"
            if field_name == "access_level"
            else "it is left unset"
        )
        plan.problem(
            number,
            column_of(plan.mapping, field_name),
            f"'{shown}' is not {what} StatDesk knows{near}",
            f"{action}; correct the file, or set it after the import",
        )

    return heard


def name_the_units(plan: ImportPlan, records: list[dict[str, Any]]) -> None:
    """Metrics without a unit column take the unit their name states ("… (%)", "… (days)"),
    and the notices say how many; the rest stay counts, as their names say nothing else."""
    if "unit" in plan.mapping.values():
        return
    read: dict[Unit, int] = {}
    for record in records:
        unit = words.unit_from_name(record["name"])
        if unit is not None and "unit" not in record:
            record["unit"] = unit
            read[unit] = read.get(unit, 0) + 1
    if read:
        listed = ", ".join(f"{n:,} {unit.label.lower()}" for unit, n in read.items())
        plan.notices.append(
            f"No column gives the unit, so metrics whose name states one take it: {listed}."
        )


def propose_directions(plan: ImportPlan, records: list[dict[str, Any]]) -> None:
    """The directions the analyst chose (plan.options.directions: a metric's name, or "*" for
    every metric the file leaves without one), and for the others, a proposal from the name
    (plan.direction_proposals), never applied unchosen."""
    chosen = {k.casefold(): v for k, v in plan.options.directions.items()}
    everyone = chosen.get("*")
    unset = 0
    for record in records:
        proposal, why = words.direction_from_name(record["name"])
        if "direction" not in record:
            plan.direction_proposals[record["name"]] = (
                (proposal.value if proposal else None),
                why,
            )
        choice = chosen.get(record["name"].casefold()) or (
            everyone if "direction" not in record else None
        )
        if choice == "proposed":
            choice = proposal.value if proposal else None
        if choice:
            record["direction"] = Direction(choice)
        elif "direction" not in record:
            unset += 1
    if unset:
        proposed = sum(1 for p, _ in plan.direction_proposals.values() if p)
        offer = (
            f"StatDesk proposes one for {proposed:,} from their names: take them with Set "
            'directions (or --direction proposed; --direction "NAME=down" sets one).'
            if proposed
            else "Their names do not say which way is better: set them with Set directions "
            '(or --direction up, down or band; --direction "NAME=down" sets one).'
        )
        plan.notices.append(
            f"{counted(unset, 'metric')} without a direction in the file: imported with the "
            f"direction not set, and no status is judged for them until it is. {offer}"
        )


def build(plan: ImportPlan, table: Table, fy_start: int, progress: Progress | None) -> None:
    cells = Cells(table, plan.mapping)
    seen: dict[tuple[str, str], int] = {}
    by_code: dict[str, int] = {}
    for row, number in rows_of(table, progress):
        record = metric_record(cells, row, hear_into(plan, number))
        if not record["name"]:
            plan.skip(number, column_of(plan.mapping, "name"), "The row has no metric name.")
            continue
        code = record.get("code")
        key = (record["name"].casefold(), record["department"].casefold())
        if code and code.casefold() in by_code:
            plan.skip(
                number,
                column_of(plan.mapping, "code"),
                f"ID '{code}' is already on row {by_code[code.casefold()]}.",
            )
            continue
        if key in seen and not code:
            plan.skip(
                number,
                column_of(plan.mapping, "name"),
                f"'{record['name']}' is already on row {seen[key]} for the same department.",
                "the row is not imported; map the file's ID column to 'Metric ID' to keep both",
            )
            continue
        if key in seen:  # two ids, one name: each its own metric, its id in its name
            record["name"] = f"{record['name']} (ID {code})"
        seen.setdefault(key, number)
        if code:
            by_code[code.casefold()] = number
        if record["department"]:
            plan.departments.add(record["department"])
        record["row"] = number
        plan.landed.add(number)
        plan.metrics.append(record)
    name_the_units(plan, plan.metrics)
    propose_directions(plan, plan.metrics)
    _targets(plan, table, cells, fy_start)


def _targets(plan: ImportPlan, table: Table, cells: Cells, fy_start: int) -> None:
    """A register's target column: the targets of the period given (--period); without one,
    the period they are for is not known and they are not imported (and the notice says so)."""
    if "target" not in cells.index:
        return
    column = column_of(plan.mapping, "target")
    if not plan.options.period:
        plan.notices.append(
            f"'{column}' holds targets, but the register does not say for which period, so "
            "they are not imported; give --period (such as FY2026) to import them as that "
            "period's targets."
        )
        return
    from statdesk.importing.value_list import ValueItem

    period = coerce.to_period(plan.options.period, fy_start).value
    if period is None:
        raise SourceProblem(
            f"'{plan.options.period}' is not a period.", "Write it like FY2026 or Jan 2026."
        )
    rows = {r["row"]: r for r in plan.metrics}
    for row, number in zip(table.rows, table.source_rows, strict=True):
        record = rows.get(number)
        cell = cells(row, "target")
        if record is None or coerce.is_blank(cell):
            continue
        value = coerce.number(cell)
        if value.problem:
            plan.problem(number, column, value.problem, "no target is recorded")
            continue
        plan.values.append(
            ValueItem(
                record["name"],
                record["department"],
                "",
                period,
                "target",
                value.value,
                value.original,
                number,
            )
        )
