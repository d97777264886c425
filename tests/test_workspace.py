"""The workspace: one transaction per operation, validated, logged, and saying what changed."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from statdesk.domain.errors import (
    EditConflict,
    FileProblem,
    NotFound,
    ReadOnly,
    ValidationFailed,
)
from statdesk.domain.periods import parse_period
from statdesk.domain.vocabulary import Role
from statdesk.storage import models as m
from statdesk.workspace import Changes, Workspace
from statdesk.workspace.file_ops import create_file, replace_content

pytestmark = pytest.mark.both_stores


def test_create_returns_what_changed_and_bumps_the_revision(empty: Workspace) -> None:
    before = empty.revision()
    changes = empty.create(m.Department, name="Public Works")
    assert changes.created == {"department": (changes.new_id(m.Department),)}
    assert changes.revision == before + 1 == empty.revision()
    assert changes.touches(m.Department) and not changes.touches(m.Person)


def test_every_kind_of_record_round_trips(empty: Workspace) -> None:
    dept = empty.create(m.Department, name="Parks").new_id(m.Department)
    person = empty.create(m.Person, name="Ana Ruiz", department_id=dept).new_id(m.Person)
    empty.create(m.RoleAssignment, person_id=person, role=Role.DEPARTMENT_LEAD, department_id=dept)
    priority = empty.create(m.StrategicPriority, name="Green city").new_id(m.StrategicPriority)
    goal = empty.create(m.Goal, priority_id=priority, title="Shade").new_id(m.Goal)
    metric = empty.create(m.Metric, name="Trees planted", goal_id=goal).new_id(m.Metric)
    dataset = empty.create(m.Dataset, title="Tree inventory").new_id(m.Dataset)
    empty.create(m.MetricDataset, metric_id=metric, dataset_id=dataset)
    meeting = empty.create(
        m.Meeting, department_id=dept, starts_at=datetime(2026, 3, 10, 10)
    ).new_id(m.Meeting)
    empty.create(m.Attendee, meeting_id=meeting, person_id=person)
    item = empty.create(m.AgendaItem, meeting_id=meeting, section="standing", title="Trees").new_id(
        m.AgendaItem
    )
    empty.create(
        m.ActionItem,
        description="Map the canopy",
        origin_meeting_id=meeting,
        origin_agenda_item_id=item,
        owner_id=person,
        due=date(2026, 4, 1),
    )
    counts = empty.counts()
    assert {
        k: counts[k]
        for k in (
            "departments",
            "people",
            "role_assignments",
            "goals",
            "metrics",
            "datasets",
            "meetings",
            "agenda_items",
            "action_items",
        )
    } == dict.fromkeys(
        [
            "departments",
            "people",
            "role_assignments",
            "goals",
            "metrics",
            "datasets",
            "meetings",
            "agenda_items",
            "action_items",
        ],
        1,
    )
    assignment = empty.query(m.RoleAssignment)[0]
    assert assignment.role is Role.DEPARTMENT_LEAD


def test_invalid_records_are_refused_with_every_problem(empty: Workspace) -> None:
    with pytest.raises(ValidationFailed) as caught:
        empty.create(m.Person, name="", email="not-an-email")
    assert {p.field for p in caught.value.problems} == {"name", "email"}
    assert empty.count(m.Person) == 0


def test_duplicate_names_are_reported_as_a_field_problem(empty: Workspace) -> None:
    empty.create(m.Department, name="Police")
    with pytest.raises(ValidationFailed, match="Another department already has this name"):
        empty.create(m.Department, name="Police")


def test_update_changes_only_the_fields_given_and_logs_old_and_new(empty: Workspace) -> None:
    pid = empty.create(m.Person, name="Ana", email="ana@city.example").new_id(m.Person)
    changes = empty.update(m.Person, pid, title="Analyst")
    assert changes.updated == {"person": (pid,)}
    person = empty.get(m.Person, pid)
    assert (person.name, person.title, person.version) == ("Ana", "Analyst", 2)
    entry = empty.history.change_log(1)[0]
    assert entry.action == "changed" and entry.user == "tester"
    assert json.loads(entry.details_json or "") == {"title": [None, "Analyst"]}
    assert entry.summary == "Changed title of person 'Ana'"


def test_a_stale_edit_is_reported_not_overwritten(empty: Workspace) -> None:
    pid = empty.create(m.Person, name="Ana").new_id(m.Person)
    seen = empty.get(m.Person, pid).version
    empty.update(m.Person, pid, expected_version=seen, title="Analyst")  # someone else saves
    with pytest.raises(EditConflict, match="changed by tester"):
        empty.update(m.Person, pid, expected_version=seen, title="Manager")
    assert empty.get(m.Person, pid).title == "Analyst"


def test_delete_and_not_found(empty: Workspace) -> None:
    pid = empty.create(m.Person, name="Ana").new_id(m.Person)
    assert empty.delete(m.Person, pid).deleted == {"person": (pid,)}
    with pytest.raises(NotFound):
        empty.get(m.Person, pid)
    with pytest.raises(NotFound):
        empty.update(m.Person, pid, name="Bo")
    assert empty.history.change_log(1)[0].summary == "Deleted person 'Ana'"


def test_a_department_with_meetings_cannot_be_deleted(demo: Workspace) -> None:
    works = demo.query(m.Department, name="Public Works")[0]
    with pytest.raises(ValidationFailed, match="merge it instead"):
        demo.delete(m.Department, works.id)
    assert demo.count(m.Department) == 9


def test_deleting_a_person_removes_their_roles_and_keeps_their_datasets(demo: Workspace) -> None:
    contact = demo.query(m.RoleAssignment, role=Role.DEPARTMENT_CONTACT)[0].person_id
    datasets = [d.id for d in demo.query(m.Dataset, contact_id=contact)]
    demo.delete(m.Person, contact)
    assert demo.query(m.RoleAssignment, person_id=contact) == []
    assert [demo.get(m.Dataset, d).contact_id for d in datasets] == [None] * len(datasets)


def test_values_and_targets_are_one_per_period(empty: Workspace) -> None:
    metric = empty.create(m.Metric, name="Potholes").new_id(m.Metric)
    january = parse_period("Jan 2026", 7)
    empty.metrics.set_value(metric, january, 40)
    changes = empty.metrics.set_value(metric, january, 42, note="corrected")
    assert changes.updated == {"metric value": (1,)}
    empty.metrics.set_target(metric, january, 45, forecast=43)
    [value] = empty.metrics.values(metric)
    [target] = empty.metrics.targets(metric)
    assert (value.value, value.note, target.target, target.forecast) == (42, "corrected", 45, 43)
    with pytest.raises(NotFound):
        empty.metrics.set_value(999, january, 1)


def test_listeners_hear_every_write(empty: Workspace) -> None:
    heard: list[Changes] = []
    empty.subscribe(heard.append)
    empty.create(m.Department, name="Fire")
    empty.update_city(name="Riverton Falls")
    assert [sorted(c.kinds) for c in heard] == [["department"], ["city"]]
    assert empty.city().name == "Riverton Falls"


def test_the_fiscal_year_start_must_be_a_month(empty: Workspace) -> None:
    with pytest.raises(ValueError, match="from 1 to 12"):
        empty.update_city(fiscal_year_start_month=0)
    assert empty.fiscal_year_start_month == 7


def test_a_read_only_workspace_refuses_writes(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    with Workspace.open(demo_path, read_only=True) as workspace:
        with pytest.raises(ReadOnly):
            workspace.create(m.Department, name="Libraries")
        assert workspace.counts()["people"] == 25
    assert demo_path.read_bytes() == before


def test_new_refuses_to_overwrite_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "city.statdesk"
    create_file(path, city_name="Riverton").close()
    with pytest.raises(FileProblem, match="already exists"):
        create_file(path, city_name="Other")
    with pytest.raises(ValidationFailed, match="city's name is required"):
        create_file(tmp_path / "b.statdesk", city_name=" ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.statdesk"]


def test_a_failed_replacement_leaves_the_file_as_it_was(demo: Workspace) -> None:
    before = demo.counts()

    def half_then_fail(session: object) -> None:
        session.add(m.Department(name="Half-made"))  # type: ignore[attr-defined]
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        replace_content(demo, half_then_fail, "replace")
    assert demo.counts() == before


def test_the_change_log_records_who_created_the_file(empty: Workspace) -> None:
    [entry] = empty.history.change_log()
    assert (entry.user, entry.summary) == ("tester", "Created the file for Riverton")
    assert entry.at.tzinfo is not None


def test_an_editing_workspace_holds_the_lock_until_closed(demo_path: Path) -> None:
    from statdesk.storage.lock import read_lock

    with Workspace.open(demo_path, user="me") as first:
        assert not first.read_only
        holder = read_lock(demo_path)
        assert holder is not None and holder.user == "me"
        with Workspace.open(demo_path, user="you") as second:
            assert second.read_only and second.lock_holder == holder
        assert read_lock(demo_path) == holder  # a reader's close leaves the lock alone
    assert read_lock(demo_path) is None


def test_the_heartbeat_keeps_the_lock_fresh(demo_path: Path) -> None:
    import time

    from statdesk.storage.lock import Heartbeat, read_lock

    with Workspace.open(demo_path, user="me") as workspace:
        assert workspace.lock is not None
        first = read_lock(demo_path).heartbeat  # type: ignore[union-attr]
        beat = Heartbeat(workspace.lock, interval=0.05)
        deadline = time.monotonic() + 10
        while read_lock(demo_path).heartbeat == first:  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.02)
        beat.stop()
        assert beat.lost is None


def test_opening_for_editing_makes_one_backup_a_day(demo_path: Path) -> None:
    Workspace.open(demo_path).close()
    Workspace.open(demo_path).close()
    assert len(list((demo_path.parent / "backups").glob("*.daily.statdesk"))) == 1
