"""Imports that tell the truth: every row lands as chosen or is named, words StatDesk does not
know are listed (never a default), scales are questioned, and undo goes in order. Small files
made here, one shape each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from statdesk.domain.errors import StatDeskError
from statdesk.domain.status import Status
from statdesk.domain.vocabulary import AccessLevel, Direction, Unit
from statdesk.importing.plan import ImportOptions
from statdesk.importing.planning import plan_import
from statdesk.storage import models as m
from statdesk.workspace import Workspace

pytestmark = pytest.mark.both_stores


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(workspace: Workspace, path: Path, options: ImportOptions) -> Any:
    plan = workspace.imports.plan(path, options)
    assert plan.ready, (plan.missing_fields, plan.choices_needed)
    result, _ = workspace.imports.run(plan)
    assert plan.forecast is not None and result.as_json() == plan.forecast.as_json()
    return plan, result


def test_a_real_measure_named_total_is_data_and_a_closing_total_is_listed(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "fleet.csv",
        "Measure,Month,Actual\n"
        "Total gallons of fuel consumed,Jan 2026,5200\n"
        "Vehicles in service,Jan 2026,310\n"
        "Work orders closed,Jan 2026,90\n"
        "Total,Jan 2026,5600\n",
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert {v.metric for v in plan.values} == {
        "Total gallons of fuel consumed",
        "Vehicles in service",
        "Work orders closed",
    }
    [total] = [p for p in plan.problems if p.row == 5]
    assert "is a total" in total.message and "--keep-totals" in total.action
    assert plan.skipped_rows == {5} and plan.landed == {2, 3, 4}
    kept = plan_import(path, ImportOptions("values", keep_totals=True), 7)
    assert "Total" in {v.metric for v in kept.values} and kept.skipped_rows == set()


def test_unknown_words_are_listed_with_the_nearest_known_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "register.csv",
        "Measure,Type,Frequency,Direction,Unit\n"
        "Potholes filled,Ouput,Monthly,Up,count\n"
        "Code cases closed,Effectiveness,Quarterly,,count\n"
        "Library visits,Workload,Fortnightly,Maintain,visits per hour\n"
        "Average wait time (minutes),Outcome,Monthly,sideways,minutes\n",
    )
    plan = plan_import(path, ImportOptions("metrics"), 7)
    records = {r["name"]: r for r in plan.metrics}
    assert "measure_type" not in records["Potholes filled"]  # "Ouput" never becomes a type
    ouput = next(p for p in plan.problems if "'Ouput'" in p.message)
    assert "did you mean 'Output'" in ouput.message and ouput.row == 2
    assert records["Code cases closed"]["measure_type"].value == "outcome"  # a known synonym
    assert "frequency" not in records["Library visits"]
    assert any("'Fortnightly'" in p.message for p in plan.problems)
    assert records["Library visits"]["direction"] is Direction.BAND  # "Maintain": a band
    assert "direction" not in records["Code cases closed"]  # blank: not set, not "up"
    assert any("'sideways' is not a direction" in p.message for p in plan.problems)
    # Not set: the proposal from the name is offered, not applied.
    assert plan.direction_proposals["Average wait time (minutes)"][0] == "down"
    assert plan.direction_proposals["Code cases closed"][0] == "up"


def test_a_metric_without_a_direction_is_not_judged_until_it_is_set(
    empty: Workspace, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "waits.csv",
        "Metric,Month,Actual,Target\nAverage wait time (minutes),Jan 2026,121,75\n",
    )
    run(empty, path, ImportOptions("values"))
    [metric] = empty.query(m.Metric)
    assert metric.direction is None and metric.unit is Unit.MINUTES  # from its name
    detail = empty.metrics.detail(metric.id)
    assert detail.summary.status is Status.NO_DIRECTION  # never "on target" by default
    run(empty, path, ImportOptions("values", directions={"*": "proposed"}))
    assert empty.query(m.Metric)[0].direction is None  # an existing metric keeps its own
    again = write(
        tmp_path, "waits2.csv", "Metric,Month,Actual,Target\nTime to close,Jan 2026,9,7\n"
    )
    run(empty, again, ImportOptions("values", directions={"*": "proposed"}))
    [closing] = empty.query(m.Metric, name="Time to close")
    assert closing.direction is Direction.DOWN
    assert empty.metrics.detail(closing.id).summary.status is Status.OFF_TARGET


def test_a_new_metric_is_shown_as_precisely_as_the_file_gives_it(
    empty: Workspace, tmp_path: Path
) -> None:
    """NYC's ambulance times (7.56 minutes) were shown as 8: a new metric had 0 decimals."""
    path = write(
        tmp_path,
        "times.csv",
        "Metric,Month,Actual,Target\n"
        "Ambulance response,Jan 2026,7.56,7.5\nAmbulance response,Feb 2026,6.4,7.5\n"
        "Calls answered,Jan 2026,1200,1000\nShare on time,Jan 2026,81.25,80\n",
    )
    run(empty, path, ImportOptions("values"))
    decimals = {x.name: x.decimals for x in empty.query(m.Metric)}
    assert decimals == {"Ambulance response": 2, "Calls answered": 0, "Share on time": 2}
    ambulance = empty.metrics.find("Ambulance response")
    assert empty.metrics.detail(ambulance.id).summary.show(7.56) == "7.56"


