"""The database half of the hostile corpus: `.statdesk` files that are not what they claim, are
damaged, or were tampered with. Each maker changes a healthy copy of the demo city (or puts
something else at its path) and returns the path to open.

Each case says what `statdesk check` must do (exit code and a sentence) and what opening it in
the app must do: refuse it with a sentence, open it read-only with the reason, or open it for
editing (saying what happened, where something did).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from statdesk.storage.lock import LockInfo, lock_path, this_host
from statdesk.storage.schema import APPLICATION_ID


@dataclass(frozen=True)
class FileCase:
    id: str
    make: Callable[[Path], Path]
    check: tuple[int, str]  # `statdesk check`: exit code, and a regular expression it prints
    opens: str  # "refused", "read-only" or "editing"
    says: str  # what the app shows: the refusal, the read-only reason, or the notice
    changes_file: bool = False  # StatDesk repairs it on open (rolls back, converts, upgrades)


def _sql(*statements: str) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        conn = sqlite3.connect(path)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()
        return path

    return make


def _replace_with(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


def _folder(path: Path) -> Path:
    path.unlink()
    path.mkdir()
    return path


def _missing(path: Path) -> Path:
    return path.with_name(r"\\cityhall\stat\gone.statdesk" if sys.platform == "win32" else "gone")


def _other_program(path: Path) -> Path:
    path.unlink()
    return _sql("CREATE TABLE songs (title TEXT)", "INSERT INTO songs VALUES ('x')")(path)


def _truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _page_of(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    [page] = conn.execute(
        "SELECT max(pageno) FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,)
    ).fetchone()
    conn.close()
    return int(page)


def _scribble(page_of: Callable[[Path], int], start: int = 0) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        page = page_of(path)
        data = bytearray(path.read_bytes())
        first = 4096 * (page - 1) + start
        data[first : 4096 * page] = b"\x5a" * (4096 * page - first)
        path.write_bytes(bytes(data))
        return path

    return make


def _no_schema(path: Path) -> Path:
    path.unlink()
    return _sql(f"PRAGMA application_id = {APPLICATION_ID}", "CREATE TABLE notes (x)")(path)


def _wal_copy(path: Path) -> Path:
    """The file and its un-checkpointed WAL, copied while another program had it open."""
    source = path.with_name("source.statdesk")
    path.rename(source)
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("INSERT INTO department (name, active, version) VALUES ('Libraries', 1, 1)")
    conn.commit()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
    conn.close()
    return path


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    return int(done.stdout)


def lock_of(user: str, host: str, pid: int) -> str:
    moment = datetime.now(UTC).isoformat()
    info = LockInfo(user, user, host, pid, "s" * 32, "0.1.0", moment, moment)
    return json.dumps(info.as_json())


def _hot_journal(path: Path) -> Path:
    """A writer on this computer died mid-save: a journal that must be rolled back, and the
    dead writer's lock."""
    source = path.with_name("source.statdesk")
    path.rename(source)
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA cache_size = 5")  # spill the half-save into the file's own pages
    conn.execute("BEGIN IMMEDIATE")
    for number in range(3000):
        conn.execute(
            "INSERT INTO department (name, active, version) VALUES (?, 1, 1)",
            (f"Half-saved department {number}",),
        )
    for suffix in ("", "-journal"):
        shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
    conn.execute("ROLLBACK")
    conn.close()
    lock_path(path).write_text(lock_of("crasher", this_host(), dead_pid()))
    return path


