"""Backups of a .statdesk file: a consistent copy, checked, then renamed into place.

SQLite's online backup API copies a live database page by page without stopping readers; the
copy is written under a temporary name, checked with `quick_check`, and only then renamed, so a
backup that exists is always a whole, healthy file.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from statdesk.domain.errors import DamagedFile, FileProblem
from statdesk.storage import crashpoints
from statdesk.storage.atomic import remove_leftovers, replacing
from statdesk.storage.connection import connect_raw

BACKUP_FOLDER = "backups"
KEEP_LAST = 10  # the newest backups, whatever their day
KEEP_DAYS = 14  # and the newest one of each of this many days


def backup_folder(path: Path, fallback: Path) -> Path:
    """`backups/` beside the file, or a folder in the user data dir if the share is read-only."""
    beside = path.parent / BACKUP_FOLDER
    try:
        beside.mkdir(exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=beside, prefix=".probe-")
    except OSError:
        folder = fallback / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    os.close(handle)
    with contextlib.suppress(OSError):  # written, so the folder is writable, removed or not
        Path(probe).unlink()
    return beside


def backup_name(path: Path, reason: str, now: datetime | None = None, number: int = 1) -> str:
    """`STEM.YYYYmmdd-HHMMSS.reason.statdesk`; a second backup made in the same second is
    `STEM.YYYYmmdd-HHMMSS-2.reason.statdesk`, and so on."""
    slug = "-".join(reason.lower().split())
    return f"{path.stem}.{_stamp(now or datetime.now(UTC), number)}.{slug}.statdesk"


def _stamp(moment: datetime, number: int) -> str:
    return moment.strftime("%Y%m%d-%H%M%S") + (f"-{number}" if number > 1 else "")


def free_backup_name(folder: Path, path: Path, reason: str) -> Path:
    """A name whose moment no backup in `folder` has yet: two backups in one second (two
    restores in a row) must never write over each other, for the first may hold the only copy
    of what the file was."""
    now = datetime.now(UTC)
    number = 1
    while any(folder.glob(f"{glob.escape(path.stem)}.{_stamp(now, number)}.*.statdesk")):
        number += 1
    return folder / backup_name(path, reason, now, number)


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


# A file up to this size is copied as one image: read whole in page order, checked in memory,
# written with one write. Over a share each page read or written through SQLite costs a round
# trip (a 400 KB city took 10 s to back up on a 30 ms link); an image costs a few.
IMAGE_COPY_LIMIT = 128 * 1024 * 1024


def _copy_checked(source: Path, temp: Path) -> None:
    src = connect_raw(source, "ro")
    try:
        size = source.stat().st_size
        if size <= IMAGE_COPY_LIMIT and hasattr(src, "serialize"):
            verdict = _copy_image(src, temp)
        else:
            verdict = _copy_pages(src, temp)
    finally:
        src.close()
    if verdict != "ok":
        raise DamagedFile(
            f"The copy of {source.name} failed its check ({verdict}); no backup was made.",
            "Run 'statdesk check' on the file, and restore an older backup if it is damaged.",
        )


def _copy_image(src: sqlite3.Connection, temp: Path) -> str:
    """The source as one consistent image (SQLite reads it in one read transaction), checked
    in memory, then written whole into `temp`. Returns the check's verdict."""
    image = src.serialize()
    if image[18:20] == b"\x02\x02":  # a file that arrived in WAL mode: its copy is not
        image = image[:18] + b"\x01\x01" + image[20:]
    check = sqlite3.connect(":memory:")
    try:
        check.deserialize(image)
        row = check.execute("PRAGMA quick_check").fetchone()
    finally:
        check.close()
    if row is None or row[0] != "ok":
        return str(row)
    with temp.open("wb") as out:
        out.write(image)
        out.flush()
        os.fsync(out.fileno())
    crashpoints.reached("backup-copied")
    return "ok"


def _copy_pages(src: sqlite3.Connection, temp: Path) -> str:
    """A big source copied page by page with SQLite's backup API, then checked in `temp`."""
    dst = sqlite3.connect(temp, isolation_level=None)
    try:
        src.backup(dst)
        crashpoints.reached("backup-copied")
        dst.execute("PRAGMA journal_mode = DELETE").fetchone()
        row = dst.execute("PRAGMA quick_check").fetchone()
    finally:
        dst.close()
    return "ok" if row is not None and row[0] == "ok" else str(row)


def make_backup(path: Path, reason: str, fallback: Path) -> Path:
    """Back up `path` into its backups folder, then thin out old ones; returns the backup."""
    folder = backup_folder(path, fallback)
    # Each backup has a name of its own, so a copy left by a StatDesk that stopped mid-backup
    # is cleared here rather than by the next write of the same name.
    remove_leftovers(folder, glob.escape(path.stem) + ".*.statdesk")
    target = free_backup_name(folder, path, reason)
    copy_database(path, target)
    prune(folder, path.stem, made=target)
    return target


def _moment(backup: Path, stem: str) -> tuple[datetime, int] | None:
    """When a backup was made, read from its name (`STEM.YYYYmmdd-HHMMSS[-N].reason.statdesk`):
    the moment, and its number within that second."""
    stamp = backup.name[len(stem) + 1 :].partition(".")[0]
    try:
        when = datetime.strptime(stamp[:15], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    number = stamp[15:]
    if not number:
        return when, 1
    return (when, int(number[1:])) if number[0] == "-" and number[1:].isdigit() else None


def _dated(folder: Path, stem: str) -> list[tuple[tuple[datetime, int], Path]]:
    """The backups of `stem` in `folder` (a name with glob characters, `[draft]`, matched as
    written), newest first."""
    found = [
        (moment, candidate)
        for candidate in folder.glob(f"{glob.escape(stem)}.*.statdesk")
        if (moment := _moment(candidate, stem)) is not None
    ]
    return sorted(found, reverse=True)


def backups_of(path: Path, fallback: Path) -> list[Path]:
    """Every backup of `path`, beside it or in the fallback folder, newest first."""
    folders = [path.parent / BACKUP_FOLDER, fallback / path.stem]
    found = [entry for folder in folders if folder.is_dir() for entry in _dated(folder, path.stem)]
    return [candidate for _, candidate in sorted(found, reverse=True)]


def made_today(path: Path, fallback: Path, reason: str) -> bool:
    today = datetime.now(UTC).strftime("%Y%m%d")
    slug = "-".join(reason.lower().split())
    return any(
        b.name.startswith(f"{path.stem}.{today}-") and b.name.endswith(f".{slug}.statdesk")
        for b in backups_of(path, fallback)
    )


def prune(
    folder: Path,
    stem: str,
    keep_last: int = KEEP_LAST,
    keep_days: int = KEEP_DAYS,
    made: Path | None = None,
) -> list[Path]:
    """Keep the newest `keep_last` backups and the newest one of each of the last `keep_days`
    days, and always the backup just `made` (a clock set back dates it before the others, and
    it may be the safety copy a restore just promised); delete the rest. Returns what was
    deleted."""
    dated = _dated(folder, stem)
    keep = {b for _, b in dated[:keep_last]} | ({made} if made is not None else set())
    newest_per_day: dict[str, Path] = {}
    for (moment, _number), backup in dated:
        newest_per_day.setdefault(moment.strftime("%Y%m%d"), backup)
    days = sorted(newest_per_day, reverse=True)[:keep_days]
    keep |= {newest_per_day[day] for day in days}
    removed = [b for _, b in dated if b not in keep]
    for backup in removed:
        with contextlib.suppress(OSError):
            backup.unlink()
    return removed
