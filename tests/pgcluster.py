"""A throwaway PostgreSQL cluster for the tests and the benchmark.

:class:`PgCluster` runs ``initdb`` into a fresh directory under the system temporary
directory and ``pg_ctl start`` on a free port on 127.0.0.1 (its socket directory is the
data directory, so nothing outside it is touched). The binaries are Debian's
(``/usr/lib/postgresql/<version>/bin``) or whatever ``pg_ctl`` and ``initdb`` are on
``PATH``. PostgreSQL refuses to run as root, so when the tests run as root the cluster
belongs to the ``postgres`` user and its commands run through ``runuser``.

The cluster is tuned for tests (``fsync=off``): it is deleted when destroyed. By default
it does not wait for its log either (``synchronous_commit=off``); a ``durable`` cluster
does, so a commit it acknowledged survives the server being killed (``pg_ctl stop -m
immediate``, :meth:`crash`) — not the machine losing power, which no test does. :meth:`create_database` makes an empty database (``TEMPLATE template0``, C
collation) and returns its SQLAlchemy URL.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_names = itertools.count(1)


def pg_bin_dir() -> Path | None:
    """Where ``initdb``, ``pg_ctl`` and ``postgres`` are, or ``None`` when they are absent."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                            key=lambda path: int(path.split("/")[-2]) if path.split("/")[-2].isdigit() else 0,
                            reverse=True):
        if all(os.access(os.path.join(candidate, name), os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return Path(candidate)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(os.path.realpath(initdb)).parent
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """One PostgreSQL server with its own data directory and port."""

    def __init__(self, bin_dir: Path, *, durable: bool = False, options: str = "") -> None:
        self.bin_dir = bin_dir
        self.durable = durable
        self.options = options  # more server settings (``-c name=value …``)
        self.root = Path(tempfile.mkdtemp(prefix="ec2emu-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = _free_port()
        self.user = "postgres"
        self._run_as = None if os.geteuid() != 0 else pwd.getpwnam("postgres")
        if self._run_as is not None:
            os.chown(self.root, self._run_as.pw_uid, self._run_as.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "--no-sync",
                  "--no-instructions", "--encoding=UTF8", "--locale=C")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as.pw_name, "--", *command]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=self.root,
                                timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed:\n{result.stdout.decode(errors='replace')}")

    def start(self) -> PgCluster:
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c max_connections=300")
        if not self.durable:
            options += " -c synchronous_commit=off"
        if self.options:
            options += " " + self.options
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options)
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are closed); the data stays."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60")

    def crash(self) -> None:
        """Stop the server as a crash would (immediate shutdown: no checkpoint; it
        recovers from its log at the next start)."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", "60")

    def destroy(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", "60")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres",
                             autocommit=True, connect_timeout=10) as conn:
            conn.execute(statement)

    def create_database(self, prefix: str = "t", template: str | None = None) -> str:
        """A new empty database (or a copy of the database ``template``, which nobody may
        be connected to); returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(_names)}"
        if template is not None:
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' LC_COLLATE \'C\' LC_CTYPE \'C\'')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