def test_a_percent_metric_mixing_fractions_and_percents_is_flagged(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pct.csv",
        "Metric,Unit,Month,Actual\n"
        "Calls answered (%),Percent,Jan 2026,0.75\n"
        "Calls answered (%),Percent,Feb 2026,70\n"
        "Calls answered (%),Percent,Mar 2026,0.8\n"
        "Inspections on time,Percent,Jan 2026,140\n",
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert plan.scale_mixes == ["Calls answered (%)"]
    mix = next(p for p in plan.problems if "mixes fractions and percents" in p.message)
    assert "--rescale" in mix.action
    assert [v.value for v in plan.values if v.metric == "Calls answered (%)"] == [0.75, 70, 0.8]
    assert any("140 is not a percentage" in p.message for p in plan.problems)
    fixed = plan_import(path, ImportOptions("values", rescale=["Calls answered (%)"]), 7)
    calls = [v for v in fixed.values if v.metric == "Calls answered (%)"]
    assert [v.value for v in calls] == [75.0, 70.0, 80.0]
    assert "0.75 in the file" in (calls[0].note or "")


def test_a_value_orders_of_magnitude_beyond_its_history_is_questioned(
    demo: Workspace, tmp_path: Path
) -> None:
    metric = next(x for x in demo.query(m.Metric) if x.unit is Unit.PERCENT)
    known = [v.value for v in demo.metrics.values(metric.id) if v.value]
    assert len(known) >= 3 and min(known) > 1
    path = write(tmp_path, "pct.csv", f"Metric,Month,Actual\n{metric.name},Jun 2027,0.91\n")
    plan = demo.imports.plan(path, ImportOptions("values"))
    [problem] = [p for p in plan.problems if "what StatDesk holds" in p.message]
    assert "looks like a fraction where StatDesk keeps percents" in problem.message


def test_access_levels_are_never_public_by_guess(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "inventory.csv",
        "Dataset,Data Classification,Description\n"
        "Permits,Level 1 - Public,a\n"
        "Payroll,Level 5 - Restricted,b\n"
        "Crashes,Restricted public,c\n"
        "Cases,Level 3,d\n"
        "Parcels,Ask GIS,e\n",
    )
    plan = plan_import(path, ImportOptions("inventory"), 7)
    levels = {d["title"]: d["access_level"] for d in plan.datasets}
    assert levels == {
        "Permits": AccessLevel.PUBLIC,
        "Payroll": AccessLevel.NON_PUBLIC,
        "Crashes": AccessLevel.RESTRICTED_PUBLIC,
        "Cases": AccessLevel.NON_PUBLIC,
        "Parcels": AccessLevel.NON_PUBLIC,
    }
    assert any("'Ask GIS' is not an access level" in p.message for p in plan.problems)
    assert any("'Level 5 - Restricted' ×1" in n for n in plan.notices)


def test_inventory_rows_sharing_a_title_stay_apart_unless_they_are_one_dataset(
    empty: Workspace, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "inventory.csv",
        "Title,Department,Description,Category\n"
        'Street trees,Parks,"Trees in parks.\n\nUpdated  weekly.",Environment\n'
        "Street trees,Public Works,Trees on streets.,Environment\n"
        'Street trees,Parks,"Trees in parks.\n\nUpdated  weekly.",Open Data - Parks\n'
        "Potholes,Public Works,Repairs.,Streets\n"
        "Potholes,Public Works,Repairs.,Streets\n",
    )
    plan, result = run(empty, path, ImportOptions("inventory"))
    assert result.created["dataset"] == 3
    descriptions = sorted(d.description or "" for d in empty.query(m.Dataset))
    assert "Trees in parks.\n\nUpdated  weekly." in descriptions  # breaks and spaces kept
    parks = next(d for d in empty.query(m.Dataset) if d.description and "parks" in d.description)
    assert parks.keywords == "Environment; Open Data - Parks"  # one dataset, two categories
    assert plan.skipped_rows == {6}  # row 6 repeats row 5 in every field
    assert plan.landed == {2, 3, 4, 5}
    _again, second = run(empty, path, ImportOptions("inventory"))
    assert second.created == {} and len(empty.query(m.Dataset)) == 3  # found again, not doubled


def test_inventory_ids_are_the_key_whatever_the_titles(empty: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "portal.csv",
        "U ID,Name,Type\njji9-e2m5,AFD Fire Stations,table\nimmm-25ed,AFD Fire Stations,map\n",
    )
    plan, result = run(empty, path, ImportOptions("inventory"))
    assert plan.mapping["U ID"] == "identifier" and result.created["dataset"] == 2
    assert sorted(d.identifier or "" for d in empty.query(m.Dataset)) == ["immm-25ed", "jji9-e2m5"]


def test_undo_of_an_import_a_later_one_changed_is_refused_then_done_in_order(
    empty: Workspace, tmp_path: Path
) -> None:
    first = write(tmp_path, "jan.csv", "Metric,Month,Actual\nPotholes,Jan 2026,10\n")
    second = write(tmp_path, "fix.csv", "Metric,Month,Actual\nPotholes,Jan 2026,12\n")
    _, a = run(empty, first, ImportOptions("values"))
    _, b = run(empty, second, ImportOptions("values"))
    history = {line.id: line.state for line in empty.imports.history()}
    assert history[a.batch_id] == f"active; later imports build on it (#{b.batch_id})"
    with pytest.raises(StatDeskError, match=rf"import #{b.batch_id} \(fix.csv"):
        empty.imports.undo(a.batch_id)
    [metric] = empty.query(m.Metric)
    assert [v.value for v in empty.metrics.values(metric.id)] == [12.0]  # nothing was undone
    empty.imports.undo(a.batch_id, with_later=True)
    assert empty.query(m.Metric) == []
    assert all(line.state == "undone" for line in empty.imports.history())


def test_undo_of_a_later_import_alone_puts_back_what_it_replaced(
    empty: Workspace, tmp_path: Path
) -> None:
    first = write(tmp_path, "jan.csv", "Metric,Month,Actual\nPotholes,Jan 2026,10\n")
    second = write(tmp_path, "fix.csv", "Metric,Month,Actual\nPotholes,Jan 2026,12\n")
    run(empty, first, ImportOptions("values"))
    _, b = run(empty, second, ImportOptions("values"))
    empty.imports.undo(b.batch_id)
    [metric] = empty.query(m.Metric)
    assert [v.value for v in empty.metrics.values(metric.id)] == [10.0]


def test_series_and_filters_land_exactly_as_the_dry_run_says(
    empty: Workspace, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "rates.csv",
        "Indicator,Geography,Year,Value\n"
        "Violent crime rate,Riverton,2024,512\n"
        "Violent crime rate,State,2024,380\n"
        "Violent crime rate,United States,2024,364\n"
        "Violent crime rate,Riverton,2025,498\n"
        "Violent crime rate,United States,2025,359\n",
    )
    bare = empty.imports.plan(path, ImportOptions("values"))
    assert not bare.ready and bare.forecast is None
    assert bare.collisions is not None and bare.collisions.proposal == "series:Geography"
    options = ImportOptions("values", mapping={"Geography": "series"}, own_series="Riverton")
    _plan, result = run(empty, path, options)
    assert result.created["metric_value"] == 2 and result.created["series_value"] == 3
    [line_us, line_state] = sorted(
        empty.metrics.series(empty.query(m.Metric)[0].id), key=lambda s: s.name, reverse=True
    )
    assert (line_us.name, line_us.kind.value) == ("United States", "comparison")
    assert [p.value for p in line_us.points] == [364.0, 359.0]
    assert line_state.kind.value == "comparison"
    only = ImportOptions("values", filters=["Geography=Riverton"])
    filtered = empty.imports.plan(path, only)
    assert filtered.ready and filtered.filtered_rows == [3, 4, 6]
    assert filtered.landed == {2, 5} and filtered.skipped_rows == {3, 4, 6}
    with pytest.raises(StatDeskError, match=r"no column 'Geograpy'.*Did you mean 'Geography'"):
        empty.imports.plan(path, ImportOptions("values", filters=["Geograpy=Riverton"]))


def test_first_and_last_name_the_rows_they_leave_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "twice.csv",
        "Metric,Month,Actual,Source\nPotholes,Jan 2026,10,crew log\nPotholes,Jan 2026,11,GIS\n",
    )
    plan = plan_import(path, ImportOptions("values", combine="last"), 7)
    assert [v.value for v in plan.values] == [11.0]
    assert plan.skipped_rows == {2} and plan.landed == {3}
    [dropped] = [p for p in plan.problems if p.row == 2]
    assert "row 3, which is kept (--combine last)" in dropped.message
    summed = plan_import(path, ImportOptions("values", combine="sum"), 7)
    assert [v.value for v in summed.values] == [21.0] and summed.landed == {2, 3}
    assert "Sum of 2 rows" in (summed.values[0].note or "")


