"""The data inventory: every dataset the departments hold, and what it is worth to the program."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from statdesk.domain.vocabulary import AccessLevel, DataKind, DatasetStatus, UpdateFrequency
from statdesk.storage.models.base import EnumText, Record


class Dataset(Record):
    __tablename__ = "dataset"
    kind = "dataset"

    identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    source_system: Mapped[str | None] = mapped_column(String(200))
    format: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(Text)
    update_frequency: Mapped[UpdateFrequency | None] = mapped_column(EnumText(UpdateFrequency))
    last_updated: Mapped[date | None] = mapped_column(Date)
    temporal_start: Mapped[date | None] = mapped_column(Date)
    temporal_end: Mapped[date | None] = mapped_column(Date)
    spatial: Mapped[str | None] = mapped_column(String(200))
    license: Mapped[str | None] = mapped_column(String(300))
    rights: Mapped[str | None] = mapped_column(Text)
    access_level: Mapped[AccessLevel] = mapped_column(
        EnumText(AccessLevel), default=AccessLevel.NON_PUBLIC
    )
    access_reason: Mapped[str | None] = mapped_column(Text)
    contains_pii: Mapped[bool | None] = mapped_column(Boolean)
    privacy_notes: Mapped[str | None] = mapped_column(Text)
    data_dictionary_url: Mapped[str | None] = mapped_column(Text)
    landing_page: Mapped[str | None] = mapped_column(Text)
    download_url: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str | None] = mapped_column(String(100))
    keywords: Mapped[str | None] = mapped_column(Text)  # separated by semicolons
    data_kind: Mapped[DataKind | None] = mapped_column(EnumText(DataKind))
    status: Mapped[DatasetStatus] = mapped_column(
        EnumText(DatasetStatus), default=DatasetStatus.DISCOVERED
    )
    # The discovery meeting's eight answers: yes, no, or not yet asked (NULL).
    q_grant_reports: Mapped[bool | None] = mapped_column(Boolean)
    q_department_database: Mapped[bool | None] = mapped_column(Boolean)
    q_council_reports: Mapped[bool | None] = mapped_column(Boolean)
    q_strategic_plan: Mapped[bool | None] = mapped_column(Boolean)
    q_oversight: Mapped[bool | None] = mapped_column(Boolean)
    q_performance_budgeting: Mapped[bool | None] = mapped_column(Boolean)
    q_public_requests: Mapped[bool | None] = mapped_column(Boolean)
    q_initiative: Mapped[bool | None] = mapped_column(Boolean)
    discovery_notes: Mapped[str | None] = mapped_column(Text)
    # Prioritization, 1 (low) to 5 (high); risk is high when privacy or security risk is high.
    score_value: Mapped[int | None] = mapped_column(Integer)
    score_risk: Mapped[int | None] = mapped_column(Integer)
    score_quality: Mapped[int | None] = mapped_column(Integer)
    score_readiness: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
