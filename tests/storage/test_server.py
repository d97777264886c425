"""A city on a real PostgreSQL server (tests/pg.py starts one): the same migrations make the
same schema as the models; a file's city moves onto a server and back with every record and
the change log; several editors at once never lose a change; a server's faults are sentences.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from statdesk.domain.errors import EditConflict, FileProblem, ForeignCode, StatDeskError
from statdesk.domain.locations import parse_server, shown
from statdesk.storage import models as m
from statdesk.storage.copying import CannotCopy
from statdesk.storage.schema import HEAD_REVISION, migrate
from statdesk.storage.server_health import check_server, schema_differences
from statdesk.storage.server_listen import RemoteChange
from statdesk.workspace import Workspace
from statdesk.workspace.moving import copy_to_file, move_to_server
from tests.conftest import city_content
from tests.pg import Server, skip_or_fail

pytestmark = pytest.mark.slow


def _engine(url: str):  # type: ignore[no-untyped-def]
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return list(conn.execute(sql).fetchall())  # type: ignore[arg-type]


@pytest.fixture
def demo_url(pg_server: Server, pg_demo_template: str) -> Callable[[], str]:
    """Makes a new database holding the demo city; returns its URL."""
    return lambda: pg_server.database(template=pg_demo_template)


def test_the_migrations_make_on_a_server_exactly_what_the_models_describe(
    pg_server: Server,
) -> None:
    url = pg_server.database()
    engine = _engine(url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            assert schema_differences(conn) == []
    finally:
        engine.dispose()
    assert _rows(url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    # Every reference the models declare is a constraint the server enforces (one of them is
    # made after its table, as SQLite makes it inline).
    declared = {
        fk.name for table in m.Base.metadata.tables.values() for fk in table.foreign_key_constraints
    }
    enforced = {r[0] for r in _rows(url, "SELECT conname FROM pg_constraint WHERE contype = 'f'")}
    assert declared == enforced


def test_a_city_moves_to_a_server_and_back_with_every_record_and_its_change_log(
    pg_server: Server, demo_path: Path, tmp_path: Path
) -> None:
    with Workspace.open(demo_path, user="tester") as original:
        original.update(m.Person, original.query(m.Person)[0].id, title="Moved analyst")
        before = city_content(original, leave_out=("file_state",))
    url = pg_server.database()
    address = parse_server(url)

    moved = move_to_server(demo_path, address, user="tester")

    assert moved.total == sum(len(rows) for rows in before.values()) + 1  # and file_state
    with Workspace.open(url, user="tester") as server:
        on_server = city_content(server, leave_out=("file_state",))
        log = on_server.pop("change_log")
        assert log[: len(before["change_log"])] == before["change_log"]
        assert [row[6] for row in log[len(before["change_log"]) :]] == [
            f"Moved here from {demo_path}"
        ]
        assert on_server == {k: v for k, v in before.items() if k != "change_log"}
        # The sequences go on after the highest id copied.
        top = max(p.id for p in server.query(m.Person))
        assert server.create(m.Person, name="After the move").new_id(m.Person) == top + 1
        log = city_content(server, leave_out=())["change_log"]

    # The file is untouched but marked: it opens read-only and says where the city is.
    with Workspace.open(demo_path, user="tester") as old:
        assert old.read_only
        assert f"moved to {address.shown}" in old.read_only_reason
        assert old.info().moved_to == address.shown
    with pytest.raises(FileProblem, match="already moved"):
        move_to_server(demo_path, parse_server(pg_server.database()), user="tester")

    back = tmp_path / "back.statdesk"
    copy_to_file(address, back, user="tester")
    with Workspace.open(back, user="tester") as copy:
        assert not copy.read_only
        returned = city_content(copy, leave_out=("file_state",))
        log_back = returned.pop("change_log")
        assert log_back[: len(log)] == log
        assert [row[6] for row in log_back[len(log) :]] == [f"Copied here from {address.shown}"]
        after_move = {k: v for k, v in before.items() if k != "change_log"}
        assert len(returned["person"]) == len(after_move["person"]) + 1
        returned["person"] = returned["person"][:-1]
        assert returned == after_move


def test_moving_refuses_a_database_that_holds_a_city(pg_server: Server, demo_path: Path) -> None:
    url = pg_server.database()
    spare = demo_path.with_name("spare.statdesk")
    shutil.copyfile(demo_path, spare)
    move_to_server(spare, parse_server(url), user="tester")
    before = _rows(url, "SELECT count(*) FROM change_log")
    with pytest.raises(CannotCopy, match="already holds a city"):
        move_to_server(demo_path, parse_server(url), user="tester")
    assert _rows(url, "SELECT count(*) FROM change_log") == before
    with Workspace.open(demo_path, user="tester") as file:
        assert not file.read_only  # not marked: nothing moved


def test_what_a_server_cannot_keep_is_named_and_nothing_is_copied(
    pg_server: Server, demo_path: Path
) -> None:
    """A file's text may be longer than its column (SQLite keeps it) or hold a NUL; a server
    refuses both. The move names each row before it writes anything."""
    import sqlite3

    conn = sqlite3.connect(demo_path)
    first, second = (r[0] for r in conn.execute("SELECT id FROM person ORDER BY id LIMIT 2"))
    conn.execute("UPDATE person SET name = ? WHERE id = ?", ("N" * 250, first))
    conn.execute("UPDATE person SET title = ? WHERE id = ?", ("Chief\x00of staff", second))
    conn.commit()
    conn.close()
    url = pg_server.database()
    with pytest.raises(CannotCopy) as refused:
        move_to_server(demo_path, parse_server(url), user="tester")
    message = refused.value.message
    limit = m.Person.__table__.c.name.type.length
    assert f"person #{first}, name: is 250 characters long; the server keeps at most {limit}" in (
        message
    )
    assert f"person #{second}, title: holds a NUL character" in message
    assert _rows(url, "SELECT to_regclass('person')") == [(None,)]  # not even the schema
    with Workspace.open(demo_path, user="tester") as file:
        assert not file.read_only


def test_a_backup_of_a_server_is_a_file_that_opens_anywhere(
    demo: Workspace, pg_server: Server, tmp_path: Path, demo_url
) -> None:
    url = demo_url()
    with Workspace.open(url, user="tester") as server:
        copy = server.backup("manual")
        assert copy.name.endswith(".manual.statdesk")
        with Workspace.open(copy, user="tester") as snapshot:
            assert snapshot.counts() == server.counts()
            assert city_content(snapshot) == city_content(server)


def test_two_editors_of_one_record_never_lose_a_change(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    """Ana and Rosa both have the same person open; Ana saves first. Rosa's save is refused
    with who saved it and when, sequentially and when both save at the same instant."""
    pg_server.sql("CREATE ROLE ana LOGIN SUPERUSER")
    pg_server.sql("CREATE ROLE rosa LOGIN SUPERUSER")
    url = demo_url()
    with (
        Workspace.open(url.replace("statdesk_admin", "ana"), user="x") as ana,
        Workspace.open(url.replace("statdesk_admin", "rosa"), user="x") as rosa,
    ):
        person = ana.query(m.Person)[0]
        seen = rosa.get(m.Person, person.id).version
        ana.update(m.Person, person.id, expected_version=person.version, title="Ana's")
        with pytest.raises(EditConflict, match=r"was changed by ana at \d{4}-\d\d-\d\d"):
            rosa.update(m.Person, person.id, expected_version=seen, title="Rosa's")
        assert rosa.get(m.Person, person.id).title == "Ana's"

        # At the same instant: both read version v, both write; exactly one wins.
        other = ana.query(m.Person)[1]
        start = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def save(name: str, ws: Workspace) -> None:
            start.wait()
            try:
                ws.update(m.Person, other.id, expected_version=other.version, title=name)
                outcomes[name] = "saved"
            except StatDeskError as error:
                outcomes[name] = error

        threads = [
            threading.Thread(target=save, args=(n, w)) for n, w in (("ana", ana), ("rosa", rosa))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
        losers = [o for o in outcomes.values() if o != "saved"]
        assert len(winners) == 1 and len(losers) == 1
        assert isinstance(losers[0], EditConflict)
        assert ana.get(m.Person, other.id).title == winners[0]


def test_a_restarted_server_and_a_cut_connection_are_sentences_then_work_again(
    pg_server: Server, demo_url
) -> None:
    url = demo_url()
    with Workspace.open(url, user="tester") as ws:
        pid = ws.query(m.Person)[0].id
        ws.update(m.Person, pid, title="Before")
        pg_server.restart()
        # The kept connections died with the server; the next use reconnects.
        ws.update(m.Person, pid, title="After the restart")
        assert ws.get(m.Person, pid).title == "After the restart"
        database = url.rsplit("/", 1)[1]
        pg_server.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        ws.update(m.Person, pid, title="After the cut")
        assert ws.get(m.Person, pid).title == "After the cut"


def test_a_server_that_is_not_there_is_a_sentence(pg_server: Server) -> None:
    dead = parse_server(f"postgresql://tester@127.0.0.1:{pg_server.port + 1}/nothing")
    with pytest.raises(FileProblem, match=r"cannot reach the server 127\.0\.0\.1"):
        Workspace.open(dead, user="tester")
    wrong = parse_server(pg_server.url("no_such_database"))
    with pytest.raises(FileProblem, match="has no database 'no_such_database'"):
        Workspace.open(wrong, user="tester")
    empty = parse_server(pg_server.database())
    with pytest.raises(FileProblem, match="holds no StatDesk city"):
        Workspace.open(empty, user="tester")


def test_tls_modes_are_passed_through(pg_server: Server, demo_url: Callable[[], str]) -> None:
    """sslmode reaches libpq: `require` encrypts, `verify-full` checks the server's certificate
    against the one given (and refuses, with a sentence, without it), `disable` does not
    encrypt. The test server has a self-signed certificate for 127.0.0.1."""
    if pg_server.certificate is None:
        skip_or_fail("openssl is missing, so the test server has no certificate")
    url = demo_url()
    ssl_in_use = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"

    def encrypted(options: str) -> bool:
        with (
            Workspace.open(f"{url}?{options}", user="tester") as ws,
            ws.store.engine.connect() as c,
        ):
            assert ws.city().name == "Harbor Bend"
            return bool(c.execute(text(ssl_in_use)).scalar())

    assert encrypted("sslmode=require")
    assert encrypted(f"sslmode=verify-full&sslrootcert={pg_server.certificate}")
    assert not encrypted("sslmode=disable")
    with pytest.raises(FileProblem, match="secure connection"):
        Workspace.open(f"{url}?sslmode=verify-full&sslrootcert=/nonexistent.crt", user="x")


def test_a_viewer_reads_and_is_told_why_they_cannot_write(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    url = demo_url()
    database = url.rsplit("/", 1)[1]
    pg_server.sql("CREATE ROLE viewer_vic LOGIN")
    pg_server.sql(f'GRANT CONNECT ON DATABASE "{database}" TO viewer_vic')
    pg_server.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO viewer_vic", database)
    with Workspace.open(url.replace("statdesk_admin", "viewer_vic"), user="x") as ws:
        assert ws.read_only
        assert "viewer_vic, who may read this city but not change it" in ws.read_only_reason
        assert ws.counts()["people"] == 25


def test_code_someone_else_put_on_the_server_keeps_the_city_read_only(
    pg_server: Server, demo_url
) -> None:
    url = demo_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION wipe() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN DELETE FROM metric_value; RETURN NEW; END $$"
        )
        conn.execute("CREATE TRIGGER sneaky AFTER UPDATE ON person EXECUTE FUNCTION wipe()")
    with pytest.raises(ForeignCode, match="trigger 'sneaky' on person"):
        check_server(parse_server(url))
    with Workspace.open(url, user="tester") as ws:
        assert ws.read_only and "code StatDesk did not make" in ws.read_only_reason


def test_check_finds_constraints_the_server_no_longer_enforces(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    url = demo_url()
    assert "every constraint enforced" in check_server(parse_server(url))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER TABLE metric_value DISABLE TRIGGER ALL")
    with pytest.raises(FileProblem, match="does not enforce"):
        check_server(parse_server(url))


def test_a_database_from_a_newer_statdesk_opens_read_only(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    url = demo_url()
    newer = f"{int(HEAD_REVISION) + 1:04d}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"UPDATE alembic_version SET version_num = '{newer}'")  # type: ignore[arg-type]
        conn.execute("UPDATE file_state SET written_with = '9.1.0'")
    with Workspace.open(url, user="tester") as ws:
        assert ws.read_only
        assert "was saved by StatDesk version 9.1.0, newer than this StatDesk" in (
            ws.read_only_reason
        )
        assert "Install StatDesk 9.1.0 or later to edit it" in ws.read_only_reason
        assert ws.city().name == "Harbor Bend"


def test_other_windows_hear_each_save_as_it_commits(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    """LISTEN/NOTIFY, not polling: the watcher hears the revision, who saved and what kinds,
    only for saves that commit, never its own; after the server restarts it is told it may
    have missed some."""
    import queue

    url = demo_url()
    heard: queue.Queue[RemoteChange] = queue.Queue()
    with (
        Workspace.open(url, user="x") as watcher,
        Workspace.open(url.replace("statdesk_admin", "tester"), user="x") as editor,
    ):
        assert watcher.watch(heard.put)
        listener = watcher.store._listeners[0]  # type: ignore[attr-defined]
        assert listener.listening.wait(10)
        pid = editor.query(m.Person)[0].id
        changes = editor.update(m.Person, pid, title="Heard")
        notice = heard.get(timeout=10)
        assert (notice.revision, notice.user, notice.kinds) == (
            changes.revision,
            "tester",
            ("person",),
        )
        assert watcher.revision() == changes.revision
        with pytest.raises(StatDeskError):  # refused: it never commits, nobody is told
            editor.create(m.Department, name=editor.query(m.Department)[0].name)
        watcher.update(m.Person, pid, title="Mine")  # its own save is not news to it
        with pytest.raises(queue.Empty):  # neither the refused save nor its own was heard
            heard.get(timeout=2)
        pg_server.restart()
        assert heard.get(timeout=30).revision is None  # reconnected: read everything again


def test_roles_let_a_contributor_enter_only_their_departments_values(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    """statdesk server init / grant: a contributor enters and changes the values of their own
    department's metrics; another department's are refused by row-level security, said as a
    sentence, and nothing is written. A viewer reads only; an analyst does everything."""
    from statdesk.cli import main
    from statdesk.domain.errors import ReadOnly
    from statdesk.domain.periods import parse_period

    url = demo_url()
    address = parse_server(url)
    for login in ("carla", "vic", "andy"):
        pg_server.sql(
            f"DO $$ BEGIN CREATE ROLE {login} LOGIN; EXCEPTION WHEN duplicate_object "
            "THEN NULL; END $$"
        )
    with Workspace.open(url, user="x") as owner:
        police = owner.query(m.Department, name="Police")[0].id
        works = owner.query(m.Department, name="Public Works")[0].id
        ours = owner.query(m.Metric, department_id=police)[0]
        theirs = owner.query(m.Metric, department_id=works)[0]
        before = owner.counts()
    assert main(["server", "init", url]) == 0
    assert main(["server", "init", url]) == 0  # again: the same roles, nothing doubled
    assert (
        main(["server", "grant", url, "carla", "--as", "contributor", "--department", "Police"])
        == 0
    )
    assert main(["server", "grant", url, "vic", "--as", "viewer"]) == 0
    assert main(["server", "grant", url, "andy", "--as", "analyst"]) == 0

    month = parse_period("Oct 2026", 7)
    with Workspace.open(address.with_user("carla"), user="x") as carla:
        assert not carla.read_only
        assert carla.signed_in_as.startswith("carla, contributor")
        carla.metrics.set_value(ours.id, month, 42.0, note="entered by the department")
        assert any(v.value == 42.0 for v in carla.metrics.values(ours.id))
        with pytest.raises(ReadOnly, match="your sign-in may not make it"):
            carla.metrics.set_value(theirs.id, month, 7.0)
        with pytest.raises(ReadOnly, match="your sign-in may not make it"):
            carla.update(m.Person, carla.query(m.Person)[0].id, title="Not mine to change")
        # Removing a value is an analyst's: refused, hers or another department's, and said.
        kept = [carla.metrics.values(metric.id)[0].id for metric in (ours, theirs)]
        for value_id in kept:
            with pytest.raises(ReadOnly, match="your sign-in may not make it"):
                carla.delete(m.MetricValue, value_id)
    with Workspace.open(address.with_user("vic"), user="x") as vic:
        assert vic.read_only and "a viewer" in vic.read_only_reason
        assert vic.signed_in_as == "vic, viewer"
    with Workspace.open(address.with_user("andy"), user="x") as andy:
        assert andy.signed_in_as == "andy, analyst"
        andy.metrics.set_value(theirs.id, month, 8.0)
        andy.update(m.Person, andy.query(m.Person)[0].id, title="Changed by an analyst")
    with Workspace.open(url, user="x") as owner:
        values = {(v.metric_id, v.value) for v in owner.query(m.MetricValue)}
        assert (ours.id, 42.0) in values and (theirs.id, 8.0) in values
        assert (theirs.id, 7.0) not in values
        assert all(owner.query(m.MetricValue, id=value_id) for value_id in kept)
        after = owner.counts()
        log = [(e.user, e.summary) for e in owner.history.change_log(10)]
    assert after["metric_values"] - before["metric_values"] <= 2
    assert any(user == "carla" for user, _ in log) and any(user == "andy" for user, _ in log)


def test_a_policy_someone_else_added_is_foreign_code(
    pg_server: Server, demo_url: Callable[[], str]
) -> None:
    """A row-level security policy StatDesk did not make could hide values from the figures
    in silence: it is named, and the city opens read-only."""
    from statdesk.cli import main

    url = demo_url()
    assert main(["server", "init", url]) == 0
    assert "no foreign code" in check_server(parse_server(url))  # StatDesk's own policies
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE POLICY hide_bad_months ON metric_value FOR SELECT USING (value > 0)")
    with pytest.raises(ForeignCode, match="policy 'hide_bad_months' on metric_value"):
        check_server(parse_server(url))


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _values_file(folder: Path, metrics: int, months: int) -> Path:
    """A values CSV of `metrics` new metrics over `months` months."""
    path = folder / "values.csv"
    lines = ["Metric,Month,Actual"]
    for number in range(metrics):
        for month in range(months):
            year, index = 2020 + month // 12, month % 12
            name = [
                "Jan",
                "Feb",
                "Mar",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
            ][index]
            lines.append(f"Measure {number},{name} {year},{number + month}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_while_another_editor_writes_loses_nothing(
    pg_server: Server,
    demo_url: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ana imports 24,000 values in one transaction; while its rows are written and not yet
    committed, Rosa saves a person. Rosa's save touches no row of the import, so it neither
    waits for it nor is lost; the import then commits what its dry run said, with the next
    revision of the city."""
    from statdesk.importing.plan import ImportOptions
    from statdesk.storage import crashpoints

    url = demo_url()
    source = _values_file(tmp_path, 200, 120)
    real = crashpoints.reached
    rosa_saved: dict[str, object] = {}
    with Workspace.open(url, user="x") as ana, Workspace.open(url, user="x") as rosa:
        person = rosa.query(m.Person)[0].id
        before = ana.counts()["metric_values"]

        def rosa_saves() -> None:
            rosa_saved["changes"] = rosa.update(m.Person, person, title="Saved during the import")

        def meanwhile(point: str) -> None:
            if point == "import-written":  # inside the import's transaction
                rosa_thread = threading.Thread(target=rosa_saves)
                rosa_thread.start()
                rosa_thread.join(1.0)
                rosa_saved["waited"] = rosa_thread.is_alive()
                rosa_saved["thread"] = rosa_thread
            real(point)

        plan = ana.imports.plan(source, ImportOptions("values"))
        assert plan.ready and plan.forecast is not None
        monkeypatch.setattr(crashpoints, "reached", meanwhile)
        result, changes = ana.imports.run(plan)
        rosa_saved["thread"].join(30)  # type: ignore[attr-defined]
        assert rosa_saved["waited"] is False  # not held up by the import's transaction
        assert result.as_json() == plan.forecast.as_json()
        assert rosa_saved["changes"].revision < changes.revision  # type: ignore[attr-defined]
        assert rosa.get(m.Person, person).title == "Saved during the import"
        assert ana.counts()["metric_values"] == before + 24_000


