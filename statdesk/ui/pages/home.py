"""The Home page: the program at a glance. Every line opens the record it is about.

A file still missing its team, inventory, metrics or first meeting shows *Getting started*: each
step with a button that does it, and sections about records the file does not hold yet are left
out rather than claiming "every dataset is current"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.numbers import counted
from statdesk.storage.views.home import Holdings, HomeSummary
from statdesk.ui.forms import plain_label
from statdesk.ui.on_track_chart import OnTrackChart
from statdesk.ui.pages.base import Host, Page
from statdesk.ui.tasks import run_in_background
from statdesk.workspace import COUNTED

SHOWN = 50  # rows per section: a dashboard, not a report
KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Section(QGroupBox):
    """A titled list whose rows open records."""

    def __init__(self, title: str, headers: list[str], page: HomePage) -> None:
        super().__init__(title)
        self.page = page
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(headers)
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(title)
        self.tree.setAlternatingRowColors(True)
        self.right_aligned: set[int] = set()
        self.tree.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)

    def fill(self, summary: str, rows: list[tuple[list[str], str, int]]) -> None:
        if len(rows) > SHOWN:
            summary += f" The first {SHOWN} are listed; the page they belong to shows them all."
            rows = rows[:SHOWN]
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self.tree.clear()
        for texts, kind, record_id in rows:
            item = QTreeWidgetItem(texts)
            for column in self.right_aligned:
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setData(0, KIND_ROLE, kind)
            item.setData(0, ID_ROLE, record_id)
            self.tree.addTopLevelItem(item)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        visible = min(max(len(rows), 1), 10)
        self.tree.setFixedHeight(self.tree.sizeHintForRow(0) * visible + 32 if rows else 40)
        self.tree.setVisible(bool(rows))

    def _open(self, item: QTreeWidgetItem) -> None:
        self.page.open_record.emit(item.data(0, KIND_ROLE), int(item.data(0, ID_ROLE)))


@dataclass(frozen=True)
class Step:
    holding: str  # what the file holds once the step is done (a field of Holdings)
    noun: tuple[str, str | None]  # how it is counted: ("person", "people")
    text: str
    button: str
    action: Callable[[Host], object]


STEPS = (
    Step(
        "people",
        ("person", "people"),
        "Import the team: a spreadsheet of people, their titles and roles.",
        "Import the &team…",
        lambda host: host.import_file("roster"),
    ),
    Step(
        "datasets",
        ("dataset", None),
        "Import the data inventory: the datasets departments keep.",
        "Import the &inventory…",
        lambda host: host.import_file("inventory"),
    ),
    Step(
        "metrics",
        ("metric", None),
        "Import the metrics (a measure register), then their values.",
        "Import &metrics…",
        lambda host: host.import_file("metrics"),
    ),
    Step(
        "meetings",
        ("meeting", None),
        "Plan a first Stat meeting: StatDesk suggests who comes and the agenda.",
        "&Plan a meeting…",
        lambda host: host.plan_meeting(),
    ),
)


def _doing(step: Step, host: Host) -> Callable[[], object]:
    """The step's action as a slot taking nothing (a lambda with a default argument would be
    handed the button's `checked`)."""
    return lambda: step.action(host)


class GettingStarted(QGroupBox):
    """The first steps with a new file, each a button; a step done says what the file holds."""

    def __init__(self, page: HomePage) -> None:
        super().__init__("Getting started")
        self.setAccessibleName("Getting started")
        grid = QGridLayout(self)
        self.lines: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for row, step in enumerate(STEPS):
            line = plain_label(step.text)
            button = page.edit_button(step.button, _doing(step, page.host))
            grid.addWidget(line, row, 0)
            grid.addWidget(button, row, 1)
            self.lines[step.holding], self.buttons[step.holding] = line, button
        grid.setColumnStretch(0, 1)

    def show_for(self, holds: Holdings) -> None:
        """Show the steps (each done one with what the file holds), or nothing when all are."""
        for step in STEPS:
            count = getattr(holds, step.holding)
            self.lines[step.holding].setText(
                f"✓ {counted(count, *step.noun)}" if count else step.text
            )
            self.buttons[step.holding].setVisible(not count)
        self.setVisible(any(getattr(holds, step.holding) == 0 for step in STEPS))


