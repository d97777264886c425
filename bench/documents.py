"""Documents and charts.

    uv run python -m bench.documents [--runs N]

1. A Stat memo with 12 agenda items, each with its metric's chart, as PDF/UA and as .docx.
   Target: under 3 s (the median of later runs; the first run in a process also imports
   matplotlib and Typst, as the analyst's first memo of the day does, and is reported too).
2. The 12 charts as StatDesk draws them (`charts.figure` then `to_bytes`, as for a memo,
   building the figure included) against matplotlib's own `savefig` of the same, freshly
   built figures with the same settings (building them not included). Target: within 1.3x.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.result import Result, table
from statdesk.domain.vocabulary import AgendaSection
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_demo


def _memo_meeting(ws: Workspace) -> tuple[int, list[int]]:
    metrics = [s for s in ws.metrics.summaries() if s.latest is not None][:12]
    department = ws.meetings.rows()[0].department_id
    agenda = [
        {
            "section": AgendaSection.STANDING,
            "title": s.name,
            "minutes": 7,
            "narrative": "What changed since last month, in two sentences.",
            "questions": "What explains the change?\nWhat happens next?",
            "data_source": "Work orders",
            "metric_id": s.id,
        }
        for s in metrics
    ]
    ws.meetings.save(
        None,
        {
            "department_id": department,
            "title": "Benchmark Stat",
            "session_minutes": 90,
            "starts_at": datetime(2026, 12, 1, 10, 0),
        },
        [],
        agenda,
    )
    return max(r.id for r in ws.meetings.rows()), [s.id for s in metrics]


def _charts(ws: Workspace, metric_ids: list[int], fmt: str) -> tuple[float, float]:
    """Seconds for StatDesk's charts, and for matplotlib's savefig of the same figures."""
    from matplotlib import rc_context

    from statdesk.reporting import charts

    details = [ws.metrics.detail(i) for i in metric_ids]
    ours = floor = 0.0
    for detail in details:
        series, _ = charts.described(detail)
        started = time.perf_counter()
        charts.to_bytes(charts.figure(series, "auto"), fmt)
        ours += time.perf_counter() - started
        fresh = charts.figure(series, "auto")
        started = time.perf_counter()
        with rc_context({"svg.fonttype": "none"}):  # the same settings as StatDesk's
            fresh.savefig(io.BytesIO(), format=fmt, facecolor="white", dpi=150)
        floor += time.perf_counter() - started
    return ours, floor


def measure(runs: int = 3) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.statdesk"
        with create_demo(path) as ws:
            meeting, metric_ids = _memo_meeting(ws)
            for suffix in (".pdf", ".docx"):
                times = []
                for run in range(runs + 1):
                    started = time.perf_counter()
                    ws.exports.memo("memo", meeting, Path(folder) / f"m{run}{suffix}")
                    times.append(time.perf_counter() - started)
                what = f"Stat memo, 12 items and 12 charts, {suffix}"
                results.append(Result(f"{what}: first in the process", times[0], "s"))
                results.append(Result(f"{what}: then", statistics.median(times[1:]), "s", limit=3))
            for fmt in ("svg", "png"):
                pairs = [_charts(ws, metric_ids, fmt) for _ in range(runs)]
                results.append(
                    Result(
                        f"12 charts as {fmt.upper()}, against matplotlib's savefig",
                        statistics.median(p[0] for p in pairs),
                        "s",
                        floor=statistics.median(p[1] for p in pairs),
                        ratio_limit=1.3,
                    )
                )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    print(table(measure(parser.parse_args().runs)))
