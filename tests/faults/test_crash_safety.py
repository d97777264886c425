"""StatDesk killed (SIGKILL, as a power cut or Task Manager would) at named points of an import,
a backup, a restore, an export and an upgrade. Afterwards the file passes SQLite's full
integrity check, holds all of the operation or none of it, and the next start says what
happened.

The kill comes from `statdesk.storage.crashpoints`, which acts only when the test sets
`STATDESK_TEST_CRASH_AT` for the child process.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from statdesk.storage import crashpoints
from statdesk.storage import models as m
from statdesk.storage.lock import read_lock
from statdesk.storage.schema import HEAD_REVISION
from statdesk.workspace import Workspace, check_file
from tests.conftest import dump_tables, table_columns
from tests.faults.runner import run_cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal"),
]
KILLED = -signal.SIGKILL if sys.platform != "win32" else 1
DATA = Path(__file__).parents[1] / "data"
# Undone when SQLite had already spilled the save into the file, else it never got there.
UNFINISHED = "its unfinished save (was undone|never reached the file)"


def killed_at(point: str, *args: str) -> None:
    result = run_cli(*args, env={crashpoints.VARIABLE: point})
    assert result.returncode == KILLED, result.stdout + result.stderr


def values_csv(folder: Path, metrics: int = 1) -> Path:
    """Ten years of monthly values for `metrics` metrics ("Potholes filled" first)."""
    path = folder / "potholes.csv"
    names = ["Potholes filled"] + [f"Measure {k}" for k in range(1, metrics)]
    lines = ["Metric,Period,Actual"]
    lines += [f"{n},{2015 + i // 12}-{i % 12 + 1:02d},{400 + i}" for n in names for i in range(120)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def healthy(path: Path) -> None:
    conn = sqlite3.connect(path)  # as any reader would: rolls back what a dead writer left
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert "schema revision" in check_file(path)


def next_start(path: Path) -> str:
    """What opening the file for editing says, by the same user as the one who was killed."""
    with Workspace.open(path) as workspace:
        assert not workspace.read_only, workspace.read_only_reason
        return workspace.notice


def test_every_crash_point_is_placed_in_the_code() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in Path(crashpoints.__file__).parents[1].rglob("*.py")
    )
    for point in crashpoints.POINTS:
        assert f'crashpoints.reached("{point}")' in source, point


def test_no_crash_point_acts_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(crashpoints.VARIABLE, raising=False)
    for point in crashpoints.POINTS:
        crashpoints.reached(point)  # still alive
    monkeypatch.setenv(crashpoints.VARIABLE, "another-point")
    crashpoints.reached("import-written")


def test_an_import_killed_before_its_commit_leaves_none_of_it(
    demo_path: Path, tmp_path: Path
) -> None:
    before = dump_tables(demo_path)
    source = values_csv(tmp_path, metrics=400)  # 48,000 values: more than SQLite's page cache
    killed_at("import-written", "import", str(demo_path), str(source), "--kind", "values")
    assert read_lock(demo_path) is not None  # the dead StatDesk never let go
    assert demo_path.with_name(demo_path.name + "-journal").stat().st_size > 0
    notice = next_start(demo_path)
    assert re.search("stopped unexpectedly .* its unfinished save was undone", notice), notice
    healthy(demo_path)
    assert dump_tables(demo_path) == before
    assert list((demo_path.parent / "backups").glob("*.before-import.statdesk"))


def test_an_import_killed_after_its_commit_keeps_all_of_it(demo_path: Path, tmp_path: Path) -> None:
    killed_at(
        "import-committed", "import", str(demo_path), str(values_csv(tmp_path)), "--kind", "values"
    )
    notice = next_start(demo_path)
    assert "stopped unexpectedly" in notice and "undone" not in notice
    healthy(demo_path)
    with Workspace.open(demo_path, read_only=True) as workspace:
        [batch] = workspace.imports.batches()
        assert batch.source_name == "potholes.csv"
        metric = workspace.metrics.find("Potholes filled")
        assert len(workspace.query(m.MetricValue, metric_id=metric.id)) == 120


def test_the_command_line_says_what_happened_too(demo_path: Path, tmp_path: Path) -> None:
    killed_at(
        "import-written", "import", str(demo_path), str(values_csv(tmp_path)), "--kind", "values"
    )
    result = run_cli("info", str(demo_path))
    assert result.returncode == 0, result.stderr
    assert "stopped unexpectedly" in result.stderr
    assert re.search(UNFINISHED, result.stderr)


def test_a_backup_killed_mid_copy_leaves_no_backup_and_the_file_untouched(
    demo_path: Path,
) -> None:
    data = demo_path.read_bytes()
    killed_at("backup-copied", "backup", str(demo_path))
    folder = demo_path.parent / "backups"
    assert list(folder.glob("*.statdesk")) == []  # nothing that looks like a backup
    leftovers = list(folder.glob(".*.tmp*"))
    assert leftovers  # its temporary copy, hidden
    assert demo_path.read_bytes() == data
    healthy(demo_path)
    hour_ago = time.time() - 3700
    for leftover in leftovers:
        os.utime(leftover, (hour_ago, hour_ago))
    time.sleep(1.1)  # the next backup has a name of its own (they are named to the second)
    result = run_cli("backup", str(demo_path))
    assert result.returncode == 0, result.stderr
    assert len(list(folder.glob("*.manual.statdesk"))) == 1
    assert not any(p.exists() for p in leftovers)  # the next backup cleared them away


@pytest.mark.parametrize(
    ("point", "holds"),
    [("backup-copied", "the file as it was"), ("restore-replaced", "the backup")],
)
def test_a_restore_killed_holds_the_old_file_or_the_backup(
    point: str, holds: str, demo_path: Path
) -> None:
    with Workspace.open(demo_path) as workspace:
        backup = workspace.backup("manual")
        workspace.create(m.Department, name="Added after the backup")
    after_edit, at_backup = dump_tables(demo_path), dump_tables(backup)
    killed_at(point, "restore", str(demo_path), "--from", str(backup))
    notice = next_start(demo_path)
    healthy(demo_path)
    expected = after_edit if holds == "the file as it was" else at_backup
    assert dump_tables(demo_path) == expected
    if holds == "the backup":  # the restore was done; only its change-log line was not
        assert "stopped unexpectedly" in notice


def test_an_export_killed_before_its_rename_leaves_the_old_export(
    demo_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "Stat memo.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF- last week's memo")
    killed_at("file-written", "export", str(demo_path), "memo", "--meeting", "3", "-o", str(target))
    assert target.read_bytes() == b"%PDF- last week's memo"
    [leftover] = target.parent.glob(".Stat memo.pdf.*.tmp")
    assert leftover.read_bytes().startswith(b"%PDF-")  # whole, but never put in its place
    result = run_cli("export", str(demo_path), "memo", "--meeting", "3", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() != b"%PDF- last week's memo"


def test_an_upgrade_killed_midway_leaves_the_old_schema_and_is_redone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "Old City.statdesk"
    shutil.copyfile(DATA / "schema-0001.statdesk", path)
    leave_out = ("change_log", "file_state", "alembic_version")
    old_columns = table_columns(path)  # what the old schema holds is compared, column by column
    before = dump_tables(path, leave_out, old_columns)
    killed_at(
        "migration-upgraded", "import", str(path), str(values_csv(tmp_path)), "--kind", "values"
    )
    [kept] = (tmp_path / "backups").glob("*.before-upgrade.statdesk")
    assert "it will be upgraded" in check_file(kept)
    notice = next_start(path)  # undoes the half-upgrade, then upgrades again, after a backup
    assert re.search(UNFINISHED, notice), notice
    healthy(path)
    with Workspace.open(path, read_only=True) as workspace:
        assert workspace.info().schema_revision == HEAD_REVISION
    assert dump_tables(path, leave_out, old_columns) == before
