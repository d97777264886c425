"""Start-up: `statdesk gui PATH --smoke` (opens PATH, waits until the Home page shows the
file's data and is painted, exits) against the unavoidable floor, measured in the same run:
a script that imports PySide6.QtWidgets and sqlalchemy.orm and paints a bare window with a
table. Runs alternate, so a busy moment of the machine hurts both alike. The medians are
compared (one lucky run of the floor moves its best by a tenth of a second); the best runs
are shown too.

    uv run python -m bench.startup [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench.result import PYTHON, Result, alternating, child_env, table, wall_time

FLOOR = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
import sqlalchemy.orm
app = QApplication(sys.argv[:1])
window = QMainWindow()
grid = QTableWidget(20, 5)
for row in range(20):
    for column in range(5):
        grid.setItem(row, column, QTableWidgetItem(f"{row}, {column}"))
window.setCentralWidget(grid)
window.resize(1180, 760)
window.show()
while not window.isVisible() or window.grab().isNull():
    app.processEvents()
app.processEvents()
"""
TARGET = 1.5


def measure(runs: int = 7) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-") as folder:
        env = child_env(STATDESK_HOME=str(Path(folder) / "home"))
        city = Path(folder) / "Harbor Bend.statdesk"
        wall_time([PYTHON, "-m", "statdesk", "demo", str(city)], env)
        floor_args = [PYTHON, "-c", FLOOR]
        app_args = [PYTHON, "-m", "statdesk", "gui", str(city), "--smoke"]
        floors, starts = alternating(floor_args, app_args, env, runs)
    return [
        Result(
            f"start-up to the painted Home page (demo city), median of {runs}",
            statistics.median(starts),
            "s",
            floor=statistics.median(floors),
            ratio_limit=TARGET,
        ),
        Result(f"the same, best of {runs}", min(starts), "s", floor=min(floors)),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    print(table(measure(parser.parse_args().runs)))
