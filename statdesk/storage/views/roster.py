"""The team as the Team page shows it: people with their roles, departments, who's who."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound
from statdesk.domain.roster import unfilled_roles
from statdesk.domain.vocabulary import Role
from statdesk.storage import models as m


@dataclass(frozen=True)
class PersonRow:
    id: int
    version: int
    name: str
    title: str
    department_id: int | None
    department: str
    roles: tuple[tuple[Role, int | None], ...]
    roles_text: str
    email: str
    phone: str
    active: bool


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    version: int
    name: str
    short_name: str
    active: bool
    people: int
    datasets: int
    metrics: int
    meetings: int
    stat: str = ""  # "Monthly, Tuesday 10:00, City Hall, Room 301"; "" with no cadence


@dataclass(frozen=True)
class WhosWho:
    department_id: int
    department: str
    leads: tuple[str, ...]
    contacts: tuple[str, ...]
    budget_analysts: tuple[str, ...]
    data_experts: tuple[str, ...]
    unfilled: tuple[Role, ...]


def department_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(m.Department.id, m.Department.name)).all())


def _assignments(session: Session) -> list[tuple[int, Role, int | None]]:
    rows = session.execute(
        select(m.RoleAssignment.person_id, m.RoleAssignment.role, m.RoleAssignment.department_id)
    )
    return [(p, r, d) for p, r, d in rows]


def role_text(role: Role, department: str | None) -> str:
    return f"{role.label} ({department})" if department else role.label


def people_rows(session: Session) -> list[PersonRow]:
    names = department_names(session)
    roles: dict[int, list[tuple[Role, int | None]]] = defaultdict(list)
    for person_id, role, dept in _assignments(session):
        roles[person_id].append((role, dept))
    order = {role: index for index, role in enumerate(Role)}
    p = m.Person
    out = []
    for id_, version, name, title, dept, email, phone, active in session.execute(
        select(
            p.id, p.version, p.name, p.title, p.department_id, p.email, p.phone, p.active
        ).order_by(p.name)
    ):
        held = sorted(roles.get(id_, []), key=lambda r: (order[r[0]], r[1] or 0))
        out.append(
            PersonRow(
                id=id_,
                version=version,
                name=name,
                title=title or "",
                department_id=dept,
                department=names.get(dept, "") if dept else "",
                roles=tuple(held),
                roles_text="; ".join(role_text(r, names.get(d) if d else None) for r, d in held),
                email=email or "",
                phone=phone or "",
                active=active,
            )
        )
    return out


def find_department(reader: Session | Connection, id_or_name: str) -> int:
    """A department's id from what a user typed: its id, name or short name (any case)."""
    text = id_or_name.strip().casefold()
    rows = reader.execute(
        select(m.Department.id, m.Department.name, m.Department.short_name).order_by(
            m.Department.name
        )
    ).all()
    for row_id, name, short in rows:
        if text in (str(row_id), name.casefold(), (short or "").casefold()):
            return int(row_id)
    listed = ", ".join(f"#{i} {n}" for i, n, _ in rows) or "none yet"
    raise NotFound(f"There is no department '{id_or_name.strip()}'.", f"Departments: {listed}.")


def department_rows(session: Session) -> list[DepartmentRow]:
    def counts(column: object) -> dict[int, int]:
        rows = session.execute(select(column, func.count()).group_by(column))  # type: ignore[call-overload]
        return {k: v for k, v in rows if k is not None}

    people = counts(m.Person.department_id)
    datasets = counts(m.Dataset.department_id)
    metrics = counts(m.Metric.department_id)
    meetings = counts(m.Meeting.department_id)
    return [
        DepartmentRow(
            d.id,
            d.version,
            d.name,
            d.short_name or "",
            d.active,
            people.get(d.id, 0),
            datasets.get(d.id, 0),
            metrics.get(d.id, 0),
            meetings.get(d.id, 0),
            _usual_stat(d),
        )
        for d in session.scalars(select(m.Department).order_by(m.Department.name))
    ]


