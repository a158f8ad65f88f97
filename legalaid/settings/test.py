"""The test suite: same services as configured (SQLite by default, PostgreSQL/Redis when
DATABASE_URL/REDIS_URL are set), tasks run inline unless a test starts real workers.

A test run owns its runtime state: a folder of its own (broker, SQLite database) and, on Redis, a
queue of its own, so that `make run` beside `make test` never takes the tests' tasks, and two runs
never share a database."""
import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import CACHES, DATABASES, REDIS_URL, env, filesystem_broker

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="test")}}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
_UNLIMITED = "100000/min"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                            "token": _UNLIMITED, "anon": _UNLIMITED,
                                            "token_failure": _UNLIMITED}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# --- This run's own folder ----------------------------------------------------------------------
# Made once per run by the process that loads the settings first; subprocesses it starts inherit it
# through the environment. In memory (/dev/shm) where the system has it: the SQLite file is written
# often. Removed when the process that made it exits.
_RUN_ENV = "LEGALAID_TEST_RUN_DIR"
if not os.environ.get(_RUN_ENV):
    _shm = Path("/dev/shm")
    _made = tempfile.mkdtemp(prefix="legalaid-tests-",
                             dir=str(_shm) if _shm.is_dir() and os.access(_shm, os.W_OK) else None)
    os.environ[_RUN_ENV] = _made
    atexit.register(shutil.rmtree, _made, ignore_errors=True)
TEST_RUN_DIR = Path(os.environ[_RUN_ENV])
TEST_RUN_ID = TEST_RUN_DIR.name.rsplit("-", 1)[-1] or uuid.uuid4().hex[:8]

if not REDIS_URL:
    # The filesystem broker in this run's folder, not the shared var/broker/ of `make run`.
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker(TEST_RUN_DIR / "broker")
# On Redis, a queue of this run's own: a development worker on the same Redis database consumes
# the default queue, never this one.
CELERY_TASK_DEFAULT_QUEUE = f"tests-{TEST_RUN_ID}"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file database (WAL, the busy timeout of settings/base.py) instead of SQLite's shared
    # in-memory one, whose table locks fail at once ("database table is locked") when a real worker
    # thread writes beside the test.
    DATABASES = {**DATABASES, "default": {**DATABASES["default"],
                                          "TEST": {"NAME": str(TEST_RUN_DIR / "test.sqlite3")}}}
