"""The 50 MB city served by PostgreSQL on loopback, against the same city in a local file.

    uv run python -m bench.server [--runs N]      (needs postgresql: see tests/pg.py)

A throwaway cluster (tests/pg.py) gets the city by `statdesk move`. Then, file and server in
turn: the window's start to its painted Home page (`statdesk gui … --smoke`, a fresh process
each, alternating, medians); each step of bench.pages; and the 100,000-row xlsx of values
imported into the city (planned, dry-run and written, with the snapshot a server's import
keeps first), best of 2. Targets: pages ≤ 100 ms after the background read (as on a file);
start-up ≤ 1.3× the file's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import pages
from bench.big_city import build
from bench.imports import make_xlsx
from bench.result import CACHE, PYTHON, Result, alternating, child_env, table

STARTUP_TARGET = 1.3


def _startups(file: Path, url: str, runs: int) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-") as home:
        env = child_env(STATDESK_HOME=home)
        on_file = [PYTHON, "-m", "statdesk", "gui", str(file), "--smoke"]
        on_server = [PYTHON, "-m", "statdesk", "gui", url, "--smoke"]
        files, servers = alternating(on_file, on_server, env, runs)
    return [
        Result(
            f"start-up to the painted Home page (50 MB city on the server), median of {runs}",
            statistics.median(servers),
            "s",
            floor=statistics.median(files),
            ratio_limit=STARTUP_TARGET,
        )
    ]


def _import(location: str | Path, source: Path) -> float:
    from statdesk.importing.plan import ImportOptions
    from statdesk.workspace import Workspace

    with Workspace.open(location, user="bench") as workspace:
        started = time.perf_counter()
        plan = workspace.imports.plan(source, ImportOptions("values", sheet="Values"))
        result, _ = workspace.imports.run(plan)
        elapsed = time.perf_counter() - started
        workspace.imports.undo(result.batch_id)  # the next run finds the city as it was
    return elapsed


def measure(runs: int = 5) -> list[Result]:
    from statdesk.domain.locations import parse_server
    from statdesk.workspace.moving import move_to_server
    from tests.pg import started

    CACHE.mkdir(exist_ok=True)
    big = build(CACHE / "big.statdesk")
    xlsx = CACHE / "values-100000.xlsx"
    if not xlsx.exists():
        make_xlsx(xlsx, 100_000)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-") as folder, started() as server:
        file = Path(folder) / "big.statdesk"
        shutil.copyfile(big, file)
        moved = Path(folder) / "moved.statdesk"
        shutil.copyfile(big, moved)
        url = server.database()
        move_to_server(moved, parse_server(url), user="bench")
        results += _startups(file, url, runs)
        on_file = {r.what: r for r in pages.measure(runs)}
        for step in pages.measure(runs, location=url):
            floor = on_file[step.what].value
            results.append(
                Result(f"server: {step.what}", step.value, "ms", floor=floor, limit=step.limit)
            )
        file_import = min(_import(file, xlsx) for _ in range(2))
        server_import = min(_import(url, xlsx) for _ in range(2))
        results.append(
            Result(
                "server: 100,000-row xlsx of values imported into the 50 MB city (best of 2)",
                server_import,
                "s",
                floor=file_import,
            )
        )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    print(table(measure(parser.parse_args().runs)))
