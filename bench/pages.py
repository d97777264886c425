"""How long the analyst waits on the big pages: open the window, switch pages, filter, sort.

    uv run python -m bench.pages [--runs N]

Builds bench/.cache/big.statdesk (10,000 datasets, 5,000 people, 500 metrics × 120 months)
once, then reports the median of N runs for each step. Qt runs offscreen; the view fetches
rows lazily, as on screen. Target: under 100 ms per action. A page's first showing is timed
twice: reading its lists then, and after the window has read them on a worker thread (as it
does for a big file as soon as Home shows).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STATDESK_HOME", tempfile.mkdtemp(prefix="statdesk-bench-"))

from PySide6.QtWidgets import QApplication

from bench.big_city import build
from bench.result import CACHE, Result, table
from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace

LIMIT_MS = 100


def background_reads_done() -> None:
    """Wait for the reading a window starts on a worker thread for a big file."""
    for thread in threading.enumerate():
        if thread.name == "statdesk-warm-up":
            thread.join()


def timed(step: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        background_reads_done()  # each run starts from a quiet machine
        start = time.perf_counter()
        step()
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def timed_sync(step: Callable[[], object], runs: int) -> tuple[float, float]:
    """As `timed`, but without the events that follow (a chart drawn just after, the paint)."""
    times = []
    for _ in range(runs):
        background_reads_done()
        QApplication.processEvents()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
        QApplication.processEvents()
    return statistics.median(times), max(times)


def measure(runs: int = 5, location: str | None = None) -> list[Result]:
    """Each step on the 50 MB city: its file, or the same city at `location` (a server's
    address, bench.server)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    CACHE.mkdir(exist_ok=True)
    path = build(CACHE / "big.statdesk")

    workspace = Workspace.open(location or path, read_only=True)
    window: list[MainWindow] = []

    def open_window() -> None:
        if window:
            window.pop().close()
        win = MainWindow(workspace)
        win.show()
        window.append(win)

    results = {"open the window on Home (50 MB file)": timed(open_window, runs)}
    win = window[0]
    team, inventory, metrics = win.page("Team"), win.page("Inventory"), win.page("Metrics")

    def first_shown(page_title: str, page: object, warmed: bool) -> Callable[[], object]:
        def show() -> None:
            win.go_to("Home")
            page.stale = True  # type: ignore[attr-defined]
            if not warmed:
                workspace.forget_readings()
            win.go_to(page_title)

        return show

    shown = (
        ("Team", team, "5,000 people"),
        ("Inventory", inventory, "10,000 datasets"),
        ("Metrics", metrics, "500 metrics × 120 months"),
    )
    for page_title, page, holding in shown:
        results[f"{page_title}: first shown, read then ({holding})"] = timed(
            first_shown(page_title, page, warmed=False), runs
        )
    workspace.warm_up()  # as the window does on a worker thread once Home shows

    def metrics_list_only() -> None:
        """The Metrics page up to its list and numbers; its chart is drawn just after."""
        win.go_to("Home")
        metrics.stale = True  # type: ignore[attr-defined]
        win.go_to("Metrics")

    results["Metrics: first shown after the background read (its chart follows)"] = timed_sync(
        metrics_list_only, runs
    )
    for page_title, page, _holding in shown:
        chart = " and its chart drawn" if page_title == "Metrics" else ""
        results[f"{page_title}: first shown after the background read{chart}"] = timed(
            first_shown(page_title, page, warmed=True), runs
        )
    pages = iter(["Inventory", "Team", "Metrics", "Home"] * 10)
    results["switch to a page already read"] = timed(lambda: win.go_to(next(pages)), runs)
    win.go_to("Inventory")
    words = iter(["permits", "calls", "dataset 09", "crews", "cases", "0042", "x"] * 10)
    results["Inventory: filter by a search word"] = timed(
        lambda: inventory.search.setText(next(words)),  # type: ignore[union-attr]
        runs,
    )
    inventory.search.clear()  # type: ignore[union-attr]
    columns = iter([0, 7, 4, 1, 6] * 10)
    results["Inventory: sort 10,000 rows by a column"] = timed(
        lambda: inventory.view.sortByColumn(  # type: ignore[attr-defined]
            next(columns),
            inventory.view.horizontalHeader().sortIndicatorOrder(),  # type: ignore[attr-defined]
        ),
        runs,
    )
    win.go_to("Team")
    results["Team: filter by a search word"] = timed(
        lambda: team.search.setText(next(words)),  # type: ignore[union-attr]
        runs,
    )
    history = win.page("History")
    results["History: first shown (110,000 lines of change log)"] = timed(
        first_shown("History", history, warmed=False), runs
    )
    results["History: find a word in the change log"] = timed(
        lambda: history.search.setText(next(words)),  # type: ignore[union-attr]
        runs,
    )
    history.search.clear()  # type: ignore[union-attr]
    win.close()
    workspace.close()
    app.processEvents()
    return [
        Result(
            step,
            median * 1000,
            "ms",
            # Informational: opening the window, a page read at the moment it is first shown
            # (a click in the first second on a big file), and a chart drawn after its page.
            limit=None
            if any(w in step for w in ("open", "read then", "chart drawn"))
            else LIMIT_MS,
        )
        for step, (median, _worst) in results.items()
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    print(table(measure(parser.parse_args().runs)))
