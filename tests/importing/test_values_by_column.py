"""A sheet of values is read a column at a time (importing/values.py, coerce.numbers,
coerce.each_distinct, shape's look at all rows at once). These tests pin what each row and cell
becomes, so the fast paths and the row-by-row reading give the same answer."""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

from statdesk.domain.periods import label
from statdesk.importing import coerce
from statdesk.importing.plan import ImportOptions
from statdesk.importing.planning import plan_import
from statdesk.importing.shape import shape
from statdesk.importing.sources import RawTable


def _rows(plan: Any) -> list[tuple[int, str, str, str, float | None, str | None]]:
    return [(v.row, v.metric, label(v.period, 7), v.field, v.value, v.note) for v in plan.values]


def test_a_long_sheet_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "Metric,Department,Month,Actual,Target,Note\n"
        "Potholes,Public Works,Jan 2025,12,10,\n"
        "Potholes,Public Works,Feb 2025,N/A,10,late\n"
        ",Public Works,Mar 2025,5,5,\n"
        "Potholes,Public Works,,7,7,\n"
        "Potholes,Public Works,Mar 2025,abc,,checked\n"
        "Graffiti,Parks,Jan 2025,0.30000000000000004,12,\n"
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert _rows(plan) == [
        (2, "Potholes", "Jan 2025", "actual", 12.0, None),
        (2, "Potholes", "Jan 2025", "target", 10.0, None),
        (3, "Potholes", "Feb 2025", "actual", None, "late; N/A"),
        (3, "Potholes", "Feb 2025", "target", 10.0, "late"),
        (6, "Potholes", "Mar 2025", "actual", None, "checked; abc"),
        (7, "Graffiti", "Jan 2025", "actual", 0.3, None),  # binary noise rounded away
        (7, "Graffiti", "Jan 2025", "target", 12.0, None),
    ]
    assert [(p.row, p.column, p.action) for p in plan.problems] == [
        (4, "Metric", "the row is not imported"),
        (5, "Month", "the row is not imported"),
        (6, "Actual", "no number is recorded; the text is kept in the note"),
    ]
    assert plan.problems[0].message == "The row names no metric."
    assert plan.skipped_rows == {4, 5}
    assert any("'N/A' ×1" in notice for notice in plan.notices)
    assert [(m["name"], m["department"]) for m in plan.metrics] == [
        ("Potholes", "Public Works"),
        ("Graffiti", "Parks"),
    ]
    assert plan.departments == {"Public Works", "Parks"}


