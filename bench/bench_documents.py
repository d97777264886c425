"""How long a Stat memo takes: 12 agenda items, each with its metric's chart.

    uv run python bench/bench_documents.py

Target (issue 7): under 3 s on a 2-core machine, for the PDF; the .docx is timed too. The
demo city is built in a temporary folder; the time covers reading the meeting, drawing the 12
charts and Typst's typesetting (the first run in a process includes importing matplotlib and
typst, as it does for the analyst's first memo of the day).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from statdesk.domain.vocabulary import AgendaSection
from statdesk.workspace import Workspace


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.statdesk"
        with Workspace.new_demo(path) as ws:
            metrics = [s for s in ws.metric_summaries() if s.latest is not None][:12]
            department = ws.meeting_rows()[0].department_id
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
            ws.save_meeting(
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
            meeting = max(r.id for r in ws.meeting_rows())
            runs = {}
            for suffix in (".pdf", ".docx"):
                times = []
                for run in range(3):
                    started = time.perf_counter()
                    ws.export_meeting_document("memo", meeting, Path(folder) / f"m{run}{suffix}")
                    times.append(time.perf_counter() - started)
                runs[suffix] = times
    for suffix, times in runs.items():
        print(
            f"memo with 12 items and 12 charts, {suffix}: first {times[0]:.2f} s, "
            f"then median {statistics.median(times[1:]):.2f} s"
        )


if __name__ == "__main__":
    main()
