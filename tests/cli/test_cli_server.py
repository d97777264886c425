"""The command line on a city kept on a PostgreSQL server, as a reviewer checks it: move the
demo onto a server, read it by its URL, check it, snapshot it and open the snapshot as a file,
and the file commands refuse a URL with a sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statdesk.cli import main
from statdesk.workspace import Workspace
from tests.cli.test_cli import run
from tests.pg import Server

pytestmark = pytest.mark.slow


def test_move_info_metrics_check_backup_and_back_by_url(
    demo_path: Path, pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.database()
    code, before, _ = run(capsys, "info", str(demo_path), "--json")
    counts = json.loads(before)["counts"]

    code, out, err = run(capsys, "move", str(demo_path), url)
    assert code == 0, err
    assert "rows copied and counted" in out and "marked as moved" in out

    code, out, _ = run(capsys, "info", url, "--json")
    info = json.loads(out)
    assert code == 0 and info["counts"] == counts and info["path"] == url
    code, out, _ = run(capsys, "info", str(demo_path), "--json")
    assert json.loads(out)["moved_to"] == url
    code, out, _ = run(capsys, "metrics", url, "--json")
    assert code == 0 and len(json.loads(out)) == counts["metrics"]
    code, out, _ = run(capsys, "check", url)
    assert code == 0 and "healthy" in out and "no foreign code" in out

    snapshot = tmp_path / "snapshot.statdesk"
    code, out, err = run(capsys, "backup", url, "--to", str(snapshot))
    assert code == 0, err
    with Workspace.open(snapshot) as copy:
        assert copy.counts() == counts and not copy.read_only

    back = tmp_path / "back.statdesk"
    code, out, _ = run(capsys, "move", url, str(back))
    assert code == 0 and "Copied the city" in out
    code, _, err = run(capsys, "move", url, str(back))
    assert code == 3 and "already exists" in err and "--replace" in err


def test_file_commands_refuse_a_url_and_a_dead_server_is_a_sentence(
    pg_server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["new", pg_server.url("x")])
    assert caught.value.code == 2
    assert "works on a .statdesk file, not a server" in capsys.readouterr().err
    code, _, err = run(capsys, "info", f"postgresql://tester@127.0.0.1:{pg_server.port + 1}/x")
    assert code == 3 and "cannot reach the server" in err and "Traceback" not in err
    code, _, err = run(capsys, "info", "postgresql://ana:hunter2@127.0.0.1:1/x")
    assert "hunter2" not in err
