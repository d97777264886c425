"""Metrics through the workspace: summaries, series, tree, saving, many periods at once."""

from __future__ import annotations

from datetime import date

import pytest

from statdesk.domain.errors import NotFound, ValidationFailed
from statdesk.domain.periods import parse_period
from statdesk.domain.status import Status
from statdesk.domain.trends import Heading
from statdesk.domain.vocabulary import Direction, Frequency, Unit
from statdesk.storage import models as m
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.workspace import Workspace
from tests.conftest import AS_OF

pytestmark = pytest.mark.both_stores


def summary(ws: Workspace, name: str):  # type: ignore[no-untyped-def]
    return next(s for s in ws.metrics.summaries(AS_OF) if s.name == name)


def test_every_demo_metric_has_a_latest_period_status_and_trend(demo: Workspace) -> None:
    summaries = demo.metrics.summaries(AS_OF)
    assert len(summaries) == 20
    for s in summaries:
        assert s.latest is not None and s.latest.actual is not None, s.name
        assert s.status in set(Status) - {Status.NO_DATA}
        assert s.trend.heading is not Heading.UNKNOWN
        assert 1 <= len(s.sparkline) <= 12


def test_statuses_checked_by_hand(demo: Workspace) -> None:
    """Recomputed here from the stored numbers and each metric's rule."""
    for name in (
        "Potholes repaired within 48 hours",
        "Median response time to priority 1 calls",
        "General fund reserve as a share of expenditures",
    ):
        s = summary(demo, name)
        metric = demo.metrics.find(name)
        latest = s.latest
        assert latest is not None and latest.actual is not None
        if metric.direction is Direction.BAND:
            low, high = metric.band_low or 0, metric.band_high or 0
            inside = low <= latest.actual <= high
            near = min(abs(latest.actual - low), abs(latest.actual - high)) <= (
                metric.tolerance or 0
            )
            expected = (
                Status.ON_TARGET
                if inside
                else (Status.WITHIN_TOLERANCE if near else Status.OFF_TARGET)
            )
        else:
            assert latest.target is not None
            gap = (latest.target - latest.actual) * (1 if metric.direction is Direction.UP else -1)
            allowance = (
                metric.tolerance
                if metric.unit is Unit.PERCENT
                else latest.target * (metric.tolerance or 0) / 100
            )
            expected = (
                Status.ON_TARGET
                if gap <= 0
                else (Status.WITHIN_TOLERANCE if gap <= (allowance or 0) else Status.OFF_TARGET)
            )
        assert s.status is expected, name


def test_a_series_runs_to_the_end_of_the_fiscal_year(demo: Workspace) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    detail = demo.metrics.detail(metric.id, AS_OF)
    labels = [r.label for r in detail.rows]
    assert labels[0] == "Jul 2024" and labels[-1] == "Jun 2027" and len(labels) == 36
    future = [r for r in detail.rows if r.period.start > AS_OF]
    assert future and all(r.actual is None and r.status is Status.NO_DATA for r in future)
    assert detail.sources == ((4, "Pothole Repair Work Orders"),)
    assert detail.summary.vs_last_year is not None


def test_the_tree_puts_each_kpi_before_its_supporting_metrics(demo: Workspace) -> None:
    tree = demo.metrics.tree(AS_OF)
    assert [p.name for p in tree] == [
        "Safe Neighborhoods",
        "Reliable Basic Services",
        "A Thriving, Affordable Community",
        "A Well-Run Government",
    ]
    streets = next(g for p in tree for g in p.goals if g.title == "Keep streets in good repair")
    names = [x.name for x in streets.metrics]
    assert names[0] == "Potholes repaired within 48 hours"
    assert streets.metrics[1].kpi_id == streets.metrics[0].id
    assert sum(g.is_bold for p in tree for g in p.goals) == 1


def test_save_metric_with_its_sources(demo: Workspace) -> None:
    permits = demo.query(m.Dataset, title="Building Permits")[0].id
    changes = demo.metrics.save(
        None,
        {"name": "Inspections on time", "unit": Unit.PERCENT, "frequency": Frequency.MONTHLY},
        [permits],
    )
    metric_id = changes.new_id(m.Metric)
    assert demo.metrics.detail(metric_id, AS_OF).sources == ((permits, "Building Permits"),)
    demo.metrics.save(metric_id, {"direction": Direction.DOWN}, [])
    assert demo.metrics.detail(metric_id, AS_OF).sources == ()
    with pytest.raises(ValidationFailed, match="needs both ends"):
        demo.metrics.save(metric_id, {"direction": Direction.BAND}, [])


