"""Keeping a record's set of links (a meeting's attendees, a metric's source datasets) equal to
a chosen list: links no longer wanted are deleted, new ones added, the rest left untouched."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from sqlalchemy.orm import Session

from statdesk.storage import models as m

K = TypeVar("K", bound=Hashable)


def keep_only(
    session: Session,
    current: Mapping[K, m.Base],
    wanted: Iterable[K],
    make: Callable[[K], m.Base],
) -> None:
    """Make the links `current` (by key) exactly `wanted` (duplicates ignored)."""
    chosen = list(dict.fromkeys(wanted))
    for key, link in current.items():
        if key not in chosen:
            session.delete(link)
    for key in chosen:
        if key not in current:
            session.add(make(key))
