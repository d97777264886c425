"""Scale and plausibility of the values an import brings, per metric: a percent written as a
fraction (0.75) beside percents (70), a percent above 100 or below 0, a count below zero, a
value a hundred times its metric's others. Each is listed, never refused: the analyst decides
in the check step (and `rescale` multiplies a percent metric's fractions by 100)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from statdesk.domain.vocabulary import Unit

if TYPE_CHECKING:
    from statdesk.importing.plan import ImportPlan, ValueItem

MAGNITUDE = 100  # a value this many times its metric's median, or below it, is questioned
# Fractions beside percents leave a gap: the smallest percent is this many times the largest
# fraction or more (0.99 beside 10.2); small percents run on across 1 without one.
GAP = 5
FRACTION_CEILING = 2  # a percent metric none of whose values is above this: fractions?
_NOT_NEGATIVE = (Unit.COUNT, Unit.DAYS, Unit.HOURS, Unit.MINUTES, Unit.RATE)
_FIELDS = {"actual": "value", "target": "target", "forecast": "forecast"}


def units_of(plan: ImportPlan) -> dict[tuple[str, str], Unit | None]:
    """Each metric's unit, by (name, department) casefolded, as the file gives it."""
    return {
        (d["name"].casefold(), (d.get("department") or "").casefold()): d.get("unit")
        for d in plan.metrics
    }


def check(plan: ImportPlan, units: dict[tuple[str, str], Unit | None] | None = None) -> None:
    """List each metric's scale mix and implausible values; apply the rescaling chosen."""
    units = units if units is not None else units_of(plan)
    by_metric: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, v in enumerate(plan.values):
        if v.value is not None:
            by_metric[(v.metric.casefold(), v.department.casefold())].append(index)
    chosen = {name.casefold() for name in plan.options.rescale}
    for key, indices in by_metric.items():
        items = [plan.values[i] for i in indices]
        unit = units.get(key)
        if unit is Unit.PERCENT:
            found = _fractions(plan, items)
            if found and ("*" in chosen or key[0] in chosen):
                _rescale(plan, indices, found)
                items = [plan.values[i] for i in indices]
            _percents(plan, items)
        elif unit in _NOT_NEGATIVE:
            for v in items:
                if v.value is not None and v.value < 0:
                    plan.problem(
                        v.row,
                        _FIELDS[v.field],
                        f"A {unit.label.lower()} cannot be below zero ({v.value:g}).",
                        "it is imported as it is; check it",
                    )
        by_series: dict[str, list[ValueItem]] = defaultdict(list)
        for v in items:  # a district's figures are not the city's: each series on its own
            by_series[v.series.casefold()].append(v)
        for series in by_series.values():
            _magnitude(plan, series)


def _fractions(plan: ImportPlan, items: list[ValueItem]) -> str:
    """'mixed' when a percent metric's values are fractions (0.75 for 75%) beside percents
    (70), with a gap between them; 'fractions' when every value is 2 or below, fractions of
    1 as far as they can tell (1.034 for 103.4%); '' otherwise. Listed once per metric, with
    the choice that rescales them."""
    numbers = [abs(v.value) for v in items if v.value is not None]
    fractions = [n for n in numbers if 0 < n <= 1]  # 1: all of it, as a fraction
    points = [n for n in numbers if n > 1]
    if not fractions:
        return ""
    first = items[0]
    if points and min(points) >= GAP * max(fractions):
        found = "mixed"
        message = (
            f"'{first.metric}' mixes fractions and percents: {len(fractions):,} value(s) "
            f"between 0 and 1 (such as {fractions[0]:g}) beside {len(points):,} of "
            f"{min(points):g} or more, so statuses and trends would compare two scales."
        )
        action = "multiplies the values between 0 and 1 by 100"
    elif max(numbers) <= FRACTION_CEILING and (len(fractions) > 1 or len(numbers) < 4):
        found = "fractions"
        message = (
            f"'{first.metric}' is a percent whose values are all {FRACTION_CEILING:g} or "
            f"below (such as {fractions[0]:g}): fractions of 1 (0.75 for 75%, 1.03 for 103%), "
            "or small percents? Check them."
        )
        action = "multiplies its values by 100"
    else:
        return ""  # small percents running on across 1 (0.6, 0.9, 1.3, 2.1): one scale
    plan.scale_mixes.append(first.metric)
    plan.problem(
        first.row,
        "",
        message,
        f'kept as they are; --rescale "{first.metric}" (or the check step\'s tick) {action}',
    )
    return found


