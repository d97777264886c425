"""What is on disk is told apart before SQLite sees it: each wrong file gets its own sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from statdesk.domain.errors import (
    DamagedFile,
    FileMissing,
    NotAStatDeskFile,
    ReadOnly,
)
from statdesk.storage.schema import HEAD_REVISION, read_header
from statdesk.workspace import Workspace, check_file


def test_a_missing_file_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match="There is no file at"):
        Workspace.open(tmp_path / "gone.statdesk")


def test_a_text_file_renamed_statdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.statdesk"
    path.write_text("Potholes,Month\n12,Jan\n")
    with pytest.raises(NotAStatDeskFile, match="not a database at all") as caught:
        Workspace.open(path)
    assert "Import" in caught.value.hint
    assert path.read_text() == "Potholes,Month\n12,Jan\n"  # untouched


def test_an_empty_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.statdesk"
    empty.touch()
    with pytest.raises(NotAStatDeskFile, match="is empty"):
        read_header(empty)
    with pytest.raises(NotAStatDeskFile, match="is a folder"):
        read_header(tmp_path)


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.statdesk"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAStatDeskFile, match="made by another program"):
        check_file(path)


def test_a_truncated_copy_is_caught_by_its_size(demo_path: Path) -> None:
    data = demo_path.read_bytes()
    demo_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DamagedFile, match="cut off while being copied"):
        check_file(demo_path)
    with pytest.raises(DamagedFile):
        Workspace.open(demo_path)


def test_a_corrupted_page_fails_the_check(demo_path: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    page = 4096
    for offset in range(page * 20, page * 24):  # scribble over a few pages of tables
        data[offset] = 0x5A
    demo_path.write_bytes(bytes(data))
    with pytest.raises(DamagedFile, match="damaged"):
        check_file(demo_path)


def test_a_healthy_file_passes_the_check(demo_path: Path) -> None:
    assert f"schema revision {HEAD_REVISION}" in check_file(demo_path)


def test_a_newer_file_opens_read_only_and_names_the_version_needed(demo_path: Path) -> None:
    conn = sqlite3.connect(demo_path)
    conn.execute("PRAGMA user_version = 42")
    conn.execute("UPDATE file_state SET written_with = '9.1.0'")
    conn.commit()
    conn.close()
    with Workspace.open(demo_path) as workspace:
        assert workspace.read_only
        assert "StatDesk version 9.1.0" in workspace.read_only_reason
        assert "Install StatDesk 9.1.0 or later" in workspace.read_only_reason
        assert workspace.counts()["departments"] == 9  # still readable
        with pytest.raises(ReadOnly):
            workspace.update_city(name="Other")
