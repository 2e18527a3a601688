"""A throw-away PostgreSQL cluster for tests and benchmarks: initdb into a temporary
directory, a free port on 127.0.0.1 (no Unix socket elsewhere than that directory), trust
authentication for the user `kume`, `pg_ctl stop` at the end.

The server binaries are Debian's (scripts/postgres-deps installs them). initdb and postgres
refuse to run as root, so as root they run as the unprivileged user `kumepg` (created by the
same script) through runuser.

`shared_cluster()` is the one cluster of a test run (started on first use, stopped at exit);
`fresh_database()` gives each test its own empty database on the current schema, copied from a
template so that migrations run once per run.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

OS_USER = "kumepg"
DB_USER = "kume"


def find_bin() -> Path | None:
    """The newest installed server's bin directory (or $KUME_PG_BIN)."""
    if os.environ.get("KUME_PG_BIN"):
        given = Path(os.environ["KUME_PG_BIN"])
        return given if (given / "initdb").exists() else None
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def unavailable_reason() -> str | None:
    if find_bin() is None:
        return "PostgreSQL sunucusu kurulu değil; kurmak için: scripts/postgres-deps"
    if os.getuid() == 0:
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"root olarak çalışırken {OS_USER} kullanıcısı gerekli: scripts/postgres-deps"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    def __init__(self, fsync: bool = False, settings: dict[str, str] | None = None) -> None:
        bin_dir = find_bin()
        if bin_dir is None:
            raise RuntimeError(unavailable_reason())
        self.bin = bin_dir
        self.fsync = fsync
        self.settings = settings or {}
        self.root = Path(tempfile.mkdtemp(prefix="kume-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.running = False
        self._as_user: list[str] = []
        if os.getuid() == 0:
            user = pwd.getpwnam(OS_USER)
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as_user = ["runuser", "-u", OS_USER, "--"]

    def _run(self, *cmd: str, timeout: float = 120) -> None:
        subprocess.run(
            [*self._as_user, *cmd], check=True, capture_output=True, timeout=timeout, cwd=self.root
        )

    def init(self) -> PgCluster:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", DB_USER, "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        return self

    def _options(self) -> str:
        options = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            "max_connections": "300",
            "fsync": "on" if self.fsync else "off",
            "synchronous_commit": "on" if self.fsync else "off",
            "full_page_writes": "on" if self.fsync else "off",
            **self.settings,
        }
        return " ".join(f"-c {k}={v}" for k, v in options.items())

    def start(self) -> PgCluster:
        if not self.data.exists():
            self.init()
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-o", self._options(), "-w", "-t", "60", "start",
        )  # fmt: skip
        self.running = True
        return self

    def stop(self, mode: str = "fast") -> None:
        if self.running:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
            self.running = False

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement.encode())


_shared: PgCluster | None = None
_shared_lock = threading.Lock()
_names = itertools.count(1)
TEMPLATE = "kume_template"


def shared_cluster() -> PgCluster:
    """The cluster of this process, with a template database on the current schema."""
    global _shared
    with _shared_lock:
        if _shared is None:
            cluster = PgCluster().start()
            atexit.register(cluster.destroy)
            cluster.execute(f"CREATE DATABASE {TEMPLATE}")
            migrate(cluster.url(TEMPLATE))
            _shared = cluster
        return _shared


def migrate(url: str) -> None:
    import psycopg

    from bot.leads import pg_schema

    with psycopg.connect(url) as conn:
        pg_schema.upgrade(conn)


def fresh_database(cluster: PgCluster | None = None, empty: bool = False) -> str:
    """The URL of a new database on the current schema (`empty`: no schema at all)."""
    cluster = cluster or shared_cluster()
    name = f"t{os.getpid()}_{next(_names)}"
    template = "template0" if empty else TEMPLATE
    cluster.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return cluster.url(name)
