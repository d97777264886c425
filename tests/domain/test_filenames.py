"""File names made from user text are safe on Windows."""

from __future__ import annotations

import pytest

from statdesk.domain.filenames import MAX_LENGTH, safe_file_name


@pytest.mark.parametrize(
    ("name", "suffix", "expected"),
    [
        ("Public Works Stat memo 2026-10-13", ".pdf", "Public Works Stat memo 2026-10-13.pdf"),
        ("CON", ".csv", "_CON.csv"),
        ("nul.tar", ".gz", "_nul.tar.gz"),
        ("com1", "", "_com1"),
        ("..", ".html", "Export.html"),
        ("../../etc/passwd", ".csv", "_.._etc_passwd.csv"),
        ("Budget: Q1/Q2 <draft>?", ".xlsx", "Budget_ Q1_Q2 _draft__.xlsx"),
        ("trailing dots...  ", ".pdf", "trailing dots.pdf"),
        ("report.pdf", ".pdf", "report.pdf"),
        ("tab\there\x00", ".csv", "tab_here_.csv"),
        ("", ".json", "Export.json"),
    ],
)
def test_names_are_made_safe(name: str, suffix: str, expected: str) -> None:
    assert safe_file_name(name, suffix) == expected


def test_long_names_are_cut_keeping_the_suffix() -> None:
    made = safe_file_name("word " * 100, ".docx")
    assert len(made) <= MAX_LENGTH and made.endswith("word.docx")
