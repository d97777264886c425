"""Hearing other editors' saves on a server, as they commit: PostgreSQL's LISTEN/NOTIFY.

Every write on a server sends, inside its transaction, a notice on the `statdesk_changes`
channel (the server delivers it only if the write commits): the city's new revision, who saved,
and the kinds of record touched. A `Listener` keeps one connection of its own listening on a
daemon thread and calls back with each notice; when its connection drops (the server restarted,
the network blinked) it connects again and calls back once with `revision=None`, for notices
may have been missed meanwhile and the pages should read everything again.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from statdesk.domain.locations import ServerAddress

log = logging.getLogger(__name__)

CHANNEL = "statdesk_changes"
PAYLOAD_LIMIT = 7000  # PostgreSQL's limit is 8000 bytes
RECONNECT_SECONDS = (1, 2, 5, 10, 30)


def new_sender() -> str:
    """An id for one open city, so its own notices are not news to it."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class RemoteChange:
    """A save someone else made on the server (or, with `revision` None, "you may have missed
    some: read again")."""

    revision: int | None
    user: str = ""
    kinds: tuple[str, ...] = ()
    summary: str = ""


def announce(
    session: Session, sender: str, revision: int, user: str, kinds: Iterable[str], summary: str
) -> None:
    """Send the notice of this write, in its transaction (delivered when it commits)."""
    payload = {
        "revision": revision,
        "user": user,
        "kinds": sorted(kinds),
        "summary": summary[:300],
        "sender": sender,
    }
    text_payload = json.dumps(payload)
    if len(text_payload.encode()) > PAYLOAD_LIMIT:
        text_payload = json.dumps({**payload, "kinds": [], "summary": ""})
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {
            "channel": CHANNEL,
            "payload": text_payload,
        },
    )


def connect_args(address: ServerAddress, password: str | None) -> dict[str, object]:
    args: dict[str, object] = dict(address.options)
    args.update(
        {
            "host": address.host or None,
            "port": address.port if address.host else None,
            "dbname": address.database or None,
            "user": address.user or None,
            "password": password or None,
            "autocommit": True,
            "application_name": "StatDesk (listening)",
        }
    )
    args.setdefault("connect_timeout", 10)
    return {k: v for k, v in args.items() if v is not None}


class Listener:
    """Listens on the channel on a daemon thread, calling `heard` with each other StatDesk's
    notice, until `stop`."""

    def __init__(
        self,
        address: ServerAddress,
        password: str | None,
        sender: str,
        heard: Callable[[RemoteChange], None],
    ) -> None:
        self.args = connect_args(address, password)
        self.sender = sender
        self.heard = heard
        self.stopped = threading.Event()
        self.listening = threading.Event()  # set while the LISTEN is in place
        self.thread = threading.Thread(target=self._run, name="statdesk-listen", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(3)

    def _run(self) -> None:
        import psycopg

        attempt = 0
        while not self.stopped.is_set():
            try:
                with psycopg.connect(**self.args) as conn:  # type: ignore[arg-type]
                    conn.execute(f"LISTEN {CHANNEL}")
                    if attempt:  # notices may have been missed while the connection was down
                        self.heard(RemoteChange(None))
                    attempt = 0
                    self.listening.set()
                    while not self.stopped.is_set():
                        for notice in conn.notifies(timeout=0.5):
                            self._deliver(notice.payload)
            except Exception as error:  # the server went away: try again, a little later
                self.listening.clear()
                log.info("listening for changes stopped (%s); trying again", error)
                wait = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                attempt += 1
                self.stopped.wait(wait)

    def _deliver(self, payload: str) -> None:
        try:
            notice = json.loads(payload)
        except ValueError:
            notice = {}
        if notice.get("sender") == self.sender:
            return
        revision = notice.get("revision")
        try:
            self.heard(
                RemoteChange(
                    int(revision) if isinstance(revision, int) else None,
                    str(notice.get("user", "")),
                    tuple(str(k) for k in notice.get("kinds", [])),
                    str(notice.get("summary", "")),
                )
            )
        except Exception:  # a listener's mistake must not stop the listening
            log.exception("handling a change notice failed")
