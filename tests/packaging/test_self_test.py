"""`statdesk --self-test`: every check passes on a working installation, and a broken part
fails it (exit code 1) with a line saying which, while the other checks still run."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from statdesk import selftest
from statdesk.launch import main
from statdesk.storage.schema import HEAD_REVISION


@pytest.mark.slow
def test_every_check_passes_and_the_report_is_written(tmp_path: Path, statdesk_home: Path) -> None:
    out = io.StringIO()
    report = tmp_path / "report.txt"
    assert selftest.run(report, out) == 0, out.getvalue()
    lines = report.read_text(encoding="utf-8").splitlines()
    checks = [line for line in lines if line.startswith("  ok  ")]
    assert len(checks) == len(selftest.SelfTest(tmp_path).checks()) == 10
    assert lines[-1] == "Self-test passed: all 10 checks."
    assert "Python environment" in lines[0]
    assert f"revision 0001 → {HEAD_REVISION}" in report.read_text(encoding="utf-8")
    # Nothing of the user's: no demo city, recent files or settings were made in their folder.
    assert not any(statdesk_home.rglob("*.statdesk"))
    assert os.environ["STATDESK_HOME"] == str(statdesk_home)


def test_a_broken_part_fails_the_self_test_and_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_typst(self: selftest.SelfTest) -> str:
        raise ModuleNotFoundError("No module named 'typst._typst'")

    def quick(self: selftest.SelfTest) -> list[tuple[str, object]]:
        return [("Open", lambda: "fine"), ("Write a memo", lambda: broken_typst(self))]

    monkeypatch.setattr(selftest.SelfTest, "checks", quick)
    assert main(["--self-test", "--report", str(tmp_path / "r.txt")]) == 1
    printed = capsys.readouterr().out
    assert "  ok    Open" in printed
    assert "  FAIL  Write a memo" in printed
    assert "ModuleNotFoundError: No module named 'typst._typst'" in printed
    assert printed.rstrip().endswith("Self-test FAILED: 1 of 2 checks.")


def test_a_check_that_needs_the_demo_city_says_so_when_it_did_not_open(tmp_path: Path) -> None:
    test = selftest.SelfTest(tmp_path)
    with pytest.raises(RuntimeError, match="the demo city did not open"):
        test.charts()
