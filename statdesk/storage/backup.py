"""Backups of a .statdesk file: a consistent copy, checked, then renamed into place.

SQLite's online backup API copies a live database page by page without stopping readers; the
copy is written under a temporary name, checked with `quick_check`, and only then renamed, so a
backup that exists is always a whole, healthy file.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from statdesk.domain.errors import DamagedFile, FileProblem
from statdesk.storage.atomic import replacing
from statdesk.storage.connection import connect_raw

BACKUP_FOLDER = "backups"


def backup_folder(path: Path, fallback: Path) -> Path:
    """`backups/` beside the file, or a folder in the user data dir if the share is read-only."""
    beside = path.parent / BACKUP_FOLDER
    try:
        beside.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=beside, prefix=".probe-"):
            pass
        return beside
    except OSError:
        folder = fallback / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def backup_name(path: Path, reason: str, now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    slug = "-".join(reason.lower().split())
    return f"{path.stem}.{moment}.{slug}.statdesk"


def copy_database(source: Path, target: Path) -> None:
    """Copy a live database to `target` atomically: temp file, backup API, check, rename."""
    try:
        with replacing(target) as temp:
            _copy_checked(source, temp)
    except sqlite3.Error as error:
        raise FileProblem(
            f"StatDesk could not copy {source.name}: {error}.",
            "Check there is free space and that the folder is writable.",
        ) from error


def _copy_checked(source: Path, temp: Path) -> None:
    src = connect_raw(source, "ro")
    dst = sqlite3.connect(temp, isolation_level=None)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE").fetchone()
        verdict = dst.execute("PRAGMA quick_check").fetchone()
    finally:
        dst.close()
        src.close()
    if verdict is None or verdict[0] != "ok":
        raise DamagedFile(
            f"The copy of {source.name} failed its check ({verdict}); no backup was made.",
            "Run 'statdesk check' on the file, and restore an older backup if it is damaged.",
        )


def make_backup(path: Path, reason: str, fallback: Path) -> Path:
    """Back up `path` into its backups folder; returns the backup's path."""
    target = backup_folder(path, fallback) / backup_name(path, reason)
    copy_database(path, target)
    return target
