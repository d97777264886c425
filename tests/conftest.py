"""Shared fixtures. Every test gets its own user folders (STATDESK_HOME) so none touches a real
profile, and Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from statdesk.reporting import fonts
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_demo, create_file

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REALWORLD = SHARED / "data" / "realworld"
SMB_TESTS = "tests/storage/test_smb_share.py"
AS_OF = date(2026, 11, 22)  # the demo's "today" in tests, so every run builds the same city


@pytest.fixture(autouse=True)
def statdesk_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("STATDESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def computer_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The folders of "the computer's own" fonts the documents may fall back on: none unless a
    test adds one, so what a document shows does not depend on the fonts of the machine."""
    folders: list[Path] = []
    monkeypatch.setattr(fonts, "system_folders", lambda: list(folders))
    fonts.system_fonts.cache_clear()
    yield folders
    fonts.system_fonts.cache_clear()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city built once per test run; tests get a copy (see `demo_path`)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.statdesk"
    os.environ.setdefault("STATDESK_HOME", str(folder / "home"))
    create_demo(path, as_of=AS_OF, user="tester").close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "Harbor Bend.statdesk"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Workspace]:
    with Workspace.open(demo_path, user="tester") as workspace:
        yield workspace


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Workspace]:
    """A new file for a city with a July fiscal year and nothing in it."""
    with create_file(
        tmp_path / "Riverton.statdesk",
        city_name="Riverton",
        fiscal_year_start_month=7,
        user="tester",
    ) as workspace:
        yield workspace


def dump_tables(
    path: Path,
    leave_out: tuple[str, ...] = ("change_log", "file_state"),
    columns: dict[str, list[str]] | None = None,
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (but `leave_out`), to compare two files' content exactly;
    with `columns`, only those tables and columns (a file of an older schema's, say)."""
    import sqlite3

    conn = sqlite3.connect(path)
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        if r[0] not in leave_out and (columns is None or r[0] in columns)
    ]
    dump = {}
    for table in names:
        chosen = ", ".join(f'"{c}"' for c in columns[table]) if columns else "*"
        dump[table] = conn.execute(f'SELECT {chosen} FROM "{table}" ORDER BY 1').fetchall()
    conn.close()
    return dump


def table_columns(path: Path) -> dict[str, list[str]]:
    """Each table's columns, in order."""
    import sqlite3

    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    found = {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    conn.close()
    return found


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on the real SMB share (CI may skip none of them)."""
    outcomes: dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "nodeid", "").startswith(SMB_TESTS) and report.when in (
                "call",
                "setup",
            ):
                if outcome == "passed" and report.when == "setup":
                    continue  # its call is counted
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if outcomes:
        ran = outcomes.get("passed", 0) + outcomes.get("failed", 0)
        skipped = outcomes.get("skipped", 0)
        terminalreporter.write_line(
            f"Tests on the real SMB share ({SMB_TESTS}): {ran} ran"
            + (f", {outcomes['failed']} of them failing" if outcomes.get("failed") else "")
            + (f"; {skipped} skipped" if skipped else "; none skipped")
        )
