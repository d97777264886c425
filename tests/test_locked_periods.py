"""Locked periods: a final period's values and targets cannot change by hand, by import, by
undoing an import or by taking an edit back, until unlocked with a reason the log keeps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from statdesk.domain.errors import PeriodLocked, ReasonNeeded
from statdesk.domain.periods import parse_period
from statdesk.importing.plan import ImportOptions
from statdesk.storage import models as m
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.workspace import Workspace

pytestmark = pytest.mark.both_stores

POTHOLES = "Potholes repaired within 48 hours"


def test_a_locked_value_cannot_change_by_hand_until_unlocked_with_a_reason(
    demo: Workspace,
) -> None:
    metric = demo.metrics.find(POTHOLES)
    sep, oct_ = parse_period("Sep 2026", 7), parse_period("Oct 2026", 7)
    demo.metrics.locks.lock(parse_period("Q1 FY2027", 7))  # July–September, the whole city
    before = {v.period_start: v.value for v in demo.metrics.values(metric.id)}
    with pytest.raises(PeriodLocked, match=r"Sep 2026 is final: locked through 2026-09-30"):
        demo.metrics.set_value(metric.id, sep, 1.0)
    with pytest.raises(PeriodLocked):
        demo.metrics.set_target(metric.id, sep, 1.0)
    with pytest.raises(PeriodLocked):  # removing the value is a change too
        demo.metrics.set_periods(metric.id, [PeriodEdit(sep, {"actual": None})])
    assert {v.period_start: v.value for v in demo.metrics.values(metric.id)} == before
    demo.metrics.set_value(metric.id, oct_, 77.0)  # October is not locked
    with pytest.raises(ReasonNeeded):
        demo.metrics.locks.unlock("  ", period=sep)
    demo.metrics.locks.unlock("audit corrected September", period=sep)
    demo.metrics.set_value(metric.id, sep, 1.0)
    logged = demo.query(m.ChangeLogEntry, record_kind="period lock")
    assert any("(reason: audit corrected September)" in e.summary for e in logged)


def test_a_department_lock_covers_only_its_metrics(demo: Workspace) -> None:
    police = demo.metrics.find("Median response time to priority 1 calls")
    potholes = demo.metrics.find(POTHOLES)
    assert police.department_id != potholes.department_id
    aug = parse_period("Aug 2026", 7)
    demo.metrics.locks.lock(parse_period("Sep 2026", 7), department_id=police.department_id)
    with pytest.raises(PeriodLocked):
        demo.metrics.set_value(police.id, aug, 5.0)
    demo.metrics.set_value(potholes.id, aug, 5.0)
    # a lock of one metric's single quarter leaves the quarters either side open
    q1, q2 = parse_period("Q1 FY2027", 7), parse_period("Q2 FY2027", 7)
    demo.metrics.locks.lock(q1, starts=q1, metric_id=potholes.id)
    with pytest.raises(PeriodLocked):
        demo.metrics.set_value(potholes.id, parse_period("Jul 2026", 7), 5.0)
    demo.metrics.set_value(potholes.id, parse_period("Jun 2026", 7), 5.0)
    demo.metrics.set_value(potholes.id, parse_period("Oct 2026", 7), 5.0)
    assert q2.start.month == 10
    # unlocking the department leaves the city's other locks alone, and says what still holds
    demo.metrics.locks.lock(parse_period("Jul 2026", 7))
    _, still = demo.metrics.locks.unlock(
        "late report", period=aug, department_id=police.department_id
    )
    assert still == []  # the city's lock ends in July: August is open
    demo.metrics.set_value(police.id, aug, 6.0)
    _, still = demo.metrics.locks.unlock(
        "x", period=parse_period("Jul 2026", 7), metric_id=potholes.id
    )
    assert still and "the whole city" in still[0]


def test_an_import_leaves_locked_values_and_names_each_row(demo: Workspace, tmp_path: Path) -> None:
    metric = demo.metrics.find(POTHOLES)
    source = tmp_path / "fix.csv"
    source.write_text(
        "Metric,Month,Actual\n"
        f"{metric.name},Aug 2026,11\n"
        f"{metric.name},Sep 2026,12\n"
        f"{metric.name},Oct 2026,13\n"
        "A new measure,Sep 2026,7\n"
    )
    sep = parse_period("Sep 2026", 7)
    kept = next(v.value for v in demo.metrics.values(metric.id) if v.period_start == sep.start)
    # the file holds September as it is, on a row of its own: not a change, not refused
    same = tmp_path / "same.csv"
    pd.DataFrame({"Metric": [metric.name], "Month": ["Sep 2026"], "Actual": [kept]}).to_csv(
        same, index=False
    )
    demo.metrics.locks.lock(sep)
    plan = demo.imports.plan(source, ImportOptions("values"))
    rows = pd.read_csv(source)
    months = pd.to_datetime(rows["Month"], format="%b %Y")
    expected_locked = sorted(int(i) + 2 for i in rows.index[months <= pd.Timestamp("2026-09-30")])
    assert [row for row, _, _ in plan.forecast.locked] == expected_locked
    result, _ = demo.imports.run(plan)
    assert result.locked == plan.forecast.locked
    # October is changed; the new measure is made, but its September value is final
    assert result.updated == {"metric_value": 1} and result.created == {"metric": 1}
    values = {v.period_start: v.value for v in demo.metrics.values(metric.id)}
    assert values[sep.start] == kept and values[parse_period("Oct 2026", 7).start] == 13
    assert [ln for ln in result.locked_lines() if ln.startswith("row 3:")] == [
        f"row 3: {metric.name}, Sep 2026 is in a locked period; left as it is"
    ]
    again = demo.imports.plan(same, ImportOptions("values"))
    assert (again.forecast.locked, again.forecast.same) == ([], 1)
    # told to, with a reason, the import changes them and the log keeps why
    told = demo.imports.plan(source, ImportOptions("values", change_locked="late corrections"))
    assert told.forecast.locked == []
    demo.imports.run(told)
    values = {v.period_start: v.value for v in demo.metrics.values(metric.id)}
    assert values[sep.start] == 12


def test_undo_and_take_back_do_not_reach_into_a_locked_period(
    demo: Workspace, tmp_path: Path
) -> None:
    metric = demo.metrics.find(POTHOLES)
    sep = parse_period("Sep 2026", 7)
    source = tmp_path / "fix.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},Sep 2026,12\n")
    result, _ = demo.imports.run(demo.imports.plan(source, ImportOptions("values")))
    aug = parse_period("Aug 2026", 7)
    by_hand = demo.metrics.set_periods(metric.id, [PeriodEdit(aug, {"note": "checked"})])
    demo.metrics.locks.lock(sep)
    with pytest.raises(PeriodLocked):
        demo.imports.undo(result.batch_id)
    with pytest.raises(PeriodLocked):
        demo.take_back(by_hand, "clear a target")
    assert (
        next(v.value for v in demo.metrics.values(metric.id) if v.period_start == sep.start) == 12
    )


def test_revising_a_reported_target_needs_a_reason(demo: Workspace) -> None:
    metric = demo.metrics.find(POTHOLES)
    oct_ = parse_period("Oct 2026", 7)
    assert any(
        v.period_start == oct_.start and v.value is not None for v in demo.metrics.values(metric.id)
    )
    with pytest.raises(ReasonNeeded, match="Oct 2026 was already reported against"):
        demo.metrics.set_target(metric.id, oct_, 1.0)
    demo.metrics.set_target(metric.id, oct_, 1.0, reason="council amended the plan")
    logged = [e.summary for e in demo.query(m.ChangeLogEntry, record_kind="target")]
    assert any("(reason: council amended the plan)" in s for s in logged)
    # a period not reported yet takes a new target without one
    demo.metrics.set_target(metric.id, parse_period("Jun 2027", 7), 95.0)


def test_memos_and_the_scorecard_say_which_periods_are_final(
    demo: Workspace, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from tests.conftest import AS_OF

    held = [x for x in demo.query(m.Meeting, title="Police Stat") if x.status.value == "held"]
    meeting = max(held, key=lambda x: x.starts_at)
    reported = parse_period("Aug 2026", 7)
    assert meeting.reporting_period == reported.start  # its memo's figures are as of August

    def metric_lines() -> list[str]:
        detail = demo.meetings.detail(meeting.id, AS_OF)
        return [i.status_line for i in detail.items if i.metric_id]

    assert metric_lines() and not any("Final:" in line for line in metric_lines())
    demo.metrics.locks.lock(parse_period("Jul 2026", 7))  # ends before August
    lines = metric_lines()
    august = [line for line in lines if " in Aug 2026 " in line]
    quarter = [line for line in lines if " in FY2026 Q4 " in line]  # April to June 2026
    assert august and not any("Final:" in line for line in august)
    assert quarter and all("Final: FY2026 Q4 is locked." in line for line in quarter)
    demo.metrics.locks.lock(reported)
    august = [line for line in metric_lines() if " in Aug 2026 " in line]
    assert all("Final: Aug 2026 is locked." in line for line in august)
    demo.metrics.locks.lock(parse_period("Q1 FY2027", 7))  # the quarterly KPIs' latest
    quarterly = [
        s
        for s in demo.metrics.summaries(AS_OF)
        if s.is_kpi and s.latest and s.latest.label == "FY2027 Q1"
    ]
    target = tmp_path / "scorecard.pdf"
    demo.exports.scorecard(target, AS_OF)
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert quarterly and text.count("final)") == len(quarterly)
    assert f"{len(quarterly)} of the latest periods are final" in text


def test_a_breakdowns_values_of_a_locked_period_are_final_too(
    demo: Workspace, tmp_path: Path
) -> None:
    metric = demo.metrics.find(POTHOLES)
    source = tmp_path / "districts.csv"
    frame = pd.DataFrame(
        {
            "Metric": [metric.name] * 4,
            "Month": ["Sep 2026", "Sep 2026", "Oct 2026", "Oct 2026"],
            "District": ["North", "South", "North", "South"],
            "Actual": [80, 90, 81, 91],
        }
    )
    frame.to_csv(source, index=False)
    demo.metrics.locks.lock(parse_period("Sep 2026", 7), metric_id=metric.id)
    options = ImportOptions("values", mapping={"District": "series"})
    plan = demo.imports.plan(source, options)
    september = frame.index[frame["Month"] == "Sep 2026"]
    assert [row for row, _, _ in plan.forecast.locked] == [int(i) + 2 for i in september]
    result, _ = demo.imports.run(plan)
    assert result.created.get("series_value") == int((frame["Month"] == "Oct 2026").sum())
    # a series value of a locked period cannot be changed by hand either
    line = next(s for s in demo.metrics.series(metric.id) if s.name == "North")
    [october] = [p for p in line.points if p.value is not None]
    assert october.period == parse_period("Oct 2026", 7)
    row = demo.query(m.SeriesValue, period_start=october.period.start)[0]
    demo.metrics.locks.lock(parse_period("Oct 2026", 7), metric_id=metric.id)
    with pytest.raises(PeriodLocked):
        demo.update(m.SeriesValue, row.id, value=1.0)


def test_being_told_to_change_locked_values_is_never_kept_in_a_recipe(
    demo: Workspace, tmp_path: Path
) -> None:
    import json

    source = tmp_path / "late.csv"
    source.write_text(f"Metric,Month,Actual\n{POTHOLES},Sep 2026,12\n")
    plan = demo.imports.plan(source, ImportOptions("values", change_locked="one late fix"))
    demo.imports.save_recipe("late values", plan)
    [recipe] = demo.query(m.ImportRecipe, name="late values")
    assert json.loads(recipe.settings_json)["options"]["change_locked"] is None
    demo.metrics.locks.lock(parse_period("Sep 2026", 7))
    options, _ = demo.imports.options_for("late values", source)
    again = demo.imports.plan(source, options)
    assert [row for row, _, _ in again.forecast.locked] == [2]
