"""The target helper's chart: the fiscal year so far against the target's path, the path the
remaining periods must follow to meet the year's target, and where the year's trend leads.
For a sum roll-up every line is the year to date (the cumulative chart); otherwise each
period's value. Same style as the metric charts (charts.py): colour-blind-safe colours, and a
line style and marker per line so nothing depends on colour."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from statdesk.reporting.charts import (
    BLUE,
    GREEN,
    GREY,
    INK,
    TEXT,
    TICKS,
    VERMILLION,
    _matplotlib,
    _tick_label,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statdesk.storage.views.targets import TargetHelper

Show = Callable[[float | None], str]


def described(helper: TargetHelper, name: str, show: Show) -> str:
    """What the chart shows, in words (its alternative text)."""
    if not helper.path:
        return f"No value of {helper.fiscal_year} is recorded yet: nothing to chart."
    known = [p for p in helper.path if p.actual is not None]
    last = known[-1]
    kind = "year to date" if helper.cumulative else "each period's value"
    parts = [f"{name}, {helper.fiscal_year}, {kind}: {show(last.actual)} by {last.label}"]
    end = helper.path[-1]
    if end.target is not None:
        parts.append(f"the target's path ends the year at {show(end.target)}")
    if end.needed is not None:
        parts.append(f"meeting it takes {show(end.needed)} by {end.label}")
    if end.trend is not None:
        parts.append(f"the trend so far leads to {show(end.trend)}")
    return "; ".join(parts) + "."


def path_figure(
    helper: TargetHelper, show: Show, fy_start: int, *, width: float = 8.0, height: float = 3.6
) -> Figure:
    _matplotlib([p.label for p in helper.path])
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(width, height), layout="constrained")
    fig.patch.set_facecolor("white")
    axes = fig.add_subplot()
    xs = list(range(len(helper.path)))
    lines = (
        ("actual", "Year to date" if helper.cumulative else "Actual", BLUE, "-", "o", 2.4),
        (
            "target",
            "Target's path" if helper.cumulative else "Target",
            GREEN,
            (0, (5, 2)),
            "s",
            1.8,
        ),
        ("needed", "What it would take", VERMILLION, (0, (2, 1)), "^", 1.8),
        ("trend", "Trend so far", GREY, (0, (6, 2, 1, 2)), "D", 1.4),
    )
    for attribute, name, colour, dash, marker, size in lines:
        points = [(x, getattr(p, attribute)) for x, p in zip(xs, helper.path, strict=True)]
        points = [(x, y) for x, y in points if y is not None]
        if not points:
            continue
        axes.plot(
            [x for x, _ in points],
            [y for _, y in points],
            label=name,
            color=colour,
            linestyle=dash,
            marker=marker,
            markersize=4,
            linewidth=size,
        )
    step = max(1, round(len(xs) / (width * 1.5)))
    # labelled as the metric's own chart labels its periods ("Jul\n2026", "Q2")
    axes.set_xticks(xs[::step], [_tick_label(p.period, fy_start) for p in helper.path][::step])
    axes.tick_params(labelsize=TICKS, colors=INK)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: show(v)))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.legend(fontsize=TEXT - 2, frameon=False, loc="best")
    axes.set_title(
        f"{helper.fiscal_year}: {'the year to date' if helper.cumulative else 'each period'}"
        " against what the target takes",
        fontsize=TEXT,
        color=INK,
        loc="left",
    )
    return fig
