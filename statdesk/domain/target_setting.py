"""Setting a target from a metric's history, after the GovEx targets guide: which of the five
situations the metric is in (with the rule that put it there), the values that stand out (a
robust band, a step change), and a proposed target with its reasoning.

Everything takes plain numbers in period order: (actual, target) pairs, None where missing.
"Met" and "better" follow the metric's direction; a metric without one is not judged.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import Direction, Labelled

RECENT = 12  # the periods a situation is judged on: the latest 12 with a value and a target
MIN_HISTORY = 6  # values needed before history can set a target
WIDE = 0.20  # "by more than 20%": a margin that says the target is not where the work is
STEADY = 0.05  # values within 5% of their median: a stable metric
MAD_BAND = 3.0  # values beyond median ± 3 robust deviations stand out
MAD_SCALE = 1.4826  # the MAD of a normal sample times this is its standard deviation


class Situation(Labelled):
    NO_BASELINE = "no_baseline"
    OVERCONFIDENCE = "overconfidence"
    MEDIOCRITY = "mediocrity"
    ACCURACY = "accuracy"
    STABILITY = "stability"


_ADVICE = {
    Situation.NO_BASELINE: "Collect the data first and use it as the baseline; set a target "
    "once there is a history to set it from.",
    Situation.OVERCONFIDENCE: "The target may be out of reach: set one the work can reach, "
    "and say what it would take to go further.",
    Situation.MEDIOCRITY: "The target may be too low: raise it toward what the work already "
    "achieves.",
    Situation.ACCURACY: "The target stretches the work and is reached about as often as "
    "missed: keep it.",
    Situation.STABILITY: "The metric holds steady on target: keep the target, and give the "
    "Stat's time to metrics that move.",
}


@dataclass(frozen=True)
class Judgement:
    situation: Situation | None  # None: the direction is not set, so nothing is judged
    rule: str  # the rule that applied, with this metric's numbers
    advice: str
    compared: int  # periods with both a value and a target among the latest RECENT
    met: int


@dataclass(frozen=True)
class Anomaly:
    index: int  # its position in the series given
    value: float
    why: str  # "beyond median ± 3 MAD (12 to 48)" or "a step change: …"


@dataclass(frozen=True)
class Proposal:
    target: float | None  # per period; None when history cannot set one yet
    reasoning: str


def met(actual: float, target: float, direction: Direction) -> bool:
    return actual <= target if direction is Direction.DOWN else actual >= target


def margin(actual: float, target: float, direction: Direction) -> float | None:
    """How much better than the target (negative: worse), as a share of the target."""
    if target == 0:
        return None
    better = actual - target if direction is not Direction.DOWN else target - actual
    return better / abs(target)


def judge(
    pairs: Sequence[tuple[float | None, float | None]],
    direction: Direction | None,
    show: Callable[[float], str] = lambda v: f"{v:,.1f}",
) -> Judgement:
    """The metric's situation from its values and targets (in period order)."""
    actuals = [a for a, _ in pairs if a is not None]
    if len(actuals) < MIN_HISTORY:
        return _judged(
            Situation.NO_BASELINE,
            f"only {counted(len(actuals), 'value')} recorded, fewer than the {MIN_HISTORY} "
            "a baseline needs",
            0,
            0,
        )
    if direction is None:
        return Judgement(
            None,
            "the direction (higher or lower is better) is not set, so no target is judged",
            "Set the metric's direction first.",
            0,
            0,
        )
    if direction is Direction.BAND:
        return Judgement(
            None,
            "a band metric is judged against its band, not a target per period",
            "Keep the band in the metric's definition where the work should stay.",
            0,
            0,
        )
    both = [(a, t) for a, t in pairs if a is not None and t is not None][-RECENT:]
    if len(both) < 3:
        some = f"only {counted(len(both), 'period')}" if both else "no period"
        return Judgement(
            Situation.NO_BASELINE,
            f"{some} with both a value and a target: too few to judge a target against, so "
            f"the history of {counted(len(actuals), 'value')} is the baseline",
            "Set a first target from the baseline: one the work can reach, then judge it "
            "against the periods to come.",
            len(both),
            sum(met(a, t, direction) for a, t in both),
        )
    hits = sum(met(a, t, direction) for a, t in both)
    margins = [x for a, t in both if (x := margin(a, t, direction)) is not None]
    typical = statistics.median(margins) if margins else 0.0
    recent = actuals[-RECENT:]
    centre = statistics.median(recent)
    spread = max(abs(v - centre) for v in recent) / abs(centre) if centre else None
    n = len(both)
    if hits * 4 >= n * 3 and typical > WIDE:
        return _judged(
            Situation.MEDIOCRITY,
            f"met its target {hits} of {n} times, by a median {typical:.0%}: more than "
            f"{WIDE:.0%}, so the target may be too low",
            n,
            hits,
        )
    if spread is not None and spread <= STEADY and hits * 2 >= n:
        return _judged(
            Situation.STABILITY,
            f"the latest {counted(len(recent), 'value')} stayed within {_share(spread)} of their "
            f"median ({show(centre)}) and met the target {hits} of {n} times",
            n,
            hits,
        )
    if hits * 4 <= n:
        return _judged(
            Situation.OVERCONFIDENCE,
            f"missed its target {n - hits} of {n} times, by a median {_share(-typical)}",
            n,
            hits,
        )
    return _judged(
        Situation.ACCURACY,
        f"met its target {hits} of {n} times, a median {_share(abs(typical))} "
        f"{'better' if typical >= 0 else 'worse'} than it",
        n,
        hits,
    )


