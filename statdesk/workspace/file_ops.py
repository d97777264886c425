"""Making a file and putting one back: a new city's file (empty, or the demo city), a backup
put in place of the file, the code StatDesk did not make removed. Each ends with the file
opened as a `Workspace` and what happened in its change log."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from statdesk import __version__, paths
from statdesk.domain.errors import FileProblem, ValidationFailed
from statdesk.domain.files import real_file
from statdesk.domain.validation import problems_with
from statdesk.storage import file_upkeep
from statdesk.storage import models as m
from statdesk.storage.changes import Changes
from statdesk.storage.lock import WriterLock
from statdesk.workspace.core import Workspace, default_user


def create_file(
    path: Path | str,
    *,
    city_name: str,
    fiscal_year_start_month: int = 7,
    program_name: str | None = None,
    user: str | None = None,
    overwrite: bool = False,
    content: Callable[[Session], None] | None = None,
) -> Workspace:
    """Create a new file at the current schema for a city (with `content`, filled by it in
    the same transaction), and open it."""
    path = real_file(path)
    if path.exists() and not overwrite:
        raise FileProblem(
            f"{path} already exists.", "Choose another name, or open the existing file."
        )
    city_fields = {"name": city_name, "fiscal_year_start_month": fiscal_year_start_month}
    problems = problems_with("city", city_fields)
    if problems:
        raise ValidationFailed("city", problems)
    user = user or default_user()

    def fill(session: Session) -> None:
        session.add(
            m.City(
                name=city_name.strip(),
                program_name=program_name,
                fiscal_year_start_month=fiscal_year_start_month,
            )
        )
        session.add(
            m.FileState(id=1, revision=1, created_with=__version__, written_with=__version__)
        )
        session.add(
            m.ChangeLogEntry(
                user=user,
                action="event",
                record_kind="file",
                summary=f"Created the file for {city_name.strip()}",
            )
        )
        if content is not None:
            content(session)

    file_upkeep.create(path, fill)
    return Workspace.open(path, user=user, daily_backup=False)  # nothing to back up yet


def create_demo(
    path: Path | str,
    *,
    seed: int | None = None,
    as_of: date | None = None,
    replace: bool = False,
    user: str | None = None,
) -> Workspace:
    """Create the demo city at `path` (`seed`: the demo's own by default). With `replace`,
    an existing StatDesk file's content is replaced by the demo in one transaction (after
    a backup)."""
    from statdesk import demo

    chosen = demo.DEFAULT_SEED if seed is None else seed
    fill = functools.partial(demo.populate, seed=chosen, as_of=as_of)
    path = Path(path)
    if replace and path.exists():
        workspace = Workspace.open(path, user=user)
        try:
            workspace.backup("before demo")
            replace_content(workspace, fill, "Replaced the content with the demo city")
        except BaseException:
            workspace.close()
            raise
        return workspace
    return create_file(
        path,
        city_name=demo.CITY,
        program_name=demo.PROGRAM,
        fiscal_year_start_month=demo.FISCAL_YEAR_START,
        user=user,
        content=fill,
    )


def replace_content(
    workspace: Workspace, content: Callable[[Session], None], summary: str
) -> Changes:
    """Empty the city's records and fill it anew in ONE transaction (the demo city): if
    StatDesk stops half-way, the file still holds everything it held before."""

    def action(session: Session) -> None:
        for table in reversed(m.Base.metadata.sorted_tables):  # children first
            if table.name not in ("city", "file_state"):  # the file's own settings stay
                session.execute(delete(table))
        content(session)

    return workspace._write(action, log=False, event_summary=summary)[1]


def restore_backup(path: Path | str, backup: Path | str, *, user: str | None = None) -> Path | None:
    """Put `backup` in place of `path` (file_upkeep.put_back says how) and note it in the
    change log. Returns the safety copy of the file as it was, if there was one."""
    user = user or default_user()
    safety, lock = file_upkeep.put_back(real_file(path), real_file(backup), user)
    with _open_with(path, user, lock) as workspace:
        workspace.note_event(f"Restored from the backup {Path(backup).name}")
    return safety


def remove_foreign_code(path: Path | str, *, user: str | None = None) -> list[str]:
    """Drop the triggers and views StatDesk did not make (after a backup), open the file as
    usual, and put what was dropped in the change log. Returns it, in words."""
    user = user or default_user()
    removed, lock = file_upkeep.drop_foreign_code(real_file(path), user)
    with _open_with(path, user, lock) as workspace:
        if removed:
            workspace.note_event("Removed code StatDesk did not make: " + ", ".join(removed))
    return removed


def _open_with(path: Path | str, user: str, lock: WriterLock) -> Workspace:
    """Open the file under a lock already taken; the lock is given up if that fails."""
    try:
        return Workspace.open(path, user=user, daily_backup=False, lock=lock)
    except BaseException:
        lock.release()
        raise


def open_demo_city() -> Workspace:
    """The demo city in the user's data folder, created on first use."""
    path = paths.demo_city_path()
    if path.exists():
        return Workspace.open(path)
    return create_demo(path)
