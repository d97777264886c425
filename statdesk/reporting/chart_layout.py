"""Where a chart's texts go, measured rather than guessed: fixed margins around the plot, y tick
labels that say their tick's value, titles wrapped to the width, x labels that fit side by
side, and the latest value's callout where it covers no line, marker or bar.

matplotlib's constrained layout measures every text of the figure on every draw; for our
charts that was a quarter of a 12-chart memo's time, so only what varies is measured here.
Imported only where matplotlib is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import LayoutEngine
from matplotlib.textpath import text_to_path
from matplotlib.ticker import Formatter

TICK_SPACE = 3.5 + 3.5  # matplotlib's default tick length and label pad, in points
X_LABEL_PAD = 8.0  # below the plot: clear of the lowest y label, which hangs below the axis
MARGIN = 6.0
MAX_DECIMALS = 10
ELLIPSIS = "…"


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width of one line of `text` in points, as matplotlib will draw it."""
    font = FontProperties(size=size, weight=weight)
    return float(text_to_path.get_text_width_height_descent(text, font, ismath=False)[0])


def wrapped(text: str, width: float, size: float, weight: str = "normal", lines: int = 2) -> str:
    """`text` broken into at most `lines` lines that fit `width` points, the last cut with an
    ellipsis when the whole does not fit (the whole goes into the alternative text)."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size, weight) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:  # more than fits: the last line ends in an ellipsis
        out[-1] = f"{out[-1]} {' '.join(words)}"
    for i, line in enumerate(out):
        if text_width(line, size, weight) > width:
            cut = line
            while cut and text_width(cut.rstrip() + ELLIPSIS, size, weight) > width:
                cut = cut[:-1]
            out[i] = cut.rstrip() + ELLIPSIS
            del out[i + 1 :]
            break
    return "\n".join(out)


def tick_decimals(values: Sequence[float], own: int) -> int:
    """Decimals that show every value exactly: none for whole numbers, else at least the
    metric's own (gridlines at 6.25 and 6.75 read 6.25 and 6.75, never 6.2 and 6.8)."""
    for decimals in range(MAX_DECIMALS + 1):
        if all(abs(round(v, decimals) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return 0 if decimals == 0 else max(decimals, own)
    return MAX_DECIMALS


class ValueTicks(Formatter):  # type: ignore[misc]  # matplotlib is untyped here
    """Y tick labels with the decimals the ticks drawn need (`tick_decimals`)."""

    def __init__(self, show: Callable[[float, int], str], own: int) -> None:
        self.show, self.own, self.decimals = show, own, own

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
        axis = self.axis
        low, high = sorted(axis.get_view_interval()) if axis is not None else (-1e300, 1e300)
        inside = [
            v for v in locs if low - 1e-9 * max(1, abs(low)) <= v <= high + 1e-9 * max(1, abs(high))
        ]
        self.decimals = tick_decimals(inside or list(locs), self.own)

    def __call__(self, value: float, pos: int | None = None) -> str:
        return self.show(value, self.decimals)


class FixedMargins(LayoutEngine):  # type: ignore[misc]
    """Margins in points, so a chart keeps them on screen at any window size and in print.
    At each draw the left margin fits the widest y-axis label and the bottom one the x labels
    and the legend under them; `right` leaves room for half of the last x-axis label.
    `arrange`, when given, places what depends on the plot's final size (the callout) and may
    widen the y range to make room."""

    _adjust_compatible = True
    _colorbar_gridspec = True

    def __init__(
        self,
        axes: Any,
        *,
        top: float,
        right: float = 14.0,
        arrange: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__()
        self.axes = axes
        self.top, self.right = top, right
        self.bottom = 0.0  # measured at each draw (`_fit_bottom`)
        self.arrange = arrange

    def execute(self, fig: Any) -> None:
        width, height = (inches * 72 for inches in fig.get_size_inches())
        self._place(fig, width, height, left=MARGIN)  # the plot's height sets the y ticks
        self._fit_bottom(fig, width, height)
        left = MARGIN
        for _ in range(3):  # the callout may widen the y range, and so change the y labels
            if self.arrange is not None:
                self.arrange(fig)
            needed = MARGIN + self._widest_y_label() + TICK_SPACE
            if abs(needed - left) < 0.5:
                return
            left = needed
            self._place(fig, width, height, left=left)
        if self.arrange is not None:
            self.arrange(fig)

    def _fit_bottom(self, fig: Any, width: float, height: float) -> None:
        """Room below the plot for the x labels and, under them, the legend, as the font
        draws them (Noto Sans' lines are taller than a rule of thumb)."""
        renderer = fig._get_renderer()
        scale = 72 / fig.dpi
        labels = [
            t.label1.get_window_extent(renderer)
            for t in self.axes.xaxis.get_major_ticks()
            if t.label1.get_text()
        ]
        lowest = min((box.y0 for box in labels), default=self.axes.bbox.y0)
        depth = (self.axes.bbox.y0 - lowest) * scale
        legend = self.axes.get_legend()
        under = 0.0
        if legend is not None:
            box = legend.get_window_extent(renderer)
            if box.y0 < self.axes.bbox.y1 - 1:  # a key under the x labels, not above the plot
                under = box.y1 * scale
        self.bottom = under + 4 + depth
        self._place(fig, width, height, left=MARGIN)

    def _widest_y_label(self) -> float:
        axis = self.axes.yaxis
        low, high = sorted(self.axes.get_ylim())
        locs = [v for v in axis.get_majorticklocs() if low <= v <= high]
        formatter = axis.get_major_formatter()
        formatter.set_locs(locs)
        font = axis.get_major_ticks()[0].label1.get_fontproperties()
        return max(
            (
                text_to_path.get_text_width_height_descent(formatter(v), font, ismath=False)[0]
                for v in locs
            ),
            default=0.0,
        )

    def freeze(self, fig: Any) -> None:
        """Lay the figure out once and drop the engine, for a figure saved but never resized:
        savefig then draws once, not twice (a dry run for the layout, then the real one)."""
        self.execute(fig)
        fig.set_layout_engine(None)

    def _place(self, fig: Any, width: float, height: float, left: float) -> None:
        top = max(1 - self.top / height, 0.55)
        fig.subplots_adjust(
            left=min(left / width, 0.45),
            right=max(1 - self.right / width, 0.55),
            top=top,
            # a short chart gives the labels and the legend the room they need, keeping a
            # fifth of its height for the plot
            bottom=min(self.bottom / height, top - 0.2),
        )


# Where the callout may go, in points from its point: beside it first, then further up or
# down, then above or below it; the first that covers nothing is taken.
_NEAR = (8.0, 10.0)
_SPOTS = [
    (dx * side, dy * rise)
    for dy in (_NEAR[1], 34.0, 60.0, 90.0, 120.0)
    for rise in (1, -1)
    for dx in (_NEAR[0], 30.0, 70.0, 130.0, 200.0)
    for side in (1, -1)
]


def place_callout(axes: Any, callout: Any, renderer: Any, room: int = 3) -> None:
    """Move `callout` (an annotation of a point) to the first spot where its box lies inside
    the plot and covers no line, marker or bar. With none free, the y range grows (up to
    `room` times, and only while the box is smaller than the plot) and the spots are tried
    again; failing all, the spot that leaves the plot least, then covers least."""
    obstacles = _obstacles(axes)
    for text in axes.texts:  # the line under the title, which hangs just over the plot
        if text is not callout and text.get_text():
            extent = text.get_window_extent(renderer)
            obstacles.append(
                lambda box, e=extent: (
                    min(box.x1, e.x1) > max(box.x0, e.x0) and min(box.y1, e.y1) > max(box.y0, e.y0)
                )
            )
    # The box only moves from spot to spot: it is laid out once for each of its four
    # alignments and then shifted, instead of laid out a hundred times.
    laid: dict[tuple[bool, bool], tuple[Any, float, float]] = {}
    per_point = renderer.points_to_pixels(1.0)

    def box_at(dx: float, dy: float) -> Any:
        key = (dx > 0, dy > 0)
        if key not in laid:
            laid[key] = (_try(callout, renderer, dx, dy), dx, dy)
        box, x, y = laid[key]
        return box.translated((dx - x) * per_point, (dy - y) * per_point)

    best: tuple[tuple[float, int], tuple[float, float]] | None = None
    height = 0.0
    for dx, dy in _SPOTS:
        box = box_at(dx, dy)
        height = box.height
        beyond = _beyond(box, axes.bbox)
        hits = sum(o(box) for o in obstacles) if beyond == 0 else 0
        if beyond == 0 and hits == 0:
            _try(callout, renderer, dx, dy)
            return
        if best is None or (beyond, hits) < best[0]:
            best = ((beyond, hits), (dx, dy))
    if room > 0 and height < axes.bbox.height:
        low, high = axes.get_ylim()
        axes.set_ylim(low, high + (high - low) * 0.3)
        place_callout(axes, callout, renderer, room - 1)
        return
    _try(callout, renderer, *(best[1] if best else _NEAR))


def _try(callout: Any, renderer: Any, dx: float, dy: float) -> Any:
    callout.xyann = (dx, dy)
    callout.set_horizontalalignment("left" if dx > 0 else "right")
    callout.set_verticalalignment("bottom" if dy > 0 else "top")
    callout.update_positions(renderer)
    callout.update_bbox_position_size(renderer)
    return callout.get_bbox_patch().get_window_extent(renderer)


def _beyond(box: Any, frame: Any) -> float:
    """How far `box` reaches out of `frame`, in pixels, on all sides together (0: inside)."""
    return (
        max(0.0, frame.x0 - box.x0)
        + max(0.0, box.x1 - frame.x1)
        + max(0.0, frame.y0 - box.y0)
        + max(0.0, box.y1 - frame.y1)
    )


def _obstacles(axes: Any) -> list[Callable[[Any], bool]]:
    """For each line (as drawn, steps included), its markers and each bar: whether a box
    covers it."""
    import numpy as np
    from matplotlib.cbook import STEP_LOOKUP_MAP
    from matplotlib.path import Path

    found: list[Callable[[Any], bool]] = []
    for line in axes.get_lines():
        if not line.get_visible():
            continue
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        style = line.get_drawstyle()
        if style in STEP_LOOKUP_MAP and style != "default" and len(x) > 1:
            x, y = STEP_LOOKUP_MAP[style](x, y)
        points = line.get_transform().transform(np.column_stack([x, y]))
        pad = (line.get_markersize() if line.get_marker() not in (None, "", "None") else 0) / 2
        pad = pad * axes.figure.dpi / 72 + 2  # a little air around the line as well
        good = np.isfinite(points).all(axis=1)
        start = None
        for i, ok in enumerate([*good, False]):
            if ok and start is None:
                start = i
            elif not ok and start is not None:
                run = Path(points[start:i])
                found.append(
                    lambda box, run=run, pad=pad: bool(
                        run.intersects_bbox(box.padded(pad), filled=False)
                        or any(box.padded(pad).contains(px, py) for px, py in run.vertices)
                    )
                )
                start = None
    for container in axes.containers:
        for bar in container.patches:
            extent = bar.get_window_extent()
            found.append(
                lambda box, e=extent: (
                    min(box.x1, e.x1) > max(box.x0, e.x0) and min(box.y1, e.y1) > max(box.y0, e.y0)
                )
            )
    return found
