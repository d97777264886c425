"""What the pages ask of the workspace: people, departments, who's who, datasets, home."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from statdesk.domain.errors import ValidationFailed
from statdesk.domain.status import Status
from statdesk.domain.vocabulary import DatasetStatus, Role
from statdesk.storage import models as m
from statdesk.storage.views.inventory import publish_next
from statdesk.workspace import Workspace
from tests.conftest import AS_OF, run_elsewhere

pytestmark = pytest.mark.both_stores


def test_people_rows_carry_department_and_roles(demo: Workspace) -> None:
    rows = demo.roster.people_rows()
    assert len(rows) == 25
    analyst = next(r for r in rows if r.title == "Crime Analyst")
    assert analyst.department == "Police"
    assert analyst.roles_text == "Department contact (Police); Department data officer (Police)"
    assert (Role.DEPARTMENT_CONTACT, analyst.department_id) in analyst.roles


def test_save_person_sets_exactly_the_roles_given(demo: Workspace) -> None:
    parks = demo.query(m.Department, name="Parks & Recreation")[0].id
    changes = demo.roster.save_person(
        None,
        {"name": "New Hire", "email": "new@harborbend.example", "department_id": parks},
        [(Role.DATA_EXPERT, None), (Role.DEPARTMENT_CONTACT, parks)],
    )
    pid = changes.new_id(m.Person)
    assert demo.roster.roles_of(pid) == [(Role.DATA_EXPERT, None), (Role.DEPARTMENT_CONTACT, parks)]
    demo.roster.save_person(pid, {"title": "GIS Lead"}, [(Role.DATA_EXPERT, None)])
    assert demo.roster.roles_of(pid) == [(Role.DATA_EXPERT, None)]
    assert demo.get(m.Person, pid).title == "GIS Lead"
    with pytest.raises(ValidationFailed, match="does not look like an email"):
        demo.roster.save_person(pid, {"email": "nope"}, [])
    assert demo.roster.roles_of(pid) == [(Role.DATA_EXPERT, None)]  # nothing half-saved


def test_whos_who_answers_the_roster_questions(demo: Workspace) -> None:
    works = next(w for w in demo.roster.whos_who() if w.department == "Public Works")
    assert len(works.leads) == 1 and len(works.contacts) == 1
    assert len(works.budget_analysts) == 1 and len(works.data_experts) == 2
    assert works.unfilled == ()
    mayor = next(w for w in demo.roster.whos_who() if w.department == "Office of the Mayor")
    assert Role.DEPARTMENT_LEAD in mayor.unfilled


def test_merging_departments_moves_everything(demo: Workspace) -> None:
    works = demo.query(m.Department, name="Public Works")[0].id
    planning = demo.query(m.Department, name="Planning & Permits")[0].id
    before = {r.name: r for r in demo.roster.department_rows()}
    demo.roster.merge_departments(planning, works)
    after = {r.name: r for r in demo.roster.department_rows()}
    assert "Planning & Permits" not in after
    for what in ("people", "datasets", "metrics"):
        assert getattr(after["Public Works"], what) == getattr(
            before["Public Works"], what
        ) + getattr(before["Planning & Permits"], what)
    assert (
        demo.history.change_log(1)[0].summary
        == "Merged department 'Planning & Permits' into 'Public Works'"
    )
    with pytest.raises(ValidationFailed, match="two different"):
        demo.roster.merge_departments(works, works)


def test_portfolios(demo: Workspace) -> None:
    analyst = demo.query(m.Person, title="Budget Analyst")[0].id
    fire = demo.query(m.Department, name="Fire & Rescue")[0].id
    pid = demo.roster.save_portfolio(None, "Fire only", analyst, [fire]).new_id(m.BudgetPortfolio)
    assert demo.roster.portfolio_departments(pid) == [fire]
    demo.roster.save_portfolio(pid, "Fire only", analyst, [])
    assert demo.roster.portfolio_departments(pid) == []


def test_dataset_rows_flag_stale_and_rank_what_to_publish_next(demo: Workspace) -> None:
    rows = demo.inventory.rows(AS_OF)
    assert len(rows) == 30
    assert {r.title for r in rows if r.stale} == {
        "Sworn Staffing Roster",
        "Fleet Maintenance Records",
    }
    later = demo.inventory.rows(date(2027, 6, 1))
    assert sum(r.stale for r in later) > 20
    ranked = publish_next(rows)
    assert all(r.status is not DatasetStatus.PUBLISHED for r in ranked)
    priorities = [r.priority or 0 for r in ranked]
    assert priorities == sorted(priorities, reverse=True)
    potholes = next(r for r in rows if r.title == "Pothole Repair Work Orders")
    assert potholes.metrics == 2
    assert [name for _, name in demo.inventory.metrics_fed_by(potholes.id)] == [
        "Potholes repaired within 48 hours",
        "Potholes reported",
    ]


def test_home_summary(demo: Workspace) -> None:
    home = demo.home_summary(AS_OF, datetime(2026, 11, 22, 12))
    assert len(home.kpis) == 9
    assert 0 < home.kpis_on_track < home.kpis_judged == 9
    assert {k.status for k in home.kpis} <= set(Status)
    assert [o.description for o in home.overdue] == [
        "Report the street light repair backlog by cause"
    ]
    assert len(home.next_meetings) == 1 and home.next_meetings[0].department == "Police"
    assert any(g.department == "Office of the Mayor" for g in home.gaps)


def test_big_lists_are_read_again_only_after_the_file_changes(demo: Workspace) -> None:
    first = demo.roster.people_rows()
    assert demo.roster.people_rows() is first  # the same revision: the same reading
    demo.create(m.Person, name="Ada Newcomer")
    second = demo.roster.people_rows()
    assert second is not first and "Ada Newcomer" in {p.name for p in second}
    run_elsewhere(  # a colleague's save: another process bumps the revision
        demo,
        "UPDATE person SET name = 'Ada Renamed' WHERE name = 'Ada Newcomer'",
        "UPDATE file_state SET revision = revision + 1",
    )
    assert "Ada Renamed" in {p.name for p in demo.roster.people_rows()}


def test_warming_up_reads_every_big_list_ahead(demo: Workspace) -> None:
    demo.warm_up()
    people, datasets, tree = demo.roster.people_rows(), demo.inventory.rows(), demo.metrics.tree()
    demo.warm_up()  # nothing changed: nothing read again
    assert demo.roster.people_rows() is people
    assert demo.inventory.rows() is datasets
    assert demo.metrics.tree() is tree
