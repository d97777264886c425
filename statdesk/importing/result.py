"""What an import wrote, or (in the dry run) would write: records and values added and
changed, values kept as they were asked to be, and values already there as they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ImportResult:
    batch_id: int
    created: dict[str, int]
    updated: dict[str, int]
    kept: int  # existing values the file would have replaced, kept as asked
    same: int = 0  # values the file holds that were already in StatDesk as they are

    def describe(self) -> str:
        parts = [f"{count(n, k)} added" for k, n in self.created.items() if n]
        parts += [f"{count(n, k)} changed" for k, n in self.updated.items() if n]
        if self.kept:
            parts.append(f"{count(self.kept, 'existing value')} kept")
        if self.same:
            parts.append(f"{count(self.same, 'value')} already in the file as they are")
        return "; ".join(parts) or "nothing to change"

    def as_json(self) -> dict[str, Any]:
        return {
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "kept": self.kept,
            "same": self.same,
        }


_PLURALS = {"person": "people", "metric_series": "metric series", "entry": "entries"}


def count(number: int, thing: str) -> str:
    """ "1 metric value", "2,000 metric values", "3 people": a table's name in words."""
    words = thing.replace("_", " ")
    if number != 1:
        words = _PLURALS.get(thing, words + "s")
    return f"{number:,} {words}"
