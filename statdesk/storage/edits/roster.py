"""Roster edits: a person with their roles, merging departments, budget portfolios."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound, Problem, ValidationFailed
from statdesk.domain.vocabulary import Role
from statdesk.storage import models as m
from statdesk.storage.edits.records import save_record
from statdesk.storage.journal import delete_rows, insert_rows

RoleList = Iterable[tuple[Role, int | None]]

# Every column that points at a department, for merging one department into another.
_DEPARTMENT_REFERENCES = (
    m.Person.department_id,
    m.Dataset.department_id,
    m.Metric.department_id,
    m.Meeting.department_id,
    m.ActionItem.department_id,
)

# Every column that points at a person, and what to call the records that use it.
PERSON_REFERENCES: tuple[tuple[Any, str], ...] = (
    (m.Dataset.owner_id, "datasets owned"),
    (m.Dataset.contact_id, "datasets as contact"),
    (m.Metric.owner_id, "metrics owned"),
    (m.Meeting.leader_id, "meetings led"),
    (m.Attendee.person_id, "meetings attended"),
    (m.ActionItem.owner_id, "action items"),
    (m.BudgetPortfolio.analyst_id, "budget portfolios"),
)


def roles_of(session: Session, person_id: int) -> list[tuple[Role, int | None]]:
    rows = session.execute(
        select(m.RoleAssignment.role, m.RoleAssignment.department_id)
        .filter_by(person_id=person_id)
        .order_by(m.RoleAssignment.id)
    )
    return list(rows)


def save_person(
    session: Session,
    person_id: int | None,
    fields: Mapping[str, Any],
    roles: RoleList,
    expected_version: int | None,
) -> m.Person:
    """Create or update a person and set exactly these role assignments."""
    wanted = list(dict.fromkeys((Role(r), d) for r, d in roles))
    person = save_record(session, m.Person, person_id, fields, expected_version)
    current = {
        (a.role, a.department_id): a
        for a in session.scalars(select(m.RoleAssignment).filter_by(person_id=person.id))
    }
    for key, assignment in current.items():
        if key not in wanted:
            session.delete(assignment)
    for role, dept in wanted:
        if (role, dept) not in current:
            session.add(m.RoleAssignment(person_id=person.id, role=role, department_id=dept))
    return person


def person_references(session: Session, person_id: int) -> dict[str, int]:
    """What refers to a person (besides their roles): a referenced person is better marked
    inactive than deleted."""
    out = {}
    for column, what in PERSON_REFERENCES:
        count = len(session.execute(select(column).where(column == person_id)).all())
        if count:
            out[what] = count
    return out


def merge_departments(session: Session, source_id: int, into_id: int) -> tuple[str, str]:
    """Move everything of `source_id` to `into_id`, then delete `source_id`."""
    if source_id == into_id:
        raise ValidationFailed("department", [Problem("", "Choose two different departments.")])
    source, into = session.get(m.Department, source_id), session.get(m.Department, into_id)
    if source is None or into is None:
        raise NotFound("One of the departments no longer exists.", "Refresh the list.")
    for column in _DEPARTMENT_REFERENCES:  # record by record: the change log and undo see each
        for record in session.scalars(select(column.class_).where(column == source_id)):
            setattr(record, column.key, into_id)
    # Role assignments and portfolio links are unique per department: drop the duplicates.
    for assignment in session.scalars(select(m.RoleAssignment).filter_by(department_id=source_id)):
        duplicate = session.scalars(
            select(m.RoleAssignment).filter_by(
                person_id=assignment.person_id, role=assignment.role, department_id=into_id
            )
        ).first()
        if duplicate is None:
            assignment.department_id = into_id
        else:
            session.delete(assignment)
    link = m.portfolio_department
    covering = set(
        session.scalars(select(link.c.portfolio_id).where(link.c.department_id == into_id))
    )
    moving = session.scalars(
        select(link.c.portfolio_id).where(link.c.department_id == source_id)
    ).all()
    insert_rows(
        session,
        link,
        [{"portfolio_id": p, "department_id": into_id} for p in moving if p not in covering],
    )
    delete_rows(session, link, link.c.department_id == source_id)
    session.flush()
    names = (source.name, into.name)
    session.delete(source)
    return names


def portfolio_departments(session: Session, portfolio_id: int) -> list[int]:
    link = m.portfolio_department
    return list(
        session.scalars(select(link.c.department_id).where(link.c.portfolio_id == portfolio_id))
    )


def save_portfolio(
    session: Session,
    portfolio_id: int | None,
    name: str,
    analyst_id: int | None,
    department_ids: Iterable[int],
) -> m.BudgetPortfolio:
    portfolio = save_record(
        session, m.BudgetPortfolio, portfolio_id, {"name": name, "analyst_id": analyst_id}
    )
    link = m.portfolio_department
    wanted = list(dict.fromkeys(department_ids))
    current = portfolio_departments(session, portfolio.id)
    gone = [d for d in current if d not in wanted]
    if gone:
        delete_rows(
            session,
            link,
            (link.c.portfolio_id == portfolio.id) & link.c.department_id.in_(gone),
        )
    added = [d for d in wanted if d not in current]
    insert_rows(session, link, [{"portfolio_id": portfolio.id, "department_id": d} for d in added])
    return portfolio
