"""The Home page: the program at a glance. Every line opens the record it is about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.storage.views.home import HomeSummary
from statdesk.ui.pages.base import Host, Page
from statdesk.ui.tasks import run_in_background

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
        self.gaps = Section("Roles unfilled", ["Department", "Roles nobody fills"], self)
        self.unjudged = Section(
            "Metrics without a direction", ["Metric", "Department", "What to do"], self
        )
        self.file_line = QLabel()
        self.file_line.setTextFormat(Qt.TextFormat.PlainText)
        self.file_line.setWordWrap(True)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.headline)
        for section in (
            self.kpis,
            self.unjudged,
            self.overdue,
            self.datasets,
            self.meetings,
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

        def counted(counts: dict[str, int]) -> None:
            if workspace is self.workspace and shown == self.loaded_revision:
                self.file_line.setText(
                    "This file holds "
                    + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
                    + "."
                )

        def failed(error: BaseException) -> None:
            if workspace is self.workspace:
                self.file_line.setText(f"What this file holds could not be counted: {error}")

        run_in_background(workspace.counts, counted, failed)

    def show_summary(self, home: HomeSummary) -> None:
        judged, on_track = home.kpis_judged, home.kpis_on_track
        share = f" ({on_track / judged:.0%})" if judged else ""
        self.headline.setText(
            f"{on_track} of {judged} KPIs on track{share}"
            if judged
            else "No KPI has both a value and a target yet."
        )
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
            f"{len(home.overdue)} item(s) past their due date."
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
        care = [
            (
                [
                    d.title,
                    d.department,
                    "⚠ Stale: last updated "
                    + (d.last_updated.isoformat() if d.last_updated else "never"),
                ],
                "dataset",
                d.id,
            )
            for d in home.stale
        ]
        care += [
            ([d.title, d.department, "⚠ No contact"], "dataset", d.id) for d in home.no_contact
        ]
        self.datasets.fill(
            f"{len(care)} dataset(s) stale or without a contact."
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
        self.unjudged.fill(
            f"{len(home.no_direction)} metric(s) have no direction, so none of their periods is "
            "judged on or off target (Metrics ▸ Set directions sets many at once)."
            if home.no_direction
            else "Every metric has a direction.",
            [
                ([u.name, u.department, "Set its direction"], "metric", u.metric_id)
                for u in home.no_direction
            ],
        )
        self.gaps.fill(
            f"{len(home.gaps)} department(s) lack a role."
            if home.gaps
            else "Every department has every role filled.",
            [
                ([g.department, ", ".join(r.label for r in g.roles)], "department", g.department_id)
                for g in home.gaps
            ],
        )
