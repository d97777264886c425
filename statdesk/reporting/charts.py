"""Metric charts: one style for the screen, PNG, SVG and PDF, and the words that describe them.

Charts use matplotlib's object API (a `Figure`, never pyplot), the Okabe–Ito colour-blind-safe
palette, and a different line style and marker for every series, so nothing depends on colour.
Sizes are chosen to stay readable printed at half size. Every chart has an alternative text
(`alt_text`) that says what it shows, for screen readers and the memo's PDF tags.
"""

from __future__ import annotations

import functools
import io
import itertools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from statdesk import paths
from statdesk.domain.numbers import format_value
from statdesk.domain.periods import Period, label
from statdesk.domain.vocabulary import Direction, Frequency, RollUp, Unit
from statdesk.reporting import fonts
from statdesk.reporting.chart_series import DIRECTION_WORDS, ChartSeries, alt_text, series_of
from statdesk.storage.atomic import replacing

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statdesk.storage.views.metrics import MetricDetail

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#555555"
INK = "#222222"
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
Kind = Literal["auto", "line", "bar"]
_LEGEND_ORDER = ["Actual", "Target", "Within tolerance", "Target band", "Forecast"]
# Comparison lines: colours of the same colour-blind-safe palette, each with its own marker and
# dash, so they are told apart in grey print too.
_COMPARISON_STYLES = (
    ("#E69F00", "^", (0, (5, 2))),
    ("#009E73", "D", (0, (2, 1))),
    ("#CC79A7", "v", (0, (8, 2, 2, 2))),
)
# Point sizes for an 8-inch-wide chart: still about 6 pt when printed at half size.
TITLE, TEXT, TICKS = 16, 13, 12


_families: list[str] = list(fonts.FAMILIES)


@functools.cache
def _registered(font: Path) -> None:
    """A font made known to matplotlib (once a process)."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font))


def _matplotlib(texts: Iterable[str] = ()) -> fonts.Fonts:
    """Import matplotlib with a fixed per-user config folder, so its font cache is kept
    between runs (a temporary one is rebuilt at every start of a frozen app), with every text
    plain, and in the documents' fonts. Returns the fonts that show `texts`: the shipped ones,
    and any of the computer's own they need, which join the list for the rest of the run."""
    os.environ.setdefault("MPLCONFIGDIR", str(paths.user_data_dir() / "matplotlib"))
    import matplotlib

    # A name like "Cost per $1,000 ($ per resident)" is text, never TeX-like math.
    matplotlib.rcParams["text.parse_math"] = False
    chosen = fonts.for_text(texts)
    for font in (*fonts.shipped_files(), *(f.path for f in chosen.extra)):
        _registered(font)
    _families.extend(f for f in chosen.families if f not in _families)
    # A list, not the generic "sans-serif": matplotlib falls back glyph by glyph only along
    # a list of families.
    matplotlib.rcParams["font.family"] = list(_families)
    return chosen


PLOT_SHARE = 0.82  # of a chart's width, what the plot gets (the y labels take the rest)
TICK_GAP = 6.0  # points between two x labels


def _tick_positions(series: ChartSeries, width: float = 8.0) -> list[int]:
    """The periods labelled on the x axis: every one when their labels fit side by side;
    else, for months, each fiscal quarter's start, then each fiscal year's, then every
    other year and so on; for quarters each fiscal year's first; for years and weeks every
    second, fifth, tenth…"""
    from statdesk.reporting.chart_layout import text_width

    count = len(series.periods)
    fy = series.fiscal_year_start
    labels = [_tick_label(p, fy) for p in series.periods]
    widths = [max(text_width(line, TICKS) for line in text.split("\n")) for text in labels]
    step = width * 72 * PLOT_SHARE / max(count, 1)  # points from one period to the next

    def fits(ticks: list[int]) -> bool:
        closest = min((b - a for a, b in itertools.pairwise(ticks)), default=count)
        return closest * step >= max(widths[i] for i in ticks) + TICK_GAP

    everything = list(range(count))
    choices = [everything]
    if series.frequency is Frequency.MONTHLY:
        quarters = [i for i, p in enumerate(series.periods) if (p.start.month - fy) % 3 == 0]
        years = [i for i, p in enumerate(series.periods) if (p.start.month - fy) % 12 == 0]
        choices += [quarters, *(years[::k] for k in (1, 2, 3, 5, 10, 20))]
    elif series.frequency is Frequency.QUARTERLY:
        years = [i for i, p in enumerate(series.periods) if (p.start.month - fy) % 12 == 0]
        choices += [years[::k] for k in (1, 2, 3, 5, 10, 20)]
    else:
        choices += [everything[::k] for k in (2, 3, 5, 10, 20, 50)]
    for ticks in choices:
        if ticks and fits(ticks):
            return ticks
    return choices[-1] or everything[:1]


