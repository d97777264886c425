"""The window's commands on the file as a whole: a new file, restoring a backup, removing code
StatDesk did not make, the scorecard, and the city's settings. Each takes the window, and
tells the user what went wrong in a sentence."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from statdesk.domain.locations import ServerAddress
from statdesk.ui.confirm import confirm
from statdesk.ui.errors import show_error
from statdesk.ui.opening import connect, open_workspace
from statdesk.workspace import file_ops

if TYPE_CHECKING:
    from statdesk.ui.main_window import MainWindow

FILE_FILTER = "StatDesk files (*.statdesk);;All files (*)"


def _folder(window: MainWindow) -> str:
    """Where file dialogs start: the open file's folder (your home folder for a server's)."""
    return str(window.workspace.path.parent if window.workspace.path else Path.home())


def new_file(window: MainWindow) -> None:
    name, _ = QFileDialog.getSaveFileName(
        window, "Create a StatDesk file", _folder(window), FILE_FILTER
    )
    if not name:
        return
    path = Path(name).with_suffix(".statdesk")
    from statdesk.ui.dialogs.city_settings import CitySettingsDialog

    about = CitySettingsDialog("", None, None, None, None, window, new_file=True)
    if not about.exec():
        return
    values = about.values()
    try:
        workspace = file_ops.create_file(
            path,
            city_name=values["name"],
            fiscal_year_start_month=values["fiscal_year_start_month"],
            program_name=values["program_name"],
        )
        window.show_workspace(workspace)
    except Exception as error:
        show_error(window, error, "New file")


def connect_to_server(window: MainWindow) -> None:
    """Ask where a server's city is (filled in with the one open, if any), and open it."""
    current = window.workspace.location
    workspace = connect(window, current if isinstance(current, ServerAddress) else None)
    if workspace is not None:
        window.show_workspace(workspace)


def restore_backup(window: MainWindow) -> None:
    path = window.workspace.path
    if path is None:  # a server's city: its administrator restores the database
        return
    folder = path.parent / "backups"
    name, _ = QFileDialog.getOpenFileName(window, "Restore from a backup", str(folder), FILE_FILTER)
    if not name:
        return
    if not confirm(
        window,
        "Restore from backup",
        f"Replace {path.name} with the backup {Path(name).name}? The file as it is now is "
        "backed up first, so you can go back to it.",
    ):
        return
    window.workspace.close()  # gives up the write lock, which the restore takes
    try:
        file_ops.restore_backup(path, Path(name))
    except Exception as error:
        show_error(window, error, "Restore from backup")
    reopened = open_workspace(window, path)
    if reopened is not None:
        window.workspace = reopened
        window.show_workspace(reopened)


def remove_foreign_code(window: MainWindow) -> None:
    path = window.workspace.path
    if path is None:  # on a server, its administrator removes it (statdesk check URL lists it)
        return
    listed = "\n".join(f"• {o}" for o in window.workspace.foreign_code)
    if not confirm(
        window,
        "Remove code from the file",
        f"{path.name} holds database code that StatDesk did not put there:\n\n{listed}\n\n"
        "StatDesk backs the file up, removes the code, and records the removal in the "
        "change log. Remove it?",
    ):
        return
    window.workspace.close()
    try:
        removed = file_ops.remove_foreign_code(path)
    except Exception as error:
        show_error(window, error, "Remove code from the file")
        removed = []
    reopened = open_workspace(window, path)
    if reopened is not None:
        window.workspace = reopened
        window.show_workspace(reopened)
        if removed:
            window.statusBar().showMessage(f"Removed {', '.join(removed)}.", 10_000)


def export_scorecard(window: MainWindow) -> None:
    from statdesk.ui import folders
    from statdesk.ui.tasks import run_in_background

    name, _ = QFileDialog.getSaveFileName(
        window,
        "Export the scorecard",
        folders.start("scorecard", "Scorecard.pdf"),
        "Tagged PDF (*.pdf)",
    )
    if not name:
        return
    folders.remember("scorecard", name)
    target = Path(name).with_suffix(".pdf")
    workspace = window.workspace
    window.statusBar().showMessage(f"Writing {target.name}…")
    run_in_background(
        lambda: workspace.exports.scorecard(target),
        lambda done: window.statusBar().showMessage(f"Wrote {done}.", 10_000),
        lambda error: show_error(window, error, "Export the scorecard"),
    )


def city_settings(window: MainWindow) -> None:
    from statdesk.ui.dialogs.city_settings import CitySettingsDialog

    city = window.workspace.city()
    fields = ("name", "program_name", "fiscal_year_start_month", "logo", "logo_media_type")
    old = {f: getattr(city, f) for f in fields}
    dialog = CitySettingsDialog(
        city.name,
        city.program_name,
        city.fiscal_year_start_month,
        city.logo,
        city.logo_media_type,
        window,
    )
    if not dialog.exec():
        return
    new = dialog.values()
    if new == old:
        return
    ws = window.workspace
    if new["fiscal_year_start_month"] != old["fiscal_year_start_month"]:
        effects = ws.metrics.fiscal_start_effects(new["fiscal_year_start_month"])
        answer = QMessageBox.question(
            window,
            "Change the fiscal year",
            f"Change the fiscal year's first month? {effects}",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    window.page("Home").run("Change city settings", lambda: ws.update_city(**new))
    window.refresh_state()
