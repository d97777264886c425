"""Typed errors that carry a sentence for the user and a hint for what to do next.

Every layer raises these; the CLI prints them and the UI shows them in one place. Anything
that is not a `StatDeskError` is a bug and is reported as one.
"""

from __future__ import annotations

from dataclasses import dataclass


class StatDeskError(Exception):
    """A problem the user can understand and act on (never a bug: those exit 1)."""

    exit_code = 9

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class FileProblem(StatDeskError):
    """The .statdesk file cannot be used as asked."""

    exit_code = 3


class FileMissing(FileProblem):
    exit_code = 3


class NotAStatDeskFile(FileProblem):
    exit_code = 4


class DamagedFile(FileProblem):
    exit_code = 4


class ForeignCode(FileProblem):
    """The file holds triggers or views that StatDesk never makes: code that would run on the
    next save. It is only read until they are removed."""

    exit_code = 4


class NewerSchema(FileProblem):
    """The file was written by a newer StatDesk; this one may only read it."""

    exit_code = 5


class ReadOnly(StatDeskError):
    """A write was asked of a file opened read-only."""

    exit_code = 6


class NotFound(StatDeskError):
    exit_code = 7


class EditConflict(StatDeskError):
    """Someone else saved the same record since it was read."""

    exit_code = 8


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of a record, said so a person can fix it."""

    field: str
    message: str


class ValidationFailed(StatDeskError):
    exit_code = 9

    def __init__(self, kind: str, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].message if problems else "The record is not valid."
        more = (
            f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
            if len(problems) > 1
            else ""
        )
        super().__init__(
            f"Cannot save the {kind}: {first}{more}", "Correct the field and save again."
        )


class Cancelled(StatDeskError):
    """The user stopped a long operation; nothing was written."""

    exit_code = 9

    def __init__(self, message: str = "Stopped: nothing was imported.", hint: str = "") -> None:
        super().__init__(message, hint)


class PeriodLocked(StatDeskError):
    """A change would touch a value or target of a period made final."""


class ReasonNeeded(StatDeskError):
    """A change the change log must explain (unlocking, revising a reported period's target)
    was asked without a reason."""