def test_a_wide_sheet_prefers_the_approved_target_and_needs_a_fiscal_year(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(
        "Measure,FY,Jul,Aug,CFY Target,CFY Approved\nPotholes,2025,1,2,100,90\nGraffiti,,3,,50,\n"
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert _rows(plan) == [
        (2, "Potholes", "Jul 2024", "actual", 1.0, None),
        (2, "Potholes", "Aug 2024", "actual", 2.0, None),
        (2, "Potholes", "FY2025", "target", 90.0, None),  # approved, not the other target
    ]
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (3, "Jul", "No fiscal year is known for this row."),
        (3, "CFY Target", "No fiscal year is known for this row."),
        (3, "", "None of the row's values can be imported (see its problems)."),
    ]
    assert plan.skipped_rows == {3} and plan.landed == {2}
    assert [m["name"] for m in plan.metrics] == ["Potholes"]

    given = plan_import(path, ImportOptions("values", fiscal_year=2026), 7)
    assert [r for r in _rows(given) if r[0] == 3] == [
        (3, "Graffiti", "Jul 2025", "actual", 3.0, None),
        (3, "Graffiti", "FY2026", "target", 50.0, None),  # the only target of its row
    ]
    assert given.problems == []


def test_columns_mapped_as_metrics_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    path.write_text("Program,Month,Calls,Visits\nLibrary,Jan 2026,10,20\nLibrary,Feb 2026,11,\n")
    options = ImportOptions(
        "values",
        mapping={"Program": "metric", "Calls": "column_metric", "Visits": "column_metric"},
    )
    plan = plan_import(path, options, 7)
    assert [(r[0], r[1], r[2], r[4]) for r in _rows(plan)] == [
        (2, "Calls — Library", "Jan 2026", 10.0),
        (2, "Visits — Library", "Jan 2026", 20.0),
        (3, "Calls — Library", "Feb 2026", 11.0),
    ]
    assert {v.field for v in plan.values} == {"actual"}
    assert [m["name"] for m in plan.metrics] == ["Calls — Library", "Visits — Library"]


def test_a_big_sheet_of_one_department_reads_as_a_small_one(tmp_path: Path) -> None:
    """The fast paths (one department, every row usual, whole numbers) against the same rows
    with a blank line and a second department, read row by row."""
    lines = [f"Measure {n % 7},Police,Jan 202{n % 5},{n},{n * 0.25}" for n in range(3000)]
    fast = tmp_path / "fast.csv"
    fast.write_text("Metric,Department,Month,Actual,Target\n" + "\n".join(lines) + "\n")
    slow = tmp_path / "slow.csv"
    slow.write_text(
        "Metric,Department,Month,Actual,Target\n"
        + "\n".join(lines)
        + "\n,,,,\nMeasure 0,Fire,Jan 2020,1,1\n"
    )
    quick = plan_import(fast, ImportOptions("values"), 7)
    careful = plan_import(slow, ImportOptions("values"), 7)
    assert len(quick.values) == 6000
    assert quick.values == careful.values[:6000]
    assert [(m["name"], m["department"]) for m in careful.metrics] == [
        *[(m["name"], m["department"]) for m in quick.metrics],
        ("Measure 0", "Fire"),
    ]


def _expected(cell: Any) -> tuple[float | None, coerce.Cell | None]:
    """What `numbers` must give for one cell, from `number`."""
    if coerce.is_blank(cell):
        return None, None
    read = coerce.number(cell)
    if read.original is None and read.problem is None and read.value is not None:
        return read.value, None
    return None, read


def _same(a: float | None, b: float | None) -> bool:
    """Equal, to the sign of a zero; `numbers` gives NaN where `number` gives None."""
    a = None if a is not None and math.isnan(a) else a
    if a is None or b is None:
        return a is b
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def test_numbers_reads_a_column_as_number_reads_each_cell() -> None:
    rng = random.Random(11)
    kinds = [
        lambda: round(rng.uniform(-1e4, 1e4), rng.randint(0, 8)),
        lambda: rng.uniform(-1e12, 1e12),
        lambda: rng.random() * 10 ** rng.randint(-12, 14),
        lambda: sum(rng.choice((0.1, 0.2, 0.7)) for _ in range(3)),  # binary noise
        lambda: float(rng.randint(-(10**16), 10**16)),
        lambda: rng.randint(-1000, 1000),
        lambda: rng.choice([True, False, math.nan, math.inf, -math.inf, -0.0, 0.0, 1e9, -1e9]),
        lambda: rng.choice(["1,200", " $5 ", "N/A", "-", " ", "", "abc", "12%", "(3)"]),
        lambda: rng.choice([None, date(2026, 1, 1), datetime(2026, 1, 1, 9)]),
    ]
    cells = [rng.choice(kinds)() for _ in range(20_000)]
    values, others = coerce.numbers(cells)
    for position, cell in enumerate(cells):
        value, other = _expected(cell)
        assert _same(values[position], value), (cell, values[position], value)
        assert others.get(position) == other, cell


def test_a_column_of_whole_numbers_is_kept_as_it_is() -> None:
    column = [float(n) for n in range(-500, 500)] + [1e14, -0.0]
    values, others = coerce.numbers(column)
    assert values.tolist() == column and others == {}
    for cells in ([1e15, 2.0], [1.0, 2]):  # read as number reads them; an int: each cell read
        values, others = coerce.numbers(cells)
        assert values.tolist() == [float(c) for c in cells] and others == {}


def test_each_distinct_keeps_cells_of_different_types_apart() -> None:
    calls: list[Any] = []

    def read(cell: Any) -> str:
        calls.append(cell)
        return f"{type(cell).__name__}:{cell}"

    got = coerce.each_distinct(read, [1, 1.0, True, 1, "1", 1.0])
    assert got == ["int:1", "float:1.0", "bool:True", "int:1", "str:1", "float:1.0"]
    assert len(calls) == 4
    assert coerce.each_distinct(read, ["a", "b", "a"]) == ["str:a", "str:b", "str:a"]


def test_shape_looks_at_each_row_only_when_some_row_is_unusual() -> None:
    header = ["Metric", "Month", "Actual"]
    rows = [[f"M{n}", "Jan 2026", n] for n in range(50)]
    clean = shape(RawTable([header, *rows]))
    assert clean.rows == rows and clean.source_rows == list(range(2, 52))
    assert clean.cells(0) == [f"M{n}" for n in range(50)]
    assert clean.cells(2) == list(range(50))
    for odd, notice in (
        (["", "  ", None], "1 blank row: skipped."),
        (["Source: counted by the city, every month", None, None], "1 row holding only"),
    ):
        table = shape(RawTable([header, *rows[:25], odd, *rows[25:]]))
        assert table.rows == rows, odd
        assert table.source_rows == [*range(2, 27), *range(28, 53)]
        assert any(n.startswith(notice) for n in table.notices), (odd, table.notices)
    # A total of the rows above it is marked, for the planner to leave out and list; a row
    # labelled "Total" whose numbers are no sum, in the middle of the table, is data.
    total = shape(RawTable([header, *rows[:25], ["Total", "", 300], *rows[25:]]))
    assert total.rows == [*rows[:25], ["Total", "", 300], *rows[25:]]
    assert list(total.totals) == [25] and "sum of rows 2–26" in total.totals[25].reason
    odd_one = shape(RawTable([header, *rows[:25], [7, "Total", 1], *rows[25:]]))
    assert len(odd_one.rows) == 51 and odd_one.totals == {}
    padded = shape(RawTable([header, *[r[:2] for r in rows[:3]], *rows[3:]]))
    assert padded.rows[0] == ["M0", "Jan 2026", None]
    assert padded.cells(2)[:4] == [None, None, None, 3]
