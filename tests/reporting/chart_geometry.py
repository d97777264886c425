"""What a reader of a chart would catch, measured on the drawn figure itself: a tick label that
is not its tick's value, two labels alike, texts over each other or off the page, the latest
value's callout over a line, a marker or a text.

Judged from matplotlib's own artists after drawing (their window extents and paths), never from
what StatDesk's chart code meant to do."""

from __future__ import annotations

import re
from typing import Any

NUMBER = re.compile(r"-?[\d,]*\.?\d+")


def drawn(figure: Any) -> Any:
    """Lay the figure out and draw it as it would be saved; returns the renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from statdesk.reporting import charts

    charts.fixed(figure)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def tick_labels(axis: Any) -> list[tuple[float, str]]:
    """The (value, label) of each tick drawn on `axis` (inside the axis' view)."""
    low, high = sorted(axis.get_view_interval())
    shown = []
    for tick in axis.get_major_ticks():
        value = tick.get_loc()
        text = tick.label1.get_text()
        if low - 1e-9 * max(1, abs(low)) <= value <= high + 1e-9 * max(1, abs(high)) and text:
            shown.append((value, text))
    return shown


def value_of(label: str) -> tuple[float, int]:
    """The number a label shows and how many decimals it shows."""
    found = NUMBER.search(label.replace("−", "-"))
    assert found is not None, f"no number in the tick label {label!r}"
    text = found.group().replace(",", "")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), decimals


def texts_of(figure: Any) -> list[tuple[str, Any]]:
    """Every visible text of the figure with its box: tick labels, titles, legend, callout."""
    from matplotlib.text import Annotation, Text

    axes = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    found = []
    ticks = {id(t.label1) for a in (axes.xaxis, axes.yaxis) for t in a.get_major_ticks()}
    in_view = {
        id(t.label1)
        for a in (axes.xaxis, axes.yaxis)
        for t in a.get_major_ticks()
        if (value := t.get_loc()) is not None
        and min(a.get_view_interval()) - 1e-9 <= value <= max(a.get_view_interval()) + 1e-9
    }
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in ticks and id(text) not in in_view:
            continue
        if isinstance(text, Annotation) and text.get_bbox_patch() is not None:
            box = text.get_bbox_patch().get_window_extent(renderer)
        else:
            box = text.get_window_extent(renderer)
        found.append((text.get_text(), box))
    return found


def _overlap(a: Any, b: Any, slack: float = 0.5) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack


def _line_paths(axes: Any) -> list[tuple[str, Any, float]]:
    """Each drawn line's path in display coordinates (steps as drawn), with its marker size
    in pixels."""
    import numpy as np
    from matplotlib.cbook import STEP_LOOKUP_MAP
    from matplotlib.path import Path

    paths = []
    for line in axes.get_lines():
        if not line.get_visible():
            continue
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        style = line.get_drawstyle()
        if style in STEP_LOOKUP_MAP and style != "default" and len(x) > 1:
            x, y = STEP_LOOKUP_MAP[style](x, y)
        points = axes.transData.transform(np.column_stack([x, y]))
        if line.get_transform() != axes.transData:  # axhline: axes coordinates across
            points = line.get_transform().transform(np.column_stack([x, y]))
        drawn_marker = line.get_marker() not in (None, "", " ", "None", "none")
        marker = line.get_markersize() * axes.figure.dpi / 72 if drawn_marker else 0.0
        for run in _runs(points):
            paths.append((line.get_label(), Path(run), marker))
    return paths


def _runs(points: Any) -> list[Any]:
    """The stretches of a line between gaps (NaN), as matplotlib draws them."""
    import numpy as np

    good = np.isfinite(points).all(axis=1)
    runs, start = [], None
    for i, ok in enumerate([*good, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append(points[start:i])
            start = None
    return runs


def problems(figure: Any, renderer: Any = None) -> list[str]:
    """Everything wrong with a drawn chart, in words; empty when it is right."""
    if renderer is None:
        renderer = drawn(figure)
    axes = figure.axes[0]
    found: list[str] = []

    labels = tick_labels(axes.yaxis)
    for value, label in labels:
        shown, _decimals = value_of(label)
        if abs(shown - value) > 1e-9 * max(1.0, abs(value)):
            found.append(f"the y tick at {value!r} is labelled {label!r}")
    texts = [label for _v, label in labels]
    if len(set(texts)) != len(texts):
        found.append(f"y tick labels repeat: {texts}")
    x_texts = [label for _v, label in tick_labels(axes.xaxis)]
    if len(set(x_texts)) != len(x_texts):
        found.append(f"x tick labels repeat: {x_texts}")

    page = figure.bbox
    boxes = texts_of(figure)
    for text, box in boxes:
        if not (
            page.x0 - 1 <= box.x0
            and box.x1 <= page.x1 + 1
            and page.y0 - 1 <= box.y0
            and box.y1 <= page.y1 + 1
        ):
            found.append(f"{text!r} runs off the chart")
    for i, (one, a) in enumerate(boxes):
        for other, b in boxes[i + 1 :]:
            if _overlap(a, b):
                found.append(f"{one!r} overlaps {other!r}")

    callouts = [t for t in axes.texts if t.get_bbox_patch() is not None]
    for callout in callouts:
        box = callout.get_bbox_patch().get_window_extent(renderer)
        if not (
            axes.bbox.x0 - 1 <= box.x0
            and box.x1 <= axes.bbox.x1 + 1
            and axes.bbox.y0 - 1 <= box.y0
            and box.y1 <= axes.bbox.y1 + 1
        ):
            found.append(f"the callout {callout.get_text()!r} leaves the plot")
        for name, path, marker in _line_paths(axes):
            grown = box.expanded(1.0, 1.0).padded(marker / 2)
            if path.intersects_bbox(grown, filled=False) or any(
                grown.contains(x, y) for x, y in path.vertices
            ):
                found.append(f"the callout {callout.get_text()!r} covers the line {name!r}")
        bars = [bar for container in axes.containers for bar in container.patches]
        if any(_overlap(box, bar.get_window_extent(renderer)) for bar in bars):
            found.append(f"the callout {callout.get_text()!r} covers a bar")
    return found
