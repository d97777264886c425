"""Build StatDesk's bundle (and on request its installer) from a clean environment.

    python installers/build.py [--self-test] [--installer] [--fast-installer] [--no-trim]

1. Makes build/env with `uv sync --locked --no-dev --group build`: the app's locked
   dependencies and PyInstaller, none of the test or lint tools.
2. Runs PyInstaller on installers/statdesk.spec into dist/StatDesk (onedir).
3. Prints the bundle's size, what trimming left out, and the largest parts.
4. --self-test runs the frozen `statdesk-cli --self-test`; the build fails if it does.
5. --installer compiles installers/statdesk.nsi with makensis into
   dist/StatDesk-VERSION-setup.exe (--fast-installer: uncompressed, for checking the script
   and its payload list, as CI does on Linux).

Only the standard library is used here, so any Python 3.11 runs it (uv must be on PATH).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE = DIST / "StatDesk"
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""
MB = 1024 * 1024


def version() -> str:
    for line in (ROOT / "statdesk" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("statdesk/__init__.py has no __version__")


def step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.perf_counter()


def done(started: float) -> None:
    print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)


def run(command: list[str], **options: object) -> None:
    print("   $ " + " ".join(str(c) for c in command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT, **options)  # type: ignore[call-overload]


def environment_python() -> Path:
    env = BUILD / "env"
    started = step(f"Clean build environment in {env}")
    run(
        ["uv", "sync", "--locked", "--no-dev", "--group", "build"],
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(env)},
    )
    done(started)
    return env / ("Scripts/python.exe" if WINDOWS else "bin/python")


def bundle(python: Path, trim: bool) -> None:
    started = step("PyInstaller: " + ("trimmed" if trim else "untrimmed") + " onedir bundle")
    env = {**os.environ, "STATDESK_BUILD_DIR": str(BUILD)}
    if not trim:
        env["STATDESK_NO_TRIM"] = "1"
    run(
        [
            str(python),
            "-m",
            "PyInstaller",
            str(ROOT / "installers" / "statdesk.spec"),
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
        ],
        env=env,
    )
    done(started)


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def report() -> None:
    step("Bundle size")
    total, count = size_of(BUNDLE)
    print(f"   {BUNDLE}: {total / MB:.1f} MB in {count:,} files")
    trimmed = BUILD / "trimmed.txt"
    lines = trimmed.read_text(encoding="utf-8").splitlines() if trimmed.exists() else []
    saved, reasons = 0, Counter[str]()
    for line in lines:
        _dest, reason, source = line.split("\t")
        size = Path(source).stat().st_size if Path(source).is_file() else 0
        saved += size
        reasons[reason] += size
    if lines:
        print(
            f"   Trimming left out {len(lines)} files, {saved / MB:.1f} MB: before trimming "
            f"{(total + saved) / MB:.1f} MB, after {total / MB:.1f} MB"
        )
        for reason, size in reasons.most_common(6):
            print(f"     {size / MB:6.1f} MB  {reason}")
    internal = BUNDLE / "_internal"
    parts = sorted(
        (size_of(p)[0] if p.is_dir() else p.lstat().st_size, p.name)
        for p in internal.iterdir()
        if not p.is_symlink()  # PyInstaller links libraries to where their package expects them
    )[::-1]
    print("   Largest parts of _internal:")
    for size, name in parts[:10]:
        print(f"     {size / MB:6.1f} MB  {name}")


def self_test() -> None:
    started = step("Self-test of the frozen program")
    run(
        [
            str(BUNDLE / f"statdesk-cli{EXE}"),
            "--self-test",
            "--report",
            str(BUILD / "self-test.txt"),
        ]
    )
    done(started)


def installer(python: Path, fast: bool) -> Path:
    started = step("Installer (NSIS)" + (", uncompressed" if fast else ""))
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit(
            "makensis is not installed: apt-get install nsis (Linux), choco install nsis (Windows)."
        )
    icon_file = BUILD / "statdesk.ico"  # the spec draws it on Windows; else it is drawn here
    svg = ROOT / "resources" / "icons" / "statdesk.svg"
    if not icon_file.exists() or icon_file.stat().st_mtime < svg.stat().st_mtime:
        run([str(python), str(ROOT / "installers" / "icon.py"), str(icon_file)])
    target = DIST / f"StatDesk-{version()}-setup.exe"
    defines = {
        "VERSION": version(),
        "BUNDLE": BUNDLE.as_posix(),
        "ICON": icon_file.as_posix(),
        "OUTFILE": target.as_posix(),
        "APP_EXE": f"StatDesk{EXE}",
        "CLI_EXE": f"statdesk-cli{EXE}",
    }
    flag = "/" if WINDOWS else "-"  # makensis' documented option prefix on each system
    command = [makensis, f"{flag}V2", *(f"{flag}D{k}={v}" for k, v in defines.items())]
    if fast:
        command.append(f"{flag}DFAST")
    run([*command, str(ROOT / "installers" / "statdesk.nsi")])
    print(f"   {target}: {target.stat().st_size / MB:.1f} MB")
    done(started)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="run the frozen self-test")
    parser.add_argument("--installer", action="store_true", help="compile the NSIS installer")
    parser.add_argument(
        "--fast-installer", action="store_true", help="compile it uncompressed (a check)"
    )
    parser.add_argument("--no-trim", action="store_true", help="keep every collected file")
    parser.add_argument(
        "--no-sync", action="store_true", help="reuse build/env as it is (faster rebuilds)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.no_sync:
        python = BUILD / "env" / ("Scripts/python.exe" if WINDOWS else "bin/python")
    else:
        python = environment_python()
    bundle(python, trim=not args.no_trim)
    report()
    if args.self_test:
        self_test()
    if args.installer or args.fast_installer:
        installer(python, fast=args.fast_installer)
    print(f"\nBuilt StatDesk {version()} in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
