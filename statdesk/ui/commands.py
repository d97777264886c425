"""Undo and redo: every edit is a labelled command ("Edit Ana Ruiz") on the window's stack.

An edit is carried out first, outside the stack, so its errors reach the user the normal way;
only a change that succeeded is pushed, and its first redo (which Qt calls on push) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from statdesk.ui.errors import show_error
from statdesk.workspace import Changes, Workspace

if TYPE_CHECKING:  # the import machinery is loaded when an import runs, not at start-up
    from statdesk.importing.plan import ImportPlan


class WorkspaceCommand(QUndoCommand):
    def __init__(
        self,
        label: str,
        do: Callable[[], object],
        undo: Callable[[], object],
        parent_widget: QWidget | None,
    ) -> None:
        super().__init__(label)
        self._do = do
        self._undo = undo
        self._widget = parent_widget
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._do, "Redo")

    def undo(self) -> None:
        self._run(self._undo, "Undo")

    def _run(self, step: Callable[[], object], what: str) -> None:
        try:
            step()
        except Exception as error:  # Qt swallows exceptions from these overrides: show them
            self.setObsolete(True)
            show_error(self._widget, error, f"{what} {self.text()}")


def perform(
    stack: QUndoStack,
    workspace: Workspace,
    label: str,
    do: Callable[[], Changes],
    widget: QWidget | None = None,
) -> Changes:
    """Carry out `do` now; if it succeeds, push a command that takes it back and makes it
    again through the workspace (`Workspace.take_back`), with the same ids. A write that
    changed nothing, or wrote many rows in one statement (only imports do, and they have their
    own command), is not put on the stack."""
    changes = do()
    if changes.journal.reversible:
        stack.push(edit_command(workspace, label, changes, widget))
    return changes


def edit_command(
    workspace: Workspace, label: str, changes: Changes, widget: QWidget | None
) -> WorkspaceCommand:
    """An edit done in this window, for the undo stack: undo takes its changes back, redo
    takes back the undo."""
    last = [changes]

    def undo() -> None:
        last[0] = workspace.take_back(last[0], f"Undo: {label}")

    def redo() -> None:
        last[0] = workspace.take_back(last[0], f"Redo: {label}")

    return WorkspaceCommand(label, redo, undo, widget)


def import_command(
    workspace: Workspace, plan: ImportPlan, batch_id: int, widget: QWidget | None
) -> WorkspaceCommand:
    """An import done in this window, for the undo stack: undo removes what it added (as the
    History page's "Undo this import" does), redo writes the same plan again as a new import.
    An undo refused (a later import builds on it) is said, and the command is dropped."""
    batch = [batch_id]

    def redo() -> None:
        batch[0] = workspace.imports.run(plan)[0].batch_id

    return WorkspaceCommand(
        f"Import {plan.source.path.name}", redo, lambda: workspace.imports.undo(batch[0]), widget
    )
