"""StatDesk over a real SMB share with a 30 ms round trip, against the same on the local disk.

    sudo uv run python -m bench.share      (needs root, samba, smbnetfs: see tests/smb.py)

The share is Samba on the loopback interface (tests/smb.py), reached through a proxy that holds
every packet 15 ms each way, as a laptop on Wi-Fi meets a city's file server (this kernel has
no netem). Each step runs in a fresh process on "another computer" (its own mount and host
name), and the same step on a local copy: opening the demo city and the 50 MB city and reading
Home, a save, a backup, and the values import of the 100,000-row xlsx (a dry run). Bytes read
to open the 50 MB city come from the process's `rchar`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.big_city import build
from bench.imports import make_xlsx
from bench.result import CACHE, Result, child_env, table
from tests import smb

DELAY = 0.015  # seconds each way
PROXY = "127.0.0.2"  # a share reached through this address is 30 ms away

STEP = """
import json, sys, time
from pathlib import Path
def read_so_far():
    with open("/proc/self/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("rchar"))
step, path = sys.argv[1], Path(sys.argv[2])
from statdesk.storage import models as m
from statdesk.workspace import Workspace
if step == "import":
    from statdesk.importing.plan import ImportOptions
before, started = read_so_far(), time.perf_counter()  # StatDesk's own modules are local
workspace = Workspace.open(path, user="bench", daily_backup=False)
extra = {}
if step == "open":  # what the window waits for to show Home; its count line follows
    workspace.home_summary()
    shown, read = time.perf_counter(), read_so_far()
    workspace.counts()
    extra = {"counts": time.perf_counter() - shown, "counts_read": read_so_far() - read}
    started += extra["counts"]  # not part of the wait for Home
elif step == "save":
    workspace.create(m.Department, name=f"Bench {time.time()}")
elif step == "backup":
    workspace.backup()
elif step == "import":
    workspace.imports.plan(sys.argv[3], ImportOptions("values"))
workspace.close()
read = read_so_far() - before - extra.get("counts_read", 0)
print(json.dumps({"s": time.perf_counter() - started, "read": read, **extra}))
"""


def _run(command: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    data: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return data


def measure(runs: int = 3) -> list[Result]:
    reason = smb.missing()
    if reason is not None:
        print(f"bench.share: skipped ({reason})")
        return []
    CACHE.mkdir(exist_ok=True)
    big = CACHE / "big.statdesk"
    if not big.exists():
        build(big)
    book = CACHE / "values-100000.xlsx"
    if not book.exists():
        make_xlsx(book, 100_000)
    folder = Path(tempfile.mkdtemp(prefix="statdesk-share-"))
    local = folder / "local"
    local.mkdir()
    demo = local / "demo.statdesk"
    subprocess.run(
        [sys.executable, "-m", "statdesk", "demo", str(demo)], check=True, env=child_env()
    )
    shutil.copyfile(big, local / "big.statdesk")
    results: list[Result] = []
    with (
        smb.slow_link(PROXY, DELAY),
        smb.running_share(folder / "smb", names=("PC-BENCH",), host=PROXY) as share,
    ):
        for name in ("demo.statdesk", "big.statdesk"):
            shutil.copyfile(local / name, share.folder / name)
        shutil.copyfile(book, share.folder / book.name)
        [computer] = share.computers
        steps = [
            ("open the demo city and read Home", "open", "demo.statdesk", ()),
            ("open the 50 MB city and read Home", "open", "big.statdesk", ()),
            ("a save (one department)", "save", "demo.statdesk", ()),
            ("a backup of the demo city", "backup", "demo.statdesk", ()),
            ("dry run of the 100,000-row xlsx of values", "import", "demo.statdesk", (book.name,)),
        ]
        for what, step, file, extra in steps:
            over: list[dict[str, float]] = []
            here: list[dict[str, float]] = []
            for _ in range(runs):
                remote = [str(computer.share / e) for e in extra]
                over.append(
                    _run(
                        computer.command(
                            sys.executable, "-c", STEP, step, str(computer.share / file), *remote
                        ),
                        computer.env(),
                    )
                )
                here.append(
                    _run(
                        [
                            sys.executable,
                            "-c",
                            STEP,
                            step,
                            str(local / file),
                            *[str(book) for _ in extra],
                        ],
                        child_env(),
                    )
                )
            share_s = min(r["s"] for r in over)
            local_s = min(r["s"] for r in here)
            results.append(
                Result(f"{what}: share (30 ms) against local disk", share_s, "s", floor=local_s)
            )
            if step == "open":
                results.append(
                    Result(
                        f"{what}: then its count line, read in the background",
                        min(r["counts"] for r in over),
                        "s",
                        floor=min(r["counts"] for r in here),
                    )
                )
            if file == "big.statdesk" and step == "open":
                read = min(r["read"] for r in over) / 1e6
                results.append(
                    Result("read over the share to open the 50 MB city", read, "MB", limit=5)
                )
    shutil.rmtree(folder, ignore_errors=True)
    return results


if __name__ == "__main__":
    print(table(measure()))
