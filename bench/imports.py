"""How fast imports are against the libraries underneath them, in the same run.

    uv run python -m bench.imports [--rows N] [--xlsx-rows N] [--runs N]

1. A 311-style CSV (1,000,000 rows, about 150 MB, made once in bench/.cache): requests per
   month via StatDesk's raw import (plan only: read, date, group, measure) against plain pandas
   reading the date column and grouping by month. Target: within 1.5x.
2. A 100,000-row xlsx of monthly values: StatDesk's plan against calamine's raw read.
   Target: within 1.5x.
3. A 300 MB CSV of monthly values (2.3 million rows, 17,700 metrics, made once): StatDesk's
   plan and its dry run against a new city, as the wizard's check page makes them. Target: peak
   memory under 1 GB (a laptop with 8 GB and a browser open), shown beside the file's size.
Each program runs in a fresh process that has loaded what StatDesk's window has at start-up;
its own imports are timed with its work (the work alone is shown too).
Each run is a separate process, so peak memory (max RSS) is measured per run (target for the
CSVs: under 1 GB).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from bench.result import CACHE, Result, child_env, table

TYPES = ["Bulky Items", "Graffiti Removal", "Pothole", "Street Light", "Illegal Dumping"]


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(3)
    start = datetime(2024, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "SRNumber",
                "CreatedDate",
                "ClosedDate",
                "RequestType",
                "Status",
                "Owner",
                "Address",
                "ZipCode",
                "CD",
                "Latitude",
                "Longitude",
            ]
        )
        for number in range(rows):
            opened = start + timedelta(minutes=rng.randint(0, 60 * 24 * 730))
            closed = opened + timedelta(hours=rng.randint(1, 400))
            writer.writerow(
                [
                    f"1-{number:010d}",
                    opened.strftime("%m/%d/%Y %I:%M:%S %p"),
                    closed.strftime("%m/%d/%Y %I:%M:%S %p"),
                    rng.choice(TYPES),
                    "Closed",
                    "BSS",
                    f"{rng.randint(100, 9999)} MAIN ST",
                    f"9{rng.randint(1000, 1999)}",
                    rng.randint(1, 15),
                    f"34.{rng.randint(0, 999999):06d}",
                    f"-118.{rng.randint(0, 999999):06d}",
                ]
            )


def make_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Values")
    sheet.append(["Metric", "Department", "Month", "Actual", "Target"])
    for number in range(rows):
        month = datetime(2015 + number // 12 % 10, number % 12 + 1, 1)
        sheet.append(
            [
                f"Measure {number // 120:04d}",
                "Public Works",
                month,
                round(random.random() * 100, 2),
                85,
            ]
        )
    book.save(path)


DEPARTMENTS = ["Public Works", "Police", "Fire", "Parks", "Library", "Finance"]


def make_values_csv(path: Path, megabytes: int) -> None:
    """A long values export as a department's system writes it: one row per metric and month,
    132 months a metric, until the file is `megabytes` large."""
    rng = random.Random(5)
    limit = megabytes * 1_000_000
    months = [datetime(2016 + m // 12, m % 12 + 1, 1).strftime("%b %Y") for m in range(132)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Metric", "Department", "Month", "Actual", "Target", "Note"])
        number = 0
        while handle.tell() < limit:
            name = f"Measure {number} of the department's service"
            department = DEPARTMENTS[number % len(DEPARTMENTS)]
            for month in months:
                actual = round(rng.uniform(100, 5000), 2)
                writer.writerow([name, department, month, actual, rng.randint(100, 5000), ""])
            number += 1


# Each program: its imports, then its work. Each runs in a fresh process that has first
# loaded, untimed, what StatDesk's window loads at start-up (statdesk.workspace: SQLAlchemy,
# the domain, the standard library they use). The clock covers the program's own imports and
# its work: what the analyst waits for on starting an import in the window. The work alone is
# reported too.
STARTED = "import statdesk.workspace"
PANDAS = (
    "import pandas as pd",
    """
frame = pd.read_csv(sys.argv[1], usecols=["CreatedDate"], dtype=str)
dates = pd.to_datetime(frame["CreatedDate"], format="%m/%d/%Y %I:%M:%S %p")
print(len(dates.dt.to_period("M").value_counts()))
""",
)
STATDESK_RAW = (
    "from statdesk.importing.plan import ImportOptions, plan_import\n"
    "import statdesk.importing.raw, pandas",
    """
plan = plan_import(sys.argv[1], ImportOptions("raw", date_column="CreatedDate", metric="M"), 7)
print(len(plan.values))
""",
)
CALAMINE = (
    "import python_calamine",
    """
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
print(len(book.get_sheet_by_index(0).to_python()))
""",
)
STATDESK_VALUES = (
    "from statdesk.importing.plan import ImportOptions, plan_import\n"
    "import statdesk.importing.values, python_calamine",
    """