def test_set_periods_writes_many_periods_in_one_transaction(demo: Workspace) -> None:
    metric = demo.metrics.save(None, {"name": "Trees planted"}, []).new_id(m.Metric)
    jan, feb = parse_period("Jan 2026", 7), parse_period("Feb 2026", 7)
    changes = demo.metrics.set_periods(
        metric,
        [
            PeriodEdit(jan, {"actual": 12, "target": 10, "note": "spring start"}),
            PeriodEdit(feb, {"actual": 15, "forecast": 14}),
        ],
    )
    assert changes.created == {
        "metric value": (changes.created["metric value"][0], changes.created["metric value"][1]),
        "target": changes.created["target"],
    }
    rows = {r.label: r for r in demo.metrics.detail(metric, date(2026, 3, 1)).rows}
    assert (rows["Jan 2026"].actual, rows["Jan 2026"].target, rows["Jan 2026"].note) == (
        12,
        10,
        "spring start",
    )
    assert rows["Feb 2026"].forecast == 14
    demo.metrics.set_periods(metric, [PeriodEdit(feb, {"actual": None, "forecast": None})])
    assert demo.count(m.Target) and len(demo.metrics.values(metric)) == 1
    with pytest.raises(NotFound):
        demo.metrics.set_periods(999, [PeriodEdit(jan, {"actual": 1})])


def test_implausible_values_are_flagged_not_refused(demo: Workspace) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    period = parse_period("Nov 2026", 7)
    demo.metrics.set_periods(metric.id, [PeriodEdit(period, {"actual": 6498})])
    row = next(r for r in demo.metrics.detail(metric.id, AS_OF).rows if r.period == period)
    assert row.problem == "6498 is not a percentage between 0 and 100."


def test_find_metric(demo: Workspace) -> None:
    assert demo.metrics.find("3").name.startswith("Pavement")
    assert demo.metrics.find("median days").name.startswith("Median days")
    with pytest.raises(NotFound, match="matches 2 metrics"):
        demo.metrics.find("potholes")
    with pytest.raises(NotFound, match="No metric is called"):
        demo.metrics.find("unicorns")


def test_a_program_has_one_bold_goal(demo: Workspace) -> None:
    [bold] = demo.query(m.Goal, is_bold=True)
    other = demo.query(m.Goal, is_bold=False)[0]
    demo.metrics.save_goal(other.id, {"is_bold": True})
    assert [g.id for g in demo.query(m.Goal, is_bold=True)] == [other.id]
    with pytest.raises(ValidationFailed, match="goal title is required"):
        demo.metrics.save_goal(None, {"title": "", "priority_id": bold.priority_id})


def test_the_quick_summaries_are_those_of_every_period(demo: Workspace) -> None:
    """The Metrics page and Home read summaries without a row for every period; they must
    say exactly what the summaries of the full series say."""
    from statdesk.storage.views import metrics as metrics_view

    fy = demo.fiscal_year_start_month
    with demo._reading() as session:
        for today in (date(2026, 11, 22), date(2025, 2, 1)):
            quick = metrics_view.metric_summaries(session, fy, today)
            full = [d.summary for d in metrics_view.metric_details(session, fy, today)]
            assert quick == full
            assert any(s.vs_last_year is not None for s in quick)
            assert any(len(s.sparkline) == 12 for s in quick)


def test_changing_the_fiscal_year_start_says_what_it_moves(empty: Workspace) -> None:
    """FY2026 kept from 1 July 2025 is no fiscal year of an October city: said before."""
    metric = empty.create(m.Metric, name="Budget", frequency=Frequency.ANNUAL).new_id(m.Metric)
    empty.metrics.set_value(metric, parse_period("FY2026", 7), 10.0)
    said = empty.metrics.fiscal_start_effects(10)
    assert said.startswith("1 value of quarters or fiscal years would no longer start one")
    assert "FY2026 would read as FY2025" in said
    assert empty.metrics.fiscal_start_effects(7) == ""
    empty.delete(m.Metric, metric)
    assert empty.metrics.fiscal_start_effects(10).startswith("No quarterly or yearly value")
