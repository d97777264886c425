"""The change log and the imports, as the History page reads them (`ws.history`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from statdesk.storage import models as m
from statdesk.storage.views import history as history_view

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


class History:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def change_log(self, limit: int = 200) -> list[m.ChangeLogEntry]:
        with self.ws._reading() as session:
            stmt = select(m.ChangeLogEntry).order_by(m.ChangeLogEntry.id.desc()).limit(limit)
            return list(session.scalars(stmt))

    def lines(
        self,
        where: history_view.HistoryFilter | None = None,
        before_id: int | None = None,
        limit: int = 200,
    ) -> list[history_view.ChangeLine]:
        """The History page's change log: a screen of lines older than `before_id`."""
        with self.ws._reading() as session:
            return history_view.change_lines(
                session, where or history_view.HistoryFilter(), before_id, limit
            )

    def choices(self) -> tuple[list[str], list[str]]:
        """The record kinds and people the change log names, for the History page's filters."""
        return self.ws._for_revision("history choices", history_view.history_choices)
