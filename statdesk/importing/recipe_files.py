"""The file a recipe runs on next: a name pattern made from this month's file name, the newest
file in the folder that fits it, and a file's fingerprint (so the same file twice is noticed)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_pattern(path: Path) -> str:
    """ "Potholes 2026-10.xlsx" → "Potholes *.xlsx": what next month's file will look like."""
    import re

    return re.sub(r"\d[\d\-_. ]*\d|\d", "*", path.stem).strip() + path.suffix


def newest_matching(folder: Path, pattern: str) -> Path | None:
    """The most recently modified file in `folder` whose name fits `pattern` (as made by
    file_pattern; letter case ignored, as on Windows): next month's file."""
    import fnmatch

    try:
        found = [
            p
            for p in folder.iterdir()
            if fnmatch.fnmatch(p.name.casefold(), pattern.casefold())
            and p.is_file()
            and not p.name.startswith("~$")  # Excel's lock file for an open workbook
        ]
    except OSError:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
