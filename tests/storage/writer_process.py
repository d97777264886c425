"""A second StatDesk in its own process, for the fault tests (run as a script, not a test).

python writer_process.py hold PATH      open for writing; then obey lines on stdin:
                                        "add NAME" adds a department, "quit" closes
python writer_process.py big PATH MARK  replace the file's content with many rows in one
                                        transaction; half-way, create MARK and wait to be
                                        killed
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy.orm import Session

from statdesk.storage import connection
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import replace_content


def hold(path: Path) -> None:
    with Workspace.open(path, user="colleague") as workspace:
        print(
            "ready" if not workspace.read_only else f"read-only {workspace.read_only_reason}",
            flush=True,
        )
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "add":
                workspace.create(m.Department, name=argument)
                print("ok", flush=True)
            elif command == "quit":
                break


def big(path: Path, mark: Path) -> None:
    # A tiny page cache makes SQLite spill changed pages into the file itself mid-transaction,
    # so the kill tears the file for real and only the journal can put it back.
    connection._COMMON_PRAGMAS = (*connection._COMMON_PRAGMAS, "PRAGMA cache_size = 5")

    def fill(session: Session) -> None:
        for number in range(5000):
            session.add(m.Department(name=f"Interrupted department {number}"))
            if number == 2500:
                session.flush()  # the rows are in the file's pages and its journal now
                mark.touch()
                time.sleep(600)  # killed here

    with Workspace.open(path, user="crasher") as workspace:
        replace_content(workspace, fill, "never finished")


if __name__ == "__main__":
    if sys.argv[1] == "hold":
        hold(Path(sys.argv[2]))
    else:
        big(Path(sys.argv[2]), Path(sys.argv[3]))
