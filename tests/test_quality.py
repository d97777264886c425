"""The standing checks: lint, format, types on the core, and the layering contracts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
CODE = ("statdesk", "tests", "bench", "installers")


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_lint() -> None:
    result = run_tool(sys.executable, "-m", "ruff", "check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run_tool(sys.executable, "-m", "ruff", "format", "--check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    """No Qt below ui/, the domain is plain Python, and the layers only point down."""
    result = run_tool(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_on_domain_storage_workspace_and_importing() -> None:
    result = run_tool(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_starts_without_the_database_layer() -> None:
    """`statdesk` imports the command line first; a second start hands its file to the running
    window in a quarter of a second, and `statdesk --help` answers at once: neither may wait
    for SQLAlchemy and the models (importing the list of export kinds once loaded them all,
    340 ms)."""
    code = (
        "import sys, statdesk.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'statdesk.storage.models', 'PySide6') "
        "if m in sys.modules))"
    )
    result = run_tool(sys.executable, "-c", code)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_heavy_libraries_are_not_imported_at_start_up() -> None:
    code = (
        "import sys, statdesk.cli, statdesk.workspace; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'openpyxl', 'typst', 'alembic', "
        "'PySide6') if m in sys.modules))"
    )
    result = run_tool(sys.executable, "-c", code)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


# What may be long: the first migration (the whole schema) and the demo city's content.
LONG_ALLOWED = {
    "statdesk/storage/migrations/versions/0001_initial.py",
    "statdesk/demo/content.py",
    "statdesk/demo/generate.py",
}


def test_no_module_is_over_500_lines_and_the_facade_class_is_small() -> None:
    import ast

    long = {
        str(path.relative_to(REPO)): n
        for path in (REPO / "statdesk").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert set(long) <= LONG_ALLOWED, long
    core = ast.parse((REPO / "statdesk/workspace/core.py").read_text(encoding="utf-8"))
    [facade] = [n for n in core.body if isinstance(n, ast.ClassDef) and n.name == "Workspace"]
    assert facade.end_lineno is not None and facade.end_lineno - facade.lineno < 500


def test_no_import_circles_at_run_time() -> None:
    """Modules that import each other (type-only imports aside) are one module in two files."""
    import grimp

    graph = grimp.build_graph("statdesk", exclude_type_checking_imports=True)
    circles = sorted(
        (a, b)
        for a in graph.modules
        for b in graph.find_modules_directly_imported_by(a)
        if b.startswith("statdesk") and graph.chain_exists(importer=b, imported=a)
    )
    assert circles == []