def test_identical_rows_are_one_row_written_twice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "copy.csv",
        "Metric,Month,Actual\nPotholes,Jan 2026,10\nPotholes,Jan 2026,10\n",
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert plan.ready and [v.value for v in plan.values] == [10.0]
    assert plan.skipped_rows == {3} and any("repeating an earlier row" in n for n in plan.notices)


def test_a_series_import_then_undo_leaves_the_file_as_it_was(
    demo: Workspace, tmp_path: Path
) -> None:
    from tests.conftest import city_content

    path = write(
        tmp_path,
        "districts.csv",
        "Metric,District,Month,Actual\nGraffiti removed,North,Jan 2026,4\n"
        "Graffiti removed,South,Jan 2026,6\n",
    )
    leave_out = ("change_log", "file_state", "import_batch")
    before = city_content(demo, leave_out)
    options = ImportOptions("values", mapping={"District": "series"})
    _, result = run(demo, path, options)
    assert result.created["series_value"] == 2
    assert len(city_content(demo, leave_out)["series_value"]) == 2
    demo.imports.undo(result.batch_id)
    assert city_content(demo, leave_out) == before
    assert city_content(demo, leave_out)["metric_series"] == []


def test_day_first_dates_are_read_day_first_for_the_whole_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "eu.csv",
        "Metric,Date,Actual\nPotholes,05/01/2026,10\nPotholes,13/02/2026,11\n",
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    starts = [v.period.start.isoformat() for v in plan.values]
    assert starts == ["2026-01-01", "2026-02-01"]  # 5 January, not 1 May
    assert any("read day first: a first field is 13" in n for n in plan.notices)


