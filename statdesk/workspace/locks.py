"""Locked periods (`ws.metrics.locks`): making a city's, a department's or a metric's periods
final up to one, listing what is locked, and lifting a lock with a reason the change log keeps.
What a lock refuses is kept in storage.locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound, ReasonNeeded, StatDeskError
from statdesk.domain.locks import Lock
from statdesk.domain.periods import Period, period_end
from statdesk.storage import models as m
from statdesk.storage.changes import Changes
from statdesk.storage.locks import as_lock, describe, lock_records, read_locks

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


@dataclass(frozen=True)
class LockLine:
    id: int
    says: str  # "locked through 2026-09-30 for Police"
    locked_by: str
    locked_on: date | None
    note: str


class Locks:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def lines(self) -> list[LockLine]:
        with self.ws._reading() as session:
            return [
                LockLine(
                    k.id,
                    describe(session, as_lock(k)),
                    k.locked_by or "",
                    k.locked_on,
                    k.note or "",
                )
                for k in lock_records(session)
            ]

    def lock(
        self,
        through: Period,
        *,
        starts: Period | None = None,
        metric_id: int | None = None,
        department_id: int | None = None,
        note: str | None = None,
        today: date | None = None,
    ) -> Changes:
        """Make every period that ends by the end of `through` (from `starts`, if given) final
        for the metric, the department's metrics, or (neither given) the whole city."""
        if metric_id is not None and department_id is not None:
            raise StatDeskError(
                "A lock is for a metric or a department, not both.",
                "Lock the department to cover all its metrics.",
            )
        if starts is not None and starts.start > through.start:
            raise StatDeskError("The first period to lock comes after the last one.", "Swap them.")

        def action(session: Session) -> None:
            for model, wanted in ((m.Metric, metric_id), (m.Department, department_id)):
                if wanted is not None and session.get(model, wanted) is None:
                    raise NotFound(f"There is no {model.kind} #{wanted} in this file.")
            session.add(
                m.PeriodLock(
                    metric_id=metric_id,
                    department_id=department_id,
                    starts=starts.start if starts else None,
                    through=period_end(through),
                    locked_by=self.ws.user,
                    locked_on=today or date.today(),
                    note=note or None,
                )
            )

        return self.ws._write(action, recovery={"operation": "lock periods"})[1]

    def lift(self, lock_id: int, reason: str) -> Changes:
        """Lift one lock (as the list of locks shows it), with a reason the log keeps."""
        _need_reason(reason)

        def action(session: Session) -> None:
            session.info["reason"] = reason.strip()
            lock = session.get(m.PeriodLock, lock_id)
            if lock is None:
                raise NotFound("That lock was lifted already.", "Refresh the list of locks.")
            session.delete(lock)

        return self.ws._write(action, recovery={"operation": "unlock periods"})[1]

    def unlock(
        self,
        reason: str,
        *,
        period: Period | None = None,
        metric_id: int | None = None,
        department_id: int | None = None,
    ) -> tuple[Changes, list[str]]:
        """Lift the locks of this scope (the metric, the department, or the city's own) that
        cover `period` (every one of the scope if None), with a reason the change log keeps.
        Returns the changes, and what stays locked by another lock over that period."""
        _need_reason(reason)

        def ours(k: Lock) -> bool:
            if (k.metric_id, k.department_id) != (metric_id, department_id):
                return False
            return period is None or k.covers_period(period)

        def action(session: Session) -> list[str]:
            session.info["reason"] = reason.strip()
            locks = read_locks(session)
            lifted = [k for k in locks if ours(k)]
            if not lifted:
                listed = "; ".join(describe(session, k) for k in locks) or "nothing is locked"
                raise NotFound("No lock of that scope covers that period.", f"Locks: {listed}.")
            for k in lifted:
                session.delete(session.get(m.PeriodLock, k.id))
            if period is None:
                return []
            return [
                describe(session, k)
                for k in locks
                if k not in lifted
                and k.covers_period(period)
                and _overlaps(k, metric_id, department_id)
            ]

        remaining, changes = self.ws._write(action, recovery={"operation": "unlock periods"})
        return changes, remaining


def _need_reason(reason: str) -> None:
    if not reason.strip():
        raise ReasonNeeded(
            "Unlocking a period needs a reason: the change log keeps it.",
            "Say why the final figures must change (for example: 'audit corrected July').",
        )


def _overlaps(lock: Lock, metric_id: int | None, department_id: int | None) -> bool:
    """Whether `lock` still covers (part of) the scope just unlocked."""
    if lock.metric_id is None and lock.department_id is None:
        return True
    if metric_id is not None:
        return lock.metric_id == metric_id
    return lock.department_id == department_id and department_id is not None
