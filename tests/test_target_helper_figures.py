"""The target helper on a metric whose file keeps its targets at another frequency than its
values (Austin's measures: months of this year, targets and prior years by the year): judged
where its targets are, and never said to have none."""

from __future__ import annotations

from datetime import date

import pytest

from statdesk.domain.periods import Period, fiscal_year_start, parse_period
from statdesk.domain.vocabulary import Direction, Frequency
from statdesk.storage import models as m
from statdesk.workspace import Workspace

pytestmark = pytest.mark.both_stores

TODAY = date(2026, 11, 22)


def _monthly_metric_with_yearly_targets(ws: Workspace, years: int) -> int:
    metric = ws.create(
        m.Metric, name="Permits issued", frequency=Frequency.MONTHLY, direction=Direction.UP
    ).new_id(m.Metric)
    for month in range(1, 11):  # ten months of this year, no monthly target
        ws.metrics.set_value(metric, parse_period(f"2026-{month:02d}", 7), 100.0 + month)
    for number in range(years):  # the prior years, each beating its target by 30%
        year = Period(fiscal_year_start(2026 - number, 7), Frequency.ANNUAL)
        ws.metrics.set_value(metric, year, 1300.0)
        ws.metrics.set_target(metric, year, 1000.0, reason="set before the year")
    return metric


def test_judged_on_the_yearly_figures_where_its_targets_are(empty: Workspace) -> None:
    metric = _monthly_metric_with_yearly_targets(empty, 7)
    helper = empty.metrics.target_helper(metric, TODAY)
    assert helper.judgement is not None and helper.proposal is not None
    assert helper.judgement.rule.startswith(
        "judged on its yearly figures, where its targets are kept: met its target 7 of 7 times"
    )
    assert helper.judgement.situation is not None
    assert helper.judgement.situation.value == "mediocrity"
    assert helper.proposal.target == 1300 and helper.proposal.reasoning.endswith(
        "(a target per year)"
    )
    assert helper.proposal_periods == ()  # not offered for the months


def test_too_few_yearly_targets_are_named_not_denied(empty: Workspace) -> None:
    metric = _monthly_metric_with_yearly_targets(empty, 2)
    helper = empty.metrics.target_helper(metric, TODAY)
    assert helper.judgement is not None
    assert helper.judgement.situation is not None
    assert helper.judgement.situation.value == "no_baseline"
    assert helper.judgement.rule.endswith(
        "the file keeps 2 targets by the year (2 years with a value as well), too few to judge "
        "it on"
    )


def test_the_metric_says_it_has_figures_kept_by_the_year(empty: Workspace) -> None:
    metric = _monthly_metric_with_yearly_targets(empty, 3)
    detail = empty.metrics.detail(metric, TODAY)
    stored = [v for v in empty.metrics.values(metric) if v.frequency is Frequency.ANNUAL]
    aims = [t for t in empty.metrics.targets(metric) if t.frequency is Frequency.ANNUAL]
    assert detail.kept_apart_counts() == ((Frequency.ANNUAL, len(stored), len(aims)),)
    assert detail.kept_apart_sentence().startswith(
        f"Also recorded by the year: {len(stored)} values and {len(aims)} targets."
    )
    assert all(row.period.frequency is Frequency.MONTHLY for row in detail.rows)
