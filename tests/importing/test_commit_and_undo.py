"""An import is one transaction, recorded as a batch; undo removes exactly what it added and
puts back what it replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from statdesk.domain.errors import StatDeskError
from statdesk.domain.periods import parse_period
from statdesk.importing.plan import ImportOptions
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.conftest import backups_of

pytestmark = pytest.mark.both_stores


def test_replacing_values_is_undone_to_the_old_ones(demo: Workspace, tmp_path: Path) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    oct26 = parse_period("Oct 2026", 7)
    old = next(v for v in demo.metrics.values(metric.id) if v.period_start == oct26.start)
    source = tmp_path / "fix.csv"
    source.write_text(
        f"Metric,Month,Actual\n{metric.name},Oct 2026,91.5\n"
        f"{metric.name},Nov 2026,90\nBrand new measure,Oct 2026,7\n"
    )
    plan = demo.imports.plan(source, ImportOptions("values"))
    result, _ = demo.imports.run(plan)
    assert result.updated == {"metric_value": 1}
    assert result.created == {"metric": 1, "metric_value": 2}
    values = {v.period_start: v.value for v in demo.metrics.values(metric.id)}
    assert values[oct26.start] == 91.5
    [batch] = demo.imports.batches()
    assert (batch.source_name, batch.rows, batch.import_kind.value) == (
        "fix.csv",
        3,
        "metric_values",
    )
    assert list(backups_of(demo).glob("*.before-import.statdesk"))
    demo.imports.undo(batch.id)
    restored = next(v for v in demo.metrics.values(metric.id) if v.period_start == oct26.start)
    assert (restored.value, restored.import_batch_id) == (old.value, old.import_batch_id)
    assert parse_period("Nov 2026", 7).start not in {
        v.period_start for v in demo.metrics.values(metric.id)
    }
    assert demo.query(m.Metric, name="Brand new measure") == []
    with pytest.raises(StatDeskError, match="already undone"):
        demo.imports.undo(batch.id)


def test_keep_existing_values(demo: Workspace, tmp_path: Path) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    source = tmp_path / "fix.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},Oct 2026,91.5\n")
    result, _ = demo.imports.run(
        demo.imports.plan(source, ImportOptions("values", conflict="keep"))
    )
    assert result.kept == 1 and result.updated == {}


def test_an_import_with_unmapped_required_fields_writes_nothing(
    demo: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "odd.csv"
    source.write_text("Alpha,Beta\n1,2\n")
    plan = demo.imports.plan(source, ImportOptions("values"))
    assert not plan.ready and plan.missing_fields
    before = demo.revision()
    with pytest.raises(StatDeskError, match="cannot run yet: it needs Metric"):
        demo.imports.run(plan)
    assert demo.revision() == before and demo.imports.batches() == []


def test_roster_and_inventory_imports_undo_cleanly(demo: Workspace, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Name,Title,Department,Email\nNew Person,Analyst,Libraries,new@city.example\n"
    )
    result, _ = demo.imports.run(demo.imports.plan(roster, ImportOptions("roster")))
    assert result.created == {"department": 1, "person": 1}
    inventory = tmp_path / "inventory.csv"
    inventory.write_text("Dataset,Publisher,Cadence,Access\nBook loans,Libraries,monthly,public\n")
    result2, _ = demo.imports.run(demo.imports.plan(inventory, ImportOptions("inventory")))
    [loans] = demo.query(m.Dataset, title="Book loans")
    assert (loans.update_frequency.value, loans.access_level.value) == ("monthly", "public")
    demo.imports.undo(result2.batch_id)
    demo.imports.undo(result.batch_id)
    assert demo.query(m.Person, name="New Person") == []
    assert demo.query(m.Department, name="Libraries") == []


def test_near_matches_are_proposed_and_used_only_when_accepted(
    demo: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "values.csv"
    source.write_text(
        "Metric,Department,Month,Actual\nPotholes repaired within 48 hrs,Public Work,Nov 2026,88\n"
    )
    plan = demo.imports.plan(source, ImportOptions("values"))
    assert plan.matches == {
        "department": {"Public Work": "Public Works"},
        "metric": {"Potholes repaired within 48 hrs": "Potholes repaired within 48 hours"},
    }
    assert any("look like ones already here" in n for n in plan.notices)
    accepted = demo.imports.plan(source, ImportOptions("values", accept_matches=True))
    result, _ = demo.imports.run(accepted)
    assert result.created == {"metric_value": 1}  # no new department, no new metric
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    assert any(v.value == 88 for v in demo.metrics.values(metric.id))
    declined, _ = demo.imports.run(demo.imports.plan(source, ImportOptions("values")))
    assert declined.created["department"] == 1 and declined.created["metric"] == 1
