"""Private PostgreSQL and Redis instances for the fault tests: started in a temporary directory on a
free port, owned by this test run alone, and stopped at teardown. The machine's shared PostgreSQL
(5432) and Redis (6379) are never touched: other test runs use them at the same time."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30, process=None, what="the service") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout}s")


def _as_postgres(argv):
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class PrivatePostgres:
    """initdb + pg_ctl on a free port, in a fresh directory of /tmp (owned by the postgres user when
    run as root: pytest's own temporary directories are closed to other users)."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="legalaid-faults-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "pgdata"
        self.port = free_port()
        self.log = self.root / "postgres.log"

    def _run(self, *argv, check=True, timeout=120):
        result = subprocess.run(_as_postgres([str(a) for a in argv]), timeout=timeout,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if check and result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({result.returncode}):\n{result.stdout}")
        return result

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "-N")
        return self

    def start(self):
        # Small and fast: no fsync (a test database), enough connections for a server and workers,
        # the socket in our own directory (not the shared one in /var/run/postgresql).
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=120 "
                   "-c shared_buffers=64MB")
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")
        return self

    def stop(self, mode="fast"):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self, mode="fast"):
        self.stop(mode)
        self.start()

    def remove(self):
        """Stop the server and delete its directory (teardown)."""
        if self.data.exists():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def is_running(self) -> bool:
        return self._run(PG_BIN / "pg_ctl", "-D", self.data, "status", check=False).returncode == 0

    def url(self, dbname="postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname="postgres"):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname)
        conn.autocommit = True
        return conn

    def createdb(self, name, template=None):
        conn = self.connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        finally:
            conn.close()

    def dropdb(self, name):
        conn = self.connect()
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()

    def query(self, dbname, sql, params=None):
        conn = self.connect(dbname)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params or [])
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()


class PrivateRedis:
    """redis-server on a free port, no persistence, working directory in `root`."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root), "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for_port(self.port, process=self.process, what="redis-server")
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def url(self, db=0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"
