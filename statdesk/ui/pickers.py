"""Pickers of records: a name told apart by its department, a combo box searched by typing
(a city's 2,000 metrics), and a list of records to tick with its "Type to find" field."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem

SEARCH_ABOVE = 12  # a list longer than this is searched by typing


def picker_label(name: str, department: str) -> str:
    """A record's name with its department, so two of one name are told apart."""
    return f"{name} — {department}" if department else name


def make_searchable(combo: QComboBox) -> QComboBox:
    """Let a long list (a city's 2,000 metrics) be searched by typing any part of a name, and
    keep the box as wide as a form's field, not as its longest name (a dialog once grew past
    the screen). What is typed never becomes a choice of its own: leaving the field with text
    that names no choice puts the chosen one back."""
    from PySide6.QtWidgets import QCompleter

    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(24)
    if combo.count() <= SEARCH_ABOVE or combo.property("searchable"):
        return combo  # short, or made searchable already (a list refilled)
    combo.setProperty("searchable", True)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    edit = combo.lineEdit()
    edit.setPlaceholderText("Type to search")

    def settle() -> None:
        found = combo.findText(edit.text(), Qt.MatchFlag.MatchFixedString)
        if found >= 0:
            combo.setCurrentIndex(found)
        edit.setText(combo.itemText(combo.currentIndex()))

    edit.editingFinished.connect(settle)
    return combo


FINDS = "finds"  # a widget property: this field finds, it edits nothing


class CheckList(QListWidget):
    """Records to tick (the departments a portfolio covers, a metric's source datasets)."""

    def __init__(
        self, choices: Iterable[tuple[int, str]], checked: Iterable[int], name: str
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        ticked = set(checked)
        for record_id, text in choices:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if record_id in ticked else Qt.CheckState.Unchecked
            )
            self.addItem(item)

    def set_checked(self, ids: Iterable[int]) -> None:
        """Tick exactly these records."""
        ticked = set(ids)
        for i in range(self.count()):
            item = self.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in ticked
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def search_box(self) -> QLineEdit:
        """A field that shows only the rows holding what is typed (ticked rows stay ticked
        when hidden), for a list of a city's 2,000 datasets or 1,000 people."""
        box = QLineEdit()
        box.setPlaceholderText("Type to find")
        box.setClearButtonEnabled(True)
        box.setAccessibleName(f"Find in {self.accessibleName().lower()}")
        box.setProperty(FINDS, True)  # a read-only record is searched all the same

        def show_matching(text: str) -> None:
            words = text.casefold().split()
            for i in range(self.count()):
                item = self.item(i)
                item.setHidden(not all(w in item.text().casefold() for w in words))

        box.textChanged.connect(show_matching)
        return box

    def checked_ids(self) -> list[int]:
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]
