"""The window on a city kept on a PostgreSQL server: it names the server, says who is editing,
hears another editor's save as it commits and shows it, and offers to connect to a server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from statdesk import recent
from statdesk.domain.locations import parse_server
from statdesk.storage import models as m
from statdesk.ui.dialogs.connect_server import ConnectDialog
from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace
from tests.pg import SUPERUSER, Server

pytestmark = pytest.mark.slow


@pytest.fixture
def demo_url(pg_server: Server, pg_demo_template: str) -> Callable[[], str]:
    return lambda: pg_server.database(template=pg_demo_template)


def test_the_window_on_a_server_hears_and_shows_another_editors_save(
    qtbot: QtBot, pg_server: Server, demo_url: Callable[[], str]
) -> None:
    url = demo_url()
    address = parse_server(url.replace(SUPERUSER, "tester"))
    window = MainWindow(Workspace.open(address))
    qtbot.addWidget(window)
    window.show()
    database = address.database
    assert window.windowTitle() == f"Harbor Bend — {database} on 127.0.0.1 — StatDesk"
    assert window.file_label.text() == address.shown
    assert window.state_label.text() == "Editing as tester, analyst (owns the city's database)"
    assert not window.restore_action.isEnabled()  # the server's administrator restores it
    assert recent.last_file() == address

    team = window.go_to("Team")
    qtbot.waitUntil(lambda: team.people.rowCount() == 25, timeout=10_000)  # type: ignore[attr-defined]
    listener = window.workspace.store._listeners[0]  # type: ignore[attr-defined]
    assert listener.listening.wait(10)
    with Workspace.open(url, user="x") as colleague:
        colleague.create(m.Person, name="Rosa Newcomb")
    qtbot.waitUntil(lambda: "saved" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.statusBar().currentMessage().startswith(f"{SUPERUSER} saved")
    qtbot.waitUntil(lambda: team.people.rowCount() == 26, timeout=10_000)  # type: ignore[attr-defined]
    window.close()


def test_connecting_asks_for_what_a_city_on_a_server_needs(qtbot: QtBot) -> None:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled() and "Give the server" in dialog.problem.text()
    dialog.host.setText("db.city.gov")
    dialog.database.setText("stat")
    dialog.user.setText("ana")
    dialog.secret.setText("s3cret")
    assert dialog.ok.isEnabled()
    assert dialog.preview.text() == "Address: postgresql://ana@db.city.gov/stat?sslmode=require"
    assert "s3cret" not in dialog.preview.text()
    assert dialog.address().option("sslmode") == "require"
    assert dialog.password() == "s3cret" and not dialog.keep_password()


@pytest.mark.parametrize("choice", ["reload", "keep mine"])
def test_an_edit_of_a_record_saved_meanwhile_asks_reload_or_keep_mine(
    qtbot: QtBot,
    pg_server: Server,
    demo_url: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
) -> None:
    """Ana and Rosa open the same person; Rosa saves first. Ana is told who saved it and
    when, and chooses: reload (Rosa's change stays) or keep hers (her fields over Rosa's);
    either way both changes are in the History."""
    url = demo_url()
    asked: list[str] = []

    def answer(_parent: object, conflict: Exception, _title: str) -> bool:
        asked.append(str(conflict))
        return choice == "keep mine"

    monkeypatch.setattr("statdesk.ui.pages.base.keep_or_reload", answer)
    window = MainWindow(Workspace.open(url.replace(SUPERUSER, "tester")))
    qtbot.addWidget(window)
    team = window.go_to("Team")
    ana = window.workspace
    person = ana.query(m.Person)[0]
    with Workspace.open(url.replace(SUPERUSER, "tester"), user="x") as rosa:
        rosa.update(m.Person, person.id, title="Rosa's title")
    ws = ana
    team.run(
        "Edit person",
        lambda: ws.update(m.Person, person.id, expected_version=person.version, phone="555-0199"),
        keep_mine=lambda: ws.update(m.Person, person.id, phone="555-0199"),
    )
    assert len(asked) == 1 and f"The person '{person.name}' was changed by tester at" in asked[0]
    now = ana.get(m.Person, person.id)
    assert now.title == "Rosa's title"  # hers is never lost
    assert now.phone == ("555-0199" if choice == "keep mine" else person.phone)
    summaries = [line.summary for line in ana.history.change_log(5)]
    assert any("Rosa's title" in s or "title" in s for s in summaries)
    window.close()


def test_a_moved_file_says_where_the_city_is_and_opens_it_there(
    qtbot: QtBot, pg_server: Server, demo_path: object
) -> None:
    from statdesk.workspace.moving import move_to_server

    url = pg_server.database()
    address = parse_server(url)
    move_to_server(demo_path, address, user="tester")  # type: ignore[arg-type]
    window = MainWindow(Workspace.open(demo_path))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    assert window.workspace.read_only
    assert f"was moved to {address.shown}" in window.banner.message.text()
    assert window.banner.open_there_button.isVisible()
    window.banner.open_there_button.click()
    assert window.workspace.location == address and not window.workspace.read_only
    assert window.file_label.text() == address.shown
    assert not window.banner.isVisible()
    window.close()


def test_a_server_asking_for_a_password_gets_the_connect_dialog_filled_in(
    qtbot: QtBot,
    pg_server: Server,
    demo_url: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
    statdesk_home: object,
    memory_keyring: dict[tuple[str, str], str],
) -> None:
    """Opening a recent server city whose password is not kept: the dialog comes up filled
    in, saying why; the password typed (and kept in the keyring, when asked) opens it; the
    recent list and the settings never hold it."""
    from statdesk.ui.opening import open_workspace
    from tests.pg import WITH_PASSWORD

    name, password = WITH_PASSWORD
    address = parse_server(demo_url().replace(SUPERUSER, name))
    asked: list[str] = []

    def typed(dialog: ConnectDialog) -> int:
        asked.append(dialog.problem.text())
        assert dialog.user.text() == name and dialog.database.text() == address.database
        dialog.secret.setText(password if len(asked) > 1 else "not it")
        dialog.keep.setChecked(True)
        return 1

    monkeypatch.setattr(ConnectDialog, "exec", typed)
    workspace = open_workspace(None, address)
    assert workspace is not None
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert asked[0].endswith(f"asks for the password of '{name}'.")
    assert "did not accept the password" in asked[1]
    assert memory_keyring == {("StatDesk", address.keyring_key): password}
    stored = "".join(p.read_text() for p in Path(str(statdesk_home)).rglob("*") if p.is_file())
    assert password not in stored
    window.close()
