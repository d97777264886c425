"""A big CSV is read as it streams, into columns, its numbers kept as numbers
(importing/streaming.py, number_cells.py): what it plans must be exactly what the same file
read whole plans. The real files are small, so the tests make StatDesk stream them."""

from __future__ import annotations

import math
import random
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from statdesk.importing import coerce, shape, streaming
from statdesk.importing.number_cells import NumberCells
from statdesk.importing.plan import ImportOptions, ImportPlan
from statdesk.importing.planning import plan_import
from tests.conftest import REALWORLD
from tests.importing.test_dry_run_is_the_truth import CHOICES, KINDS


def _cells(rng: random.Random, count: int) -> list[Any]:
    kinds = [
        lambda: f"{rng.uniform(-1e4, 1e4):.{rng.randint(0, 6)}f}",  # trailing zeros too
        lambda: str(rng.randint(-(10**15), 10**15)),  # 16 digits: beyond a double's word
        lambda: str(rng.randint(0, 999)),
        lambda: rng.choice(["007", "-0", "0.0", "1e5", " 5", "5 ", "1_000", "nan", "inf"]),
        lambda: rng.choice(["1,234.5", "$12", "12%", "(3)", "N/A", "", "-", "١٢", "٣.٥"]),
        lambda: "0." + "1" * rng.randint(10, 20),
        lambda: rng.choice([None, "Total", "a note"]),
    ]
    return [rng.choice(kinds)() for _ in range(count)]


def test_number_cells_read_back_as_the_file_wrote_them() -> None:
    cells = _cells(random.Random(19), 20_000)
    kept = NumberCells(cells[:7_000])
    kept.extend(cells[7_000:])
    assert list(kept) == cells and len(kept) == len(cells)
    assert kept[5] == cells[5] and kept[-1] == cells[-1] and kept[10:20] == cells[10:20]
    with pytest.raises(IndexError):
        kept[len(cells)]
    picked = [3, 19_999, 0, 3, 12_345]
    assert list(kept.take(picked)) == [cells[i] for i in picked]
    assert 0 < len(kept.texts) < len(cells)  # some kept as numbers, the rest as written


def test_number_cells_give_the_numbers_a_list_of_the_same_cells_gives() -> None:
    cells = _cells(random.Random(7), 20_000)
    fast, fast_others = coerce.numbers(NumberCells(cells))
    slow, slow_others = coerce.numbers(cells)
    assert fast_others == slow_others
    for position, (a, b) in enumerate(zip(fast.tolist(), slow.tolist(), strict=True)):
        assert (math.isnan(a) and math.isnan(b)) or a == b, cells[position]


def test_a_column_mostly_of_text_stays_a_list() -> None:
    body = shape.Body(2, columnar=True)
    for number in range(30):
        body.take([f"Name {number}", f"{number}.5" if number % 3 else f"note {number}"], number)
    body.INTERN_LIMIT = 5
    body.flush()
    assert body.columns is not None
    assert [type(c) for c in body.columns] == [list, list]  # a third text: not worth it
    numbers = shape.Body(1, columnar=True)
    numbers.INTERN_LIMIT = 5
    for number in range(40):
        numbers.take([f"{number}.25"], number)
    numbers.flush()
    assert numbers.columns is not None and isinstance(numbers.columns[0], NumberCells)


def _fingerprint(plan: ImportPlan) -> dict[str, Any]:
    """What a plan will do and say, for comparing two readings of one file."""
    return {
        "columns": plan.columns,
        "mapping": plan.mapping,
        "rows": plan.rows_read,
        "notices": plan.notices,
        "problems": [asdict(p) for p in plan.problems],
        "skipped": sorted(plan.skipped_rows),
        "people": plan.people,
        "datasets": plan.datasets,
        "metrics": plan.metrics,
        "values": list(plan.values),
        "departments": sorted(plan.departments),
        "missing": plan.missing_fields,
        "choices": plan.choices_needed,
        "combined": sorted(plan.combined_rows),
        "landed": sorted(plan.landed),
        "tally": plan.tally,
    }


def _both_ways(
    monkeypatch: pytest.MonkeyPatch, source: Path, options: ImportOptions
) -> tuple[Any, Any]:
    def planned() -> Any:
        try:
            return _fingerprint(plan_import(source, options, 7))
        except Exception as error:  # a refusal must be the same sentence too
            return (type(error).__name__, str(error))

    whole = planned()
    with monkeypatch.context() as patched:
        patched.setattr(streaming, "BIG_TEXT_FILE", 0)
        patched.setattr(shape.Body, "INTERN_LIMIT", 20)  # numbers kept as numbers early
        streamed = planned()
    return whole, streamed


REAL_CSV = sorted(p for p in REALWORLD.glob("*.csv"))


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/data/realworld")
@pytest.mark.parametrize("source", REAL_CSV, ids=[p.name for p in REAL_CSV])
def test_a_real_file_streamed_plans_as_it_does_read_whole(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choices = [ImportOptions(kind) for kind in KINDS if kind != "raw"]
    if source.name in CHOICES and CHOICES[source.name].kind != "raw":
        choices.append(CHOICES[source.name])
    for options in choices:
        whole, streamed = _both_ways(monkeypatch, source, options)
        assert streamed == whole, (options.kind, source.name)


def test_a_messy_file_streamed_plans_as_it_does_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Title rows, blank rows, a group written once, totals, sentinels, footnotes, numbers as
    text of every kind, and a row longer than the header."""
    rng = random.Random(3)
    lines = ["City of Example — monthly measures", "", "Metric,Department,Month,Actual,Target"]
    for number in range(600):
        department = "Police" if number % 50 == 0 else ""
        metric = f"Measure {number % 9}"
        cell = _cells(rng, 1)[0] or ""
        target = rng.choice(["85", "85.0", "0.85", "85%", "n/a", ""])
        lines.append(f'{metric},{department},{rng.choice(["Jan", "Feb"])} 2026,"{cell}",{target}')
        if number % 97 == 0:
            lines.append(f"Total,,Jan 2026,{number},")
        if number % 131 == 0:
            lines.append(",,,,")
    lines.append("Measure 1,Fire,Mar 2026,5,6,an extra cell")
    lines.append("1 Figures are as reported by each department at the end of the month.")
    source = tmp_path / "messy.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for options in (
        ImportOptions("values"),
        ImportOptions("values", combine="sum", keep_totals=True),
        ImportOptions("metrics"),
    ):
        whole, streamed = _both_ways(monkeypatch, source, options)
        assert streamed == whole, options
        assert isinstance(whole, dict) and whole["values" if options.kind == "values" else "rows"]
