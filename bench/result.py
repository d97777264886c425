"""One measurement, against its floor or its limit, and the table they are printed in."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"


@dataclass(frozen=True)
class Result:
    what: str
    value: float
    unit: str  # "s", "ms" or "MB"
    floor: float | None = None  # the same work done by the libraries alone, same run
    ratio_limit: float | None = None  # the target, as a multiple of the floor
    limit: float | None = None  # the target, in `unit`

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    @property
    def met(self) -> bool | None:
        if self.ratio_limit is not None and self.ratio is not None:
            return self.ratio <= self.ratio_limit
        if self.limit is not None:
            return self.value <= self.limit
        return None

    def row(self) -> str:
        floor = f"{self.floor:.2f} {self.unit}" if self.floor is not None else ""
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else ""
        if self.ratio_limit is not None:
            target = f"≤ {self.ratio_limit:g}× floor"
        elif self.limit is not None:
            target = f"≤ {self.limit:g} {self.unit}"
        else:
            target = ""
        met = {True: "yes", False: "**no**", None: ""}[self.met]
        value = f"{self.value:.0f}" if self.unit in ("ms", "MB") else f"{self.value:.2f}"
        return f"| {self.what} | {value} {self.unit} | {floor} | {ratio} | {target} | {met} |"


def table(results: list[Result]) -> str:
    lines = ["| measure | StatDesk | floor | ratio | target | met |", "|---|---|---|---|---|---|"]
    return "\n".join(lines + [r.row() for r in results])


def child_env(**extra: str) -> dict[str, str]:
    """A fresh process's environment: compiled modules cached (as an installed StatDesk has
    them), Qt offscreen, one BLAS thread."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def wall_time(args: list[str], env: dict[str, str]) -> float:
    """Seconds from starting a process to its exit (it must exit 0)."""
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


PYTHON = sys.executable


def alternating(
    first: list[str], second: list[str], env: dict[str, str], runs: int
) -> tuple[list[float], list[float]]:
    """Each command's wall times over `runs` turns, taking turns so a busy moment of the
    machine hurts both alike; each is run once unmeasured first (the day's backup, .pyc)."""
    for args in (first, second):
        wall_time(args, env)
    firsts, seconds = [], []
    for _ in range(runs):
        firsts.append(wall_time(first, env))
        seconds.append(wall_time(second, env))
    return firsts, seconds