def test_dates_that_read_either_way_need_the_analysts_word(tmp_path: Path) -> None:
    path = write(tmp_path, "which.csv", "Metric,Date,Actual\nPotholes,05/06/2026,10\n")
    plan = plan_import(path, ImportOptions("values"), 7)
    assert not plan.ready and "--date-order" in plan.choices_needed[0]
    [problem] = [p for p in plan.problems if "read either way" in p.message]
    assert "06 May 2026 month first, or 05 June 2026 day first" in problem.message
    day_first = plan_import(path, ImportOptions("values", date_order="dmy"), 7)
    assert day_first.ready and day_first.values[0].period.start.isoformat() == "2026-06-01"
    monthly = write(tmp_path, "monthly.csv", "Metric,Date,Actual\nP,05/01/2026,1\nP,06/01/2026,2\n")
    firsts = plan_import(monthly, ImportOptions("values"), 7)  # months dated on their 1st
    assert [v.period.start.month for v in firsts.values] == [5, 6]


def test_semicolon_files_with_decimal_commas_read_as_numbers(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_bytes(
        "Metric;Month;Actual\nBudget;Jan 2026;1.234,56\nBudget;Feb 2026;0,75\n"
        "Budget;Mar 2026;12,5\nBudget;Apr 2026;-3,25\n".encode("cp1252")
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert plan.source.decimal == ","
    assert [v.value for v in plan.values] == [1234.56, 0.75, 12.5, -3.25]
    assert any("decimal commas" in n for n in plan.notices)
    dotted = plan_import(path, ImportOptions("values", decimal="."), 7)  # the analyst's word
    assert not {75.0, 125.0, -325.0} & {v.value for v in dotted.values}  # never 0,75 → 75


def test_dots_between_groups_of_three_are_thousands(tmp_path: Path) -> None:
    path = write(tmp_path, "sf.csv", "Metric;Year;Actual\nRevenue;2021;12.502.745\nRate;2021;1.5\n")
    plan = plan_import(path, ImportOptions("values"), 7)
    assert [v.value for v in plan.values] == [12_502_745.0, 1.5]
