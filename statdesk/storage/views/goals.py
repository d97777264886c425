"""The Metrics page's tree: strategic priorities, their goals, and each goal's metrics (every
KPI followed by the metrics that support it); metrics without a goal come last."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.vocabulary import GoalHorizon
from statdesk.storage import models as m
from statdesk.storage.views.metrics import MetricSummary


@dataclass
class GoalNode:
    id: int | None
    title: str
    horizon: GoalHorizon | None = None
    target_date: date | None = None
    is_bold: bool = False
    metrics: list[MetricSummary] = field(default_factory=list)


@dataclass
class PriorityNode:
    id: int | None
    name: str
    goals: list[GoalNode] = field(default_factory=list)


def metric_tree(session: Session, summaries: list[MetricSummary]) -> list[PriorityNode]:
    """Priorities → goals → metrics (KPIs, each followed by the metrics that support it);
    metrics without a goal come last, under "Not tied to a goal"."""
    by_goal: dict[int | None, list[MetricSummary]] = defaultdict(list)
    for summary in summaries:
        by_goal[summary.goal_id].append(summary)
    tree = []
    goals = list(session.scalars(select(m.Goal).order_by(m.Goal.position, m.Goal.title)))
    for priority in session.scalars(
        select(m.StrategicPriority).order_by(m.StrategicPriority.position, m.StrategicPriority.name)
    ):
        node = PriorityNode(priority.id, priority.name)
        for goal in goals:
            if goal.priority_id == priority.id:
                node.goals.append(
                    GoalNode(
                        goal.id,
                        goal.title,
                        goal.horizon,
                        goal.target_date,
                        goal.is_bold,
                        _kpis_first(by_goal.get(goal.id, [])),
                    )
                )
        tree.append(node)
    loose = by_goal.get(None, [])
    if loose:
        tree.append(
            PriorityNode(
                None,
                "Not tied to a goal",
                [GoalNode(None, "Metrics without a goal", metrics=loose)],
            )
        )
    return tree


def _kpis_first(metrics: list[MetricSummary]) -> list[MetricSummary]:
    """Each KPI followed by its supporting metrics, then supporting metrics of other goals."""
    ordered: list[MetricSummary] = []
    for kpi in (x for x in metrics if x.is_kpi):
        ordered.append(kpi)
        ordered.extend(x for x in metrics if x.kpi_id == kpi.id)
    ordered.extend(x for x in metrics if x not in ordered)
    return ordered