def _share(fraction: float) -> str:
    return "less than 1%" if abs(fraction) < 0.005 else f"{fraction:.0%}"


def _judged(situation: Situation, rule: str, compared: int, hits: int) -> Judgement:
    return Judgement(situation, rule, _ADVICE[situation], compared, hits)


def anomalies(
    values: Sequence[float | None], show: Callable[[float], str] = lambda v: f"{v:,.1f}"
) -> list[Anomaly]:
    """Values that stand out: beyond the median ± 3 robust deviations (the MAD) of the
    history, and the first period of a step change (the level before and after it differ by
    more than 3 robust deviations of either side)."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < MIN_HISTORY:
        return []
    numbers = [v for _, v in known]
    found: dict[int, Anomaly] = {}
    step = _step_change(numbers)
    if step is not None:
        at, before, after, sigma = step
        index, value = known[at]
        found[index] = Anomaly(
            index,
            value,
            f"a step change: the level moved from a median of {show(before)} to "
            f"{show(after)} here, more than {MAD_BAND:g} robust deviations ({show(sigma)})",
        )
        segments = [numbers[:at], numbers[at:]]
        offsets = [0, at]
    else:
        segments, offsets = [numbers], [0]
    for segment, offset in zip(segments, offsets, strict=True):
        if len(segment) < MIN_HISTORY:
            continue
        centre = statistics.median(segment)
        sigma = MAD_SCALE * statistics.median(abs(v - centre) for v in segment)
        if sigma == 0:
            continue
        low, high = centre - MAD_BAND * sigma, centre + MAD_BAND * sigma
        if min(segment) >= 0:  # a count or a time never goes below zero: nor does its band
            low = max(low, 0.0)
        for position, value in enumerate(segment):
            if not low <= value <= high:
                index = known[offset + position][0]
                found.setdefault(
                    index,
                    Anomaly(
                        index,
                        value,
                        f"beyond the usual range, median ± {MAD_BAND:g} robust deviations "
                        f"({show(low)} to {show(high)})",
                    ),
                )
    return [found[i] for i in sorted(found)]


def _step_change(numbers: Sequence[float]) -> tuple[int, float, float, float] | None:
    """(first index after the step, median before, median after, the robust deviation) of
    the split with the largest shift in level, if it is larger than MAD_BAND deviations and
    at least half of it happened from one period to the next (a slope is a trend, not a
    step); each side needs 4 values."""
    best: tuple[float, int, float, float, float] | None = None
    for at in range(4, len(numbers) - 3):
        before, after = numbers[:at], numbers[at:]
        b, a = statistics.median(before), statistics.median(after)
        sigma = MAD_SCALE * statistics.median(
            [abs(v - b) for v in before] + [abs(v - a) for v in after]
        )
        if sigma == 0:
            sigma = abs(a - b) / (MAD_BAND * 2) if a != b else 0
        jump = numbers[at] - numbers[at - 1]  # a step, not a slope: most of it at once
        sudden = jump * (a - b) > 0 and abs(jump) >= abs(a - b) / 2
        if sigma and sudden and abs(a - b) > MAD_BAND * sigma:
            score = abs(a - b) / sigma
            if best is None or score > best[0]:
                best = (score, at, b, a, sigma)
    if best is None:
        return None
    _score, step_at, level_before, level_after, deviation = best
    return int(step_at), level_before, level_after, deviation


def propose(
    judgement: Judgement,
    actuals: Sequence[float | None],
    current_target: float | None,
    direction: Direction | None,
    decimals: int = 0,
    show: Callable[[float], str] = lambda v: f"{v:,.1f}",
) -> Proposal:
    """A target per period for the periods still to come, with its reasoning."""
    recent = [a for a in actuals if a is not None][-RECENT:]
    situation = judgement.situation
    if situation is None or direction is None:
        return Proposal(None, f"No proposal: {judgement.rule}. {judgement.advice}")
    if len(recent) < MIN_HISTORY:
        return Proposal(
            None,
            f"No proposal yet: {counted(len(recent), 'value')} recorded; a target set "
            f"from fewer than {MIN_HISTORY} would be a guess.",
        )
    centre = statistics.median(recent)
    if situation in (Situation.ACCURACY, Situation.STABILITY) and current_target is not None:
        return Proposal(
            current_target,
            f"Keep {show(current_target)}: {judgement.rule}.",
        )
    if situation is Situation.OVERCONFIDENCE:
        quartile = _quartile(recent, better_quarter=True, direction=direction)
        value = round(quartile, decimals)
        return Proposal(
            value,
            f"{show(value)}: reached in the best quarter of the latest "
            f"{counted(len(recent), 'period')}, so within reach with effort; the current "
            f"target{f' of {show(current_target)}' if current_target is not None else ''} "
            "was missed most of the time.",
        )
    value = round(centre, decimals)
    if situation is Situation.MEDIOCRITY:
        return Proposal(
            value,
            f"{show(value)}: the median of the latest {counted(len(recent), 'period')}, the "
            f"level the work already reaches; the current target"
            f"{f' of {show(current_target)}' if current_target is not None else ''} was met "
            f"{judgement.met} of {judgement.compared} times by a wide margin.",
        )
    return Proposal(
        value,
        f"{show(value)}: the median of the latest {counted(len(recent), 'period')} as the "
        "baseline; make it harder once the work has a plan to improve on it.",
    )


def _quartile(values: Sequence[float], *, better_quarter: bool, direction: Direction) -> float:
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    up = direction is not Direction.DOWN
    return (q3 if up else q1) if better_quarter else (q1 if up else q3)
