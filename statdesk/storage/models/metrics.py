"""Strategic priorities, goals, metrics, and each metric's values and targets per period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from statdesk.domain.vocabulary import (
    Direction,
    Frequency,
    GoalHorizon,
    MeasureType,
    RollUp,
    SeriesKind,
    ToleranceKind,
    Unit,
)
from statdesk.storage.models.base import EnumText, Record


class StrategicPriority(Record):
    __tablename__ = "strategic_priority"
    kind = "strategic priority"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Goal(Record):
    __tablename__ = "goal"
    kind = "goal"

    priority_id: Mapped[int] = mapped_column(
        ForeignKey("strategic_priority.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    horizon: Mapped[GoalHorizon | None] = mapped_column(EnumText(GoalHorizon))
    target_date: Mapped[date | None] = mapped_column(Date)
    is_bold: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Metric(Record):
    """A KPI (is_kpi) or a supporting metric (kpi_id names the KPI it supports)."""

    __tablename__ = "metric"
    kind = "metric"

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(100))  # the source system's measure id
    description: Mapped[str | None] = mapped_column(Text)
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("goal.id", ondelete="SET NULL"), index=True
    )
    is_kpi: Mapped[bool] = mapped_column(Boolean, default=False)
    kpi_id: Mapped[int | None] = mapped_column(
        ForeignKey("metric.id", ondelete="SET NULL"), index=True
    )
    measure_type: Mapped[MeasureType | None] = mapped_column(EnumText(MeasureType))
    unit: Mapped[Unit] = mapped_column(EnumText(Unit), default=Unit.COUNT)
    unit_label: Mapped[str | None] = mapped_column(String(60))  # "potholes", "calls"
    decimals: Mapped[int] = mapped_column(Integer, default=0)
    frequency: Mapped[Frequency] = mapped_column(EnumText(Frequency), default=Frequency.MONTHLY)
    # None: not set yet (an import that did not say); no status is judged until it is.
    direction: Mapped[Direction | None] = mapped_column(EnumText(Direction))
    band_low: Mapped[float | None] = mapped_column(Float)
    band_high: Mapped[float | None] = mapped_column(Float)
    roll_up: Mapped[RollUp] = mapped_column(EnumText(RollUp), default=RollUp.SUM)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_period: Mapped[date | None] = mapped_column(Date)
    tolerance: Mapped[float | None] = mapped_column(Float)
    tolerance_kind: Mapped[ToleranceKind] = mapped_column(
        EnumText(ToleranceKind), default=ToleranceKind.RELATIVE
    )
    methodology: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # The four answers that make a metric worth tracking ("Where To Start").
    worth_concern: Mapped[str | None] = mapped_column(Text)
    worth_feedback_loop: Mapped[str | None] = mapped_column(Text)
    worth_collection: Mapped[str | None] = mapped_column(Text)
    worth_mandate: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class MetricDataset(Record):
    """The dataset(s) a metric's values come from; the Stat team is never the source."""

    __tablename__ = "metric_dataset"
    __table_args__ = (UniqueConstraint("metric_id", "dataset_id"),)
    kind = "metric source"

    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)


class MetricValue(Record):
    """The actual value of a metric for one period (see domain.periods)."""

    __tablename__ = "metric_value"
    __table_args__ = (UniqueConstraint("metric_id", "period_start", "frequency"),)
    kind = "metric value"

    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    frequency: Mapped[Frequency] = mapped_column(EnumText(Frequency))
    value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )

    def describe(self) -> str:
        return f"{self.kind} of metric #{self.metric_id} for the period from {self.period_start}"


class Target(Record):
    """The target for one period, and a forecast kept apart from it."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("metric_id", "period_start", "frequency"),)
    kind = "target"

    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    frequency: Mapped[Frequency] = mapped_column(EnumText(Frequency))
    target: Mapped[float | None] = mapped_column(Float)
    forecast: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )

    def describe(self) -> str:
        return f"{self.kind} of metric #{self.metric_id} for the period from {self.period_start}"


class PeriodLock(Record):
    """Periods made final: every value and target of the city (no department, no metric), of
    one department's metrics, or of one metric, for periods from `starts` (None: all earlier)
    that end on or before `through`, cannot change until the lock is lifted."""

    __tablename__ = "period_lock"
    kind = "period lock"

    metric_id: Mapped[int | None] = mapped_column(
        ForeignKey("metric.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    starts: Mapped[date | None] = mapped_column(Date)
    through: Mapped[date] = mapped_column(Date)
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class MetricSeries(Record):
    """A series of a metric besides the city's own (which lives in MetricValue and Target):
    one district's, ward's or group's figures (a breakdown), or a benchmark's, the state's or
    the nation's (a comparison). Statuses, targets and KPIs use only the city's own series."""

    __tablename__ = "metric_series"
    __table_args__ = (UniqueConstraint("metric_id", "name"),)
    kind = "metric series"

    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))  # "Staten Island 3", "United States"
    series_kind: Mapped[SeriesKind] = mapped_column(
        EnumText(SeriesKind), default=SeriesKind.BREAKDOWN
    )
    dimension: Mapped[str | None] = mapped_column(String(200))  # the column: "Geography"
    position: Mapped[int] = mapped_column(Integer, default=0)


class SeriesValue(Record):
    """One period of a series: its value, and a target or forecast where the file gives one."""

    __tablename__ = "series_value"
    __table_args__ = (UniqueConstraint("series_id", "period_start", "frequency"),)
    kind = "series value"

    series_id: Mapped[int] = mapped_column(ForeignKey("metric_series.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    frequency: Mapped[Frequency] = mapped_column(EnumText(Frequency))
    value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    forecast: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )

    def describe(self) -> str:
        return f"{self.kind} of series #{self.series_id} for the period from {self.period_start}"
