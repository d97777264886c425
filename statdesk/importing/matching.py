"""Names in a file that nearly match names StatDesk already has ("Public Work" and "Public
Works", "Potholes filled in 48 hrs" and "Potholes filled in 48 hours"): proposed, shown, and
used only when the analyst accepts them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from statdesk.importing.mapping import normalise

CUTOFF = 0.88


def propose(
    names: Iterable[str], existing: Iterable[str], cutoff: float = CUTOFF
) -> dict[str, str]:
    """For each name with no exact (case-insensitive) twin, the closest existing one, if close
    enough; names that are already there are not proposed."""
    known = list(dict.fromkeys(existing))
    exact = {n.casefold() for n in known}
    keys = {normalise(n): n for n in known}
    out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        if not name or name.casefold() in exact:
            continue
        close = difflib.get_close_matches(normalise(name), list(keys), n=1, cutoff=cutoff)
        if close:
            out[name] = keys[close[0]]
    return out
