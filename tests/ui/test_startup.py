"""Start-up pays only for what the first page needs: the libraries for charts, documents,
spreadsheets and imports are not loaded until something uses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "numpy", "matplotlib", "typst", "openpyxl", "python_calamine", "docx", "alembic")


def test_the_painted_home_page_loads_no_heavy_library(demo_path: Path, statdesk_home: Path) -> None:
    code = (
        "import sys\n"
        "from statdesk.launch import main\n"
        f"status = main(['gui', {str(demo_path)!r}, '--smoke'])\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STATDESK_HOME": str(statdesk_home)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke: " in result.stdout and "painted" in result.stdout
    assert "LOADED []" in result.stdout, result.stdout
