"""The Stat cycle on the command line: the target helper, locking and unlocking periods."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from statdesk.domain.errors import PeriodLocked
from statdesk.domain.periods import parse_period
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.cli.test_cli import run
from tests.conftest import AS_OF

pytestmark = pytest.mark.both_stores

PERMITS = "Median days to issue a residential building permit"


def test_targets_judges_a_metric_from_its_own_history(
    demo_where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "targets", demo_where, "--metric", PERMITS, "--json", "--today", str(AS_OF)
    )
    assert code == 0
    answer = json.loads(out)
    with Workspace.open(demo_where, read_only=True) as ws:
        metric = ws.metrics.find(PERMITS)
        values = sorted(
            (v.period_start, v.value) for v in ws.metrics.values(metric.id) if v.value is not None
        )
        targets = {t.period_start: t.target for t in ws.metrics.targets(metric.id)}
    # facts from the stored numbers: lower is better; the latest 12 values with a target
    recent = [(day, value) for day, value in values if targets.get(day) is not None][-12:]
    met = sum(value <= targets[day] for day, value in recent)
    margins = [(targets[day] - value) / targets[day] for day, value in recent]
    assert met >= 9 and statistics.median(margins) > 0.20  # the demo's permits beat 30 days
    assert answer["situation"] == "mediocrity"
    assert answer["rule"].startswith(f"met its target {met} of {len(recent)} times")
    latest_12 = [value for _, value in values][-12:]
    assert answer["proposal"]["target"] == round(statistics.median(latest_12))
    assert answer["proposal"]["target"] < max(targets.values())  # raised: fewer days
    assert answer["statistics"]["count"] == len(values)
    assert answer["proposal"]["for_periods"]  # the months of FY2027 not reported yet
    code, out, _ = run(capsys, "targets", demo_where, "--metric", PERMITS, "--today", str(AS_OF))
    assert "Situation: Mediocrity: met its target" in out and "Proposed target: " in out


def test_lock_and_unlock_from_the_command_line(
    demo_where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "lock", demo_where, "--through", "Q1 FY2027", "--department", "Police"
    )
    assert code == 0, err
    assert "locked through 2026-09-30 for Police" in out
    code, _, err = run(capsys, "unlock", demo_where, "--through", "Sep 2026", "--reason", "x")
    assert code == 7 and "No lock of that scope" in err  # the city's own scope has no lock
    with Workspace.open(demo_where) as ws:
        metric = ws.metrics.find("Median response time to priority 1 calls")
        with pytest.raises(PeriodLocked):
            ws.metrics.set_value(metric.id, parse_period("Sep 2026", 7), 1.0)
    code, out, err = run(
        capsys,
        "unlock",
        demo_where,
        "--through",
        "Sep 2026",
        "--department",
        "police",
        "--reason",
        "late report from the department",
    )
    assert code == 0, err
    code, out, _ = run(capsys, "lock", demo_where, "--json")
    assert json.loads(out) == []


def test_lock_needs_a_known_period(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lock", str(demo_path), "--through", "Smarch 2026")
    assert code == 9 and "Smarch 2026" in err


def test_an_import_names_the_locked_rows_it_leaves_and_can_be_told(
    demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "late.csv"
    source.write_text(
        "Metric,Month,Actual\n"
        "Potholes repaired within 48 hours,Sep 2026,12\n"
        "Potholes repaired within 48 hours,Oct 2026,13\n"
    )
    assert run(capsys, "lock", demo_where, "--through", "Sep 2026")[0] == 0
    code, out, err = run(
        capsys, "import", demo_where, str(source), "--kind", "values", "--dry-run", "--json"
    )
    assert code == 0, err
    forecast = json.loads(out)["forecast"]
    assert forecast["locked"] == [
        {"row": 2, "metric": "Potholes repaired within 48 hours", "period": "Sep 2026"}
    ]
    code, out, _ = run(capsys, "import", demo_where, str(source), "--kind", "values")
    assert code == 0
    assert "row 2: Potholes repaired within 48 hours, Sep 2026 is in a locked period" in out
    assert "1 value of locked periods left as they are" in out
    code, out, err = run(
        capsys,
        "import",
        demo_where,
        str(source),
        "--kind",
        "values",
        "--change-locked",
        "the department corrected September",
    )
    assert code == 0, err
    assert "locked period" not in out
    with Workspace.open(demo_where, read_only=True) as ws:
        metric = ws.metrics.find("Potholes repaired within 48 hours")
        september = parse_period("Sep 2026", 7).start
        assert [v.value for v in ws.metrics.values(metric.id) if v.period_start == september] == [
            12
        ]
        reasons = [
            e.summary
            for e in ws.query(m.ChangeLogEntry, action="event")
            if e.summary.endswith("(reason: the department corrected September)")
        ]
        assert reasons