def _rescale(plan: ImportPlan, indices: Iterable[int], found: str) -> None:
    for index in indices:
        v = plan.values[index]
        if v.value is not None and (found == "fractions" or abs(v.value) <= 1):
            value = float(f"{v.value * 100:.15g}")
            note = f"{v.value:g} in the file, a fraction, shown as a percent"
            plan.values[index] = v._replace(
                value=value, note=f"{v.note}; {note}" if v.note else note
            )


def _percents(plan: ImportPlan, items: list[ValueItem]) -> None:
    for v in items:
        if v.value is not None and not 0 <= v.value <= 100:
            plan.problem(
                v.row,
                _FIELDS[v.field],
                f"{v.value:g} is not a percentage between 0 and 100 ('{v.metric}').",
                "it is imported as it is; check it",
            )


def _magnitude(plan: ImportPlan, items: list[ValueItem]) -> None:
    """Values a hundred times (or a hundredth of) the median of the metric's others."""
    numbers = [abs(v.value) for v in items if v.value is not None and v.value != 0]
    if len(numbers) < 4:
        return
    middle = statistics.median(numbers)
    for v in items:
        if v.value is None or v.value == 0:
            continue
        size = abs(v.value)
        if _far(size, middle):
            plan.problem(
                v.row,
                _FIELDS[v.field],
                f"{v.value:g} is {_times(size, middle)} the median of '{v.metric}' in this "
                f"file ({middle:g}).",
                "it is imported as it is; check its scale",
            )


def against_history(
    plan: ImportPlan, history: dict[tuple[str, str], tuple[Unit, list[float]]]
) -> None:
    """Values beyond what StatDesk already holds for the metric by orders of magnitude, and
    fractions arriving for a percent metric kept in percents."""
    by_metric: dict[tuple[str, str], list[ValueItem]] = defaultdict(list)
    for v in plan.values:
        if v.value is not None and not v.series:
            by_metric[(v.metric.casefold(), v.department.casefold())].append(v)
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for known_key in history:
        by_name[known_key[0]].append(known_key)
    for key, items in by_metric.items():
        if key not in history and not key[1] and len(by_name.get(key[0], [])) == 1:
            key = by_name[key[0]][0]  # no department in the file: the one metric of its name
        if key not in history:
            continue
        unit, known = history[key]
        sizes = [abs(n) for n in known if n]
        if len(sizes) < 3:
            continue
        middle = statistics.median(sizes)
        fraction = unit is Unit.PERCENT and middle >= 5  # kept in percents: 0.91 is 91%?
        odd = [v for v in items if _odd(v.value, middle, fraction)]
        for v in odd[:20]:
            hint = ""
            if fraction and abs(v.value or 0) <= 1:
                hint = "; it looks like a fraction where StatDesk keeps percents"
            plan.problem(
                v.row,
                _FIELDS[v.field],
                f"{v.value:g} is {_times(abs(v.value or 0), middle)} what StatDesk holds for "
                f"'{v.metric}' (its median is {middle:g}){hint}.",
                "it is imported as it is; check its scale",
            )


def _odd(value: float | None, middle: float, fraction: bool) -> bool:
    size = abs(value or 0)
    return bool(size) and (_far(size, middle) or (fraction and size <= 1))


def _far(size: float, middle: float) -> bool:
    """Two orders of magnitude or more from the median, either way."""
    return size >= MAGNITUDE * middle or size * MAGNITUDE <= middle


def _times(size: float, middle: float) -> str:
    ratio = size / middle if middle else 0
    return f"{ratio:,.0f} times" if ratio >= 1 else f"1/{1 / ratio:,.0f} of"


def history_of(
    rows: Iterable[tuple[str, str, Any, float | None]],
) -> dict[tuple[str, str], tuple[Unit, list[float]]]:
    """(name, department, unit, value) rows of the file's metrics → the lookup above."""
    out: dict[tuple[str, str], tuple[Unit, list[float]]] = {}
    for name, department, unit, value in rows:
        key = (name.casefold(), (department or "").casefold())
        entry = out.setdefault(key, (unit, []))
        if value is not None:
            entry[1].append(value)
    return out
