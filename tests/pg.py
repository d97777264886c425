"""A real PostgreSQL server for the tests: Debian's `postgresql`, a throwaway cluster made with
`initdb` in a temporary folder and started with `pg_ctl` on a loopback port (`fsync=off`), run
as the unprivileged `postgres` user when the tests run as root. Each test gets databases of its
own (`Server.database`), made from templates so a demo city is not built again per test.

The tests skip with the reason where no server can be started, unless STATDESK_REQUIRE_PG is
set (as CI sets it), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "statdesk_admin"
# The one sign-in whose password the server asks for (scram-sha-256); every other is trusted.
WITH_PASSWORD = ("secret_sam", "correct horse battery")


def _bin_folder() -> Path | None:
    """Debian's newest server programs (not on PATH there), else whatever PATH has."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    if versions:
        return versions[0].parent
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def missing() -> str | None:
    """Why a server cannot be started here, or None."""
    folder = _bin_folder()
    if folder is None or not (folder / "initdb").exists():
        return "PostgreSQL is not installed (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "the tests run as root and there is no 'postgres' user to run the server as"
    return None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("STATDESK_REQUIRE_PG"):
        pytest.fail(f"A PostgreSQL server is required here but cannot be started: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running throwaway cluster on 127.0.0.1:`port`, trusting local connections."""

    folder: Path
    port: int
    bin: Path
    owner: str | None  # the system user the server runs as (None: this process's)
    certificate: Path | None = None  # its TLS certificate (self-signed), when it has one

    def url(self, database: str, user: str = SUPERUSER, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}" + (
            f"?{query}" if query else ""
        )

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run `statement` as the cluster's superuser (outside any transaction)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?")[0]
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def restart(self) -> None:
        """Stop the server (its sessions are cut) and start it again."""
        log = str(self.folder / "server.log")
        self.run(
            "pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "-l", log, "restart"
        )

    def stop(self) -> None:
        self.run(
            "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop", check=False
        )


@contextlib.contextmanager
def started() -> Iterator[Server]:
    """Start a throwaway cluster; stop it and remove its folder at the end."""
    reason = missing()
    if reason:
        skip_or_fail(reason)
    bin_folder = _bin_folder()
    assert bin_folder is not None
    owner = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="statdesk-pg-"))
    if owner is not None:
        entry = pwd.getpwnam(owner)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    server = Server(folder, _free_port(), bin_folder, owner)
    try:
        _start(server)
    except (subprocess.CalledProcessError, OSError) as error:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        detail = getattr(error, "stderr", "") or str(error)
        skip_or_fail(f"the server did not start: {detail.strip()[:300]}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _certificate(server: Server) -> str:
    """A self-signed certificate for 127.0.0.1 (`server.certificate`), so TLS can be tried:
    the server options that turn it on, or "" when openssl is missing."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return ""
    key, cert = server.folder / "server.key", server.folder / "server.crt"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    request += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    request += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run([openssl, *request], check=True, capture_output=True, timeout=60)
    key.chmod(0o600)
    if server.owner is not None:
        entry = pwd.getpwnam(server.owner)
        for path in (key, cert):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    server.certificate = cert
    return f" -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"


def _start(server: Server) -> None:
    data = str(server.folder / "data")
    server.run(
        "initdb", "-D", data, "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale", "C.UTF-8"
    )
    hba = server.folder / "data" / "pg_hba.conf"
    user = WITH_PASSWORD[0]
    hba.write_text(f"host all {user} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    options = (
        f"-p {server.port} -k {server.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        + _certificate(server)
    )
    log = str(server.folder / "server.log")
    server.run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")
    deadline = time.monotonic() + 30
    while True:
        try:
            server.sql("SELECT 1")
            name, password = WITH_PASSWORD
            server.sql(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD '{password}'")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
