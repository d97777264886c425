"""The demo city is complete, tells a story, and is the same every time for the same seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from statdesk.domain.actions import FollowUpStatus, follow_up_status
from statdesk.domain.periods import fiscal_year
from statdesk.domain.vocabulary import Direction, Role
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_demo, create_file
from tests.conftest import AS_OF, REALWORLD, dump_tables


def test_the_demo_has_what_the_guide_describes(demo: Workspace) -> None:
    counts = demo.counts()
    assert 8 <= counts["departments"] <= 10
    assert counts["people"] == 25
    assert counts["datasets"] == 30
    assert counts["metrics"] == 20
    assert len(demo.query(m.Metric, is_kpi=True)) >= 8
    assert counts["meetings"] >= 3 and counts["action_items"] >= 8
    held = {a.role for a in demo.query(m.RoleAssignment)}
    assert held == set(Role)


def test_every_dataset_has_a_full_inventory_record(demo: Workspace) -> None:
    for dataset in demo.query(m.Dataset):
        for name in (
            "description",
            "department_id",
            "owner_id",
            "contact_id",
            "source_system",
            "format",
            "location",
            "update_frequency",
            "last_updated",
            "keywords",
            "data_kind",
            "access_level",
            "identifier",
            "data_dictionary_url",
        ):
            assert getattr(dataset, name) is not None, (dataset.title, name)


def test_values_span_three_fiscal_years_with_targets(demo: Workspace) -> None:
    years = {fiscal_year(v.period_start, 7) for v in demo.query(m.MetricValue)}
    assert years == {2025, 2026, 2027}
    for metric in demo.query(m.Metric):
        assert demo.metrics.values(metric.id), metric.name
        assert demo.metrics.targets(metric.id), metric.name


def _latest_on_target(workspace: Workspace, metric: m.Metric) -> bool:
    value = workspace.metrics.values(metric.id)[-1]
    target = next(
        t for t in workspace.metrics.targets(metric.id) if t.period_start == value.period_start
    )
    assert value.value is not None and target.target is not None
    if metric.direction is Direction.DOWN:
        return value.value <= target.target
    if metric.direction is Direction.BAND:
        return (metric.band_low or 0) <= value.value <= (metric.band_high or 0)
    return value.value >= target.target


def test_the_kpis_tell_a_story_some_on_track_some_not(demo: Workspace) -> None:
    verdicts = [_latest_on_target(demo, k) for k in demo.query(m.Metric, is_kpi=True)]
    assert 2 <= sum(verdicts) <= len(verdicts) - 2


def test_follow_up_items_show_all_eight_statuses(demo: Workspace) -> None:
    statuses = {
        follow_up_status(a.status, a.due, a.completed_on, AS_OF) for a in demo.query(m.ActionItem)
    }
    assert statuses == set(FollowUpStatus)


def test_some_metrics_lack_their_worth_tracking_answers(demo: Workspace) -> None:
    missing = [
        x
        for x in demo.query(m.Metric)
        if not all([x.worth_concern, x.worth_feedback_loop, x.worth_collection, x.worth_mandate])
    ]
    assert 0 < len(missing) < 20


def test_the_same_seed_builds_the_same_city(tmp_path: Path, demo_template: Path) -> None:
    again = tmp_path / "again.statdesk"
    create_demo(again, as_of=AS_OF).close()
    assert dump_tables(again) == dump_tables(demo_template)
    other = tmp_path / "other.statdesk"
    create_demo(other, as_of=AS_OF, seed=7).close()
    assert dump_tables(other)["person"] != dump_tables(demo_template)["person"]


def test_replacing_a_file_with_the_demo_backs_it_up_first(tmp_path: Path) -> None:
    path = tmp_path / "mine.statdesk"
    with create_file(path, city_name="Riverton") as workspace:
        workspace.create(m.Department, name="Libraries")
    with create_demo(path, as_of=AS_OF, replace=True) as workspace:
        assert workspace.city().name == "Harbor Bend"
        assert workspace.query(m.Department, name="Libraries") == []
        assert "Replaced the content" in workspace.history.change_log()[0].summary
    [backup] = (tmp_path / "backups").glob("mine.*.before-demo.statdesk")
    with Workspace.open(backup, read_only=True) as old:
        assert [d.name for d in old.query(m.Department)] == ["Libraries"]


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/data/realworld")
def test_no_demo_person_shares_a_name_with_a_real_public_employee(demo: Workspace) -> None:
    names = [p.name.casefold() for p in demo.query(m.Person)]
    found: Counter[str] = Counter()
    for path in REALWORLD.iterdir():
        if path.suffix.lower() in (".csv", ".txt", ".md"):
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
            found.update(name for name in names if name in text)
    assert not found
