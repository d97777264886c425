"""Opens StatDesk's main window, every page and every dialog on a big file, under the screen
the platform was started with, and prints each window that does not lie within the screen's
free area, or whose buttons do not (run by test_screen_fit in a process of its own, since a
process has one screen size). Prints "checked N windows" at the end."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QWidget, QWizard

from statdesk.ui.app import application
from statdesk.ui.main_window import TITLES, MainWindow
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_demo

checked: list[str] = []
wrong: list[str] = []


def inspect(name: str, window: QWidget) -> None:
    QApplication.processEvents()
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not area.contains(frame):
        wrong.append(f"{name}: window {frame.getRect()} outside the screen {area.getRect()}")
    buttons = [
        button
        for box in window.findChildren(QDialogButtonBox)
        if box.isVisible()
        for button in box.findChildren(QAbstractButton)
    ]
    if isinstance(window, QWizard):
        buttons += [window.button(which) for which in WIZARD_BUTTONS]
    for button in buttons:
        if button.isVisible():
            corner = button.mapToGlobal(QPoint(0, 0))
            where = QRect(corner, button.size())
            if not area.contains(where):
                wrong.append(f"{name}: button '{button.text()}' at {where.getRect()} off screen")
    checked.append(name)


WIZARD_BUTTONS = (
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.CancelButton,
    QWizard.WizardButton.FinishButton,
)


def wizard_pages(window: MainWindow, source: Path) -> None:
    """Each page of the import wizard, on the values file the big city was built from (2,000
    long metric names), each looked at once its reading or checking is done."""
    from statdesk.ui.wizards.import_wizard import ImportWizard

    wizard = ImportWizard(window.workspace, window, source=source)
    wizard.show()
    for name in ("the file", "sheet and header row", "which column is what", "the check"):
        page = wizard.currentPage()
        deadline = time.monotonic() + 120
        while not page.isComplete() and time.monotonic() < deadline:
            QApplication.processEvents()
            if name == "the check" and wizard.plan is not None:
                break  # it may wait for the user's choices, which is fine here
            time.sleep(0.02)
        inspect(f"import wizard: {name}", wizard)
        wizard.next()
    wizard.close()


def dialog(name: str, opener: object) -> None:
    """Run `opener` (it shows a modal dialog), look at the dialog, then close it."""

    def look() -> None:
        shown = QApplication.activeModalWidget()
        if shown is None:
            wrong.append(f"{name}: no dialog opened")
            return
        inspect(name, shown)
        shown.close()

    QTimer.singleShot(200, look)
    opener()  # type: ignore[operator]


def build_city(folder: Path) -> Path:
    """The demo city grown to a real city's size through StatDesk's own imports: 2,000
    metrics with long names in 40 departments, 2,000 datasets, 1,000 people."""
    from statdesk.importing.plan import ImportOptions

    path = folder / "big.statdesk"
    departments = [f"Department of Long Descriptive Name Number {d}" for d in range(40)]
    files = {
        "values": "Metric,Department,Month,Actual\n"
        + "".join(
            "Share of service requests of type "
            f"{i} closed within the standard set by council ordinance,"
            f"{departments[i % 40]},Oct 2026,{i % 97}\n"
            for i in range(2000)
        ),
        "inventory": "Title,Department\n"
        + "".join(f"Permits and inspections {i},{departments[i % 40]}\n" for i in range(2000)),
        "roster": "Name,Title,Department,Email\n"
        + "".join(
            f"Person {i} Lastname,Analyst,{departments[i % 40]},p{i}@city.example\n"
            for i in range(1000)
        ),
    }
    with create_demo(path) as workspace:
        for kind, text in files.items():
            source = folder / f"{kind}.csv"
            source.write_text(text, encoding="utf-8")
            workspace.imports.run(workspace.imports.plan(source, ImportOptions(kind)))
    return path


def main() -> None:
    app = application()
    workspace = Workspace.open(Path(sys.argv[-1]))
    window = MainWindow(workspace)
    window.show()
    inspect("main window", window)
    for title in TITLES:
        window.go_to(title)
        inspect(f"{title} page", window)
    metrics = window.go_to("Metrics")
    metrics.view.selectRow(0)  # type: ignore[attr-defined]
    dialog("add a metric", metrics.add_metric)  # type: ignore[attr-defined]
    dialog("edit a metric", metrics.edit_metric)  # type: ignore[attr-defined]
    dialog("add a goal", metrics.add_goal)  # type: ignore[attr-defined]
    meetings = window.go_to("Meetings")
    dialog("plan a Stat meeting", meetings.add_meeting)  # type: ignore[attr-defined]
    team = window.go_to("Team")
    dialog("add a person", team.add_person)  # type: ignore[attr-defined]
    inventory = window.go_to("Inventory")
    dialog("add a dataset", inventory.add_dataset)  # type: ignore[attr-defined]
    wizard_pages(window, Path(sys.argv[-1]).parent / "values.csv")
    dialog("export", window.export_file)
    dialog("city settings", window.city_settings)
    print(*wrong, sep="\n")
    print(f"checked {len(checked)} windows")
    window.close_workspace()
    app.quit()


if __name__ == "__main__":
    main()  # python -m tests.ui.fit_check FILE, under QT_QPA_PLATFORM=offscreen:configfile=…
