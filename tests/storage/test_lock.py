"""The writer lock file: exclusive, names its holder, and knows when its holder has gone."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statdesk.domain.errors import FileProblem
from statdesk.storage import lock as lock_module
from statdesk.storage.lock import (
    STALE_AFTER,
    LockHeld,
    LockInfo,
    LockLost,
    WriterLock,
    claim_path,
    lock_path,
    read_lock,
    this_host,
)


def info(**changes: object) -> LockInfo:
    now = datetime.now(UTC).isoformat()
    fields: dict[str, object] = {
        "user": "ana",
        "display_name": "Ana Ruiz",
        "host": "OTHER-PC",
        "pid": 123,
        "session_id": "abc",
        "app_version": "0.1.0",
        "acquired": now,
        "heartbeat": now,
    }
    fields.update(changes)
    return LockInfo(**fields)  # type: ignore[arg-type]


def test_the_lock_file_sits_beside_the_database_and_names_its_holder(tmp_path: Path) -> None:
    database = tmp_path / "City.statdesk"
    lock = WriterLock.acquire(database, user="ana", display_name="Ana Ruiz", app_version="1.2")
    assert lock.path == tmp_path / "City.statdesk.lock"
    data = json.loads(lock.path.read_text())
    assert set(data) == {
        "user",
        "display_name",
        "host",
        "pid",
        "session_id",
        "app_version",
        "acquired",
        "heartbeat",
    }
    assert (data["user"], data["host"], data["pid"]) == ("ana", this_host(), os.getpid())
    assert datetime.fromisoformat(data["acquired"]).tzinfo is not None
    lock.release()
    assert not lock.path.exists()


def test_a_second_acquire_is_refused_naming_the_holder(tmp_path: Path) -> None:
    database = tmp_path / "City.statdesk"
    first = WriterLock.acquire(database, user="ana", display_name="Ana Ruiz")
    with pytest.raises(LockHeld, match=f"In use by Ana Ruiz on {this_host()} since ") as held:
        WriterLock.acquire(database, user="bo")
    assert held.value.info.session_id == first.info.session_id
    assert held.value.message.endswith("— opened read-only.")


def test_release_leaves_someone_elses_lock_alone(tmp_path: Path) -> None:
    database = tmp_path / "City.statdesk"
    mine = WriterLock.acquire(database, user="ana")
    lock_path(database).write_text(json.dumps(info(session_id="theirs").as_json()))
    with pytest.raises(LockLost, match="Ana Ruiz on OTHER-PC took over"):
        mine.verify()
    mine.release()
    assert read_lock(database) is not None and read_lock(database).session_id == "theirs"


def test_the_heartbeat_is_refreshed_and_only_while_the_lock_is_ours(tmp_path: Path) -> None:
    database = tmp_path / "City.statdesk"
    lock = WriterLock.acquire(database, user="ana")
    first = lock.info.heartbeat
    time.sleep(0.01)
    lock.beat()
    assert read_lock(database).heartbeat > first  # type: ignore[union-attr]
    lock.path.unlink()
    with pytest.raises(LockLost, match="was removed"):
        lock.beat()
    assert not lock.path.exists()


def test_staleness() -> None:
    now = datetime.now(UTC)
    assert not info().is_stale(now)
    old = (now - STALE_AFTER - timedelta(seconds=1)).isoformat()
    assert info(heartbeat=old).is_stale(now)  # silent too long, whatever the host
    assert info(host=this_host(), pid=4_000_000).is_stale(now)  # dead process here
    assert not info(host=this_host(), pid=os.getpid()).is_stale(now)


def test_an_unreadable_lock_file_still_means_held_and_ages(tmp_path: Path) -> None:
    database = tmp_path / "City.statdesk"
    lock_path(database).write_text("{half a json")
    holder = read_lock(database)
    assert holder is not None and holder.holder == "an unknown user"
    with pytest.raises(LockHeld):
        WriterLock.acquire(database, user="bo")
    old = time.time() - STALE_AFTER.total_seconds() - 60
    os.utime(lock_path(database), (old, old))
    stale = read_lock(database)
    assert stale is not None and stale.is_stale()
    taken = WriterLock.take_over(database, stale, user="bo")
    assert read_lock(database) == taken.info


def test_take_over_refuses_a_lock_renewed_meanwhile(tmp_path: Path) -> None:
    database = tmp_path / "City.statdesk"
    old = info(heartbeat="2026-01-01T00:00:00+00:00")
    lock_path(database).write_text(json.dumps(info(session_id="renewed").as_json()))
    with pytest.raises(LockHeld):
        WriterLock.take_over(database, old, user="bo")


def test_one_of_many_starting_together_gets_the_lock_even_where_creating_is_not_exclusive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some SMB clients (smbnetfs) let two computers both create the lock file "exclusively";
    the claim folder keeps them to one writer all the same."""
    real_open = os.open

    def open_as_such_a_client(path: str, flags: int, *args: int) -> int:
        if str(path).endswith(".lock"):
            time.sleep(0.01)  # a round trip between looking and creating
            flags &= ~os.O_EXCL
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", open_as_such_a_client)
    database = tmp_path / "City.statdesk"
    start = threading.Barrier(8)
    won: list[WriterLock] = []
    held: list[LockHeld] = []

    def open_for_editing(n: int) -> None:
        start.wait()
        try:
            won.append(WriterLock.acquire(database, user=f"user{n}"))
        except LockHeld as refused:
            held.append(refused)

    threads = [threading.Thread(target=open_for_editing, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(held) == 7
    assert read_lock(database) == won[0].info
    assert {refused.info.session_id for refused in held} == {won[0].info.session_id}
    assert not claim_path(database).exists()


def test_a_claim_left_by_a_stopped_statdesk_is_cleared_and_a_live_one_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "City.statdesk"
    claim = claim_path(database)
    claim.mkdir()
    monkeypatch.setattr(lock_module, "CLAIM_WAIT_SECONDS", 0.3)
    with pytest.raises(FileProblem) as raised:  # someone is taking the lock right now
        WriterLock.acquire(database, user="bo")
    assert "Another StatDesk has been taking the lock on City.statdesk" in raised.value.message
    assert claim.name in raised.value.hint
    assert read_lock(database) is None

    monkeypatch.setattr(lock_module, "CLAIM_WAIT_SECONDS", 10.0)
    threading.Timer(0.3, claim.rmdir).start()  # their claim ends: ours follows
    first = WriterLock.acquire(database, user="bo")
    first.release()

    claim.mkdir()
    old = time.time() - lock_module.CLAIM_LEFT_OVER_SECONDS - 5
    os.utime(claim, (old, old))  # left by a StatDesk that stopped holding it
    lock = WriterLock.acquire(database, user="bo")
    assert read_lock(database) == lock.info
    assert list(tmp_path.iterdir()) == [lock_path(database)]
