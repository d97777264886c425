"""One write: `action` in one IMMEDIATE transaction, with the session's tracker noting every
row it changes (the change log, the journal undo uses), an event line when there is one, and
the file's revision bumped; a database refusal said as a sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from statdesk import __version__
from statdesk.domain.errors import EditConflict
from statdesk.storage import models as m
from statdesk.storage.changes import Changes, Tracker
from statdesk.storage.health import explain_integrity_error, explain_write_failure

T = TypeVar("T")


def one_write(
    sessions: sessionmaker[Session],
    user: str,
    action: Callable[[Session], T],
    *,
    log: bool,
    event: str | Callable[[], str] | None,
    path: Path,
) -> tuple[T, Changes]:
    tracker = Tracker(user, log)
    try:
        with sessions() as session:
            session.info["tracker"] = tracker
            with session.begin():
                result = action(session)
                session.flush()
                if event:
                    session.add(
                        m.ChangeLogEntry(
                            user=user,
                            action="event",
                            record_kind="file",
                            summary=event() if callable(event) else event,
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
    except IntegrityError as error:
        raise explain_integrity_error(error) from error
    except StaleDataError as error:
        raise EditConflict(
            "Someone else changed or deleted this record since you opened it.",
            "Reload it and make your change again.",
        ) from error
    except DBAPIError as error:
        raise explain_write_failure(path, error) from error
    return result, tracker.changes(revision)
