"""The declarative base every StatDesk table shares: naming convention, column types, versions."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from sqlalchemy import DateTime, Dialect, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Deterministic constraint names, so batch migrations can find and alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E]):
    """A StrEnum stored as its value; unknown values from a newer StatDesk read as text errors."""

    impl = String(40)
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum
        # A dictionary look-up, not a call of the enum: a file's values are read in the 100,000s.
        self._members: dict[str, E] = {member.value: member for member in enum}

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        if value is None:
            return None
        member = self._members.get(value)
        return member if member is not None else self.enum(value)  # unknown: its error


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC; SQLite has no time zones, so store naive UTC and hand back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        if moment.tzinfo is None:
            raise ValueError("StatDesk stores moments in UTC: pass an aware datetime.")
        return moment.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        stored: datetime | None = value
        return None if stored is None else stored.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Record(Base):
    """A row people edit: an id, a version for detecting lost updates, and a human kind name."""

    __abstract__ = True
    kind: ClassVar[str]

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}

    def fields(self) -> dict[str, Any]:
        """The row's column values by attribute name, for validation and the change log."""
        return {attr.key: getattr(self, attr.key) for attr in self.__mapper__.column_attrs}

    def describe(self) -> str:
        """A short human name for the change log ("person 'Ana Ruiz'")."""
        for name in ("name", "title", "description"):
            value = getattr(self, name, None)
            if isinstance(value, str) and value:
                short = value if len(value) <= 60 else value[:57] + "…"
                return f"{self.kind} '{short}'"
        return f"{self.kind} #{self.id}"
