"""Opening a big file on a slow shared drive: how much of it is read before the first page
shows. Bytes are counted by the kernel for the process (`rchar` in /proc/self/io: every byte
asked of the file system, as a network drive would have to send it), in a fresh process.

    uv run python -m bench.open_file

The file is bench/.cache/big.statdesk (50 MB). The day's first opening also backs the file up
(a whole copy, once a day); it is done first and not counted. Target: the open and the Home
page together read under a tenth of the file; the deferred quick check is reported too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

from bench.big_city import build
from bench.result import CACHE, Result, child_env, table

PROBE = """
import json, sys, time
from pathlib import Path
def read_so_far():
    with open("/proc/self/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("rchar"))
from statdesk.workspace import Workspace
path = Path(sys.argv[1])
before, started = read_so_far(), time.perf_counter()
workspace = Workspace.open(path)
workspace.home_summary()
workspace.counts()
opened, took = read_so_far(), time.perf_counter() - started
started = time.perf_counter()
workspace.check_now()
checked, check_took = read_so_far(), time.perf_counter() - started
workspace.close()
print(json.dumps({"open": opened - before, "open_s": took, "check": checked - opened,
                  "check_s": check_took, "size": path.stat().st_size}))
"""


def measure() -> list[Result]:
    if not sys.platform.startswith("linux"):
        return []
    CACHE.mkdir(exist_ok=True)
    path = build(CACHE / "big.statdesk")
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-") as home:
        env = child_env(STATDESK_HOME=home)
        runs = []
        for _ in range(2):  # the first also makes the day's backup
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(path)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
    for backup in (path.parent / "backups").glob("big.*.statdesk"):
        backup.unlink()
    seen = runs[-1]
    size = seen["size"] / 1e6
    return [
        Result(
            f"read to open a {size:.0f} MB file and show Home",
            seen["open"] / 1e6,
            "MB",
            limit=round(size / 10, 1),
        ),
        Result("time to open it and read Home", seen["open_s"], "s"),
        Result("the quick check, after Home shows (background)", seen["check_s"], "s"),
        Result("read by that check", seen["check"] / 1e6, "MB"),
    ]


if __name__ == "__main__":
    print(table(measure()))
