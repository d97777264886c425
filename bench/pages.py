"""How long the analyst waits on the big pages: open the window, switch pages, filter, sort.

    uv run python -m bench.pages [--runs N]

Builds bench/.cache/big.statdesk (10,000 datasets, 5,000 people, 500 metrics × 120 months)
once, then reports the median of N runs for each step. Qt runs offscreen; the view fetches
rows lazily, as on screen. Target: under 100 ms per action.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
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


def timed(step: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def measure(runs: int = 5) -> list[Result]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    CACHE.mkdir(exist_ok=True)
    path = build(CACHE / "big.statdesk")

    workspace = Workspace.open(path, read_only=True)
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

    def first_shown(page_title: str, page: object) -> Callable[[], object]:
        return lambda: (win.go_to("Home"), setattr(page, "stale", True), win.go_to(page_title))

    results["Team: first shown (5,000 people)"] = timed(first_shown("Team", team), runs)
    results["Inventory: first shown (10,000 datasets)"] = timed(
        first_shown("Inventory", inventory), runs
    )
    results["Metrics: first shown (500 metrics × 120 months)"] = timed(
        first_shown("Metrics", metrics), runs
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
    win.close()
    workspace.close()
    app.processEvents()
    return [
        Result(step, median * 1000, "ms", limit=None if step.startswith("open") else LIMIT_MS)
        for step, (median, _worst) in results.items()
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    print(table(measure(parser.parse_args().runs)))
