"""The log file in the user's log folder: where bugs are written down in full.

Windowed apps have no console, and a user should never see a traceback; so every unexpected
error is logged here with its traceback, and the user is shown where the file is.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from statdesk import paths

LOG_NAME = "statdesk.log"
_configured: Path | None = None


def log_file() -> Path:
    return paths.user_log_dir() / LOG_NAME


def setup() -> Path:
    """Send StatDesk's log to a rotating file (1 MB × 5); returns the file's path."""
    global _configured
    target = log_file()
    if _configured == target:
        return target
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("statdesk")
    root.setLevel(logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "statdesk_log", False)]:
        root.removeHandler(old)
    handler.statdesk_log = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    _configured = target
    return target
