"""Answering the app's message boxes in tests, and keeping what they said."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


def answer(
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    button: QMessageBox.StandardButton,
    said: list[str] | None = None,
) -> list[str]:
    """Answer every `QMessageBox.<kind>` (question, warning…) with `button`; returns the list
    (`said`, when given) that each box's text is added to."""
    texts = [] if said is None else said
    monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: texts.append(a[2]) or button)
    return texts
