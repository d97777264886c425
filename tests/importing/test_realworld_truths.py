"""Real city files imported with the choices an analyst would make, and the numbers that land
checked against the file itself (read with pandas, cell by cell) and against the ground-truth
facts of ../shared/data/realworld/SOURCES.md. Skipped where that folder is absent."""

from __future__ import annotations

from typing import Any

import pytest

from statdesk.domain.periods import label, parse_period
from statdesk.importing.plan import ImportOptions
from statdesk.workspace import Workspace
from tests.conftest import REALWORLD

pytestmark = [
    pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/data/realworld"),
    pytest.mark.both_stores,
]


@pytest.fixture
def city(empty: Workspace) -> Workspace:
    """A new city with a July fiscal year: a file, and a database on a server."""
    return empty


def imported(workspace: Workspace, name: str, options: ImportOptions) -> Any:
    """Plan, check the forecast, import; the import's counts must be the dry run's."""
    plan = workspace.imports.plan(REALWORLD / name, options)
    assert plan.ready, (plan.missing_fields, plan.choices_needed)
    assert plan.forecast is not None
    result, _ = workspace.imports.run(plan)
    assert result.as_json() == plan.forecast.as_json()
    return plan


def stored(workspace: Workspace, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Rows of plain SQL on the city (a file or a server), read past StatDesk's own code;
    dates as ISO text, as a file holds them."""
    from datetime import date

    from sqlalchemy import text

    numbered = sql
    for number in range(len(args)):
        numbered = numbered.replace("?", f":p{number}", 1)
    with workspace.store.engine.connect() as conn:
        rows = conn.execute(text(numbered), {f"p{n}": a for n, a in enumerate(args)}).all()
    return [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]


def series_values(workspace: Workspace) -> dict[tuple[str, str, str], float | None]:
    """(metric, series, period start) → value, for every series value in the file."""
    rows = stored(
        workspace,
        "SELECT metric.name, metric_series.name, series_value.period_start, series_value.value "
        "FROM series_value JOIN metric_series ON series_value.series_id = metric_series.id "
        "JOIN metric ON metric_series.metric_id = metric.id",
    )
    return {(metric, series, start): value for metric, series, start, value in rows}


def test_nyc_districts_are_series_of_their_indicator_not_one_value(city: Workspace) -> None:
    import pandas as pd

    name = "nyc_mmr_performance_mapping_indicators_monthly_fy2011_fy2019.csv"
    bare = city.imports.plan(REALWORLD / name, ImportOptions("values"))
    assert not bare.ready and bare.collisions is not None  # 59 districts on one month: named
    assert bare.collisions.groups == 21 * 108
    assert bare.collisions.proposal == "series:Geographic Identifier"
    plan = imported(
        city, name, ImportOptions("values", mapping={"Geographic Identifier": "series"})
    )
    frame = pd.read_csv(REALWORLD / name, dtype=str, keep_default_na=False)
    months = [c for c in frame.columns if c[:3].isalpha() and c[3] == "-"]
    assert len(months) == 108
    got = series_values(city)
    numeric = 0
    for _, row in frame.iterrows():
        for month in months:
            start = parse_period(month, 7).start.isoformat()
            key = (row["Indicator"], row["Geographic Identifier"], start)
            cell = row[month]
            if cell == "":
                assert key not in got
                continue
            try:
                number = float(cell)
            except ValueError:  # NA and -: recorded as missing
                assert got[key] is None, key
                continue
            numeric += 1
            assert got[key] == number, key
    assert numeric == 115_179  # SOURCES: 115,179 numeric cells
    assert len(got) == 126_032 == plan.counts()["values"]  # 126,036 cells, 4 of them empty
    clean = "Streets rated acceptably clean (%)"
    assert got[(clean, "Staten Island 3", "2010-07-01")] == 100.0
    assert got[(clean, "Staten Island 2", "2010-07-01")] == 96.1
    assert got[(clean, "Staten Island 1", "2010-07-01")] == 92.1
    murder = "Murder and non-negligent manslaughter"
    assert got[(murder, "120", "2010-07-01")] == 5
    january = [v for (n, _s, d), v in got.items() if n == murder and d == "2018-01-01"]
    assert len(january) == 77 and sum(v for v in january if v is not None) == 22
    fires = "Average response time to structural fires"
    assert got[(fires, "Queens", "2010-07-01")] == 4.24
    assert got[(fires, "Queens", "2019-06-01")] == 4.46
    # The city's own series is left empty: the file holds only districts.
    assert city.counts()["metric_values"] == 0 and city.counts()["metric_series"] == 1167


def test_boston_budget_lines_sum_per_department_and_year(city: Workspace) -> None:
    import pandas as pd

    name = "boston_operating_budget_fy22_fy25.csv"
    options = ImportOptions("values", metric="Operating budget")
    bare = city.imports.plan(REALWORLD / name, options)
    assert bare.collisions is not None and bare.collisions.proposal == "combine:sum"
    options.combine = "sum"
    plan = imported(city, name, options)
    assert plan.landed == set(range(2, 945))  # every line is in a sum
    frame = pd.read_csv(REALWORLD / name, dtype=str, keep_default_na=False)
    columns = {
        "FY22 Actual Expense": ("metric_value", "value", "2021-07-01"),
        "FY23 Actual Expense": ("metric_value", "value", "2022-07-01"),
        "FY24 Appropriation": ("target", "target", "2023-07-01"),
        "FY25 Budget": ("target", "target", "2024-07-01"),
    }
    for column, (table, field, start) in columns.items():
        numbers = pd.to_numeric(frame[column], errors="coerce")
        expected = numbers.groupby(frame["Dept"]).sum(min_count=1)
        got = dict(
            stored(
                city,
                f"SELECT department.name, {table}.{field} FROM {table} JOIN metric ON "
                f"{table}.metric_id = metric.id JOIN department ON metric.department_id = "
                f"department.id WHERE {table}.period_start = ?",
                start,
            )
        )
        assert len(got) == frame["Dept"].nunique() == 86
        for department, total in expected.items():
            if pd.isna(total):
                assert got[department] is None, (column, department)
            else:
                assert got[department] == pytest.approx(total, abs=0.005), (column, department)
    police = dict(
        stored(
            city,
            "SELECT period_start, COALESCE(value, 0) FROM metric_value JOIN metric ON "
            "metric_value.metric_id = metric.id JOIN department ON metric.department_id = "
            "department.id WHERE department.name = 'Police Department'",
        )
    )
    assert police["2021-07-01"] == 420_411_576.37  # SOURCES, FY22 Actual Expense
    budgets = stored(city, "SELECT SUM(target) FROM target WHERE period_start = '2024-07-01'")
    assert budgets[0][0] == pytest.approx(4_636_924_670.23, abs=0.01)  # all 943 rows, FY25


def test_tulsa_pivot_departments_summed_without_their_totals(city: Workspace) -> None:
    name = "tulsa_fy17_adopted_operating_capital_budget.xlsx"
    plan = imported(
        city,
        name,
        ImportOptions(
            "values",
            sheet="Adopted Oper + Capital Table",
            header_row=2,
            metric="Adopted budget",
            period="FY2017",
            mapping={"ORDER#-DEPT": "department", "Grand Total": "target"},
            combine="sum",
        ),
    )
    totals = [p for p in plan.problems if "is a total" in p.message]
    assert len(totals) == 34  # 33 "… Total" rows and the Grand Total, each listed
    assert all(p.row in plan.skipped_rows for p in totals)
    assert plan.landed | plan.skipped_rows == set(range(3, 150))
    police = stored(
        city,
        "SELECT target FROM target JOIN metric ON target.metric_id = metric.id JOIN department "
        "ON metric.department_id = department.id WHERE department.name = "
        "'02 - Police Department'",
    )
    assert police == [(98_719_000.0,)]  # 84,877,000 + 1,498,000 + 8,781,000 + 3,563,000
    [(everything,)] = stored(city, "SELECT SUM(target) FROM target")
    assert everything == pytest.approx(874_577_434.92, abs=0.01)  # not 2,623,732,304.76


def test_govex_cities_are_series_and_fiscal_years_are_not_januaries(city: Workspace) -> None:
    import pandas as pd

    name = "govex_city_federal_spending_by_fiscal_year_2024-07-31.csv"
    imported(
        city,
        name,
        ImportOptions(
            "values",
            metric="Federal obligations",
            frequency="annual",
            mapping={"place_id": "series"},
            own_series="c-us-ma-bos",
        ),
    )
    frame = pd.read_csv(REALWORLD / name, dtype=str, keep_default_na=False)
    got = series_values(city)
    [(boston_2017,)] = stored(
        city, "SELECT value FROM metric_value WHERE period_start = ?", "2016-07-01"
    )
    assert boston_2017 == 127_513_035.31  # FY2017, not January 2017
    for _, row in frame.iterrows():
        start = f"{int(row['date'][:4]) - 1}-07-01"  # FY named for the year it ends in
        if row["place_id"] == "c-us-ma-bos":
            continue
        value = got[("Federal obligations", row["place_id"], start)]
        assert value == (None if row["value"] == "NA" else float(f"{float(row['value']):.15g}"))
    assert got[("Federal obligations", "c-us-co-den", "2020-07-01")] == 4_360_172_807.11
    in_2021 = [v for (_n, _s, d), v in got.items() if d == "2020-07-01"]
    [(own_2021,)] = stored(
        city, "SELECT value FROM metric_value WHERE period_start = ?", "2020-07-01"
    )
    assert sum(in_2021) + own_2021 == pytest.approx(73_528_182_028.54, abs=0.01)
    years = stored(city, "SELECT period_start, COUNT(*) FROM series_value GROUP BY 1 ORDER BY 1")
    assert [n + 1 for _start, n in years] == [125, 125, 126, 126, 126, 126, 126]


def test_nyc_comptroller_indicators_keep_their_ids_apart(city: Workspace) -> None:
    name = "nyc_comptroller_mmr_indicators_desired_direction_fy2016_fy2023.csv"
    plan = imported(city, name, ImportOptions("values"))
    assert plan.mapping.get("ID") == "code" and plan.mapping.get("Goal") is None
    assert city.counts()["metrics"] == 1139  # one per ID, though 31 names repeat
    [(metric_id, metric_name)] = stored(city, "SELECT id, name FROM metric WHERE code = '119'")
    assert metric_name.startswith("Average days to complete first plan review")
    values = dict(
        stored(city, "SELECT period_start, value FROM metric_value WHERE metric_id = ?", metric_id)
    )
    assert values["2015-07-01"] == 11.11 and values["2021-07-01"] == 8.5
    assert values["2022-07-01"] == 4.5
    mean5 = sum(values[f"{y}-07-01"] for y in range(2017, 2022)) / 5
    assert round(mean5, 3) == 5.822  # the file's own Avg5yr
    assert label(parse_period("2023", 7), 7) == "FY2023"


def test_austin_portal_ids_keep_same_named_datasets_apart(city: Workspace) -> None:
    import pandas as pd

    name = "austin_open_data_portal_all_views_2016-10-03.csv"
    plan = imported(city, name, ImportOptions("inventory"))
    assert plan.mapping["U ID"] == "identifier"
    frame = pd.read_csv(REALWORLD / name, dtype=str, keep_default_na=False)
    assert len(frame) == 1457 == city.counts()["datasets"]  # SOURCES: 1,457 records
    got = dict(stored(city, "SELECT identifier, title FROM dataset"))
    assert got["jji9-e2m5"] == got["immm-25ed"] == "AFD Fire Stations"
    assert got["7g8v-xxja"] == got["8mst-ed5t"] == "Annual Crime 2014"
    assert got["97sh-bm58"] == got["3buj-7jze"] == "Active Credit Access Business Licenses"
    descriptions = dict(stored(city, "SELECT identifier, description FROM dataset"))
    for _, row in frame.iterrows():  # descriptions as written, line breaks and all
        assert (descriptions[row["U ID"]] or "") == row["Description"].strip(), row["U ID"]
    breaks = sum(("\n" in (d or "")) for d in descriptions.values())
    assert breaks == 223  # SOURCES: 223 descriptions contain a line break


def test_charleston_items_listed_under_two_groups_are_one_dataset(city: Workspace) -> None:
    import pandas as pd

    name = "charleston_sc_open_data_inventory.csv"
    plan = imported(city, name, ImportOptions("inventory"))
    frame = pd.read_csv(REALWORLD / name, dtype=str, keep_default_na=False)
    unique = frame.drop_duplicates(["title", "created"])
    assert len(unique) == 178 == city.counts()["datasets"]  # SOURCES: 178 after the pairs
    assert len(plan.landed) == 194  # the second listing of each pair joined the first
    [(keywords,)] = stored(
        city, "SELECT keywords FROM dataset WHERE title = '2015 Year End Compstat Report'"
    )
    assert keywords == "Open Data PDI; Open Data PDI: Compstat Reports"
    levels = dict(stored(city, "SELECT title, access_level FROM dataset"))
    for _, row in unique.iterrows():
        expected = "public" if row["access"] == "public" else "non_public"
        assert levels[row["title"].strip()] == expected, row["title"]
    assert sum(level == "public" for level in levels.values()) == 178 - 4


def test_sf_percent_measures_on_two_scales_are_named(city: Workspace) -> None:
    import pandas as pd

    name = "sf_citywide_performance_metrics_fy2018_fy2023.csv"
    plan = city.imports.plan(REALWORLD / name, ImportOptions("values"))
    frame = pd.read_csv(REALWORLD / name, sep=";", dtype=str, keep_default_na=False)
    percent = frame[frame["Measure Data Type"] == "Percent"]
    columns = ["Target", "Full-Year Result"]
    above = percent[
        percent[columns].apply(lambda c: pd.to_numeric(c, errors="coerce")).gt(1).any(axis=1)
    ]
    named = {m.casefold() for m in plan.scale_mixes}
    for measure in set(above["Measure Title"]):
        assert measure.casefold() in named, measure  # every two-scale measure is listed
    assert "percentage hss participation at sfers retirement seminars" in named
    visitors = [
        v
        for v in plan.values
        if v.metric == "Number of visitors"
        and v.department == "ACADEMY OF SCIENCES"
        and label(v.period, 7) == "FY2020"
    ]
    assert {(v.field, v.value) for v in visitors} == {("target", 1_259_000), ("actual", 815_703)}
    no_year = frame[frame["Fiscal Year"] == ""]
    assert len(no_year) == 315 and {r + 2 for r in no_year.index} <= plan.skipped_rows
