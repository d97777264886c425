"""A layout engine for charts whose layout is known in advance: fixed margins in points
around the plot, with only the y-axis labels measured.

matplotlib's constrained layout measures every text of the figure on every draw; for our
charts that was a quarter of a 12-chart memo's time. Imported only where matplotlib is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.layout_engine import LayoutEngine
from matplotlib.textpath import text_to_path

TICK_SPACE = 3.5 + 3.5  # matplotlib's default tick length and label pad, in points
MARGIN = 6.0


class FixedMargins(LayoutEngine):
    """Margins in points, so a chart keeps them on screen at any window size and in print.
    The left margin fits the widest y-axis label at each draw; `right` leaves room for half
    of the last x-axis label."""

    _adjust_compatible = True
    _colorbar_gridspec = True

    def __init__(
        self,
        axes: Any,
        y_label: Callable[[float], str],
        *,
        top: float,
        bottom: float,
        right: float = 14.0,
    ) -> None:
        super().__init__()
        self.axes = axes
        self.y_label = y_label
        self.top, self.bottom, self.right = top, bottom, right

    def execute(self, fig: Any) -> None:
        width, height = (inches * 72 for inches in fig.get_size_inches())
        self._place(fig, width, height, left=MARGIN)  # the plot's height sets the y ticks
        low, high = self.axes.get_ylim()
        font = self.axes.yaxis.get_major_ticks()[0].label1.get_fontproperties()
        widest = max(
            (
                text_to_path.get_text_width_height_descent(self.y_label(v), font, ismath=False)[0]
                for v in self.axes.yaxis.get_majorticklocs()
                if min(low, high) <= v <= max(low, high)
            ),
            default=0.0,
        )
        self._place(fig, width, height, left=MARGIN + widest + TICK_SPACE)

    def freeze(self, fig: Any) -> None:
        """Lay the figure out once and drop the engine, for a figure saved but never resized:
        savefig then draws once, not twice (a dry run for the layout, then the real one)."""
        self.execute(fig)
        fig.set_layout_engine(None)

    def _place(self, fig: Any, width: float, height: float, left: float) -> None:
        fig.subplots_adjust(
            left=min(left / width, 0.45),
            right=max(1 - self.right / width, 0.55),
            top=max(1 - self.top / height, 0.55),
            bottom=min(self.bottom / height, 0.45),
        )