def test_a_server_restarted_during_an_import_keeps_nothing_of_it(
    pg_server: Server,
    demo_url: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server restarts after the import's rows are written and before they commit: the
    import is said to have failed, none of it is kept, and the next import works."""
    from statdesk.importing.plan import ImportOptions
    from statdesk.storage import crashpoints

    url = demo_url()
    source = _values_file(tmp_path, 50, 24)
    real = crashpoints.reached

    def restart_at(point: str) -> None:
        if point == "import-written":
            pg_server.restart()
        real(point)

    with Workspace.open(url, user="x") as ana:
        before = ana.counts()
        plan = ana.imports.plan(source, ImportOptions("values"))
        monkeypatch.setattr(crashpoints, "reached", restart_at)
        with pytest.raises(FileProblem, match="lost its connection"):
            ana.imports.run(plan)
        monkeypatch.setattr(crashpoints, "reached", real)
        assert ana.counts() == before
        assert ana.imports.history() == []
        ana.imports.run(ana.imports.plan(source, ImportOptions("values")))
        assert ana.counts()["metric_values"] == before["metric_values"] + 1200


def test_an_older_database_is_upgraded_in_one_transaction_when_opened(
    pg_server: Server,
) -> None:
    """A city a previous StatDesk put on the server (schema 0003) is upgraded by the same
    migrations when it is opened for editing; opened read-only, it says it needs that."""
    from statdesk.storage.schema import known_revisions

    url = pg_server.database()
    engine = _engine(url)
    older = sorted(known_revisions())[-2]
    try:
        migrate(engine, target=older)
    finally:
        engine.dispose()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO city (id, name, fiscal_year_start_month, version) "
            "VALUES (1, 'Older City', 7, 1)"
        )
        conn.execute(
            "INSERT INTO file_state (id, revision, created_with, written_with, "
            "written_at) VALUES (1, 1, '0.0.9', '0.0.9', now())"
        )
    with pytest.raises(FileProblem, match="needs upgrading first"):
        Workspace.open(url, user="x", read_only=True)
    with Workspace.open(url, user="x") as ws:
        assert ws.info().schema_revision == HEAD_REVISION and ws.city().name == "Older City"
    assert _rows(url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    upgraded = _engine(url)
    try:
        with upgraded.connect() as conn:
            assert schema_differences(conn) == []
    finally:
        upgraded.dispose()


def test_a_password_comes_from_the_url_once_or_from_the_keyring(
    pg_server: Server, demo_url: Callable[[], str], memory_keyring: dict[tuple[str, str], str]
) -> None:
    """The server asks secret_sam for a password: none given is PasswordNeeded; a wrong one
    is said without repeating it; one typed in the URL opens the city for that connection;
    one kept in the keyring opens it with no password in the address at all."""
    from statdesk.storage.server_connection import PasswordNeeded, remember_password
    from tests.pg import WITH_PASSWORD

    name, password = WITH_PASSWORD
    bare = parse_server(demo_url().replace("statdesk_admin", name))
    with pytest.raises(PasswordNeeded, match=f"asks for the password of '{name}'"):
        Workspace.open(bare, user="x")
    wrong = bare.shown.replace(f"{name}@", f"{name}:wrong-guess@")
    with pytest.raises(PasswordNeeded, match="did not accept the password") as refused:
        Workspace.open(wrong, user="x")
    assert "wrong-guess" not in str(refused.value)
    right = bare.shown.replace(f"{name}@", f"{name}:{password.replace(' ', '%20')}@")
    with Workspace.open(right, user="x") as ws:
        assert ws.city().name == "Harbor Bend" and password not in shown(ws.location)
    remember_password(bare, password)
    assert memory_keyring == {("StatDesk", bare.keyring_key): password}
    with Workspace.open(bare, user="x") as ws:  # no password in the address
        assert ws.signed_in_as.startswith(name)
