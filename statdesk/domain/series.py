"""Series of a metric besides the city's own: what kind each is, from its name."""

from __future__ import annotations

import re

from statdesk.domain.vocabulary import SeriesKind

# Names that stand for another place or a yardstick, not a part of the city.
_COMPARISON = re.compile(
    r"\b(benchmarks?|averages?|avg|median|national|nationwide|nation|united states|u\.?\s?s\.?a?"
    r"|statewide|state|peers?|comparison|comparable|county|countywide|region(al)?|metro area"
    r"|all cities|other cities)\b",
    re.IGNORECASE,
)


def series_kind(name: str) -> SeriesKind:
    """A comparison for a benchmark, an average, the state or the nation ("United States",
    "Benchmark Average", "Peer median"); otherwise a breakdown of the city's own figure (a
    district, a precinct, a group)."""
    return SeriesKind.COMPARISON if _COMPARISON.search(name) else SeriesKind.BREAKDOWN
