"""The file's own records: the city's settings, imports, the change log and the file state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from statdesk.domain.vocabulary import ImportKind
from statdesk.storage.models.base import Base, EnumText, Record, UtcDateTime, utc_now


class City(Record):
    """The settings of the city whose program this file holds; always exactly one row."""

    __tablename__ = "city"
    kind = "city"

    name: Mapped[str] = mapped_column(String(200))
    program_name: Mapped[str | None] = mapped_column(String(100))  # "RiverStat"
    fiscal_year_start_month: Mapped[int] = mapped_column(Integer, default=7)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_media_type: Mapped[str | None] = mapped_column(String(60))


class ImportRecipe(Record):
    """A saved mapping and aggregation that can be run again on next month's file."""

    __tablename__ = "import_recipe"
    kind = "import recipe"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    import_kind: Mapped[ImportKind] = mapped_column(EnumText(ImportKind))
    settings_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ImportBatch(Record):
    """One import of one file: what came in, from where, by whom; undoing it removes its rows."""

    __tablename__ = "import_batch"
    kind = "import"

    source_name: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    import_kind: Mapped[ImportKind] = mapped_column(EnumText(ImportKind))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    user: Mapped[str | None] = mapped_column(String(120))
    recipe_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_recipe.id", ondelete="SET NULL")
    )
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    summary: Mapped[str | None] = mapped_column(Text)
    sheet: Mapped[str | None] = mapped_column(String(200))
    options_json: Mapped[str | None] = mapped_column(Text)  # kind, mapping, header row…
    undo_json: Mapped[str | None] = mapped_column(Text)  # what it created and what it replaced


class ChangeLogEntry(Base):
    """Who changed what, when: one row per record created, changed or deleted."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    user: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))  # created, changed, deleted, or an event
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    details_json: Mapped[str | None] = mapped_column(Text)


class FileState(Base):
    """One row: a revision bumped by every write, so readers can tell the file has changed;
    and, once its city moved to a server, where."""

    __tablename__ = "file_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_with: Mapped[str] = mapped_column(String(40))
    written_with: Mapped[str] = mapped_column(String(40))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Set on a file whose city was moved to a server: where it is kept now (no password).
    moved_to: Mapped[str | None] = mapped_column(String(500))
    moved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
