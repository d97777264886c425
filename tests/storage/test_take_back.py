"""Undo as a core operation: every edit the window offers returns changes that
`Workspace.take_back` reverses exactly (every table, row for row, with the rows the database
deleted or emptied with a deleted one), and taking back the undo makes the edit again with the
same ids. A row someone changed since is never overwritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from statdesk.domain.errors import EditConflict
from statdesk.domain.periods import Period
from statdesk.domain.vocabulary import Direction, Frequency, Role
from statdesk.importing.plan import ImportOptions
from statdesk.storage import models as m
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.workspace import Changes, Workspace
from tests.conftest import city_content

pytestmark = pytest.mark.both_stores


def _first(ws: Workspace, model: type[m.Record], **equals: object) -> m.Record:
    return ws.query(model, **equals)[0]


def _busiest(ws: Workspace, model: type[m.Record], column: str) -> int:
    """The id most often named in `column` of `model`: the record with the most to lose."""
    counts: dict[int, int] = {}
    for record in ws.query(model):
        key = getattr(record, column)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: counts[k])


def _delete_metric(ws: Workspace) -> Changes:
    return ws.delete(m.Metric, _busiest(ws, m.MetricValue, "metric_id"))


def _delete_meeting(ws: Workspace) -> Changes:
    return ws.delete(m.Meeting, _busiest(ws, m.ActionItem, "origin_meeting_id"))


def _delete_dataset(ws: Workspace) -> Changes:
    return ws.delete(m.Dataset, _busiest(ws, m.MetricDataset, "dataset_id"))


def _delete_person(ws: Workspace) -> Changes:
    return ws.delete(m.Person, _busiest(ws, m.RoleAssignment, "person_id"))


def _save_person(ws: Workspace) -> Changes:
    person = _busiest(ws, m.RoleAssignment, "person_id")
    dept = _first(ws, m.Department).id
    return ws.roster.save_person(
        person, {"title": "Acting director"}, [(Role.DEPARTMENT_LEAD, dept)]
    )


def _save_metric(ws: Workspace) -> Changes:
    metric = _busiest(ws, m.MetricDataset, "metric_id")
    other = [d.id for d in ws.query(m.Dataset)][-1:]
    return ws.metrics.save(metric, {"unit_label": "cases"}, other)


def _save_meeting(ws: Workspace) -> Changes:
    meeting = _busiest(ws, m.AgendaItem, "meeting_id")
    items = ws.query(m.AgendaItem, meeting_id=meeting)
    kept = [
        {"id": i.id, "section": i.section, "title": i.title, "minutes": i.minutes}
        for i in reversed(items[1:])
    ]
    people = [p.id for p in ws.query(m.Person)][:2]
    return ws.meetings.save(meeting, {"location": "Room 4"}, people, kept)


def _save_portfolio(ws: Workspace) -> Changes:
    portfolio = _first(ws, m.BudgetPortfolio)
    departments = [d.id for d in ws.query(m.Department)][:2]
    return ws.roster.save_portfolio(portfolio.id, "Renamed", None, departments)


def _make_other_goal_bold(ws: Workspace) -> Changes:
    plain = _first(ws, m.Goal, is_bold=False)
    return ws.metrics.save_goal(plain.id, {"is_bold": True})


def _set_periods(ws: Workspace) -> Changes:
    metric = _busiest(ws, m.MetricValue, "metric_id")
    values = ws.query(m.MetricValue, metric_id=metric)
    edits = [
        PeriodEdit(Period(values[0].period_start, values[0].frequency), {"actual": None}),
        PeriodEdit(Period(values[1].period_start, values[1].frequency), {"actual": 1.5}),
        PeriodEdit(Period(date(2040, 1, 1), Frequency.MONTHLY), {"target": 9.0, "note": "new"}),
    ]
    return ws.metrics.set_periods(metric, edits)


def _set_directions(ws: Workspace) -> Changes:
    metrics = [x.id for x in ws.query(m.Metric)][:3]
    return ws.metrics.set_directions({metrics[0]: None, metrics[1]: Direction.UP, metrics[2]: None})


def _merge(ws: Workspace) -> Changes:
    busiest = _busiest(ws, m.Metric, "department_id")
    other = next(d.id for d in ws.query(m.Department) if d.id != busiest)
    return ws.roster.merge_departments(busiest, other)


EDITS: dict[str, Callable[[Workspace], Changes]] = {
    "create a department": lambda ws: ws.create(m.Department, name="Libraries"),
    "rename a person": lambda ws: ws.update(m.Person, _first(ws, m.Person).id, name="Someone"),
    "delete a metric with its values": _delete_metric,
    "delete a meeting with its agenda": _delete_meeting,
    "delete a dataset that feeds metrics": _delete_dataset,
    "delete a person with roles": _delete_person,
    "save a person's roles": _save_person,
    "save a metric's sources": _save_metric,
    "save a meeting's agenda": _save_meeting,
    "save a portfolio's departments": _save_portfolio,
    "make another goal bold": _make_other_goal_bold,
    "set several periods": _set_periods,
    "set directions": _set_directions,
    "merge two departments": _merge,
    "change the city": lambda ws: ws.update_city(name="Elsewhere"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_take_back_restores_every_row_and_redo_makes_the_edit_again(
    demo: Workspace, name: str
) -> None:
    before = city_content(demo)
    changes = EDITS[name](demo)
    after = city_content(demo)
    assert after != before
    assert changes.journal.reversible
    undone = demo.take_back(changes, f"Undo: {name}")
    assert city_content(demo) == before
    demo.take_back(undone, f"Redo: {name}")
    assert city_content(demo) == after


def test_a_delete_brings_back_what_the_database_took_with_it(demo: Workspace) -> None:
    metric = _busiest(demo, m.MetricValue, "metric_id")
    values, targets = len(demo.metrics.values(metric)), len(demo.metrics.targets(metric))
    on_agendas = len(demo.query(m.AgendaItem, metric_id=metric))
    assert values and on_agendas
    changes = demo.delete(m.Metric, metric)
    assert demo.query(m.AgendaItem, metric_id=metric) == []
    demo.take_back(changes, "Undo")
    assert (
        len(demo.metrics.values(metric)) == values and len(demo.metrics.targets(metric)) == targets
    )
    assert len(demo.query(m.AgendaItem, metric_id=metric)) == on_agendas


def test_the_undo_and_redo_are_in_the_change_log(demo: Workspace) -> None:
    person = _first(demo, m.Person)
    changes = demo.update(m.Person, person.id, name="Someone")
    demo.take_back(changes, "Undo: rename")
    lines = demo.history.change_log(3)
    assert lines[0].summary == "Undo: rename"
    assert lines[1].action == "changed" and lines[1].record_id == person.id
    assert demo.get(m.Person, person.id).name == person.name


def test_a_row_changed_since_is_never_overwritten(demo: Workspace) -> None:
    person = _first(demo, m.Person)
    first = demo.update(m.Person, person.id, name="First")
    demo.update(m.Person, person.id, title="Changed later")
    before = city_content(demo)
    with pytest.raises(EditConflict, match=r"was changed by .* after this edit"):
        demo.take_back(first, "Undo")
    assert city_content(demo) == before
    assert demo.get(m.Person, person.id).name == "First"


def test_an_edit_of_a_row_deleted_since_cannot_be_taken_back(demo: Workspace) -> None:
    dept = demo.create(m.Department, name="Libraries").new_id(m.Department)
    renamed = demo.update(m.Department, dept, name="Library")
    demo.delete(m.Department, dept)
    with pytest.raises(EditConflict, match="was deleted after this edit"):
        demo.take_back(renamed, "Undo")


def test_a_bulk_write_says_it_cannot_be_taken_back_here(demo: Workspace, tmp_path: Path) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    source = tmp_path / "june.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},Jun 2031,50\n")
    _result, changes = demo.imports.run(demo.imports.plan(source, ImportOptions("values")))
    assert not changes.journal.reversible
    before = city_content(demo)
    with pytest.raises(EditConflict, match="cannot be taken back here"):
        demo.take_back(changes, "Undo")
    assert city_content(demo) == before


def test_every_link_table_edit_goes_through_the_journal(demo: Workspace) -> None:
    """The portfolio's departments are a plain table: its rows are noted one by one."""
    portfolio = _first(demo, m.BudgetPortfolio)
    departments = [d.id for d in demo.query(m.Department)]
    changes = demo.roster.save_portfolio(portfolio.id, portfolio.name, None, departments[-2:])
    links = [r for r in changes.journal.rows if r.table == m.portfolio_department.name]
    assert links and changes.journal.complete
    with demo._reading() as session:
        now = set(session.execute(select(m.portfolio_department.c.department_id)).scalars())
    assert set(departments[-2:]) <= now
