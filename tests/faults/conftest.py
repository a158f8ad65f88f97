"""Fixtures of the fault tests: a private PostgreSQL (one per test session, a fresh database per test
from a migrated template) and a private Redis, the application served the production way (gunicorn,
production settings) and real Celery workers, all pointed at those private instances, all stopped at
teardown. Never the machine's shared PostgreSQL or Redis, which other test runs use at the same time.

These tests are slow (real processes, restarts): they run in `make test-faults` (FAULT_TESTS=1) and
are skipped, saying so, in the ordinary suite."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.faults.services import PrivatePostgres, PrivateRedis, free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STARTUP_SECONDS = 60
SECRET_KEY = "fault-tests-" + "x" * 40 + "-Zq8#vLm2@pRt5^wXy9&bNc3"


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FAULT_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="fault test: starts PostgreSQL, Redis, gunicorn and workers; run `make test-faults`")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(skip)


def base_env(**extra) -> dict:
    """The environment of every process we start: production settings, our private services."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE",
                        "CELERY_TASK_ALWAYS_EAGER", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "legalaid.settings.production", "SECRET_KEY": SECRET_KEY,
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false", "PYTHONPATH": str(ROOT),
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "LOG_LEVEL": "WARNING"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


# --- PostgreSQL --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres():
    """One private PostgreSQL server for the session, with a migrated template database."""
    pg = PrivatePostgres()
    try:
        pg.init().start()
        pg.createdb("legalaid_template")
        result = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                                env=base_env(DATABASE_URL=pg.url("legalaid_template"), REDIS_URL=""),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        yield pg
    finally:
        pg.remove()


@pytest.fixture
def database(postgres):
    """A fresh database for one test, copied from the migrated template."""
    name = f"legalaid_{uuid.uuid4().hex[:10]}"
    if not postgres.is_running():
        postgres.start()
    postgres.createdb(name, template="legalaid_template")
    yield SimpleDatabase(postgres, name)
    if postgres.is_running():
        postgres.dropdb(name)


class SimpleDatabase:
    def __init__(self, pg, name):
        self.pg, self.name = pg, name

    @property
    def url(self):
        return self.pg.url(self.name)

    def query(self, sql, params=None):
        return self.pg.query(self.name, sql, params)

    def value(self, sql, params=None):
        return self.query(sql, params)[0][0]


# --- Redis -----------------------------------------------------------------------------------------

@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.stop()


# --- Seeding, the server, workers ------------------------------------------------------------------

def run_script(code: str, *, database, redis_url="", timeout=180, **env) -> dict:
    """Run Python with Django set up on `database` (test settings: tasks inline); the last line it
    prints is JSON, returned."""
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout, env=base_env(DJANGO_SETTINGS_MODULE="legalaid.settings.test",
                                                          DATABASE_URL=database.url, REDIS_URL=redis_url,
                                                          CELERY_TASK_ALWAYS_EAGER="true", **env))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


class Process:
    """A process we started, in its own process group, with its output in a log file."""

    def __init__(self, argv, *, env, log):
        self.log = Path(log)
        self._out = open(self.log, "w")
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self):
        """SIGKILL to the whole group: dies at once, whatever it is doing."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()


class Server(Process):
    """gunicorn serving legalaid.wsgi with the production settings."""

    def __init__(self, *, env, log, workers=2, threads=4):
        self.port = free_port()
        super().__init__([sys.executable, "-m", "gunicorn", "legalaid.wsgi:application", "--bind",
                          f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads),
                          "--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "5",
                          "--backlog", "512", "--access-logfile", "-"], env=env, log=log)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if not self.alive():
                self.stop()
                raise RuntimeError(f"gunicorn exited:\n{self.text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn not ready after {STARTUP_SECONDS}s:\n{self.text()}")


class Worker(Process):
    """A Celery worker (solo pool), its wall clock set to `frozen_at` when given (tests/workers)."""

    def __init__(self, *, env, log, name, frozen_at=None):
        env = {**env, "FROZEN_AT": frozen_at or "", "CONN_MAX_AGE": "0"}
        super().__init__([sys.executable, str(ROOT / "tests" / "workers" / "frozen_worker.py"), "-A", "legalaid",
                          "worker", "--pool=solo", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
                          "--without-heartbeat", "--loglevel=INFO"], env=env, log=log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.text():
                return
            if not self.alive():
                self.stop()
                raise RuntimeError(f"worker exited:\n{self.text()}")
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"worker not ready after {STARTUP_SECONDS}s:\n{self.text()}")


@pytest.fixture
def processes():
    """Start servers and workers through this; every one is stopped at teardown."""
    started = []

    class Starter:
        def server(self, **kwargs):
            started.append(Server(**kwargs))
            return started[-1]

        def worker(self, **kwargs):
            started.append(Worker(**kwargs))
            return started[-1]

    yield Starter()
    for process in reversed(started):
        process.stop()


def send_task(redis_url, name, **kwargs):
    """Queue a task by name on the private Redis (what beat does on its tick)."""
    from celery import Celery

    app = Celery(broker=redis_url, set_as_current=False)
    try:
        app.send_task(name, kwargs=kwargs)
    finally:
        app.close()


def wait_for(condition, *, timeout=90, what="the condition", interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


# --- An SMS gateway the workers send through ---------------------------------------------------------

class Gateway:
    """Texts received (`arrived`) and accepted with 200 (`accepted`), by delivery key. `hold_at(n)`:
    the n-th text is held without an answer until `release()`, then answered 503."""

    def __init__(self):
        self.arrived, self.accepted = [], []
        self.lock = threading.Lock()
        self._hold_at = None
        self.holding = threading.Event()
        self._release = threading.Event()

    def hold_at(self, n):
        self._hold_at = n

    def release(self):
        self._release.set()


@pytest.fixture
def gateway():
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            key = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["key"]
            with state.lock:
                state.arrived.append(key)
                held = state._hold_at is not None and len(state.arrived) == state._hold_at
            if held:
                state.holding.set()
                state._release.wait(60)
                self._answer(503)
                return
            with state.lock:
                state.accepted.append(key)
            self._answer(200)

        def _answer(self, status):
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender died while we held its text

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    yield state
    state.release()
    server.shutdown()
    server.server_close()
