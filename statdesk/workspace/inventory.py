"""The data inventory (`ws.inventory`): its rows, and which metrics a dataset feeds."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from statdesk.storage.views import inventory as inventory_view

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


class Inventory:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def rows(self, today: date | None = None) -> list[inventory_view.DatasetRow]:
        day = today or date.today()
        return self.ws._for_revision(
            "datasets", lambda session: inventory_view.dataset_rows(session, day), day
        )

    def metrics_fed_by(self, dataset_id: int) -> list[tuple[int, str]]:
        with self.ws._reading() as session:
            return inventory_view.metrics_fed_by(session, dataset_id)
