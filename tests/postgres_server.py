"""A real, throw-away PostgreSQL server in a temporary folder, for the tests and the load bench (no mocks).

Debian's `postgresql` package installs `initdb` and `pg_ctl` under /usr/lib/postgresql/<version>/bin.
PostgreSQL refuses to run as root, so as root the server runs as the unprivileged `postgres` user
the package creates (`runuser -u postgres --`), its data folder owned by that user. It listens on
127.0.0.1 on a free port only, trusts local logins (a test server) and runs without fsync.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl: the newest Debian version, else whatever is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    prefix: list[str]
    bin: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://ladder@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A fresh, empty database on this server; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    """Start a server; RuntimeError saying why when PostgreSQL is not installed or will not start."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="ladder-pg-"))
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    os.chmod(folder, 0o700)
    port = free_port()
    data = folder / "data"
    run = dict(capture_output=True, text=True, timeout=120)
    done = subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "ladder",
                           "-E", "UTF8", "--locale=C", "--no-sync"], **run)  # type: ignore[call-overload]
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr[-2000:]}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    done = subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                           str(folder / "server.log"), "-w", "-t", "60", "start"], **run)  # type: ignore[call-overload]
    if done.returncode:
        raise RuntimeError(f"pg_ctl start failed: {done.stderr[-2000:]}")
    server = Server(folder, port, prefix, bin_dir)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError("PostgreSQL did not start listening") from None
            time.sleep(0.1)
