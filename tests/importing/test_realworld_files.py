"""Every file of ../shared/data/realworld imports, and known cells land where they should.
Skipped where that folder is absent (it is never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from statdesk.domain.periods import label
from statdesk.importing.plan import ImportOptions
from statdesk.importing.planning import plan_import
from statdesk.workspace import Workspace
from tests.conftest import REALWORLD, dump_tables

pytestmark = pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/data/realworld")

RATE = "CALCS: RATES PER 100,000: Violent crime"


def test_austin_measures_unpivot_relative_fiscal_years() -> None:
    plan = plan_import(
        REALWORLD / "austin_eperf_download_2016-09-22.xlsx", ImportOptions("values"), 10
    )
    assert plan.ready and plan.rows_read == 1716
    name = "Percent of high priority customer billing requests resolved within five"
    mine = [v for v in plan.values if v.metric.startswith(name)]
    got = {(label(v.period, 10), v.field): (v.value, v.note) for v in mine}
    assert got[("FY2015", "actual")] == (86.73, None)  # "86.730000000000004" in the file
    assert got[("FY2014", "actual")] == (78.0, None)
    assert got[("FY2016", "actual")] == (None, "No Data")
    assert got[("FY2016", "target")] == (85.0, None)  # CFY_APPROVED wins over proposed
    assert any("'No Data' ×1,699" in n for n in plan.notices)


def test_nola_fbi_table_the_city_beside_its_peers_and_their_benchmark() -> None:
    """Each rate column is a metric; New Orleans is the city's own series, the other cities
    and the BENCHMARK row (their average, not a total) are series beside it."""
    plan = plan_import(
        REALWORLD / "nola_fbi_ucr_table8_2014_with_calcs.xls",
        ImportOptions(
            "values",
            mapping={"City": "series", RATE: "column_metric"},
            own_series="New Orleans",
            period="2014",
        ),
        7,
    )
    assert plan.ready and plan.header_row == 4 and plan.rows_read == 11
    by_series = {v.series: v for v in plan.values}
    assert {v.metric for v in plan.values} == {RATE}
    assert round(by_series[""].value or 0, 2) == 973.88  # New Orleans, the city's own
    assert round(by_series["Miami"].value or 0, 2) == 1059.96
    assert round(by_series["BENCHMARK"].value or 0, 2) == 999.52
    assert plan.series_kinds["benchmark"].value == "comparison"
    assert plan.series_kinds["miami"].value == "breakdown"
    assert "Louisville Metro" in by_series  # its footnote markers are not part of its name
    assert by_series["Raleigh"].value is None and by_series["Raleigh"].note == "na"
    assert plan.landed == set(range(5, 16))


def test_nola_register_skips_the_very_hidden_sheet() -> None:
    plan = plan_import(
        REALWORLD / "nola_outcome_indicator_metadata.xlsx", ImportOptions("metrics"), 7
    )
    assert plan.sheet == "current measures" and len(plan.metrics) == 42
    assert any(s.name == "ESRI_MAPINFO_SHEET" and not s.visible for s in plan.source.sheets)


def test_baltimore_roster_splits_name_and_title() -> None:
    plan = plan_import(
        REALWORLD / "baltimore_stat_entity_role_assignments.csv", ImportOptions("roster"), 7
    )
    assert plan.rows_read == 68 and len(plan.people) > 20
    assert all(" - " not in p["name"] for p in plan.people)
    assert any(p["title"] for p in plan.people)


def test_dayton_inventory_keeps_repeated_titles_of_different_services() -> None:
    plan = plan_import(
        REALWORLD / "dayton_data_inventory_master_catalog.csv", ImportOptions("inventory"), 7
    )
    assert plan.rows_read == 1782 and len(plan.datasets) >= 1700
    assert not any(d["title"].startswith(" ") for d in plan.datasets)


def test_la_311_and_burlington_permits_become_values() -> None:
    la = plan_import(
        REALWORLD / "la_myla311_service_requests_2017_subset.csv",
        ImportOptions("raw", date_column="CreatedDate", frequency="weekly", metric="Requests"),
        7,
    )
    assert sum(v.value or 0 for v in la.values) == 9999
    permits = plan_import(
        REALWORLD / "burlington_on_building_permits.csv",
        ImportOptions(
            "raw", date_column="ISSUEDATE", metric="Days", measure="median_days:INDATE,ISSUEDATE"
        ),
        7,
    )
    assert len(permits.values) >= 45 and all((v.value or 0) >= 0 for v in permits.values)


def test_import_then_undo_restores_the_file_exactly(demo_path: Path) -> None:
    before = dump_tables(demo_path, ("change_log", "file_state", "import_batch"))
    austin = ImportOptions("values", file_fiscal_start=10)  # OCT…SEP in a July city
    with Workspace.open(demo_path) as workspace:
        plan = workspace.imports.plan(REALWORLD / "austin_eperf_download_2016-09-22.xlsx", austin)
        result, changes = workspace.imports.run(plan)
        assert result.created["metric"] == 1716 and changes.revision > 0
        again = workspace.imports.plan(REALWORLD / "austin_eperf_download_2016-09-22.xlsx", austin)
        assert "already imported" in again.notices[0]
        workspace.imports.undo(result.batch_id)
    after = dump_tables(demo_path, ("change_log", "file_state", "import_batch"))
    assert after == before
