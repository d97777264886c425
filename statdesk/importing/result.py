"""What an import wrote, or (in the dry run) would write: records and values added and
changed, values kept as they were asked to be, and values already there as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportResult:
    batch_id: int
    created: dict[str, int]
    updated: dict[str, int]
    kept: int  # existing values the file would have replaced, kept as asked
    same: int = 0  # values the file holds that were already in StatDesk as they are
    # Values of locked periods left as they are: (spreadsheet row, metric, period label).
    locked: list[tuple[int, str, str]] = field(default_factory=list)

    def describe(self) -> str:
        parts = [f"{count(n, k)} added" for k, n in self.created.items() if n]
        parts += [f"{count(n, k)} changed" for k, n in self.updated.items() if n]
        if self.kept:
            parts.append(f"{count(self.kept, 'existing value')} kept")
        if self.same:
            parts.append(f"{count(self.same, 'value')} already in the file as they are")
        if self.locked:
            parts.append(f"{count(len(self.locked), 'value')} of locked periods left as they are")
        return "; ".join(parts) or "nothing to change"

    def as_json(self) -> dict[str, Any]:
        return {
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "kept": self.kept,
            "same": self.same,
            "locked": [{"row": r, "metric": n, "period": p} for r, n, p in self.locked],
        }

    def locked_lines(self, most: int = 20) -> list[str]:
        """Each value of a locked period the import leaves alone, by its row: the reason and
        the choice that would import it."""
        lines = [
            f"row {row}: {metric}, {period} is in a locked period; left as it is"
            for row, metric, period in self.locked[:most]
        ]
        if len(self.locked) > most:
            lines.append(f"… and {len(self.locked) - most:,} more")
        if lines:
            lines.append(
                "To import them: unlock those periods with a reason (Metrics ▸ Locked "
                "periods, or statdesk unlock) and import again, or, on the command line, "
                "import with --change-locked REASON."
            )
        return lines


_PLURALS = {"person": "people", "metric_series": "metric series", "entry": "entries"}


def count(number: int, thing: str) -> str:
    """ "1 metric value", "2,000 metric values", "3 people": a table's name in words."""
    words = thing.replace("_", " ")
    if number != 1:
        words = _PLURALS.get(thing, words + "s")
    return f"{number:,} {words}"
