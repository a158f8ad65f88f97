"""Real Celery worker processes for the tests in this folder: `celery -A legalaid worker` started
as subprocesses on the pytest-django test database (PostgreSQL) with Redis as the broker, each
consuming a queue of its own test run. Skipped on SQLite and without REDIS_URL."""
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STARTUP_SECONDS = 60


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def needs_workers(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("real workers share the test database: run with DATABASE_URL on PostgreSQL")
    if not settings.REDIS_URL:
        pytest.skip("real workers need Redis as the broker: set REDIS_URL")


class Worker:
    def __init__(self, name, queue, log, frozen_at):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "legalaid.settings.test", "CELERY_TASK_ALWAYS_EAGER": "false",
               "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL, "FROZEN_AT": frozen_at or "",
               "PYTHONPATH": str(ROOT), "CONN_MAX_AGE": "0"}
        self.name, self.log = name, log
        self._out = open(log, "w")
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "frozen_worker.py"), "-A", "legalaid", "worker", "--pool=solo",
             "-n", f"{name}@%h", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)

    def text(self) -> str:
        return Path(self.log).read_text(errors="replace")

    def wait_ready(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.text():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.text()}")
            time.sleep(0.1)
        raise RuntimeError(f"worker {self.name} not ready after {STARTUP_SECONDS}s:\n{self.text()}")

    def kill(self):
        """SIGKILL: the worker dies at once, whatever it is doing."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()


@pytest.fixture
def workers(needs_workers, tmp_path):
    """start(n, frozen_at=ISO) → n ready workers on a fresh queue; send(task, **kwargs) to it."""
    from legalaid.celery import app

    queue = f"deadlines-test-{uuid.uuid4().hex[:12]}"
    started = []

    class Pool:
        def start(self, count, *, frozen_at=None, wait=True):
            new = [Worker(f"w{len(started) + i}-{queue}", queue, tmp_path / f"w{len(started) + i}.log", frozen_at)
                   for i in range(count)]
            started.extend(new)
            if wait:
                for worker in new:
                    worker.wait_ready()
            return new

        def send(self, task, **kwargs):
            # send_task never runs eagerly, whatever CELERY_TASK_ALWAYS_EAGER says in this process.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return app.send_task(task, kwargs=kwargs, queue=queue)

    yield Pool()
    for worker in started:
        worker.stop()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
    # Close our connection's idle session so that the test database can be flushed and dropped.
    connection.close()
