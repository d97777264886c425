"""Where StatDesk keeps things on this computer, and where its bundled resources are.

User folders come from platformdirs (AppData on Windows). `STATDESK_HOME` moves all of them
under one folder, which the tests use so that no test touches a real user profile.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "StatDesk"


def _home_override() -> Path | None:
    value = os.environ.get("STATDESK_HOME")
    return Path(value) if value else None


def _user_dir(kind: str) -> Path:
    override = _home_override()
    if override is not None:
        folder = override / kind
    else:
        import platformdirs

        finder = {
            "data": platformdirs.user_data_dir,
            "config": platformdirs.user_config_dir,
            "logs": platformdirs.user_log_dir,
        }[kind]
        folder = Path(finder(APP_DIR_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def user_data_dir() -> Path:
    """The demo city, recovery files and backups of read-only shares live here."""
    return _user_dir("data")


def user_config_dir() -> Path:
    return _user_dir("config")


def user_log_dir() -> Path:
    return _user_dir("logs")


def demo_city_path() -> Path:
    return user_data_dir() / "Demo City.statdesk"


def resources_dir() -> Path:
    """Templates, icons and fonts: beside the package in a source tree, inside the package in a
    wheel, or in the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    package = Path(__file__).resolve().parent
    candidates += [package.parent / "resources", package / "_resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("StatDesk's resources folder is missing; reinstall StatDesk.")
