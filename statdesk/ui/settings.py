"""The window's own settings (geometry, splitters, the last page): one place, one file.

Stored as an INI file in StatDesk's config folder (so STATDESK_HOME keeps tests hermetic), never
through QSettings() scattered in widgets. `VERSION` is bumped when a stored value changes shape.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from statdesk import paths

VERSION = 1


def _store() -> QSettings:
    settings = QSettings(str(paths.user_config_dir() / "window.ini"), QSettings.Format.IniFormat)
    if settings.value("settings_version", 0, int) != VERSION:
        settings.clear()  # an older layout: start fresh rather than restore nonsense
        settings.setValue("settings_version", VERSION)
    return settings


def save_bytes(key: str, value: QByteArray) -> None:
    _store().setValue(key, value)


def load_bytes(key: str) -> QByteArray | None:
    value = _store().value(key)
    return value if isinstance(value, QByteArray) else None


def save_text(key: str, value: str) -> None:
    _store().setValue(key, value)


def load_text(key: str, default: str = "") -> str:
    value = _store().value(key, default)
    return value if isinstance(value, str) else default
