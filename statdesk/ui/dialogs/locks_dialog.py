"""Locked periods: the list of what is final, locking more (the whole city, a department's
metrics or one metric, through a period), and lifting a lock with a reason the log keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from statdesk.domain.periods import parse_period
from statdesk.ui.errors import show_error
from statdesk.ui.forms import plain_label

if TYPE_CHECKING:
    from statdesk.ui.pages.base import Page

ID = 256


class LocksDialog(QDialog):
    def __init__(self, page: Page, metric_id: int | None) -> None:
        super().__init__(page)
        self.page, self.ws = page, page.workspace
        self.setWindowTitle("Locked periods")
        self.list = QTreeWidget()
        self.list.setAccessibleName("Locks")
        self.list.setHeaderLabels(["What is final", "Locked by", "On", "Note"])
        self.list.setRootIsDecorated(False)
        self.scope = QComboBox()
        self.scope.setAccessibleName("Lock for")
        if metric_id is not None:
            self.scope.addItem(
                f"This metric: {self.ws.get('metric', metric_id).name}", ("m", metric_id)
            )
        self.scope.addItem("The whole city", "city")
        for department in self.ws.query("department"):
            self.scope.addItem(f"{department.name}'s metrics", f"d:{department.id}")
        self.through = QLineEdit()
        self.through.setAccessibleName("Through period")
        self.through.setPlaceholderText("the last period to lock: Q1 FY2027, Sep 2026, FY2026")
        self.starting = QLineEdit()
        self.starting.setAccessibleName("From period")
        self.starting.setPlaceholderText("optional: the first period (all earlier ones if empty)")
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("optional: why, e.g. 'reported to council on 8 December'")
        lock = QPushButton("&Lock")
        lock.clicked.connect(self.lock)
        lift = QPushButton("&Unlock the selected lock…")
        lift.clicked.connect(self.lift)
        for button in (lock, lift):
            button.setEnabled(page.editable)
        form = QFormLayout()
        form.addRow("Lock &for", self.scope)
        form.addRow("&Through", self.through)
        form.addRow("F&rom", self.starting)
        form.addRow("N&ote", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(lock)
        row.addWidget(lift)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "A locked period's values and targets cannot change, by hand or by import, "
                "until it is unlocked with a reason the change log keeps. Memos and the "
                "scorecard mark its figures final."
            )
        )
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for line in self.ws.metrics.locks.lines():
            on = line.locked_on.isoformat() if line.locked_on else ""
            item = QTreeWidgetItem([line.says, line.locked_by, on, line.note])
            item.setData(0, ID, line.id)
            self.list.addTopLevelItem(item)
        for column in range(4):
            self.list.resizeColumnToContents(column)

    def lock(self) -> None:
        fy = self.ws.fiscal_year_start_month
        try:
            through = parse_period(self.through.text(), fy)
            starting = (
                parse_period(self.starting.text(), fy) if self.starting.text().strip() else None
            )
        except ValueError as error:
            show_error(self, error, "Lock periods")
            return
        kind, _, number = str(self.scope.currentData()).partition(":")
        scope = {"metric_id": int(number) if kind == "m" else None}
        scope["department_id"] = int(number) if kind == "d" else None
        locks, note = self.ws.metrics.locks, self.note.text().strip() or None
        done = self.page.run(
            f"Lock {self.scope.currentText()} through {self.through.text().strip()}",
            lambda: locks.lock(through, starts=starting, note=note, **scope),
        )
        if done is not None:
            self.through.clear()
            self.starting.clear()
            self.note.clear()
            self.refresh()

    def lift(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        reason, ok = QInputDialog.getText(
            self, "Unlock", f"Why must {item.text(0)} change? The change log keeps the reason."
        )
        if not ok or not reason.strip():
            return
        locks, lock_id = self.ws.metrics.locks, int(item.data(0, ID))
        if self.page.run("Unlock periods", lambda: locks.lift(lock_id, reason.strip())) is not None:
            self.refresh()