def _usual_stat(department: m.Department) -> str:
    from statdesk.domain.cadence import WEEKDAYS

    if department.stat_cadence is None:
        return ""
    parts = [department.stat_cadence.label]
    when = " ".join(
        part
        for part in (
            WEEKDAYS[department.stat_weekday] if department.stat_weekday is not None else "",
            department.stat_time or "",
        )
        if part
    )
    return ", ".join(p for p in (*parts, when, department.stat_room or "") if p)


def portfolio_coverage(session: Session) -> dict[int, list[int]]:
    """Department id -> the ids of the budget analysts whose portfolios cover it."""
    rows = session.execute(
        select(m.portfolio_department.c.department_id, m.BudgetPortfolio.analyst_id).join(
            m.BudgetPortfolio, m.BudgetPortfolio.id == m.portfolio_department.c.portfolio_id
        )
    )
    coverage: dict[int, list[int]] = defaultdict(list)
    for dept, analyst in rows:
        if analyst is not None:
            coverage[dept].append(analyst)
    return coverage


def whos_who(session: Session) -> list[WhosWho]:
    """For each active department: lead, contact, budget analyst, data experts, gaps."""
    people = dict(session.execute(select(m.Person.id, m.Person.name)).all())
    assignments = _assignments(session)
    holders: dict[tuple[Role, int | None], list[int]] = defaultdict(list)
    for person, role, scope in assignments:
        holders[role, scope].append(person)
    pairs = list({(r, d) for _, r, d in assignments})  # distinct: 5,000 people hold few
    coverage = portfolio_coverage(session)
    out = []
    for department in session.scalars(
        select(m.Department).filter_by(active=True).order_by(m.Department.name)
    ):
        analysts = list(
            dict.fromkeys(
                coverage.get(department.id, []) + holders[Role.BUDGET_ANALYST, department.id]
            )
        )
        experts = list(
            dict.fromkeys(
                holders[Role.DATA_EXPERT, department.id] + holders[Role.DATA_EXPERT, None]
            )
        )
        out.append(
            WhosWho(
                department_id=department.id,
                department=department.name,
                leads=tuple(people[p] for p in holders[Role.DEPARTMENT_LEAD, department.id]),
                contacts=tuple(people[p] for p in holders[Role.DEPARTMENT_CONTACT, department.id]),
                budget_analysts=tuple(people[p] for p in analysts),
                data_experts=tuple(people[p] for p in experts),
                unfilled=tuple(unfilled_roles(department.id, pairs, budget_covered=bool(analysts))),
            )
        )
    return out


@dataclass(frozen=True)
class PortfolioRow:
    id: int
    name: str
    analyst_id: int | None
    analyst: str
    department_ids: tuple[int, ...]
    departments: str


def portfolio_rows(session: Session) -> list[PortfolioRow]:
    """Each budget portfolio with its analyst and the departments it covers."""
    people = dict(session.execute(select(m.Person.id, m.Person.name)).all())
    names = department_names(session)
    link = m.portfolio_department
    covered: dict[int, list[int]] = defaultdict(list)
    for portfolio_id, dept in session.execute(select(link.c.portfolio_id, link.c.department_id)):
        covered[portfolio_id].append(dept)
    return [
        PortfolioRow(
            p.id,
            p.name,
            p.analyst_id,
            people.get(p.analyst_id, "") if p.analyst_id else "",
            tuple(covered[p.id]),
            ", ".join(sorted(names.get(d, "?") for d in covered[p.id])),
        )
        for p in session.scalars(select(m.BudgetPortfolio).order_by(m.BudgetPortfolio.name))
    ]


@dataclass(frozen=True)
class PersonLine:
    id: int
    name: str
    title: str
    email: str

    @property
    def described(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


def person_lines(session: Session) -> dict[int, PersonLine]:
    return {
        p.id: PersonLine(p.id, p.name, p.title or "", p.email or "")
        for p in session.scalars(select(m.Person))
    }