class HomePage(Page):
    title = "Home"
    kinds = frozenset(
        {
            "metric",
            "metric value",
            "target",
            "action item",
            "dataset",
            "meeting",
            "person",
            "role assignment",
            "department",
            "budget portfolio",
        }
    )

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.loaded_revision: int | None = None
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setAccessibleName("KPIs on track")
        self.kpis = Section(
            "KPIs", ["KPI", "Department", "Period", "Actual", "Target", "Status"], self
        )
        self.kpis.right_aligned = {3, 4}
        self.overdue = Section(
            "Overdue follow-up items", ["Item", "Owner", "Department", "Due", "Days overdue"], self
        )
        self.datasets = Section("Datasets that need care", ["Dataset", "Department", "Why"], self)
        self.meetings = Section("Next Stat meetings", ["Meeting", "Department", "When"], self)
        self.stat_due = Section(
            "Departments due for a Stat", ["Department", "Where it stands"], self
        )
        self.trend = OnTrackChart()
        self.gaps = Section("Roles unfilled", ["Department", "Roles nobody fills"], self)
        self.unjudged = Section(
            "Metrics without a direction", ["Metric", "Department", "What to do"], self
        )
        self.file_line = QLabel()
        self.file_line.setTextFormat(Qt.TextFormat.PlainText)
        self.file_line.setWordWrap(True)
        self.getting_started = GettingStarted(self)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.headline)
        layout.addWidget(self.trend)
        layout.addWidget(self.getting_started)
        for section in (
            self.kpis,
            self.unjudged,
            self.overdue,
            self.datasets,
            self.meetings,
            self.stat_due,
            self.gaps,
        ):
            layout.addWidget(section)
        layout.addWidget(self.file_line)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self) -> None:
        self.show_summary(self.workspace.home_summary())
        self.loaded_revision = self.workspace.revision()
        # Counting every value reads much of a big file (seconds over a share on Wi-Fi): the
        # line follows the page instead of holding it up.
        workspace, shown = self.workspace, self.loaded_revision
        if not self.file_line.text():
            self.file_line.setText("Counting what this file holds…")

        def show_counts(counts: dict[str, int]) -> None:
            if workspace is self.workspace and shown == self.loaded_revision:
                held = [
                    counted(n, getattr(COUNTED[name], "kind", name), name.replace("_", " "))
                    for name, n in counts.items()
                    if n
                ]
                self.file_line.setText(
                    "This file holds " + ", ".join(held) + "."
                    if held
                    else "This file holds no records yet."
                )

        def failed(error: BaseException) -> None:
            if workspace is self.workspace:
                self.file_line.setText(f"What this file holds could not be counted: {error}")

        run_in_background(workspace.counts, show_counts, failed)

    def show_summary(self, home: HomeSummary) -> None:
        holds = home.holds
        self.getting_started.show_for(holds)
        # Nothing is said about records the file does not hold yet.
        self.kpis.setVisible(holds.metrics > 0)
        self.unjudged.setVisible(holds.metrics > 0)
        self.datasets.setVisible(holds.datasets > 0)
        self.gaps.setVisible(holds.departments > 0)
        self.overdue.setVisible(holds.action_items > 0)
        judged, on_track = home.kpis_judged, home.kpis_on_track
        share = f" ({on_track / judged:.0%})" if judged else ""
        if judged:
            self.headline.setText(f"{on_track} of {judged} KPIs on track{share}")
        elif holds.metrics:
            self.headline.setText("No KPI has both a value and a target yet.")
        else:
            self.headline.setText(f"Welcome: {self.workspace.city().name} has no metrics yet.")
        self.kpis.fill(
            "Latest period of each KPI. Status: ● on target, ◐ within tolerance, "
            "▲ off target, ○ no target, – no data, ? direction not set.",
            [
                (
                    [
                        k.name,
                        k.department,
                        k.period,
                        k.actual_text,
                        k.target_text,
                        f"{k.status.marker} {k.status.label}",
                    ],
                    "metric",
                    k.metric_id,
                )
                for k in home.kpis
            ],
        )
        self.overdue.fill(
            f"{counted(len(home.overdue), 'item')} past their due date."
            if home.overdue
            else "No follow-up item is overdue.",
            [
                (
                    [o.description, o.owner, o.department, o.due.isoformat(), str(o.days_overdue)],
                    "action item",
                    o.action_id,
                )
                for o in home.overdue
            ],
        )
        # One line per dataset, with every reason: one both stale and without a contact was
        # counted twice ("3534 datasets" in a file of 1,781).
        reasons: dict[int, tuple[str, str, list[str]]] = {}
        for d in home.stale:
            last = d.last_updated.isoformat() if d.last_updated else "never"
            reasons.setdefault(d.id, (d.title, d.department, []))[2].append(
                f"Stale: last updated {last}"
            )
        for d in home.no_contact:
            reasons.setdefault(d.id, (d.title, d.department, []))[2].append("No contact")
        care = [
            ([title, department, "⚠ " + "; ".join(why)], "dataset", dataset_id)
            for dataset_id, (title, department, why) in reasons.items()
        ]
        self.datasets.fill(
            f"{counted(len(care), 'dataset')} of {holds.datasets:,} stale or without a contact."
            if care
            else "Every dataset is current and has a contact.",
            care,
        )
        self.meetings.fill(
            "" if home.next_meetings else "No Stat meeting is planned.",
            [
                (
                    [mt.title, mt.department, mt.starts_at.strftime("%a %d %b %Y, %H:%M")],
                    "meeting",
                    mt.meeting_id,
                )
                for mt in home.next_meetings
            ],
        )
        self.trend.show_months(home.on_track_history)
        self.stat_due.setVisible(bool(home.stat_due))
        self.stat_due.fill(
            f"{counted(len(home.stat_due), 'department')} overdue for a Stat by their cadence "
            "(Team ▸ Departments ▸ Stat cadence).",
            [([r.department, r.says], "department", r.department_id) for r in home.stat_due],
        )
        self.unjudged.fill(
            f"{counted(len(home.no_direction), 'metric')} without a direction: none of their "
            "periods is judged on or off target (Metrics ▸ Set directions sets many at once)."
            if home.no_direction
            else "Every metric has a direction.",
            [
                ([u.name, u.department, "Set its direction"], "metric", u.metric_id)
                for u in home.no_direction
            ],
        )
        self.gaps.fill(
            f"{counted(len(home.gaps), 'department')} of {holds.departments:,} lack a role."
            if home.gaps
            else "Every department has every role filled.",
            [
                ([g.department, ", ".join(r.label for r in g.roles)], "department", g.department_id)
                for g in home.gaps
            ],
        )
