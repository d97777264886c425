"""One write: `action` in one IMMEDIATE transaction, with the session's tracker noting every
row it changes (the change log, the journal undo uses), an event line when there is one, and
the file's revision bumped; a database refusal said as a sentence (the store's `explain`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from statdesk import __version__
from statdesk.domain.errors import EditConflict, StatDeskError
from statdesk.storage import models as m
from statdesk.storage.changes import Changes, Tracker
from statdesk.storage.health import explain_integrity_error

T = TypeVar("T")
# Tell other editors of this write, inside its transaction: (session, revision, kinds, summary).
Announce = Callable[[Session, int, set[str], str], None]


def one_write(
    sessions: sessionmaker[Session],
    user: str,
    action: Callable[[Session], T],
    *,
    log: bool,
    event: str | Callable[[], str] | None,
    explain: Callable[[DBAPIError], StatDeskError],
    announce: Announce | None = None,
) -> tuple[T, Changes]:
    tracker = Tracker(user, log)
    try:
        with sessions() as session:
            session.info["tracker"] = tracker
            with session.begin():
                result = action(session)
                session.flush()
                said = (event() if callable(event) else event) or ""
                if said:
                    session.add(
                        m.ChangeLogEntry(
                            user=user, action="event", record_kind="file", summary=said
                        )
                    )
                session.execute(
                    update(m.FileState).values(
                        revision=m.FileState.revision + 1,
                        written_with=__version__,
                        written_at=m.base.utc_now(),
                    )
                )
                revision = session.scalar(select(m.FileState.revision)) or 0
                if announce is not None:  # other editors of a server hear of it on commit
                    kinds = set(tracker.created) | set(tracker.updated) | set(tracker.deleted)
                    announce(session, revision, kinds, said)
    except IntegrityError as error:
        raise explain_integrity_error(error) from error
    except StaleDataError as error:
        raise EditConflict(
            "Someone else changed or deleted this record since you opened it.",
            "Reload it and make your change again.",
        ) from error
    except DBAPIError as error:
        raise explain(error) from error
    return result, tracker.changes(revision)
