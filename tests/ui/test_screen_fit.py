"""Every window fits a city laptop's screen: the main window, each page and each dialog, on a
file of 2,000 metrics, 2,000 datasets and 1,000 people, under 1366×768, 1280×720, and a
1920×1080 screen scaled by 150% (its device pixel ratio 1.5, as Windows sets it). "Plan a Stat
meeting" was 1,861 px wide on such a file, with Save and Cancel off the screen; at 150% the
import wizard crashed StatDesk. Each size runs in a process of its own: a process has one
screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ui.fit_check import build_city


@pytest.fixture(scope="module")
def big_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_city(tmp_path_factory.mktemp("big-city"))


@pytest.mark.parametrize(
    "width, height, scale",
    [(1366, 768, 1.0), (1280, 720, 1.0), (1920, 1080, 1.5)],  # the last: 150% on a 1080p panel
)
def test_every_window_and_its_buttons_lie_within_the_screen(
    big_city: Path, tmp_path: Path, width: int, height: int, scale: float
) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
                    | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": scale}
                ]
            }
        )
    )
    env = os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.fit_check", str(big_city)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "checked 20 windows", result.stdout + result.stderr[-2000:]
    assert lines[:-1] == []  # nothing outside the screen


def test_a_long_picker_is_searched_by_typing_and_stays_a_field_s_width(qtbot: object) -> None:
    from PySide6.QtWidgets import QComboBox

    from statdesk.ui.pickers import make_searchable, picker_label

    combo = QComboBox()
    names = [
        picker_label(f"Share of service requests of type {i} closed on time", f"Dept {i % 40}")
        for i in range(2000)
    ]
    for i, name in enumerate(names):
        combo.addItem(name, i)
    make_searchable(combo)
    assert combo.sizeHint().width() < 400  # not the longest name's width
    assert combo.isEditable() and combo.completer() is not None
    completer = combo.completer()
    completer.setCompletionPrefix("type 1234 closed")  # any part of the name
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == names[1234]
    edit = combo.lineEdit()
    edit.setText(names[77])
    edit.editingFinished.emit()
    assert combo.currentData() == 77
    edit.setText("no such metric")  # typed text never becomes a choice
    edit.editingFinished.emit()
    assert combo.currentData() == 77 and edit.text() == names[77]
    assert " — Dept 37" in names[77]  # the department tells same-named metrics apart
