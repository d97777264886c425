"""Metrics (`ws.metrics`): the Metrics page's summaries and tree, one metric's periods and
target helper, finding a metric by name, and the edits of metrics, goals and periods."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound, ReasonNeeded
from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period, check_fiscal_start, label
from statdesk.domain.vocabulary import Direction
from statdesk.storage import models as m
from statdesk.storage.changes import Changes
from statdesk.storage.edits import metrics as metric_edits
from statdesk.storage.views import goals as goals_view
from statdesk.storage.views import metrics as metrics_view
from statdesk.storage.views import roster as roster_view
from statdesk.storage.views import series as series_view
from statdesk.storage.views import targets as targets_view
from statdesk.workspace.locks import Locks
from statdesk.workspace.recovery import edit_note

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


class Metrics:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.locks = Locks(workspace)  # periods made final

    def summaries(self, today: date | None = None) -> list[metrics_view.MetricSummary]:
        with self.ws._reading() as session:
            return metrics_view.metric_summaries(
                session, self.ws._fy(session), today or date.today()
            )

    def names(self, *, active_only: bool = False) -> list[tuple[int, str, str]]:
        """Each metric's id, name and department ("" if none), in the Metrics page's order:
        for choosing one (two metrics may share a name), without reading any values."""
        query = (
            select(m.Metric.id, m.Metric.name, m.Department.name)
            .outerjoin(m.Department, m.Department.id == m.Metric.department_id)
            .order_by(m.Metric.position, m.Metric.name)
        )
        if active_only:
            query = query.where(m.Metric.active)
        with self.ws._reading() as session:
            return [(int(i), str(n), str(d or "")) for i, n, d in session.execute(query)]

    def detail(
        self, metric_id: int, today: date | None = None, as_of: date | None = None
    ) -> metrics_view.MetricDetail:
        """A metric with all its periods; with `as_of`, the values of periods ended by then."""
        with self.ws._reading() as session:
            return metrics_view.metric_detail(
                session, metric_id, self.ws._fy(session), today or date.today(), as_of
            )

    def all_series(self) -> dict[int, list[series_view.SeriesLine]]:
        """Every metric's breakdowns and comparisons, by metric id."""
        with self.ws._reading() as session:
            ids = list(session.scalars(select(m.Metric.id)))
            return series_view.metric_series(session, ids)

    def series(self, metric_id: int) -> list[series_view.SeriesLine]:
        """The metric's breakdowns and comparisons (its own series is in metric_detail)."""
        with self.ws._reading() as session:
            return series_view.metric_series(session, [metric_id]).get(metric_id, [])

    def target_helper(
        self,
        metric_id: int,
        today: date | None = None,
        detail: metrics_view.MetricDetail | None = None,
    ) -> targets_view.TargetHelper:
        """What it takes to meet the year's targets; `detail`, if the caller has just read it,
        saves reading the metric again."""
        today = today or date.today()
        if detail is None or detail.summary.id != metric_id:
            detail = self.detail(metric_id, today)
        return targets_view.target_helper(detail, today)

    def tree(
        self, today: date | None = None, as_of: date | None = None
    ) -> list[goals_view.PriorityNode]:
        """Priorities, goals and their metrics; with `as_of`, from the periods ended by then."""
        day = today or date.today()

        def read(session: Session) -> list[goals_view.PriorityNode]:
            summaries = metrics_view.metric_summaries(
                session, self.ws._fy(session), day, as_of=as_of
            )
            return goals_view.metric_tree(session, summaries)

        return self.ws._for_revision("metric_tree", read, day, as_of)

    def find(self, id_or_name: str) -> m.Metric:
        """A metric by its id, or by its name (exactly, or the one name that contains it)."""
        text = id_or_name.strip()
        if text.isdigit():
            return self.ws.get(m.Metric, int(text))
        metrics = self.ws.query(m.Metric)
        exact = [x for x in metrics if x.name.casefold() == text.casefold()]
        partial = [x for x in metrics if text.casefold() in x.name.casefold()]
        found = exact or partial
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFound(
                f"No metric is called '{text}'.",
                "Run 'statdesk metrics FILE' to list them with their ids.",
            )
        names = "; ".join(f"#{x.id} {x.name}" for x in found[:5])
        raise NotFound(
            f"'{text}' matches {len(found)} metrics: {names}.",
            "Give the metric's id or its whole name.",
        )

    def without_direction(self) -> list[tuple[int, str, str]]:
        """(id, name, department) of the metrics whose direction is not set."""
        with self.ws._reading() as session:
            names = roster_view.department_names(session)
            rows = session.execute(
                select(m.Metric.id, m.Metric.name, m.Metric.department_id)
                .where(m.Metric.direction.is_(None))
                .order_by(m.Metric.name)
            )
            return [(i, n, names.get(d, "") if d else "") for i, n, d in rows]

    def save(
        self,
        metric_id: int | None,
        fields: Mapping[str, Any],
        sources: Iterable[int],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Create (`metric_id` None) or change a metric and set exactly these source datasets."""
        sources = list(sources)
        edit = {**edit_note("save metric", m.Metric, metric_id, fields), "sources": sources}
        return self.ws._write(
            lambda s: metric_edits.save_metric(s, metric_id, fields, sources, expected_version),
            recovery=edit,
        )[1]

    def set_directions(self, directions: Mapping[int, Direction | None]) -> Changes:
        """Set (or clear) the direction of several metrics in one step: a metric's periods are
        judged only once it has one."""

        def action(session: Session) -> None:
            for metric_id, direction in directions.items():
                metric = session.get(m.Metric, metric_id)
                if metric is None:
                    raise NotFound(f"There is no metric #{metric_id}.", "Refresh the list.")
                metric.direction = direction

        count = len(directions)
        return self.ws._write(
            action,
            event_summary=f"Set the direction of {counted(count, 'metric')}",
            recovery={"operation": "set directions", "metrics": list(directions)},
        )[1]

    def save_goal(self, goal_id: int | None, fields: Mapping[str, Any]) -> Changes:
        """Create (`goal_id` None) or change a goal; only one goal is the bold goal."""
        edit = edit_note("save goal", m.Goal, goal_id, fields)
        _, changes = self.ws._write(
            lambda s: metric_edits.save_goal(s, goal_id, fields), recovery=edit
        )
        return changes

    def set_periods(
        self,
        metric_id: int,
        edits: Sequence[metric_edits.PeriodEdit],
        *,
        reason: str | None = None,
    ) -> Changes:
        """Set actuals, targets, forecasts and notes of many periods in one transaction (a
        column pasted from Excel, or one cell). Changing the target of a period already
        reported against needs a `reason`, which the change log keeps."""
        edit = {
            "operation": "set periods",
            "metric_id": metric_id,
            "periods": [
                [e.period.start.isoformat(), e.period.frequency.value, dict(e.changes)]
                for e in edits
            ],
        }

        def action(session: Session) -> int:
            if reason:  # the change log says why
                session.info["reason"] = reason.strip()
            revised = metric_edits.revised_reported_targets(session, metric_id, edits)
            done = metric_edits.set_periods(session, metric_id, edits)
            session.flush()  # a locked period is refused first (storage.locks)
            if revised and not (reason or "").strip():
                fy = self.ws._fy(session)
                names = ", ".join(label(p, fy) for p in revised[:4])
                more = f" and {len(revised) - 4} more" if len(revised) > 4 else ""
                raise ReasonNeeded(
                    f"The target of {names}{more} was already reported against: changing it "
                    "after the fact needs a reason, which the change log keeps.",
                    "Give the reason (for example: 'council amended the budget'), or leave "
                    "the target as it was.",
                )
            return done

        return self.ws._write(action, recovery=edit)[1]

    def set_value(
        self, metric_id: int, period: Period, value: float | None, note: str | None = None
    ) -> Changes:
        """Record a metric's actual value for one period (replacing any earlier one)."""
        changes: dict[str, float | str | None] = {"actual": value}
        if note is not None:
            changes["note"] = note
        return self.set_periods(metric_id, [metric_edits.PeriodEdit(period, changes)])

    def set_target(
        self,
        metric_id: int,
        period: Period,
        target: float | None,
        forecast: float | None = None,
        *,
        reason: str | None = None,
    ) -> Changes:
        edit = metric_edits.PeriodEdit(period, {"target": target, "forecast": forecast})
        return self.set_periods(metric_id, [edit], reason=reason)

    def values(self, metric_id: int) -> list[m.MetricValue]:
        return self.ws.query(m.MetricValue, metric_id=metric_id)

    def targets(self, metric_id: int) -> list[m.Target]:
        return self.ws.query(m.Target, metric_id=metric_id)

    def fiscal_start_effects(self, new_month: int) -> str:
        """What changing the fiscal-year start to `new_month` would do to the values and
        targets already in the file, in a sentence ("" when nothing moves): quarterly and
        annual periods are kept by their first day, so those that no longer start a fiscal
        quarter or year would be labelled as another period."""
        from statdesk.domain.periods import label, period_containing

        check_fiscal_start(new_month)
        old_month = self.ws.fiscal_year_start_month
        if new_month == old_month:
            return ""
        moved: dict[str, int] = {}
        example = ""
        with self.ws._reading() as session:
            for model, name in ((m.MetricValue, "value"), (m.Target, "target")):
                rows = session.execute(
                    select(model.period_start, model.frequency, func.count())
                    .where(model.frequency.in_(["quarterly", "annual"]))
                    .group_by(model.period_start, model.frequency)
                )
                for start, frequency, count in rows:
                    period = Period(start, frequency)
                    if period_containing(start, frequency, new_month).start == start:
                        continue
                    moved[name] = moved.get(name, 0) + count
                    example = example or (
                        f"{label(period, old_month)} would read as "
                        f"{label(period_containing(start, frequency, new_month), new_month)}"
                    )
        if not moved:
            return (
                "No quarterly or yearly value or target moves; monthly values keep their "
                "months, and quarters and years are added up anew from them."
            )
        parts = [counted(n, what) for what, n in moved.items()]
        return (
            f"{' and '.join(parts)} of quarters or fiscal years would no longer start one "
            f"({example}), and Home and the memos would show them as such. Monthly values keep "
            "their months. Re-import those files after the change instead, if they follow the "
            "new fiscal year."
        )