plan = plan_import(sys.argv[1], ImportOptions("values"), 7)
print(len(plan.values))
""",
)

STATDESK_BIG_VALUES = (
    "import tempfile; from pathlib import Path\n"
    "from statdesk.importing.plan import ImportOptions\n"
    "from statdesk.workspace import Workspace",
    """
city = create_file(Path(tempfile.mkdtemp()) / "c.statdesk", city_name="Bench", user="bench")
plan = city.imports.plan(sys.argv[1], ImportOptions("values"))
print(len(plan.values), plan.forecast.describe())
""",
)


class Run(NamedTuple):
    seconds: float  # imports and work
    imports: float  # the program's own imports, beyond what the window has loaded
    peak: float  # MB


def run(program: tuple[str, str], path: Path) -> Run:
    """One fresh process: seconds (the program's imports included), the imports' share, and
    peak memory."""
    setup, work = program
    wrapper = (
        "import resource, time, sys\n"
        f"{STARTED}\n"
        # What was loaded stays out of the collector's way, as in a fresh process: a collection
        # during calamine's read must not walk SQLAlchemy's objects.
        "import gc; gc.freeze()\n"
        "start = time.perf_counter()\n"
        f"exec(compile({setup!r}, 'imports', 'exec'))\n"
        "loaded = time.perf_counter()\n"
        f"exec(compile({work!r}, 'work', 'exec'))\n"
        "took = time.perf_counter() - start\n"
        # VmHWM is this program's own peak; ru_maxrss would keep the peak of the parent that
        # started it (Linux keeps it across exec), and the benchmark itself holds Qt and more.
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    peak = int(status.split()[0]) / 1024\n"
        "except OSError:\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(f'RESULT {took:.3f} {loaded - start:.3f} {peak:.0f}')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    _, seconds, imports, peak = line.split()
    return Run(float(seconds), float(imports), float(peak))


def best(programs: tuple[tuple[str, str], ...], path: Path, runs: int) -> list[Run]:
    """Each program's fastest run and highest peak. The programs take turns, so a slow spell
    of the machine falls on all of them."""
    results: list[list[Run]] = [[] for _ in programs]
    for _ in range(runs):
        for made, program in zip(results, programs, strict=True):
            made.append(run(program, path))
    return [
        Run(min(r.seconds for r in made), min(r.imports for r in made), max(r.peak for r in made))
        for made in results
    ]


def measure(
    rows: int = 1_000_000, xlsx_rows: int = 100_000, runs: int = 3, values_mb: int = 300
) -> list[Result]:
    CACHE.mkdir(exist_ok=True)
    big = CACHE / f"requests-{rows}.csv"
    if not big.exists():
        make_csv(big, rows)
    book = CACHE / f"values-{xlsx_rows}.xlsx"
    if not book.exists():
        make_xlsx(book, xlsx_rows)
    long = CACHE / f"values-{values_mb}MB.csv"
    if not long.exists():
        make_values_csv(long, values_mb)
    pandas, raw = best((PANDAS, STATDESK_RAW), big, runs)
    calamine, values = best((CALAMINE, STATDESK_VALUES), book, max(runs, 5))
    size = big.stat().st_size / 1e6
    return [
        Result(
            f"{rows:,}-row 311 CSV ({size:.0f} MB) counted by month, against pandas",
            raw.seconds,
            "s",
            floor=pandas.seconds,
            ratio_limit=1.5,
        ),
        Result(
            f"peak memory of that import (pandas: {pandas.peak:.0f} MB)", raw.peak, "MB", limit=1000
        ),
        Result(
            f"{xlsx_rows:,}-row xlsx of values, against calamine's read",
            values.seconds,
            "s",
            floor=calamine.seconds,
            ratio_limit=1.5,
        ),
        Result(
            "the same, the work alone (each side's own imports left out)",
            values.seconds - values.imports,
            "s",
            floor=calamine.seconds - calamine.imports,
        ),
        Result("peak memory of that import", values.peak, "MB"),
        *big_values(long),
    ]


def big_values(path: Path) -> list[Result]:
    """One run: the plan and dry run of a long values CSV, its peak memory against the file's
    size."""
    planned = run(STATDESK_BIG_VALUES, path)
    size = path.stat().st_size / 1e6
    return [
        Result(f"{size:.0f} MB values CSV: plan and dry run", planned.seconds, "s"),
        Result(
            f"peak memory of that plan ({planned.peak / size:.1f}× the file)",
            planned.peak,
            "MB",
            limit=1000,
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--values-mb", type=int, default=300)
    args = parser.parse_args()
    print(table(measure(args.rows, args.xlsx_rows, args.runs, args.values_mb)))
