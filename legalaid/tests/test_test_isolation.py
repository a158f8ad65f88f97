"""A test run owns its broker folder, its queue and its database: a `make run` beside `make test`
(the development worker consumes var/broker/ and the default queue) never takes the tests' tasks,
and a real worker writing beside a test meets a busy timeout, not "database table is locked"."""
from pathlib import Path

from django.conf import settings
from django.db import connection


def test_it_uses_a_broker_folder_of_its_own():
    if settings.REDIS_URL:
        return  # Redis: the queue below is what isolates the run
    folders = {Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[k]).resolve()
               for k in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")}
    development = (Path(settings.VAR_DIR) / "broker").resolve()
    assert all(settings.TEST_RUN_DIR in f.parents for f in folders)
    assert not any(development == f or development in f.parents for f in folders)


def test_it_uses_a_queue_of_its_own():
    from legalaid.celery import app

    assert settings.CELERY_TASK_DEFAULT_QUEUE.startswith("tests-")
    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE != "celery"


def test_on_sqlite_the_database_is_a_file_in_wal_mode_with_a_busy_timeout(db):
    if connection.vendor != "sqlite":
        return
    name = connection.settings_dict["NAME"]
    assert Path(name).parent == settings.TEST_RUN_DIR and "memory" not in str(name)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