def _lock_text(text: str | bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        lock_path(path).write_bytes(data)
        return path

    return make


def _lock_folder(path: Path) -> Path:
    lock_path(path).mkdir()
    return path


def _older_schema(path: Path) -> Path:
    shutil.copyfile(Path(__file__).parents[1] / "data" / "schema-0001.statdesk", path)
    return path


DATABASES = [
    FileCase(
        "text-renamed-statdesk",
        _replace_with(b"Metric,Period,Actual\nPotholes,Jul 2025,412\n"),
        (4, "not a database at all"),
        "refused",
        "not a database at all",
    ),
    FileCase("empty-file", _replace_with(b""), (4, "is empty"), "refused", "is empty"),
    FileCase("a-folder", _folder, (4, "is a folder"), "refused", "is a folder"),
    FileCase("missing-unc-path", _missing, (3, "There is no file at"), "refused", "no file at"),
    FileCase(
        "another-programs-sqlite",
        _other_program,
        (4, "made by another program"),
        "refused",
        "made by another program",
    ),
    FileCase(
        "random-bytes",
        _replace_with(os.urandom(8192)),
        (4, "not a database at all"),
        "refused",
        "not a database at all",
    ),
    FileCase(
        "truncated-copy",
        _truncated,
        (4, "cut off while being copied"),
        "refused",
        "cut off while being copied",
    ),
    FileCase(
        "corrupted-page",
        _scribble(lambda p: _page_of(p, "metric_value")),
        (4, "is damaged"),
        "read-only",
        r"is damaged .*open read-only so nothing more is lost",
    ),
    FileCase(
        "schema-page-destroyed",
        _scribble(lambda p: 1, start=100),
        (4, "is damaged|not a readable database"),
        "refused",
        "is damaged|not a readable database",
    ),
    FileCase(
        "no-schema",
        _no_schema,
        (4, "has no schema"),
        "refused",
        "marked as a StatDesk file but has no schema",
    ),
    FileCase(
        "broken-reference",
        _sql(
            "PRAGMA foreign_keys = OFF",
            "INSERT INTO person (name, active, version, department_id) "
            "VALUES ('Nobody', 1, 1, 9999)",
        ),
        (4, "refers to a missing department"),
        "read-only",
        "refers to a missing department",
    ),
    FileCase(
        "newer-schema",
        _sql("PRAGMA user_version = 42", "UPDATE file_state SET written_with = '9.1.0'"),
        (5, "saved by StatDesk version 9.1.0"),
        "read-only",
        r"version 9\.1\.0, newer than this StatDesk .* open read-only",
    ),
    FileCase(
        "older-schema",
        _older_schema,
        (0, "it will be upgraded when opened for editing"),
        "editing",
        "",
        changes_file=True,
    ),
    FileCase(
        "wal-mode",
        _wal_copy,
        (0, "healthy"),
        "editing",
        "",
        changes_file=True,
    ),
    FileCase(
        "hot-journal",
        _hot_journal,
        (0, "an unfinished save left by a StatDesk that stopped was rolled back"),
        "read-only",
        "stopped unexpectedly while crasher .* its unfinished save was undone",
        changes_file=True,
    ),
    FileCase(
        "malicious-trigger",
        _sql("CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM metric_value; END"),
        (4, r"database code that StatDesk did not put there \(trigger 'wipe' on change_log\)"),
        "read-only",
        r"trigger 'wipe' on change_log\).* open read-only, so nothing runs",
    ),
    FileCase(
        "malicious-view",
        _sql("CREATE VIEW everyone AS SELECT name FROM person"),
        (4, r"did not put there \(view 'everyone'\)"),
        "read-only",
        r"view 'everyone'.* open read-only, so nothing runs",
    ),
    FileCase(
        "lock-file-garbage-json",
        _lock_text('{"user": "ana", "pid": "twelve", '),
        (0, "healthy"),
        "read-only",
        "its lock file cannot be read",
    ),
    FileCase(
        "lock-file-binary",
        _lock_text(b"\x00\xff\xfe not UTF-8 \x81"),
        (0, "healthy"),
        "read-only",
        "its lock file cannot be read",
    ),
    FileCase(
        "lock-file-is-a-folder",
        _lock_folder,
        (0, "healthy"),
        "refused",
        "A folder is where the lock file .* belongs",
    ),
    FileCase(
        "lock-of-a-live-colleague",
        lambda p: _lock_text(lock_of("colleague", "CLERK-LAPTOP-7", 4242))(p),
        (0, "healthy"),
        "read-only",
        "In use by colleague on CLERK-LAPTOP-7",
    ),
]
