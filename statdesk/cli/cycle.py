"""Commands of the Stat cycle's judgement: the target helper for one metric, and locking and
unlocking reporting periods."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from statdesk.cli.common import Handler, file_command, open_file
from statdesk.domain.errors import StatDeskError


def _cmd_targets(args: argparse.Namespace) -> int:
    with open_file(args.path, read_only=True) as workspace:
        metric = workspace.metrics.find(args.metric)
        today = args.today or date.today()
        detail = workspace.metrics.detail(metric.id, today)
        helper = workspace.metrics.target_helper(metric.id, today)
    show = detail.summary.show
    judgement, proposal, history = helper.judgement, helper.proposal, helper.history
    assert judgement is not None and proposal is not None
    if args.json:
        print(
            json.dumps(
                {
                    "metric": {"id": metric.id, "name": metric.name},
                    "situation": judgement.situation.value if judgement.situation else None,
                    "rule": judgement.rule,
                    "advice": judgement.advice,
                    "statistics": None
                    if history is None
                    else {
                        "count": history.count,
                        "minimum": history.minimum,
                        "mean": history.mean,
                        "median": history.median,
                        "maximum": history.maximum,
                    },
                    "baseline": helper.baseline or None,
                    "what_it_would_take": None
                    if helper.what_it_takes is None
                    else helper.what_it_takes.describe(show),
                    "anomalies": [
                        {"period": period, "value": a.value, "why": a.why}
                        for period, a in helper.anomalies
                    ],
                    "proposal": {
                        "target": proposal.target,
                        "reasoning": proposal.reasoning,
                        "for_periods": [p.start.isoformat() for p in helper.proposal_periods],
                    },
                },
                indent=2,
            )
        )
        return 0
    situation = judgement.situation.label if judgement.situation else "not judged"
    print(f"{metric.name}")
    print(f"Situation: {situation}: {judgement.rule}.")
    print(f"  {judgement.advice}")
    if history is not None:
        print(
            f"History ({history.count} periods): lowest {show(history.minimum)}, mean "
            f"{show(history.mean)}, median {show(history.median)}, highest "
            f"{show(history.maximum)}."
        )
    print(f"Baseline: {helper.baseline or 'none recorded'}.")
    if helper.what_it_takes is not None:
        print(f"{helper.fiscal_year}: {helper.what_it_takes.describe(show)}")
    if helper.anomalies:
        print("Values that stand out:")
        for period, a in helper.anomalies:
            print(f"  {period}: {show(a.value)}, {a.why}")
    else:
        print("No value stands out from the history.")
    print(f"Proposed target: {proposal.reasoning}")
    return 0


def _scope(workspace: Any, args: argparse.Namespace) -> dict[str, int | None]:
    if args.metric and args.department:
        raise StatDeskError(
            "Give --metric or --department, not both.", "A department lock covers all its metrics."
        )
    metric = workspace.metrics.find(args.metric).id if args.metric else None
    department = workspace.roster.find_department(args.department) if args.department else None
    return {"metric_id": metric, "department_id": department}


def _period(workspace: Any, text: str | None) -> Any:
    from statdesk.domain.periods import parse_period

    if text is None:
        return None
    try:
        return parse_period(text, workspace.fiscal_year_start_month)
    except ValueError as error:
        raise StatDeskError(str(error), "Name the period as the Metrics page does.") from None


def _cmd_lock(args: argparse.Namespace) -> int:
    with open_file(args.path, read_only=args.through is None) as workspace:
        if args.through is not None:
            workspace.metrics.locks.lock(
                _period(workspace, args.through),
                starts=_period(workspace, args.starting),
                note=args.note,
                **_scope(workspace, args),
            )
        lines = workspace.metrics.locks.lines()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": k.id,
                        "lock": k.says,
                        "by": k.locked_by,
                        "on": k.locked_on.isoformat() if k.locked_on else None,
                        "note": k.note,
                    }
                    for k in lines
                ],
                indent=2,
            )
        )
        return 0
    if not lines:
        print("No period is locked.")
    for k in lines:
        when = f" by {k.locked_by} on {k.locked_on.isoformat()}" if k.locked_on else ""
        print(f"#{k.id}  {k.says}{when}{f' ({k.note})' if k.note else ''}")
    return 0


def _cmd_unlock(args: argparse.Namespace) -> int:
    with open_file(args.path) as workspace:
        _, still = workspace.metrics.locks.unlock(
            args.reason, period=_period(workspace, args.through), **_scope(workspace, args)
        )
    print("Unlocked; the change log keeps the reason.")
    for line in still:
        print(f"Still final by another lock: {line}.")
    return 0


def add_parsers(sub: Any) -> None:
    from statdesk.cli.common import _iso_day

    targets = file_command(
        sub,
        "targets",
        json=True,
        help="the target helper for one metric",
        description="A metric's situation (no baseline yet, overconfidence, mediocrity, "
        "accuracy, stability) with the rule that put it there, its history's statistics, the "
        "values that stand out, what the rest of the fiscal year would take, and a proposed "
        "target with its reasoning.",
    )
    targets.add_argument("--metric", required=True, help="the metric's id or name")
    targets.add_argument("--today", type=_iso_day, help="judge as of this day (YYYY-MM-DD)")
    lock = file_command(
        sub,
        "lock",
        json=True,
        help="make reporting periods final, or list the locks",
        description="Lock every period that ends by the end of --through (from --starting, "
        "if given) for a metric, a department's metrics, or the whole city: their values and "
        "targets cannot change by hand or by import until unlocked with a reason. With no "
        "--through, list the locks.",
    )
    lock.add_argument("--through", metavar="PERIOD", help="the last period to lock: 'Q1 FY2027'")
    lock.add_argument("--starting", metavar="PERIOD", help="the first period (default: all)")
    lock.add_argument("--metric", help="lock only this metric (id or name)")
    lock.add_argument("--department", help="lock only this department's metrics")
    lock.add_argument("--note", help="why, for the list of locks")
    unlock = file_command(
        sub,
        "unlock",
        help="lift a lock, with a reason the change log keeps",
        description="Lift the locks of the scope given (--metric, --department, or the "
        "city's own) that cover --through's period (all of that scope without it).",
    )
    unlock.add_argument("--through", metavar="PERIOD", help="a period the lock covers")
    unlock.add_argument("--metric", help="the metric's lock (id or name)")
    unlock.add_argument("--department", help="the department's lock")
    unlock.add_argument("--reason", required=True, help="why the final figures must change")


HANDLERS: dict[str, Handler] = {
    "targets": _cmd_targets,
    "lock": _cmd_lock,
    "unlock": _cmd_unlock,
}
