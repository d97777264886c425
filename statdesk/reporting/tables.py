"""How wide a document's table columns are: by what they hold, the same in PDF and Word."""

from __future__ import annotations

from collections.abc import Callable

# Characters of 10.5 pt Noto Sans an inch holds (about 6 pt each, digits and capitals wider);
# each cell's padding counts as two more.
PER_INCH = 12.0
PADDING = 2.0


def column_shares(head: list[str], rows: list[list[str]], inches: float) -> list[float]:
    """Each column's share of a table's width, by what it holds: first its longest word
    (which cannot wrap) or a date kept whole, then, of what is left, in proportion to its
    longest text beyond that. A column of dates is never broken; a column of sentences gets
    the room. `inches` is the table's width."""
    line = inches * PER_INCH  # characters across the table
    lines = [head, *rows]

    def longest(column: int, measure: Callable[[str], float]) -> float:
        return max((measure(row[column]) for row in lines), default=1.0)

    def word(text: str) -> float:
        # short phrases ("01 Sep 2026", "On hold") read badly broken: kept whole; a no-break
        # space ("7.2 min") joins a word
        parts = text.split(" ")
        return len(text) if len(text) <= 12 else max((len(p) for p in parts), default=0)

    floors = [max(longest(c, word), 3.0) + PADDING for c in range(len(head))]
    wants = [max(longest(c, len), 3.0) + PADDING for c in range(len(head))]
    total = max(sum(wants), 1.0)
    if total <= line:  # every cell fits on one line
        return [w / total for w in wants]
    spare = max(line - sum(floors), 0.0)
    extra = [w - f for w, f in zip(wants, floors, strict=True)]
    widths = [f + spare * e / max(sum(extra), 1.0) for f, e in zip(floors, extra, strict=True)]
    return [w / sum(widths) for w in widths]
