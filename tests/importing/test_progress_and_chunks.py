"""Long imports report progress and stop when asked, writing nothing; raw text files are read
in chunks whose partial results combine to exactly the whole-file answer."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from statdesk.domain.errors import Cancelled
from statdesk.importing import raw
from statdesk.importing.plan import ImportOptions
from statdesk.importing.planning import plan_import
from statdesk.importing.progress import Progress
from statdesk.workspace import Workspace


def _requests(path: Path, rows: int) -> None:
    rng = random.Random(11)
    lines = ["Created,Closed,Type,Cost"]
    start = datetime(2025, 7, 1)
    for _ in range(rows):
        opened = start + timedelta(hours=rng.randint(0, 24 * 300))
        closed = (
            (opened + timedelta(hours=rng.randint(1, 200))).strftime("%m/%d/%Y %I:%M:%S %p")
            if rng.random() > 0.1
            else ""
        )
        kind = rng.choice(["Pothole", "Graffiti", "pothole "])
        cost = rng.choice(["$1,200", "(50)", "N/A", "75.5", ""])
        lines.append(f'{opened:%m/%d/%Y %I:%M:%S %p},{closed},{kind},"{cost}"')
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("measure", "frequency"),
    [
        ("count", "monthly"),
        ("median_days:Created,Closed", "monthly"),
        ("share_within:Created,Closed,3", "quarterly"),
        ("sum:Cost", "monthly"),
        ("p90:Cost", "weekly"),
    ],
)
def test_chunks_give_the_whole_files_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, measure: str, frequency: str
) -> None:
    path = tmp_path / "requests.csv"
    _requests(path, 2_000)
    options = ImportOptions(
        "raw",
        date_column="Created",
        metric="Requests",
        measure=measure,
        frequency=frequency,
        filters=["Type=Pothole"],
    )
    whole = plan_import(path, options, 7)
    monkeypatch.setattr(raw, "CHUNK_ROWS", 97)  # 21 chunks, the last one short
    chunked = plan_import(path, options, 7)
    assert len(whole.values) > 3
    assert [(v.period, v.value) for v in chunked.values] == [
        (v.period, v.value) for v in whole.values
    ]
    assert chunked.notices == whole.notices
    assert chunked.rows_read == whole.rows_read == 2_000


def test_progress_reaches_the_end_and_a_stop_raises_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text("Metric,Month,Actual\n" + "Potholes,Jan 2026,5\n" * 25_000)
    progress = Progress()
    plan_import(path, ImportOptions("values"), 7, progress)
    assert progress.fraction == 1.0
    stopped = Progress()
    stopped.cancel()
    with pytest.raises(Cancelled, match="nothing was imported"):
        plan_import(path, ImportOptions("values"), 7, stopped)


class _StopsPartWay(Progress):
    """A user pressing Stop after the work has begun."""

    def step(self, fraction: float, stage: str | None = None) -> None:
        if fraction > 0:
            self.cancel()
        super().step(fraction, stage)


def test_stopping_an_import_part_way_writes_nothing(demo: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    months = [f"{m} 20{y}" for y in range(10, 26) for m in ("Jan", "Feb", "Mar", "Apr")]
    path.write_text(
        "Metric,Month,Actual\n"
        + "".join(f"Measure {n},{month},{n}\n" for n in range(400) for month in months)
    )
    plan = demo.imports.plan(path, ImportOptions("values"))
    assert len(plan.values) == 400 * len(months)
    before = (demo.revision(), demo.counts())
    with pytest.raises(Cancelled):
        demo.imports.run(plan, _StopsPartWay())
    assert (demo.revision(), demo.counts()) == before
    assert demo.imports.batches() == []
    result, _ = demo.imports.run(plan, Progress())  # and without a stop, it all goes in
    assert result.created["metric_value"] == len(plan.values)


@pytest.mark.parametrize(
    ("frequency", "starts"),
    [
        ("quarterly", ["2025-07-01", "2025-10-01", "2026-01-01", "2026-07-01"]),
        ("annual", ["2025-07-01", "2026-07-01"]),
    ],
)
def test_raw_rows_group_into_the_citys_fiscal_quarters_and_years(
    tmp_path: Path, frequency: str, starts: list[str]
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Created\n2025-08-14\n2025-09-30\n2025-12-01\n2026-03-31\n2026-07-01\n")
    plan = plan_import(
        path, ImportOptions("raw", date_column="Created", metric="R", frequency=frequency), 7
    )
    assert [v.period.start.isoformat() for v in plan.values] == starts
    assert sum(v.value or 0 for v in plan.values) == 5