def _tick_label(period: Period, fy_start: int) -> str:
    text = label(period, fy_start)
    if period.frequency is Frequency.MONTHLY:
        return text.replace(" ", "\n")  # "Jul\n2025": two short lines
    year, _, quarter = text.partition(" ")
    if quarter.startswith("Q") and quarter != "Q1":
        return quarter  # "Q2": the fiscal year is named once, under its first quarter
    return f"{quarter}\n{year}" if quarter else text


def figure(
    series: ChartSeries,
    kind: Kind = "auto",
    *,
    width: float = 8.0,
    height: float = 4.2,
    titled: bool = True,
) -> Figure:
    """The chart of one metric: actual values, target (or band), forecast, latest value.
    Without `titled`, the metric's name is left to the page around it (a memo's item is
    headed by it) and the chart begins with its direction and frequency."""
    typefaces = _matplotlib(
        [series.title, series.unit_label or "", *(name for name, _ in series.comparisons)]
    )
    from matplotlib.figure import Figure
    from matplotlib.transforms import blended_transform_factory

    from statdesk.reporting.chart_layout import (
        X_LABEL_PAD,
        FixedMargins,
        ValueTicks,
        place_callout,
        text_width,
        wrapped,
    )

    chosen = kind
    if kind == "auto":
        chosen = "bar" if series.roll_up is RollUp.SUM and series.unit is Unit.COUNT else "line"
    fig = Figure(figsize=(width, height))
    fig.patch.set_facecolor("white")
    axes = fig.add_subplot()
    xs = list(range(len(series.periods)))
    style = {"fontsize": TEXT, "color": INK}

    low, high = series.band
    if series.direction is Direction.BAND and low is not None and high is not None:
        axes.axhspan(
            low,
            high,
            color=GREEN,
            alpha=0.14,
            linewidth=0,
            label=f"Target band ({series.show(low)}–{series.show(high)})",
        )
        axes.axhline(low, color=GREEN, linewidth=1.2, linestyle=(0, (4, 2)))
        axes.axhline(high, color=GREEN, linewidth=1.2, linestyle=(0, (4, 2)))

    actual_x = [x for x, v in zip(xs, series.actual, strict=True) if v is not None]
    actual_y = [v for v in series.actual if v is not None]
    if chosen == "bar":
        axes.bar(
            actual_x,
            actual_y,
            color=BLUE,
            width=0.7,
            label="Actual",
            zorder=2,
            edgecolor="white",
            linewidth=0.5,
        )
    else:
        axes.plot(
            actual_x,
            actual_y,
            color=BLUE,
            linewidth=2.4,
            marker="o",
            markersize=5,
            label="Actual",
            zorder=3,
        )
    if any(t is not None for t in series.target):
        axes.plot(
            xs,
            [float("nan") if t is None else t for t in series.target],
            color=VERMILLION,
            linewidth=2,
            linestyle=(0, (6, 3)),
            drawstyle="steps-mid",
            label="Target",
            zorder=2,
        )
    # The zone that still counts as within tolerance: short of the target when higher is
    # better, beyond it when lower is.
    toward = (
        {Direction.UP: -1, Direction.DOWN: 1}.get(series.direction) if series.direction else None
    )
    zone = [
        None if toward is None or t is None or not a else t + toward * a
        for t, a in zip(series.target, series.allowance or (None,) * len(xs), strict=True)
    ]
    if any(edge is not None for edge in zone):
        edge = [float("nan") if v is None else v for v in zone]
        aim = [float("nan") if t is None else t for t in series.target]
        axes.fill_between(
            xs,
            aim,
            edge,
            step="mid",
            color=VERMILLION,
            alpha=0.1,
            linewidth=0,
            label="Within tolerance",
            zorder=1,
        )
    if any(f is not None for f in series.forecast):
        axes.plot(
            xs,
            [float("nan") if f is None else f for f in series.forecast],
            color=GREY,
            linewidth=1.6,
            linestyle=(0, (1, 2)),
            marker="s",
            markersize=4,
            markerfacecolor="white",
            label="Forecast",
            zorder=2,
        )

    for (name, values), (colour, marker, dashes) in zip(
        series.comparisons, _COMPARISON_STYLES, strict=False
    ):
        axes.plot(
            xs,
            [float("nan") if v is None else v for v in values],
            color=colour,
            linewidth=1.8,
            linestyle=dashes,
            marker=marker,
            markersize=5,
            label=typefaces.printable(name),
            zorder=2,
        )

    latest = series.latest_index
    callout = None
    if latest is not None:
        value = series.actual[latest]
        assert value is not None
        callout = axes.annotate(
            # on one line in a short chart (a memo's, the Metrics page's): two would not fit
            # beside the lines of a plot a few centimetres tall
            f"{series.show(value)}{' · ' if height < 3.2 else chr(10)}{series.labels[latest]}",
            xy=(latest, value),
            xytext=(8, 10),  # where it goes is chosen once the plot's size is known
            textcoords="offset points",
            fontsize=TEXT,
            fontweight="bold",
            color=BLUE,
            multialignment="center",
            bbox={
                "boxstyle": "round,pad=0.25",
                "facecolor": "white",
                "edgecolor": BLUE,
                "linewidth": 0.8,
            },
            arrowprops={"arrowstyle": "-", "color": BLUE, "linewidth": 0.8, "shrinkB": 4},
            zorder=4,
        )
    shown = [
        v
        for v in (
            *series.actual,
            *series.target,
            *series.forecast,
            *zone,
            *(v for _name, values in series.comparisons for v in values),
        )
        if v is not None
    ]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)

    ticks = _tick_positions(series, width)
    axes.set_xticks(
        ticks,
        [_tick_label(series.periods[i], series.fiscal_year_start) for i in ticks],
        fontsize=TICKS,
        color=INK,
    )
    axes.set_xlim(-0.6, len(xs) - 0.4)
    axes.yaxis.set_major_formatter(
        ValueTicks(lambda v, d: format_value(v, series.unit, d, series.unit_label), series.decimals)
    )
    axes.tick_params(axis="y", labelsize=TICKS, labelcolor=INK)
    axes.tick_params(axis="x", pad=X_LABEL_PAD)
    if series.unit is Unit.PERCENT:
        top = max([v for v in (*series.actual, *series.target, high) if v is not None], default=100)
        bottom = min([v for v in (*series.actual, *series.target, low) if v is not None], default=0)
        margin = max((top - bottom) * 0.25, 2)
        axes.set_ylim(max(0, bottom - margin), min(100, top + margin) + (margin * 0.6))
    elif chosen == "bar" or (series.unit is Unit.COUNT and min(actual_y, default=0) >= 0):
        axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    # A character no font here has is written as its name, as in the memos, not a blank box.
    # Wrapped here to a width the plot surely has, for the lines to leave room for; again at
    # layout to the plot's real width, in as many lines or fewer.
    full = typefaces.printable(series.title) if titled else ""
    title = wrapped(full, width * 72 * (PLOT_SHARE - 0.1), TITLE, "bold")
    heading = axes.set_title(
        title, loc="left", fontsize=TITLE, fontweight="bold", color=INK, pad=26
    )
    title_space = TITLE * 1.2 * (title.count("\n") + 1) + 26 + 2 if titled else TEXT * 1.2 + 12
    words = DIRECTION_WORDS[series.direction]
    subtitle = f"{words[0].upper()}{words[1:]} · {series.frequency.label}"
    axes.text(0, 1.02, subtitle, transform=axes.transAxes, **style)
    handles, names = axes.get_legend_handles_labels()

    def place(i: int) -> int:
        word = names[i].split(" (")[0]
        return _LEGEND_ORDER.index(word) if word in _LEGEND_ORDER else len(_LEGEND_ORDER)

    order = sorted(range(len(names)), key=place)
    # Each entry is its handle (about 3 em) and its text.
    entries = [text_width(n, TICKS) + 3.2 * TICKS for n in names]
    beside = sum(entries) + text_width(subtitle, TEXT) + 2 * TICKS
    placing: dict[str, Any]
    if not titled and beside <= width * 72 * PLOT_SHARE:
        # A short, untitled chart (a memo's) has its key on the subtitle's line, right: the
        # plot keeps the row a key under the x labels would take.
        placing = {"loc": "lower right", "bbox_to_anchor": (1, 1.0), "ncols": len(names)}
        placing["borderaxespad"] = 0.0
    else:
        # As many entries a line as fit, under the x labels.
        columns = max(1, min(4, len(names), int((width * 72 - 12) // max(entries, default=1))))
        placing = {
            "loc": "lower left",
            "bbox_to_anchor": (0, 0),
            "bbox_transform": blended_transform_factory(axes.transAxes, fig.transFigure),
            "borderaxespad": 0.3,
            "ncols": columns,
        }
    axes.legend(
        [handles[i] for i in order],
        [names[i] for i in order],
        borderpad=0.2,
        frameon=False,
        fontsize=TICKS,
        **placing,
    )

    def arrange(figure: Figure) -> None:
        if titled:
            room = axes.bbox.width * 72 / figure.dpi
            heading.set_text(wrapped(full, room, TITLE, "bold", lines=title.count("\n") + 1))
        if callout is not None:
            place_callout(axes, callout, figure._get_renderer())

    fig.set_layout_engine(
        FixedMargins(
            axes,
            top=title_space,  # the title's lines and its pad, where the subtitle sits
            arrange=arrange,
        )
    )
    return fig


def fixed(fig: Figure) -> None:
    """Fix a chart's layout before saving it: saving then draws it once instead of twice."""
    from statdesk.reporting.chart_layout import FixedMargins

    engine = fig.get_layout_engine()
    if isinstance(engine, FixedMargins):
        engine.freeze(fig)


def to_bytes(fig: Figure, fmt: str) -> bytes:
    """The chart as SVG or PNG bytes, for a document or a page. SVG text stays text (Typst
    sets it in Noto Sans, as the chart measured it; a browser in Noto Sans where it has it):
    a quarter faster than drawing every glyph as a path, and half the size."""
    from matplotlib import rc_context

    fixed(fig)
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, facecolor="white", dpi=150)
    return buffer.getvalue()


def described(detail: MetricDetail) -> tuple[ChartSeries, str]:
    """A metric's chart series and the alternative text that says what it shows."""
    series = series_of(detail)
    summary = detail.summary
    return series, alt_text(series, summary.trend.describe(summary.frequency))


def save(fig: Figure, target: Path, *, title: str, description: str, dpi: int = 200) -> Path:
    """Write the chart as PNG, SVG or PDF (by the file's extension), atomically, with its
    title and alternative text in the file's metadata."""
    target = Path(target)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise ValueError(f"Charts are saved as PNG, SVG or PDF, not '{target.suffix}'.")
    metadata = (
        {"Title": title, "Subject": description}
        if fmt == "pdf"
        else {"Title": title, "Description": description}
    )
    fixed(fig)
    with replacing(target) as temp:
        fig.savefig(temp, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return target
