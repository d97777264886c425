"""Commands that read the program out: the metrics with their latest status, the meetings."""

from __future__ import annotations

import argparse
import json
from typing import Any

from statdesk.cli.common import Handler, file_command, open_file


def _cmd_metrics(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=True) as workspace:
        summaries = workspace.metrics.summaries()
        lines = workspace.metrics.all_series() if args.json else {}
    if args.json:
        listed = [
            {**_metric_json(s), "series": [_series_json(line) for line in lines.get(s.id, [])]}
            for s in summaries
        ]
        print(json.dumps(listed, indent=2))
        return 0
    print(f"{'id':>4}  {'metric':<48} {'period':<10} {'value':>12} {'target':>12}  status")
    for s in summaries:
        latest = s.latest
        print(
            f"{s.id:>4}  {(s.name + (' (KPI)' if s.is_kpi else ''))[:48]:<48} "
            f"{latest.label if latest else '':<10} "
            f"{s.show(latest.actual if latest else None):>12} "
            f"{s.show(latest.target if latest else None):>12}  "
            f"{s.status.marker} {s.status.label}; {s.trend.describe(s.frequency)}"
        )
    return 0


def _metric_json(s: Any) -> dict[str, Any]:
    latest = s.latest

    def changed(c: Any) -> dict[str, Any] | None:
        if c is None:
            return None
        relative = None if c.relative is None else round(c.relative, 4)
        return {"absolute": round(c.absolute, 6), "relative": relative}

    return {
        "id": s.id,
        "name": s.name,
        "kpi": s.is_kpi,
        "department": s.department,
        "frequency": s.frequency.value,
        "unit": s.unit.value,
        "direction": s.direction.value if s.direction else None,
        "latest": None
        if latest is None
        else {
            "period": latest.label,
            "period_start": latest.period.start.isoformat(),
            "value": latest.actual,
            "target": latest.target,
            "status": latest.status.value,
        },
        "status": s.status.value,
        "trend": {"heading": s.trend.heading.value, "periods": s.trend.periods},
        "vs_previous": changed(s.vs_previous),
        "vs_last_year": changed(s.vs_last_year),
        "missing_worth_tracking": list(s.missing_worth),
    }


def _series_json(line: Any) -> dict[str, Any]:
    """A breakdown or comparison with its latest value."""
    known = [p for p in line.points if p.value is not None]
    last = known[-1] if known else None
    return {
        "name": line.name,
        "kind": line.kind.value,
        "dimension": line.dimension,
        "periods": len(line.points),
        "latest": None
        if last is None
        else {"period_start": last.period.start.isoformat(), "value": last.value},
    }


def _cmd_meetings(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=True) as workspace:
        rows = workspace.meetings.rows()
    if args.json:
        listed = [
            {
                "id": r.id,
                "title": r.title,
                "department": r.department,
                "starts_at": r.starts_at.isoformat(timespec="minutes"),
                "location": r.location,
                "status": r.status.value,
                "leader": r.leader,
                "agenda_items": r.items,
                "agenda_minutes": r.minutes,
                "session_minutes": r.session_minutes,
                "worth_your_time": dict(zip(("yes", "somewhat", "no"), r.worth, strict=True)),
            }
            for r in rows
        ]
        print(json.dumps(listed, indent=2))
        return 0
    if not rows:
        print("No meetings yet.")
    for r in rows:
        yes, somewhat, no = r.worth
        answered = yes + somewhat + no
        worth = f"; worth it: {yes} yes, {somewhat} somewhat, {no} no" if answered else ""
        print(
            f"#{r.id}  {r.starts_at:%Y-%m-%d %H:%M}  {r.title} ({r.status.label.lower()}), "
            f"{r.items} items, {r.minutes} of {r.session_minutes} min{worth}"
        )
    return 0


def add_parsers(sub: Any) -> None:
    """Add these commands to the program's parser."""
    file_command(
        sub,
        "metrics",
        json=True,
        help="list the metrics with their latest status",
        description="Each metric with its latest period, value, target, "
        "status (on target, within tolerance, off target, no target, no "
        "data) and trend.",
    )
    file_command(
        sub,
        "meetings",
        json=True,
        help="list the Stat meetings",
        description="List the Stat meetings, newest first, with their agenda's length and "
        "the attendees' 'was this worth your time?' answers.",
    )


HANDLERS: dict[str, Handler] = {
    "metrics": _cmd_metrics,
    "meetings": _cmd_meetings,
}
