"""File names that Windows accepts, made from text users typed (a meeting's title, a metric's
name): no reserved device names, no characters Windows forbids, no path parts (`..`, slashes),
no trailing dots or spaces, and short enough for a deep shared-drive folder."""

from __future__ import annotations

import re
from pathlib import Path

from statdesk.domain.errors import StatDeskError

RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in "123456789¹²³"}
    | {f"LPT{n}" for n in "123456789¹²³"}
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_LENGTH = 120  # leaves room for the folder within Windows' 260-character paths


def safe_file_name(name: str, suffix: str = "", fallback: str = "Export") -> str:
    """`name` made safe as one file name, ending in `suffix` (".pdf")."""
    stem = _FORBIDDEN.sub("_", name)
    stem = re.sub(r"\s+", " ", stem).strip(" .")
    if suffix and stem.casefold().endswith(suffix.casefold()):
        stem = stem[: -len(suffix)].rstrip(" .")
    stem = stem[: MAX_LENGTH - len(suffix)].rstrip(" .") or fallback
    if stem.split(".")[0].strip().upper() in RESERVED:
        stem = "_" + stem
    return stem + suffix


def checked_suffix(target: Path, allowed: tuple[str, ...], what: str) -> str:
    """`target`'s extension (lower case) if it is one of `allowed`; else a sentence saying
    how `what` is written."""
    suffix = target.suffix.lower()
    if suffix not in allowed:
        names = ", ".join(allowed[:-1]) + (" or " if len(allowed) > 1 else "") + allowed[-1]
        raise StatDeskError(
            f"{what} is written as {names}, not '{target.suffix or target.name}'.",
            f"End the file name with {names}.",
        )
    return suffix
