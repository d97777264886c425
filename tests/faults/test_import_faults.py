"""Every file of the hostile corpus (corpus.IMPORTS) through the command line and through an
open workspace: a specific sentence (what is wrong, what to do) or a clean read, never a
traceback; bounded memory; nothing written; an open file unchanged to the last row."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from statdesk.importing.plan import ImportOptions, ImportPlan
from statdesk.importing.sources import SourceProblem
from statdesk.workspace import Workspace
from tests.conftest import dump_tables
from tests.faults.corpus import IMPORTS, Case
from tests.faults.runner import run_cli

# What a read must hold beyond "it was read", where the report alone cannot show it.
PLAN_CHECKS: dict[str, Callable[[ImportPlan], bool]] = {
    "1904-date-system": lambda plan: plan.values[0].period.start == date(2025, 7, 1),
    "header-of-numbers": lambda plan: (
        [v.period.start.year for v in plan.values] == [2022, 2023, 2024]
    ),
    "invalid-utf8-no-bom": lambda plan: plan.values[0].metric == "Réparations",
    "nul-bytes-in-csv": lambda plan: "Potholes" in {v.metric for v in plan.values},
    "10-mb-cell": lambda plan: plan.values[0].value == 412,
    "formula-text-in-cells": lambda plan: plan.values[0].metric == '=HYPERLINK("http://x")',
    "dates-before-1900": lambda plan: not plan.values and "before 1900" in plan.problems[0].message,
}
IDS = [case.id for case in IMPORTS]


def test_the_corpus_has_every_kind_of_case() -> None:
    assert len(IMPORTS) >= 30
    assert len(set(IDS)) == len(IDS)
    assert sum(c.message is not None for c in IMPORTS) >= 15  # refused
    assert sum(c.shows is not None for c in IMPORTS) >= 12  # read
    assert all((c.message is None) != (c.shows is None) for c in IMPORTS)


@pytest.mark.slow
@pytest.mark.parametrize("case", IMPORTS, ids=IDS)
def test_the_command_line_explains_or_reads_and_writes_nothing(
    case: Case, demo_path: Path, tmp_path: Path
) -> None:
    source = case.make(tmp_path)
    before = dump_tables(demo_path, leave_out=())
    if case.message is not None:  # a real import, not a dry run: it must stop before writing
        result = run_cli("import", str(demo_path), str(source), "--kind", case.kind)
        assert result.returncode == 10, result.stdout + result.stderr
        first, _, hint = result.stderr.partition("\n")
        assert re.search(case.message, first), result.stderr
        assert first.startswith("statdesk: ") and hint.strip(), result.stderr  # what to do
    else:
        result = run_cli(
            "import", str(demo_path), str(source), "--kind", case.kind, "--dry-run", "--json"
        )
        assert result.returncode == 0, result.stderr
        assert case.shows is not None
        report = json.loads(result.stdout)
        assert re.search(case.shows, json.dumps(report, ensure_ascii=False)), report
    assert "something went wrong" not in result.stderr
    assert "Traceback" not in result.stderr
    assert dump_tables(demo_path, leave_out=()) == before


@pytest.mark.parametrize("case", IMPORTS, ids=IDS)
def test_an_open_file_is_unchanged_to_the_last_row(
    case: Case, demo: Workspace, tmp_path: Path
) -> None:
    source = case.make(tmp_path)
    before = dump_tables(demo.path, leave_out=())
    revision = demo.revision()
    if case.message is not None:
        with pytest.raises(SourceProblem) as raised:
            demo.imports.plan(source, ImportOptions(kind=case.kind))
        assert re.search(case.message, raised.value.message)
        assert raised.value.hint
    else:
        plan = demo.imports.plan(source, ImportOptions(kind=case.kind))
        assert plan.rows_read >= 1
        assert not any("\x00" in name for name in (v.metric for v in plan.values))
        assert PLAN_CHECKS.get(case.id, lambda plan: True)(plan)
    assert demo.revision() == revision
    assert dump_tables(demo.path, leave_out=()) == before


def test_the_readme_table_lists_every_case() -> None:
    table = Path(__file__).with_name("README.md").read_text(encoding="utf-8")
    assert [case for case in IDS if f"| `{case}` |" not in table] == []
