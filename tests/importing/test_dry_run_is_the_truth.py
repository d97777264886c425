"""The dry run is the truth: for every real city file (../shared/data/realworld, when present)
through every kind of import, and every readable file of the hostile corpus, what the dry run
forecasts is exactly what the import writes (counted in the file's tables afterwards, not
taken from the writer's word), and every source row either landed or is listed, never both."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from statdesk.domain.errors import StatDeskError
from statdesk.importing.plan import ImportOptions, ImportPlan
from statdesk.importing.sources import SourceProblem
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_file
from tests.conftest import REALWORLD
from tests.faults.corpus import IMPORTS, Case

KINDS = ("roster", "inventory", "metrics", "values")
TABLES = (
    "department",
    "person",
    "role_assignment",
    "dataset",
    "metric",
    "metric_value",
    "target",
    "metric_series",
    "series_value",
)
REAL = sorted(p for p in REALWORLD.glob("*") if p.suffix in (".csv", ".xlsx", ".xls"))
# The choices an analyst makes for a file whose plain dry run asks for them (SOURCES.md).
CHOICES: dict[str, ImportOptions] = {
    "nyc_mmr_performance_mapping_indicators_monthly_fy2011_fy2019.csv": ImportOptions(
        "values", mapping={"Geographic Identifier": "series"}
    ),
    "boston_operating_budget_fy22_fy25.csv": ImportOptions(
        "values", metric="Operating budget", combine="sum"
    ),
    "govex_city_federal_spending_by_fiscal_year_2024-07-31.csv": ImportOptions(
        "values", metric="Federal obligations", frequency="annual", mapping={"place_id": "series"}
    ),
    "austin_eperf_download_2016-09-22.xlsx": ImportOptions("values", file_fiscal_start=10),
    "tulsa_fy17_adopted_operating_capital_budget.xlsx": ImportOptions(
        "values",
        sheet="Adopted Oper + Capital Table",
        header_row=2,
        metric="Adopted budget",
        period="FY2017",
        mapping={"ORDER#-DEPT": "department", "Grand Total": "target"},
        combine="sum",
    ),
    "nola_fbi_ucr_table8_2014_with_calcs.xls": ImportOptions(
        "values",
        mapping={"City": "series", "CALCS: RATES PER 100,000: Violent crime": "column_metric"},
        own_series="New Orleans",
        period="2014",
    ),
    "la_myla311_service_requests_2017_subset.csv": ImportOptions(
        "raw", date_column="CreatedDate", frequency="weekly", metric="Requests"
    ),
    "burlington_on_building_permits.csv": ImportOptions(
        "raw", date_column="ISSUEDATE", metric="Days", measure="median_days:INDATE,ISSUEDATE"
    ),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "City.statdesk"
    create_file(path, city_name="City", user="tester").close()
    return path


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def check_rows(plan: ImportPlan) -> None:
    """Every row read landed or is listed, not both; a listed row has its reason."""
    counts = plan.counts()
    if plan.tally is not None:
        assert counts["rows_landed"] + counts["rows_skipped"] == plan.rows_read
        return
    assert not plan.landed & plan.skipped_rows
    assert len(plan.landed) + len(plan.skipped_rows) == plan.rows_read, plan.source.path.name
    listed = {p.row for p in plan.problems} | set(plan.filtered_rows)
    assert plan.skipped_rows <= listed
    if plan.options.kind == "values":
        assert plan.landed == {v.row for v in plan.values} | set(plan.combined_rows)


def dry_run_then_import(template: Path, folder: Path, source: Path, options: ImportOptions) -> str:
    """'imported', 'refused' (a sentence before anything is written), or 'needs choices'."""
    path = folder / f"{source.stem}-{options.kind}.statdesk"
    shutil.copyfile(template, path)
    before = table_counts(path)
    with Workspace.open(path, user="tester") as workspace:
        try:
            plan = workspace.imports.plan(source, options)
        except SourceProblem:
            return "refused"
        if plan.missing_fields:
            return "refused"
        check_rows(plan)
        if not plan.ready:
            assert plan.forecast is None
            with pytest.raises(StatDeskError, match="cannot run yet"):
                workspace.imports.run(plan)
            assert table_counts(path) == before
            return "needs choices"
        assert plan.forecast is not None
        forecast = plan.forecast.as_json()
        result, _ = workspace.imports.run(plan)
        assert result.as_json() == forecast
    after = table_counts(path)
    for table in TABLES:
        assert after[table] - before[table] == forecast["created"].get(table, 0), table
    return "imported"


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/data/realworld")
@pytest.mark.parametrize("source", REAL, ids=[p.name for p in REAL])
def test_every_real_file_through_every_kind(source: Path, template: Path, tmp_path: Path) -> None:
    outcomes = {
        kind: dry_run_then_import(template, tmp_path, source, ImportOptions(kind)) for kind in KINDS
    }
    if source.name not in CHOICES:  # a file read with no choice given is read by some kind
        assert "imported" in outcomes.values() or "needs choices" in outcomes.values(), outcomes
    else:
        assert dry_run_then_import(template, tmp_path, source, CHOICES[source.name]) == "imported"


READABLE = [case for case in IMPORTS if case.shows is not None]


@pytest.mark.parametrize("case", READABLE, ids=[c.id for c in READABLE])
def test_every_readable_hostile_file(case: Case, template: Path, tmp_path: Path) -> None:
    source = case.make(tmp_path)
    outcome = dry_run_then_import(template, tmp_path, source, ImportOptions(case.kind))
    assert outcome in ("imported", "needs choices", "refused")


def test_the_real_files_with_their_choices_are_all_known() -> None:
    if not REALWORLD.is_dir():
        pytest.skip("needs ../shared/data/realworld")
    assert set(CHOICES) <= {p.name for p in REAL}
