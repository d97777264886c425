"""The `statdesk` command: thin, documented, and never a traceback for a user's mistake."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from statdesk.cli import COMMANDS, EXIT_CODES, build_parser, main
from statdesk.storage.schema import HEAD_REVISION
from tests.conftest import REPO

pytestmark = pytest.mark.both_stores


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_creates_a_file_with_the_city_and_fiscal_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "riverton.statdesk"
    code, out, _ = run(
        capsys, "new", str(path), "--city", "Riverton", "--fiscal-year-start", "October"
    )
    assert code == 0 and "Created" in out
    code, out, _ = run(capsys, "info", str(path), "--json")
    info = json.loads(out)
    assert info["city"] == "Riverton" and info["counts"]["departments"] == 0


def test_a_bad_month_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["new", str(tmp_path / "x.statdesk"), "--fiscal-year-start", "Smarch"])
    assert caught.value.code == 2
    assert "is not a month" in capsys.readouterr().err


def test_info_json_has_the_promised_keys(
    demo_where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "info", demo_where, "--json")
    info = json.loads(out)
    assert code == 0
    assert info["schema_revision"] == HEAD_REVISION
    assert "lock" in info
    for key in (
        "departments",
        "people",
        "datasets",
        "metrics",
        "metric_values",
        "meetings",
        "action_items",
    ):
        assert info["counts"][key] > 0, key


def test_info_in_words(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", str(demo_path))
    assert code == 0
    assert "Harbor Bend" in out and "Metric values:" in out and "Write lock:      free" in out


@pytest.mark.parametrize(
    ("damage", "code", "message"),
    [
        ("truncate", 4, "cut off while being copied"),
        ("text", 4, "not a database at all"),
        ("newer", 5, "newer than this StatDesk"),
        ("missing", 3, "There is no file"),
    ],
)
def test_check_fails_with_one_clear_sentence(
    demo_path: Path, capsys: pytest.CaptureFixture[str], damage: str, code: int, message: str
) -> None:
    if damage == "truncate":
        demo_path.write_bytes(demo_path.read_bytes()[:100_000])
    elif damage == "text":
        demo_path.write_text("not a database\n")
    elif damage == "newer":
        conn = sqlite3.connect(demo_path)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    else:
        demo_path.unlink()
    got, out, err = run(capsys, "check", str(demo_path))
    assert got == code
    assert message in err
    assert "Traceback" not in err and out == ""


def test_check_passes_on_a_healthy_file(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", str(demo_path))
    assert code == 0 and "healthy" in out


def test_demo_refuses_to_overwrite_without_replace(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "demo", str(demo_path))
    assert code == 3 and "--replace" not in err and "already exists" in err
    code, out, _ = run(capsys, "demo", str(demo_path), "--replace")
    assert code == 0 and "25 people" in out


def test_a_bug_is_logged_and_explained_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], statdesk_home: Path
) -> None:
    def broken(_args: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(__import__("statdesk.cli").cli.HANDLERS, "info", broken)
    code, _, err = run(capsys, "info", "x.statdesk")
    assert code == 1 and "a bug, not your doing" in err and "Traceback" not in err
    log = (statdesk_home / "logs" / "statdesk.log").read_text()
    assert "ZeroDivisionError: boom" in log


def test_every_command_has_help_and_is_in_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    for command in COMMANDS:
        with pytest.raises(SystemExit) as caught:
            parser.parse_args([command, "--help"])
        assert caught.value.code == 0
        assert len(capsys.readouterr().out) > 100, command
        assert f"statdesk {command}" in readme, f"README does not document '{command}'"
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, f"README does not document exit code {code}"


def test_python_dash_m_and_the_checked_by_path(tmp_path: Path, statdesk_home: Path) -> None:
    """As the issue checks it: make the demo, then read its counts back as JSON."""
    env = {**os.environ, "STATDESK_HOME": str(statdesk_home)}
    path = tmp_path / "x.statdesk"
    made = subprocess.run(
        [sys.executable, "-m", "statdesk", "demo", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    info = subprocess.run(
        [sys.executable, "-m", "statdesk", "info", str(path), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["counts"]["metrics"] == 20


def test_metrics_lists_each_metric_with_status_and_trend(
    demo_where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "metrics", demo_where, "--json")
    metrics = json.loads(out)
    assert code == 0 and len(metrics) == 20
    first = metrics[0]
    assert set(first) >= {"id", "name", "latest", "status", "trend"}
    assert first["latest"]["status"] == first["status"]
    assert first["trend"]["heading"] in {"improving", "worsening", "steady"}
    code, out, _ = run(capsys, "metrics", demo_where)
    assert "Potholes repaired within 48 hours (KPI)" in out and "in a row" in out


def test_export_chart(demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "response.svg"
    code, out, err = run(
        capsys,
        "export",
        demo_where,
        "chart",
        "--metric",
        "Median response time to priority 1 calls",
        "-o",
        str(target),
    )
    assert code == 0, err
    assert target.read_text().lstrip().startswith("<?xml")
    assert "Alternative text: Median response time to priority 1 calls, monthly" in out
    code, _, err = run(
        capsys,
        "export",
        demo_where,
        "chart",
        "--metric",
        "potholes",
        "-o",
        str(tmp_path / "x.png"),
    )
    assert code == 7 and "matches 2 metrics" in err
    code, _, err = run(
        capsys, "export", demo_where, "chart", "--metric", "1", "-o", str(tmp_path / "x.gif")
    )
    assert code == 2 and "PNG, SVG or PDF" in err


def test_import_dry_run_json_then_import_and_undo(
    demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "values.csv"
    source.write_text("Measure,FY 25 Actual,FY 26 Actual\nTrees planted,120,No Data\n")
    code, out, _ = run(
        capsys, "import", demo_where, str(source), "--kind", "values", "--dry-run", "--json"
    )
    report = json.loads(out)
    assert code == 0 and report["format"] == "csv" and report["header_row"] == 1
    assert report["mapping"] == {"Measure": "metric"} and report["unmapped_required"] == []
    assert report["counts"]["values"] == 2
    code, out, _ = run(capsys, "import", demo_where, str(source), "--kind", "values")
    assert code == 0 and "Imported as import #1" in out
    code, out, _ = run(capsys, "imports", demo_where)
    assert "#1" in out and "values.csv" in out
    code, out, _ = run(capsys, "imports", demo_where, "--undo", "1")
    assert code == 0 and "Undid import #1" in out


def test_import_of_an_unreadable_file_exits_non_zero(
    demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "empty.csv"
    source.touch()
    code, _, err = run(
        capsys, "import", demo_where, str(source), "--kind", "values", "--dry-run", "--json"
    )
    assert code == 10 and "is empty" in err


def test_a_saved_recipe_imports_next_months_file_in_one_step(
    demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    october = tmp_path / "Potholes 2026-10.csv"
    october.write_text("Measure name,When,Filled\nPothole repairs,Oct 2026,310\n")
    code, out, err = run(
        capsys,
        "import",
        demo_where,
        str(october),
        "--kind",
        "values",
        "--map",
        "When=period",
        "--map",
        "Filled=actual",
        "--save-recipe",
        "Monthly potholes",
    )
    assert code == 0, err
    november = tmp_path / "Potholes 2026-11.csv"
    november.write_text("Measure name,When,Filled\nPothole repairs,Nov 2026,295\n")
    code, out, err = run(
        capsys, "refresh", demo_where, "--recipe", "Monthly potholes", str(november), "--json"
    )
    report = json.loads(out)
    assert code == 0, err
    assert report["mapping"] == {"Measure name": "metric", "When": "period", "Filled": "actual"}
    assert report["import"]["created"] == {"metric_value": 1}
    december = tmp_path / "Potholes 2026-12.csv"
    december.write_text("Measure name,Month,Filled\nPothole repairs,Dec 2026,300\n")
    code, out, _ = run(
        capsys,
        "refresh",
        demo_where,
        "--recipe",
        "Monthly potholes",
        str(december),
        "--dry-run",
        "--json",
    )
    report = json.loads(out)
    assert "The column 'When' the recipe maps is no longer in the file." in report["notices"]
    assert report["mapping"]["Month"] == "period"  # the renamed column is matched afresh
    code, _, err = run(capsys, "refresh", demo_where, "--recipe", "Nope", str(december))
    assert code == 7 and "no import recipe called 'Nope'" in err


def test_refresh_without_a_file_takes_the_newest_that_fits_the_recipe(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drop = tmp_path / "from public works"
    drop.mkdir()
    october = drop / "Potholes 2026-10.csv"
    october.write_text("Measure name,When,Filled\nPothole repairs,Oct 2026,310\n")
    code, _, err = run(
        capsys, "import", str(demo_path), str(october), "--kind", "values",
        "--map", "When=period", "--map", "Filled=actual", "--save-recipe", "Potholes",
    )  # fmt: skip
    assert code == 0, err
    november = drop / "POTHOLES 2026-11.csv"  # letter case differs, as on a Windows share
    november.write_text("Measure name,When,Filled\nPothole repairs,Nov 2026,295\n")
    (drop / "~$Potholes 2026-12.csv").write_text("Excel's lock file")
    (drop / "Graffiti 2026-11.csv").write_text("Measure name,When,Filled\n")
    os.utime(october, (1_700_000_000, 1_700_000_000))  # the older one
    code, out, err = run(capsys, "refresh", str(demo_path), "--recipe", "Potholes")
    assert code == 0, err
    assert f"Newest file for 'Potholes': {november}" in out
    assert "1 metric_value" in out or "1 value" in out
    november.unlink()
    october.unlink()
    code, _, err = run(capsys, "refresh", str(demo_path), "--recipe", "Potholes")
    assert code == 7 and "No file fitting 'Potholes *.csv'" in err


def test_backup_and_restore_round_trip_even_when_the_file_is_gone(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "backup", str(demo_path))
    assert code == 0
    backup = Path(out.split(" to ", 1)[1].rstrip().rstrip("."))
    demo_path.unlink()
    code, out, err = run(capsys, "restore", str(demo_path), "--from", str(backup))
    assert code == 0, err
    assert out.strip() == f"Restored {demo_path} from {backup}."
    code, out, _ = run(capsys, "check", str(demo_path))
    assert code == 0


def test_meetings_and_memo_exports(
    demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "meetings", demo_where, "--json")
    listed = json.loads(out)
    assert code == 0 and listed
    held = next(m for m in listed if m["agenda_items"] == 7)
    assert set(held) >= {"id", "title", "starts_at", "agenda_minutes", "worth_your_time"}

    memo = tmp_path / "memo.pdf"
    code, out, err = run(
        capsys,
        "export",
        demo_where,
        "memo",
        "--meeting",
        str(held["id"]),
        "--date",
        "2026-10-09",
        "-o",
        str(memo),
    )
    assert code == 0, err
    assert memo.read_bytes().startswith(b"%PDF") and "Wrote" in out
    word = tmp_path / "follow-up.docx"
    code, _, err = run(
        capsys, "export", demo_where, "followup", "--meeting", str(held["id"]), "-o", str(word)
    )
    assert code == 0, err
    assert word.read_bytes().startswith(b"PK")

    code, _, err = run(capsys, "export", demo_where, "memo", "-o", str(memo))
    assert code == 2 and "--meeting ID" in err
    with pytest.raises(SystemExit) as caught:
        main(["export", demo_where, "memo", "--meeting", "1", "--date", "9/10", "-o", "x.pdf"])
    assert caught.value.code == 2
    assert "'9/10' is not a date written as YYYY-MM-DD" in capsys.readouterr().err


def test_publishing_exports(
    demo_where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "export", demo_where, "inventory", "-o", str(tmp_path / "data.json")
    )
    assert code == 0, err
    catalog = json.loads((tmp_path / "data.json").read_text("utf-8"))["dataset"]
    assert catalog and f"{len(catalog)} datasets in the catalog." in out
    for what, name in (("roster", "team.xlsx"), ("actions", "items.csv"), ("site", "s.html")):
        code, _, err = run(capsys, "export", demo_where, what, "-o", str(tmp_path / name))
        assert code == 0 and (tmp_path / name).stat().st_size > 100, err
    code, _, err = run(capsys, "export", demo_where, "metrics", "-o", str(tmp_path / "m.pdf"))
    assert code == 9 and "written as .csv or .xlsx" in err
