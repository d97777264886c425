"""Shared fixtures. Every test gets its own user folders (STATDESK_HOME) so none touches a real
profile, and Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from statdesk.domain.locations import shown
from statdesk.reporting import fonts
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_demo, create_file
from tests.pg import SUPERUSER, Server

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REALWORLD = SHARED / "data" / "realworld"
SMB_TESTS = "tests/storage/test_smb_share.py"
SERVER_TESTS = (  # the modules that only run on a server
    "tests/storage/test_server.py",
    "tests/cli/test_cli_server.py",
    "tests/ui/test_window_on_a_server.py",
)
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


# ----------------------------------------------------------------- both stores
#
# A module marked `both_stores` runs each test that uses `demo` or `empty` twice: on a
# .statdesk file and on a database on a real PostgreSQL server (tests/pg.py), the same city in
# each. Elsewhere `demo` and `empty` are files.


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stores: run the module's workspace tests on a file and on a server"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    wants_city = {"demo", "empty", "demo_where"} & set(metafunc.fixturenames)
    if wants_city and metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("store_kind", ["file", "server"], indirect=True)


@pytest.fixture
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "file"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A throwaway PostgreSQL cluster for the whole run (skipped, or failed in CI, where none
    can be started: see tests/pg.py)."""
    from tests.pg import started

    with started() as server:
        # The tests' user, as the change log names whoever signs in to a server.
        server.sql("CREATE ROLE tester LOGIN SUPERUSER")
        yield server


def _server_template(server: Server, name: str, source: Path) -> str:
    """A template database holding the city of the file `source`, copied as `statdesk move`
    copies (the file is not marked)."""
    from sqlalchemy import create_engine

    from statdesk.storage.connection import open_engine
    from statdesk.storage.copying import copy_city
    from statdesk.storage.schema import upgrade

    server.sql(f'CREATE DATABASE "{name}"')
    target = create_engine(server.url(name).replace("postgresql://", "postgresql+psycopg://"))
    source_engine = open_engine(source, read_only=True)
    try:
        with source_engine.connect() as conn, target.begin() as into:
            upgrade(into)
            copy_city(conn, into)
    finally:
        target.dispose()
        source_engine.dispose()
    return name


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: Server, demo_template: Path) -> str:
    return _server_template(pg_server, "demo_template", demo_template)


@pytest.fixture(scope="session")
def pg_empty_template(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("empty-template")
    create_file(
        folder / "Riverton.statdesk",
        city_name="Riverton",
        fiscal_year_start_month=7,
        user="tester",
    ).close()
    return _server_template(pg_server, "empty_template", folder / "Riverton.statdesk")


def _on_server(request: pytest.FixtureRequest, template_fixture: str) -> Iterator[Workspace]:
    server: Server = request.getfixturevalue("pg_server")
    url = server.database(template=request.getfixturevalue(template_fixture))
    try:
        with Workspace.open(url.replace(SUPERUSER, "tester", 1), user="tester") as workspace:
            yield workspace
    finally:
        server.drop(url)


@pytest.fixture
def demo(request: pytest.FixtureRequest, store_kind: str) -> Iterator[Workspace]:
    if store_kind == "server":
        yield from _on_server(request, "pg_demo_template")
        return
    with Workspace.open(request.getfixturevalue("demo_path"), user="tester") as workspace:
        yield workspace


@pytest.fixture
def demo_where(request: pytest.FixtureRequest, store_kind: str) -> Iterator[str]:
    """Where a copy of the demo city is, as a command line is given it: a file's path, or a
    server's postgresql:// address (in a `both_stores` module)."""
    if store_kind != "server":
        yield str(request.getfixturevalue("demo_path"))
        return
    server: Server = request.getfixturevalue("pg_server")
    url = server.database(template=request.getfixturevalue("pg_demo_template"))
    try:
        yield url.replace(SUPERUSER, "tester", 1)
    finally:
        server.drop(url)


@pytest.fixture
def empty(request: pytest.FixtureRequest, store_kind: str, tmp_path: Path) -> Iterator[Workspace]:
    """A new city (a file, or on a server) with a July fiscal year and nothing in it."""
    if store_kind == "server":
        yield from _on_server(request, "pg_empty_template")
        return
    with create_file(
        tmp_path / "Riverton.statdesk",
        city_name="Riverton",
        fiscal_year_start_month=7,
        user="tester",
    ) as workspace:
        yield workspace


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """The system's keyring replaced by one in memory (what it keeps, by (service, name)),
    as the tests must not read or write the machine's own."""
    import keyring
    from keyring.backend import KeyringBackend

    kept: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            kept.pop((service, username), None)

    before = keyring.get_keyring()
    keyring.set_keyring(Memory())
    yield kept
    keyring.set_keyring(before)


def run_elsewhere(workspace: Workspace, *statements: str) -> None:
    """Run SQL on the workspace's city through a connection of its own, as a colleague's
    StatDesk would (sqlite3 on a file, psycopg on a server), and commit."""
    if workspace.path is not None:
        import sqlite3

        conn = sqlite3.connect(workspace.path)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()
        return
    import psycopg

    with psycopg.connect(shown(workspace.location)) as server:
        for statement in statements:
            server.execute(statement)  # type: ignore[arg-type]


def backups_of(workspace: Workspace) -> Path:
    """Where the workspace's backups go: beside a file, in the user data folder for a server."""
    if workspace.path is not None:
        return workspace.path.parent / "backups"
    from statdesk.storage.server_store import backups_folder

    return backups_folder()


def city_content(
    workspace: Workspace, leave_out: tuple[str, ...] = ("change_log", "file_state")
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (but `leave_out`, and without the versions: an undo is a new
    change of a row), read with plain SQL through the workspace's engine, on a file or a
    server alike."""
    from sqlalchemy import select

    from statdesk.storage.models import Base

    content = {}
    with workspace.store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in leave_out:
                continue
            columns = [c for c in table.columns if c.name != "version"]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns))
            content[table.name] = [tuple(row) for row in rows]
    return content


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


def _counted(terminalreporter: pytest.TerminalReporter, belongs: Callable[[str], bool]) -> str:
    """ "N ran; none skipped" for the tests `belongs` picks."""
    outcomes: dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if belongs(getattr(report, "nodeid", "")) and report.when in ("call", "setup"):
                if outcome == "passed" and report.when == "setup":
                    continue  # its call is counted
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if not outcomes:
        return ""
    ran = outcomes.get("passed", 0) + outcomes.get("failed", 0)
    skipped = outcomes.get("skipped", 0)
    return (
        f"{ran} ran"
        + (f", {outcomes['failed']} of them failing" if outcomes.get("failed") else "")
        + (f"; {skipped} skipped" if skipped else "; none skipped")
    )


def _is_server_run(node: str) -> bool:
    """Whether a test id is a `both_stores` test's server run (`test_x[server-…]`)."""
    params = node.rpartition("[")[2].rstrip("]")
    return node.endswith("]") and "server" in params.split("-")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on the real SMB share and on the real PostgreSQL server (CI may
    skip none of them)."""
    on_share = _counted(terminalreporter, lambda node: node.startswith(SMB_TESTS))
    if on_share:
        terminalreporter.write_line(f"Tests on the real SMB share ({SMB_TESTS}): {on_share}")
    on_server = _counted(
        terminalreporter, lambda node: _is_server_run(node) or node.startswith(SERVER_TESTS)
    )
    if on_server:
        terminalreporter.write_line(f"Tests on a real PostgreSQL server: {on_server}")
