"""`statdesk` in a process of its own for each fault case, without paying its start-up each time.

On Linux one server process imports StatDesk and the libraries it reads files with, once; each
command then runs in a child forked from it: a separate process, with the memory limit, its
own stdout and stderr, and an exit status (a crash or a kill shows as a negative code, as with
`subprocess`). Elsewhere each command is a fresh `python -m statdesk`.

    python -m tests.faults.runner     the server: one JSON request per line on stdin
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

MEMORY_LIMIT = 2 * 1024**3  # address space of a command: a bomb fails, not the machine
TIMEOUT = 300
REPO = Path(__file__).resolve().parents[2]
_FORKING = sys.platform == "linux"
_server: subprocess.Popen[str] | None = None
_lock = threading.Lock()


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    return {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONIOENCODING": "utf-8",
        **(extra or {}),
    }


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `statdesk ARGS` in a process of its own; `env` adds to this process's environment."""
    environment = _environment(env)
    if not _FORKING:
        return subprocess.run(
            [sys.executable, "-m", "statdesk", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=environment,
            timeout=TIMEOUT,
        )
    request = json.dumps({"argv": list(args), "env": environment, "cwd": str(Path.cwd())})
    with _lock:
        server = _start()
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(request + "\n")
        server.stdin.flush()
        answer = json.loads(server.stdout.readline())
    return subprocess.CompletedProcess(
        ["statdesk", *args], answer["code"], answer["stdout"], answer["stderr"]
    )


def _start() -> subprocess.Popen[str]:
    global _server
    if _server is None or _server.poll() is not None:
        _server = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.runner"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=REPO,
            env=_environment({"PYTHONPATH": str(REPO)}),
        )
        atexit.register(_server.kill)
    return _server


def _serve() -> None:
    # What the commands would import anyway, imported once before any fork.
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401

    import statdesk.cli
    import statdesk.importing.planning
    import statdesk.workspace

    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps(_run_forked(statdesk.cli.main, request)), flush=True)


def _run_forked(main: Any, request: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder, "out"), Path(folder, "err")
        pid = os.fork()
        if pid == 0:  # the child: becomes the command, and never returns
            code = 1
            try:
                _limit_memory()
                os.environ.clear()
                os.environ.update(request["env"])
                os.chdir(request["cwd"])
                for fd, target in ((1, out), (2, err)):
                    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    os.dup2(handle, fd)
                    os.close(handle)
                code = main(request["argv"])
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        return {
            "code": os.waitstatus_to_exitcode(status),
            "stdout": out.read_text(encoding="utf-8", errors="replace"),
            "stderr": err.read_text(encoding="utf-8", errors="replace"),
        }


if __name__ == "__main__":
    _serve()
