"""Every benchmark, one table: `uv run python -m bench [--quick]`.

Each figure is a ratio against a floor measured in the same run (the libraries alone doing the
same work), or a time or size against its limit; see bench/README.md for what each measures.
`--quick` runs each step fewer times and imports a tenth of the CSVs, to try the suite out.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STATDESK_HOME", tempfile.mkdtemp(prefix="statdesk-bench-"))

from bench import documents, imports, open_file, pages, server, share, startup
from bench.result import Result, table


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="fewer runs, a smaller CSV")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    csv_rows = 100_000 if args.quick else 1_000_000
    started = time.perf_counter()
    results: list[Result] = []
    sections = (
        ("start-up", lambda: startup.measure(runs)),
        ("pages", lambda: pages.measure(max(3, runs // 2))),
        ("big file", open_file.measure),
        (
            "imports",
            lambda: imports.measure(
                csv_rows, runs=1 if args.quick else 3, values_mb=30 if args.quick else 300
            ),
        ),
        ("documents", lambda: documents.measure(3)),
        ("SMB share", lambda: share.measure(1 if args.quick else 3)),
        ("PostgreSQL server", lambda: server.measure(3 if args.quick else 5)),
    )
    for name, run in sections:
        print(f"… {name}", flush=True)
        results += run()
    print()
    print(
        f"{date.today()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {time.perf_counter() - started:.0f} s in all"
    )
    print()
    print(table(results))
    missed = [r.what for r in results if r.met is False]
    if missed:
        print(f"\n{len(missed)} target(s) not met: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
