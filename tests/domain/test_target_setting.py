"""The target helper's rules: the five situations, the values that stand out, the proposal."""

from __future__ import annotations

import statistics

import pytest

from statdesk.domain.target_setting import (
    Situation,
    anomalies,
    judge,
    propose,
)
from statdesk.domain.vocabulary import Direction

UP, DOWN = Direction.UP, Direction.DOWN


def pairs(actuals: list[float], target: float) -> list[tuple[float | None, float | None]]:
    return [(a, target) for a in actuals]


def test_fewer_than_six_values_is_no_baseline_and_proposes_nothing() -> None:
    judged = judge(pairs([10, 11, 12, 13, 14], 12), UP)
    assert judged.situation is Situation.NO_BASELINE
    assert "only 5 values recorded" in judged.rule
    assert propose(judged, [10, 11, 12, 13, 14], 12, UP).target is None


def test_a_history_without_targets_is_the_baseline_and_its_median_the_proposal() -> None:
    actuals = [40.0, 42, 38, 41, 45, 39, 44]
    judged = judge([(a, None) for a in actuals], UP)
    assert judged.situation is Situation.NO_BASELINE
    assert propose(judged, actuals, None, UP).target == statistics.median(actuals)


def test_met_by_a_wide_margin_nearly_always_is_mediocrity() -> None:
    # 11 of 12 months beat a target of 100 by 25–40%: the rule says so, with the numbers
    actuals = [125.0, 130, 128, 135, 140, 126, 131, 129, 133, 138, 127, 95]
    judged = judge(pairs(actuals, 100), UP)
    assert judged.situation is Situation.MEDIOCRITY
    typical = statistics.median((a - 100) / 100 for a in actuals)
    assert judged.rule.startswith(f"met its target 11 of 12 times, by a median {typical:.0%}")
    proposal = propose(judged, actuals, 100, UP)
    assert proposal.target == round(statistics.median(actuals))
    # lower is better: the same shape mirrored
    down = [100 - (a - 100) for a in actuals]
    assert judge(pairs(down, 100), DOWN).situation is Situation.MEDIOCRITY


def test_missed_most_of_the_time_is_overconfidence_and_proposes_a_reachable_stretch() -> None:
    actuals = [70.0, 72, 68, 75, 71, 69, 74, 73, 80, 66, 70, 72]
    judged = judge(pairs(actuals, 90), UP)
    assert judged.situation is Situation.OVERCONFIDENCE
    assert judged.met == 0 and judged.compared == 12
    proposal = propose(judged, actuals, 90, UP)
    q3 = statistics.quantiles(actuals, n=4, method="inclusive")[2]
    assert proposal.target == round(q3)
    assert min(actuals) < proposal.target < 90  # reachable, and still a stretch
    # lower is better: the better quarter is the lower one
    judged_down = judge(pairs(actuals, 50), DOWN)
    assert judged_down.situation is Situation.OVERCONFIDENCE
    q1 = statistics.quantiles(actuals, n=4, method="inclusive")[0]
    assert propose(judged_down, actuals, 50, DOWN).target == round(q1)


def test_met_about_half_the_time_near_the_target_is_accuracy_and_keeps_it() -> None:
    actuals = [98.0, 103, 97, 104, 99, 102, 96, 105, 101, 95, 100, 106]
    judged = judge(pairs(actuals, 100), UP)
    assert judged.situation is Situation.ACCURACY
    assert propose(judged, actuals, 100, UP).target == 100


def test_steady_on_target_is_stability() -> None:
    actuals = [95.0, 95.5, 94.8, 95.2, 95.1, 94.9, 95.3, 95.0, 94.7, 95.4, 95.0, 95.2]
    judged = judge(pairs(actuals, 95), UP)
    assert judged.situation is Situation.STABILITY
    assert "within less than 1% of their median" in judged.rule


def test_no_direction_or_a_band_is_not_judged() -> None:
    actuals = [1.0, 2, 3, 4, 5, 6, 7]
    assert judge(pairs(actuals, 4), None).situation is None
    band = judge(pairs(actuals, 4), Direction.BAND)
    assert band.situation is None and "band" in band.rule
    assert propose(band, actuals, 4, Direction.BAND).target is None


def test_a_value_beyond_the_robust_band_stands_out() -> None:
    values: list[float | None] = [50.0, 52, 49, 51, 50, 48, 53, 51, 120, 50, 49, None, 52]
    found = anomalies(values)
    assert [(a.index, a.value) for a in found] == [(8, 120)]
    known = [v for v in values if v is not None]
    centre = statistics.median(known)
    mad = statistics.median(abs(v - centre) for v in known) * 1.4826
    assert abs(120 - centre) > 3 * mad
    assert "beyond the usual range" in found[0].why


def test_a_step_change_is_found_where_the_level_jumps_not_along_a_slope() -> None:
    step = [20.0, 21, 19, 20, 22, 21, 20, 35, 36, 34, 35, 36, 35, 34]
    [found] = [a for a in anomalies(step) if "step change" in a.why]
    assert found.index == 7 and found.value == 35
    slope = [float(v) for v in range(20, 48, 2)]  # a steady rise: a trend, no step, no outlier
    assert anomalies(slope) == []


@pytest.mark.parametrize("size", [0, 3, 5])
def test_too_short_a_history_has_no_anomalies(size: int) -> None:
    assert anomalies([float(v) for v in range(size)]) == []
