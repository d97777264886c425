"""Every PDF StatDesk writes passes two PDF/UA checkers from PyPI with nothing to report:
`pdfua` (the machine-checkable part of PDF/UA-1 and WCAG 2.1, on pikepdf) and `outloud`
(PDF/UA-1 and WCAG 2.2, plus what a reader would hear: prose hidden as artifacts, addresses
without links). Both are shown to fail an untagged PDF first, so a pass means something."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from outloud import check
from pdfua import validate

from statdesk.reporting import charts
from statdesk.workspace import Workspace
from tests.conftest import AS_OF


def problems(path: Path) -> list[str]:
    """What either checker finds wrong with the PDF at `path`, in words."""
    report = validate(str(path))
    summary = report.to_dict()["summary"]
    assert isinstance(summary, dict) and summary["rules_run"] > 10  # it did look
    found = [f"pdfua {f.rule_id}: {f.message}" for f in report.findings]
    heard = check(str(path))
    assert heard.error is None, heard.error  # it could read the file
    found += [f"outloud {f.rule}: {f.message}" for f in heard.findings]
    return found


def test_the_checkers_fail_an_untagged_pdf(demo: Workspace, tmp_path: Path) -> None:
    series, alt = charts.described(demo.metrics.detail(1, AS_OF))
    plain = charts.save(charts.figure(series), tmp_path / "plain.pdf", title="t", description=alt)
    found = problems(plain)  # matplotlib's PDF: no structure tree, no language
    assert any(f.startswith("pdfua") for f in found)
    assert any(f.startswith("outloud") for f in found)


@pytest.mark.parametrize("kind", ["memo", "followup", "scorecard", "chart"])
def test_every_pdf_passes_both_checkers(demo: Workspace, tmp_path: Path, kind: str) -> None:
    meeting = next(r.id for r in demo.meetings.rows() if r.title == "Public Works Stat")
    target = tmp_path / f"{kind}.pdf"
    if kind in ("memo", "followup"):
        demo.exports.memo(kind, meeting, target, date(2026, 10, 9))
    elif kind == "scorecard":
        demo.exports.scorecard(target, AS_OF)
    else:
        demo.exports.chart(demo.metrics.find("Potholes repaired within 48 hours").id, target)
    assert problems(target) == []
