"""How long the analyst waits on the big pages: open the window, filter, sort.

    uv run python bench/bench_pages.py [--runs N]

Builds bench/.cache/big.statdesk (10,000 datasets, 5,000 people) once, then reports the median
of N runs for each step. Qt runs offscreen; the view fetches rows lazily, as on screen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STATDESK_HOME", tempfile.mkdtemp(prefix="statdesk-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from big_city import build
from PySide6.QtWidgets import QApplication

from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace


def timed(step: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    cache = Path(__file__).resolve().parent / ".cache"
    cache.mkdir(exist_ok=True)
    started = time.perf_counter()
    path = build(cache / "big.statdesk")
    print(
        f"file ready in {time.perf_counter() - started:.2f} s ({path.stat().st_size / 1e6:.1f} MB)"
    )

    workspace = Workspace.open(path, read_only=True)
    window: list[MainWindow] = []

    def open_window() -> None:
        if window:
            window.pop().close()
        win = MainWindow(workspace)
        win.show()
        window.append(win)

    results = {"open the window on Home": timed(open_window, args.runs)}
    win = window[0]
    team, inventory = win.page("Team"), win.page("Inventory")
    results["Team: first shown (5,000 people)"] = timed(
        lambda: (win.go_to("Home"), setattr(team, "stale", True), win.go_to("Team")), args.runs
    )
    results["Inventory: first shown (10,000 datasets)"] = timed(
        lambda: (win.go_to("Home"), setattr(inventory, "stale", True), win.go_to("Inventory")),
        args.runs,
    )
    words = iter(["permits", "calls", "dataset 09", "crews", "cases", "0042", "x"] * 10)
    results["Inventory: filter by a search word"] = timed(
        lambda: inventory.search.setText(next(words)), args.runs
    )  # type: ignore[union-attr]
    inventory.search.clear()  # type: ignore[union-attr]
    columns = iter([0, 7, 4, 1, 6] * 10)
    results["Inventory: sort 10,000 rows by a column"] = timed(
        lambda: inventory.view.sortByColumn(
            next(columns), inventory.view.horizontalHeader().sortIndicatorOrder()
        ),
        args.runs,
    )  # type: ignore[attr-defined]
    results["Team: filter by a search word"] = timed(
        lambda: team.search.setText(next(words)), args.runs
    )  # type: ignore[union-attr]
    win.close()
    app.processEvents()
    print(f"{'step':<44}{'median':>10}{'worst':>10}")
    for step, (median, worst) in results.items():
        print(f"{step:<44}{median * 1000:>8.0f} ms{worst * 1000:>7.0f} ms")


if __name__ == "__main__":
    main()
