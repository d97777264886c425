"""The main window: navigation between the pages, the menus, undo, and the file's state."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from statdesk import APP_NAME, recent
from statdesk.domain.errors import StatDeskError
from statdesk.domain.files import real_file
from statdesk.domain.locations import Location, ServerAddress, shown, title_of
from statdesk.ui import file_commands, settings
from statdesk.ui.errors import show_error
from statdesk.ui.file_state import FileStateBanner
from statdesk.ui.opening import open_workspace
from statdesk.ui.pages.base import Page
from statdesk.ui.pages.home import HomePage
from statdesk.workspace import Changes, RemoteChange, Workspace
from statdesk.workspace.file_ops import open_demo_city

# The pages, in the navigation's order: title, module in statdesk.ui.pages, class. Home is
# built with the window; each other page (and its module) when it is first shown, which keeps
# them out of start-up.
PAGES = (
    ("Home", "home", "HomePage"),
    ("Team", "team", "TeamPage"),
    ("Inventory", "inventory", "InventoryPage"),
    ("Metrics", "metrics", "MetricsPage"),
    ("Meetings", "meetings", "MeetingsPage"),
    ("Action items", "actions", "ActionsPage"),
    ("History", "history", "HistoryPage"),
)
TITLES = tuple(title for title, _, _ in PAGES)
# Above this size a file's big lists (people, datasets, metrics) take a noticeable moment to
# read, so they are read on a worker thread as soon as Home shows.
WARM_UP_ABOVE = 4 * 1024 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# Which page shows a record of each kind.
PAGE_OF_KIND = {
    "person": "Team",
    "department": "Team",
    "role assignment": "Team",
    "budget portfolio": "Team",
    "dataset": "Inventory",
    "metric": "Metrics",
    "meeting": "Meetings",
    "action item": "Action items",
}


def _same(location: Location, workspace: Workspace) -> bool:
    """Whether `location` is the city `workspace` has open."""
    if isinstance(location, ServerAddress):
        return location == workspace.location
    if workspace.path is None:
        return False
    try:
        return real_file(location) == workspace.path.resolve()
    except StatDeskError:
        return False  # opening it says why


class MainWindow(QMainWindow):
    # Writes may happen on a worker thread (imports); pages hear of them on the GUI thread.
    changes_arrived = Signal(object)
    # Another editor's save on a server, heard on the listening thread.
    saved_elsewhere = Signal(object, object)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.workspace: Workspace = workspace
        self.undo_stack = QUndoStack(self)
        self.changes_arrived.connect(self._apply_changes)
        self.saved_elsewhere.connect(self._saved_elsewhere)

        self._built: dict[int, Page] = {}
        self.editing_actions: list[QAction] = []
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setMaximumWidth(220)
        self.nav.setStyleSheet("QListWidget::item { padding: 7px 10px; }")
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.nav.setFont(nav_font)
        self.stack = QStackedWidget()
        for number, title in enumerate(TITLES, start=1):
            self.nav.addItem(title)
            self.nav.item(number - 1).setToolTip(f"{title} (Ctrl+{number})")
            self.stack.addWidget(QWidget())  # the page itself is built when first shown
        self._adopt(0, HomePage(self))
        self.nav.currentRowChanged.connect(self._show_page)

        self.banner = FileStateBanner()
        self.banner.changed_on_disk.connect(self.refresh_pages)
        self.banner.became_writable.connect(self.refresh_state)
        self.banner.remove_code_requested.connect(self.remove_foreign_code)
        self.banner.open_requested.connect(self.open_path)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self.file_label = QLabel()
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setAccessibleName("File state")
        self.statusBar().addWidget(self.file_label, 1)
        self.statusBar().addPermanentWidget(self.state_label)

        self._build_menus()
        self.resize(QSize(1180, 760))
        self._restore_layout()
        self.show_workspace(workspace)
        self.nav.setCurrentRow(0)

    # ----------------------------------------------------------------- menus
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        editing: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        menu.addAction(action)
        if editing:
            self.editing_actions.append(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New…", self.new_file, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open…", self.open_file, QKeySequence.StandardKey.Open)
        self._action(
            file_menu, "&Connect to a server…", lambda: file_commands.connect_to_server(self)
        )
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Open &demo city", self.open_demo)
        file_menu.addSeparator()
        self._action(file_menu, "&Backup now", self.backup_now)
        self.restore_action = self._action(
            file_menu, "Res&tore from backup…", self.restore_backup, editing=True
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Import…", lambda: self.import_file(), editing=True)
        self._action(file_menu, "Export the &scorecard (PDF)…", self.export_scorecard)
        self._action(file_menu, "&Export…", self.export_file)
        file_menu.addSeparator()
        self._action(file_menu, "City &settings…", self.city_settings, editing=True)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        # Both redo on every platform (Linux's standard is only the second; on a Mac, Qt's
        # "Ctrl" is Command)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find", self.find, QKeySequence.StandardKey.Find)

        go_menu = bar.addMenu("&Go")
        for number, title in enumerate(TITLES, start=1):
            self._action(
                go_menu,
                f"&{number} {title}",
                lambda _c=False, row=number - 1: self.nav.setCurrentRow(row),
                f"Ctrl+{number}",
            )

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu, "&User guide", self.user_guide, QKeySequence.StandardKey.HelpContents
        )
        self._action(help_menu, "&About StatDesk", self.about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = recent.recent_files()
        for path in files:
            action = self.recent_menu.addAction(shown(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # ----------------------------------------------------------------- the file
    def show_workspace(self, workspace: Workspace) -> None:
        """Show a newly opened file (closing the one shown before)."""
        if workspace is not self.workspace:
            self.workspace.close()
            self.workspace = workspace
        self.undo_stack.clear()
        workspace.subscribe(self._changed)
        recent.remember(workspace.location)

        # On a server, the other editors' saves are heard as they commit.
        def heard(change: RemoteChange) -> None:  # on the listening thread: queued to this one
            self.saved_elsewhere.emit(workspace, change)

        workspace.watch(heard)
        self.refresh_state()
        if workspace.notice:  # a StatDesk that stopped mid-save: say what became of it
            self.statusBar().showMessage(workspace.notice, 60_000)
        if workspace.check_pending:  # a big file: checked once its first page shows
            self._check_in_background(workspace)
        if workspace.path is None or _size(workspace.path) > WARM_UP_ABOVE:
            # The other pages read ahead once Home shows (a big file, or over the network).
            # A daemon thread, not the task pool: it reports to no one, and quitting must not
            # wait for it (the pool is waited for when the app ends).
            threading.Thread(target=workspace.warm_up, name="statdesk-warm-up", daemon=True).start()

    def _check_in_background(self, workspace: Workspace) -> None:
        from statdesk.ui.tasks import run_in_background

        def checked(problems: list[str]) -> None:
            if problems and workspace is self.workspace:
                self.refresh_state()  # read-only now, with the reason and a backup to restore

        run_in_background(
            workspace.check_now, checked, lambda error: show_error(self, error, "Check the file")
        )

    def refresh_state(self) -> None:
        """Show the file's name, city, and whether it may be edited; re-read every page."""
        workspace = self.workspace
        city = workspace.city()
        self.setWindowTitle(f"{city.name} — {title_of(workspace.location)} — {APP_NAME}")
        self.file_label.setText(shown(workspace.location))
        editable = not workspace.read_only
        on_server = workspace.path is None
        editing = f"Editing as {workspace.signed_in_as}" if on_server else "Editing"
        self.state_label.setText(
            editing if editable else f"Read-only — {workspace.read_only_reason}"
        )
        self.banner.show_for(workspace)
        for action in self.editing_actions:
            action.setEnabled(editable)
        # A damaged file, or one with code someone else put there, is read-only so that it is
        # kept as it is, and a backup is the way back.
        self.restore_action.setEnabled(
            not on_server and (editable or workspace.damaged or bool(workspace.foreign_code))
        )
        self.undo_action.setVisible(editable)
        self.redo_action.setVisible(editable)
        for page in self.pages:
            page.set_editable(editable)
        self.refresh_pages()

    def refresh_pages(self) -> None:
        for page in self.pages:
            page.request_refresh()

    def _changed(self, changes: Changes) -> None:
        self.changes_arrived.emit(changes)  # queued when it comes from another thread

    def _apply_changes(self, changes: Changes) -> None:
        for page in self.pages:
            page.on_changes(changes)

    def _saved_elsewhere(self, workspace: Workspace, change: RemoteChange) -> None:
        """Another editor saved on the server: show it (every page reads again, by the city's
        new revision) and say who."""
        if workspace is not self.workspace:
            return  # a city this window has since closed
        self.refresh_pages()
        if change.revision is None:
            said = "The connection to the server came back; the pages show what it holds now."
        else:
            what = change.summary or ", ".join(change.kinds)
            said = f"{change.user} saved" + (f": {what}" if what else ".")
        self.statusBar().showMessage(said, 15_000)

    def open_path(self, path: Location) -> bool:
        """Open `path` (a file, or a server's city) in this window; the one already open here
        is left as it is (opening it again would find its own lock and go read-only)."""
        if _same(path, self.workspace):
            self.statusBar().showMessage(
                f"{title_of(path)} is already open in this window.", 10_000
            )
            return True
        workspace = open_workspace(self, path)
        if workspace is None:
            return False
        self.show_workspace(workspace)
        return True

    def open_requested_file(self, path: Location | None) -> None:
        """Another start of StatDesk handed over `path` (None: just come to the front)."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        if path is not None:
            self._open_when_free(path)

    def _open_when_free(self, path: Location) -> None:
        """Open `path` once no dialog is waiting for an answer (the dialog's work comes first)."""
        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(400, lambda: self._open_when_free(path))
        else:
            self.open_path(path)

    def open_file(self) -> None:
        start = str(self.workspace.path.parent if self.workspace.path else Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a StatDesk file", start, file_commands.FILE_FILTER
        )
        if name:
            self.open_path(Path(name))

    def new_file(self) -> None:
        file_commands.new_file(self)

    def open_demo(self) -> None:
        try:
            self.show_workspace(open_demo_city())
        except Exception as error:
            show_error(self, error, "Open demo city")

    def backup_now(self) -> None:
        try:
            copy = self.workspace.backup("manual")
        except Exception as error:
            show_error(self, error, "Backup")
            return
        self.statusBar().showMessage(f"Backed up to {copy}", 10_000)

    def restore_backup(self) -> None:
        file_commands.restore_backup(self)

    def remove_foreign_code(self) -> None:
        file_commands.remove_foreign_code(self)

    def import_file(self, kind: str | None = None) -> None:
        """File ▸ Import…, or a step of Home's Getting started (`kind`: what the file holds)."""
        from statdesk.ui.wizards.import_wizard import ImportWizard

        wizard = ImportWizard(self.workspace, self, kind=kind)
        wizard.exec()
        if wizard.batch_id is not None and wizard.plan is not None:  # imported, not undone
            from statdesk.ui.commands import import_command

            self.undo_stack.push(import_command(self.workspace, wizard.plan, wizard.batch_id, self))

    def plan_meeting(self) -> None:
        self.go_to("Meetings").add_meeting()  # type: ignore[attr-defined]

    def export_file(self) -> None:
        from statdesk.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(self.workspace, self).exec()

    def export_scorecard(self) -> None:
        file_commands.export_scorecard(self)

    def city_settings(self) -> None:
        file_commands.city_settings(self)

    # ----------------------------------------------------------------- navigation
    @property
    def pages(self) -> list[Page]:
        """The pages built so far, in the navigation's order."""
        return [self._built[index] for index in sorted(self._built)]

    def _page_at(self, index: int) -> Page:
        page = self._built.get(index)
        if page is None:
            _, module, name = PAGES[index]
            kind = getattr(importlib.import_module(f"statdesk.ui.pages.{module}"), name)
            page = self._adopt(index, kind(self))
        return page

    def _adopt(self, index: int, page: Page) -> Page:
        """Put a newly built page in its place, editable as the file is."""
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        page.open_record.connect(self.open_record)
        self._built[index] = page
        page.set_editable(not self.workspace.read_only)
        return page

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            page = self._page_at(row)
            self.stack.setCurrentIndex(row)
            page.ensure_fresh()

    def page(self, title: str) -> Page:
        """A page by its title (built now if it has not been shown yet)."""
        return self._page_at(TITLES.index(title))

    def go_to(self, title: str) -> Page:
        """Show a page (reading it first if it is stale) and return it."""
        self.nav.setCurrentRow(TITLES.index(title))
        return self.page(title)

    def open_record(self, kind: str, record_id: int) -> None:
        title = PAGE_OF_KIND.get(kind)
        if title is None:
            return
        self.go_to(title).show_record(kind, record_id)

    def find(self) -> None:
        page = self._page_at(self.stack.currentIndex())
        if not page.focus_search():
            self.statusBar().showMessage(f"The {page.title} page has nothing to search yet.", 5000)

    # ----------------------------------------------------------------- help
    def user_guide(self) -> None:
        from statdesk.ui.dialogs.help import show_user_guide

        show_user_guide(self)

    def about(self) -> None:
        import platform

        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from statdesk import __version__, logs

        info = self.workspace.info()
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{APP_NAME} {__version__}")
        box.setInformativeText(
            f"Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}\n"
            f"City kept in: {info.path}\nSchema revision: {info.schema_revision}\n"
            f"Log folder: {logs.log_file().parent}"
        )
        box.exec()

    # ----------------------------------------------------------------- layout
    def _restore_layout(self) -> None:
        geometry = settings.load_bytes("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.load_bytes("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([170, 1010])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_workspace()
        super().closeEvent(event)

    def close_workspace(self) -> None:
        """Save the layout and close the file (releasing its lock); safe to call twice."""
        settings.save_bytes("main/geometry", self.saveGeometry())
        settings.save_bytes("main/splitter", self.splitter.saveState())
        self.workspace.close()
