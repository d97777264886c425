"""The team: departments, people, the roles they hold, and budget analysts' portfolios."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from statdesk.domain.vocabulary import Cadence, Role
from statdesk.storage.models.base import Base, EnumText, Record


class Department(Record):
    __tablename__ = "department"
    kind = "department"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Its Stat: how often, and the usual weekday (0 Monday), time ("09:30") and room.
    stat_cadence: Mapped[Cadence | None] = mapped_column(EnumText(Cadence))
    stat_weekday: Mapped[int | None] = mapped_column(Integer)
    stat_time: Mapped[str | None] = mapped_column(String(5))
    stat_room: Mapped[str | None] = mapped_column(String(200))


class Person(Record):
    __tablename__ = "person"
    kind = "person"

    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)


class RoleAssignment(Record):
    """A person holds a role, citywide (no department) or for one department."""

    __tablename__ = "role_assignment"
    __table_args__ = (UniqueConstraint("person_id", "role", "department_id"),)
    kind = "role assignment"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(EnumText(Role))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)


portfolio_department = Table(
    "portfolio_department",
    Base.metadata,
    Column("portfolio_id", ForeignKey("budget_portfolio.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


class BudgetPortfolio(Record):
    """A budget analyst's set of departments (public safety, public works…)."""

    __tablename__ = "budget_portfolio"
    kind = "budget portfolio"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    analyst_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
