"""Scale and plausibility of the values an import brings, per metric: a percent written as a
fraction (0.75) beside percents (70), a percent above 100 or below 0, a count below zero, a
value a hundred times its metric's others. Each is listed, never refused: the analyst decides
in the check step (and `rescale` multiplies a percent metric's fractions by 100)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import Unit

if TYPE_CHECKING:
    from statdesk.importing.plan import ImportPlan
    from statdesk.importing.value_list import ValueList

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


def _groups(codes: Any) -> list[Any]:
    """The positions of each distinct code, grouped (in their order within each group)."""
    import numpy as np

    if not len(codes):
        return []
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1  # a bool a value, not a diff
    del ordered
    return np.split(order, cuts)


def check(plan: ImportPlan, units: dict[tuple[str, str], Unit | None] | None = None) -> None:
    """List each metric's scale mix and implausible values; apply the rescaling chosen."""
    import numpy as np

    values = plan.values
    if not len(values):
        return
    units = units if units is not None else units_of(plan)
    numbers = values.column("value")
    metric, department = values.column("metric"), values.column("department")
    series = values.column("series")
    pair = metric.astype(np.int64) * (len(values.departments.items) + 1) + department
    known = ~np.isnan(numbers)
    pair[~known] = -1  # the values without a number: one group, passed over
    groups = _groups(pair)
    del pair
    chosen = {name.casefold() for name in plan.options.rescale}
    for positions in groups:
        if not known[positions[0]]:
            continue  # the values without a number
        name = values.metrics.items[metric[positions[0]]]
        key = (name.casefold(), values.departments.items[department[positions[0]]].casefold())
        unit = units.get(key)
        if unit is Unit.PERCENT:
            found = _fractions(plan, values, positions)
            if found and ("*" in chosen or key[0] in chosen):
                _rescale(values, positions, found)
                numbers = values.column("value")
            odd = positions[(numbers[positions] < 0) | (numbers[positions] > 100)]
            for index in odd.tolist():
                v = values[index]
                plan.problem(
                    v.row,
                    _FIELDS[v.field],
                    f"{v.value:g} is not a percentage between 0 and 100 ('{v.metric}').",
                    "it is imported as it is; check it",
                )
        elif unit in _NOT_NEGATIVE:
            assert unit is not None
            for index in positions[numbers[positions] < 0].tolist():
                v = values[index]
                plan.problem(
                    v.row,
                    _FIELDS[v.field],
                    f"A {unit.label.lower()} cannot be below zero ({v.value:g}).",
                    "it is imported as it is; check it",
                )
        for part in _groups(series[positions]):  # a district is not the city: each on its own
            _magnitude(plan, values, positions[part])


def _fractions(plan: ImportPlan, values: ValueList, positions: Any) -> str:
    """'mixed' when a percent metric's values are fractions (0.75 for 75%) beside percents
    (70), with a gap between them; 'fractions' when every value is 2 or below, fractions of
    1 as far as they can tell (1.034 for 103.4%); '' otherwise. Listed once per metric, with
    the choice that rescales them."""
    import numpy as np

    numbers = np.abs(values.column("value")[positions])
    fractions = numbers[(numbers > 0) & (numbers <= 1)]  # 1: all of it, as a fraction
    points = numbers[numbers > 1]
    if not len(fractions):
        return ""
    first = values[int(positions[0])]
    if len(points) and points.min() >= GAP * fractions.max():
        found = "mixed"
        message = (
            f"'{first.metric}' mixes fractions and percents: {counted(len(fractions), 'value')} "
            f"between 0 and 1 (such as {fractions[0]:g}) beside {len(points):,} of "
            f"{points.min():g} or more, so statuses and trends would compare two scales."
        )
        action = "multiplies the values between 0 and 1 by 100"
    elif numbers.max() <= FRACTION_CEILING and (len(fractions) > 1 or len(numbers) < 4):
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


def _rescale(values: ValueList, positions: Any, found: str) -> None:
    numbers = values.column("value")[positions]
    chosen = positions if found == "fractions" else positions[abs(numbers) <= 1]
    items = [values[int(i)] for i in chosen]
    scaled = [float(f"{(v.value or 0) * 100:.15g}") for v in items]
    notes = []
    for v in items:
        note = f"{v.value:g} in the file, a fraction, shown as a percent"
        notes.append(f"{v.note}; {note}" if v.note else note)
    values.set_values(chosen, scaled, notes)


def _magnitude(plan: ImportPlan, values: ValueList, positions: Any) -> None:
    """Values a hundred times (or a hundredth of) the median of the metric's others."""
    import numpy as np

    sizes = np.abs(values.column("value")[positions])
    nonzero = sizes[sizes > 0]
    if len(nonzero) < 4:
        return
    middle = float(np.median(nonzero))
    far = positions[(sizes > 0) & ((sizes >= MAGNITUDE * middle) | (sizes * MAGNITUDE <= middle))]
    for index in far.tolist():
        v = values[index]
        plan.problem(
            v.row,
            _FIELDS[v.field],
            f"{v.value:g} is {_times(abs(v.value or 0), middle)} the median of '{v.metric}' in "
            f"this file ({middle:g}).",
            "it is imported as it is; check its scale",
        )


def against_history(
    plan: ImportPlan, history: dict[tuple[str, str], tuple[Unit, list[float]]]
) -> None:
    """Values beyond what StatDesk already holds for the metric by orders of magnitude, and
    fractions arriving for a percent metric kept in percents."""
    import numpy as np

    values = plan.values
    numbers = values.column("value")
    own = values.column("series") == values.series_names.code("")
    metric, department = values.column("metric"), values.column("department")
    pair = metric.astype(np.int64) * (len(values.departments.items) + 1) + department
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for known_key in history:
        by_name[known_key[0]].append(known_key)
    for positions in _groups(np.where(own & ~np.isnan(numbers), pair, -1)):
        first = int(positions[0])
        if np.isnan(numbers[first]) or not own[first]:
            continue
        name = values.metrics.items[metric[first]].casefold()
        key = (name, values.departments.items[department[first]].casefold())
        if key not in history and not key[1] and len(by_name.get(name, [])) == 1:
            key = by_name[name][0]  # no department in the file: the one metric of its name
        if key not in history:
            continue
        unit, known = history[key]
        sizes = [abs(n) for n in known if n]
        if len(sizes) < 3:
            continue
        middle = statistics.median(sizes)
        fraction = unit is Unit.PERCENT and middle >= 5  # kept in percents: 0.91 is 91%?
        odd = [i for i in positions.tolist() if _odd(float(numbers[i]), middle, fraction)]
        for index in odd[:20]:
            v = values[index]
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
