"""File ▸ Connect to a server…: the server, the database and who signs in; the password only
for this connection, or kept in the computer's keyring when asked (never in StatDesk's own
settings or its list of recent files)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.locations import DEFAULT_PORT, ServerAddress

# libpq's sslmode, as a city's IT would name it.
SECURITY = (
    ("require", "Encrypted (sslmode=require)"),
    ("verify-full", "Encrypted, the server's certificate checked (verify-full)"),
    ("prefer", "Encrypted when the server offers it (prefer)"),
    ("disable", "Not encrypted (disable): only on this computer or a trusted network"),
)


class ConnectDialog(QDialog):
    """Asks where the city's database is; `address()` is the answer, `password()` the
    password typed (empty: the keyring's or the pgpass file's)."""

    def __init__(self, parent: QWidget | None = None, last: ServerAddress | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a server")
        intro = QLabel(
            "A city kept on a PostgreSQL server, where several analysts edit at once. Ask the "
            "server's administrator for these; to put a city there, use statdesk move."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.host = QLineEdit(last.host if last else "")
        self.host.setPlaceholderText("db.city.gov")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(last.port if last else DEFAULT_PORT)
        self.database = QLineEdit(last.database if last else "")
        self.database.setPlaceholderText("stat")
        self.user = QLineEdit(last.user if last else "")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("leave empty to use the keyring or pgpass file")
        self.keep = QCheckBox("&Keep the password in this computer's keyring")
        self.security = QComboBox()
        for mode, label in SECURITY:
            self.security.addItem(label, mode)
        chosen = last.option("sslmode") if last else "require"
        index = self.security.findData(chosen or "prefer")
        self.security.setCurrentIndex(max(index, 0))
        form = QFormLayout()
        for label, widget, name in (
            ("&Server", self.host, "Server name"),
            ("P&ort", self.port, "Port"),
            ("&Database", self.database, "Database"),
            ("&User name", self.user, "User name"),
            ("Pass&word", self.secret, "Password"),
            ("S&ecurity", self.security, "Security of the connection"),
        ):
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        form.addRow("", self.keep)
        self.preview = QLabel()
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setAccessibleName("Address")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #a4262c;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Connect")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._update)
        self.port.valueChanged.connect(self._update)
        self.security.currentIndexChanged.connect(self._update)
        self._update()

    def address(self) -> ServerAddress:
        mode = str(self.security.currentData())
        return ServerAddress(
            host=self.host.text().strip(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            options=(("sslmode", mode),),
        )

    def password(self) -> str:
        return self.secret.text()

    def keep_password(self) -> bool:
        return self.keep.isChecked() and bool(self.secret.text())

    def _update(self) -> None:
        missing = [
            name
            for name, field in (
                ("the server", self.host),
                ("the database", self.database),
                ("the user name", self.user),
            )
            if not field.text().strip()
        ]
        self.problem.setText("Give " + ", ".join(missing) + "." if missing else "")
        self.ok.setEnabled(not missing)
        self.preview.setText(f"Address: {self.address().shown}")
