"""The pieces that keep a request working while Redis is down, against a real Redis client pointed at
a port where nothing listens: the cache falls back to memory, and a task call is kept for the
catch-up instead of raising."""
import socket
import time

import pytest
from celery import Celery

from legalaid import dispatch
from legalaid.cache import FailSafeRedisCache
from legalaid.models import PendingDispatch


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def dead_redis():
    return f"redis://127.0.0.1:{dead_port()}/0"


def test_the_cache_answers_from_memory_while_redis_is_down(dead_redis, caplog):
    cache = FailSafeRedisCache(dead_redis, {"OPTIONS": {"socket_connect_timeout": 0.5}})
    assert cache.get("missing", "default") == "default"
    cache.set("throttle", [1, 2, 3], 60)
    assert cache.get("throttle") == [1, 2, 3]
    assert cache.add("once", 1) is True and cache.add("once", 2) is False
    assert cache.incr("once") == 2
    cache.delete("once")
    assert cache.get("once") is None
    assert [r for r in caplog.records if r.name == "legalaid.cache"], "the outage is logged"
    assert len([r for r in caplog.records if r.name == "legalaid.cache"]) == 1  # once, not per call


def test_the_throttle_keeps_counting_while_redis_is_down(dead_redis, world, monkeypatch, settings):
    from rest_framework import throttling

    from conftest import token_client
    from legalaid.api.throttling import PerTokenThrottle

    monkeypatch.setattr(throttling.SimpleRateThrottle, "cache",
                        FailSafeRedisCache(dead_redis, {"OPTIONS": {"socket_connect_timeout": 0.5}}))
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "2/min", "anon": "2/min"})
    client = token_client(world.court_user)
    assert [client.get("/api/v1/notices/").status_code for _n in range(3)] == [200, 200, 429]


@pytest.fixture
def offline_task(dead_redis):
    app = Celery("offline", broker=dead_redis, set_as_current=False)  # leave the project's app current
    app.conf.broker_connection_timeout = 0.5
    app.conf.task_publish_retry_policy = {"max_retries": 0}

    @app.task(name="tests.offline_task", shared=False)
    def offline(notice_id):
        return notice_id

    dispatch.reset_breaker()
    yield offline
    dispatch.reset_breaker()
    app.close()


def test_a_task_the_broker_cannot_take_is_kept_for_the_catch_up(db, offline_task):
    started = time.monotonic()
    assert dispatch.send(offline_task, "n-1") is False
    assert time.monotonic() - started < 10
    (kept,) = PendingDispatch.objects.all()
    assert (kept.task, kept.args, kept.kwargs) == ("tests.offline_task", ["n-1"], {})
    assert kept.last_error


def test_after_a_failure_the_broker_is_not_tried_again_for_a_while(db, offline_task):
    dispatch.send(offline_task, "n-1")
    started = time.monotonic()
    for n in range(20):
        assert dispatch.send(offline_task, f"n-{n}") is False
    assert time.monotonic() - started < 1  # no connection attempts: straight to the catch-up
    assert PendingDispatch.objects.count() == 21


def test_work_with_its_own_outbox_is_only_logged(db, offline_task, caplog):
    assert dispatch.send(offline_task, 7, durable=False) is False
    assert not PendingDispatch.objects.exists()
    assert any("Its own sweep" in r.getMessage() for r in caplog.records)


def test_on_commit_queues_nothing_for_a_rolled_back_transaction(db, offline_task, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                dispatch.on_commit(offline_task, "never")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and not PendingDispatch.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.on_commit(offline_task, "kept")
    assert list(PendingDispatch.objects.values_list("args", flat=True)) == [["kept"]]


def test_the_catch_up_is_a_periodic_task():
    from legalaid.celery import periodic_schedule

    assert periodic_schedule()["dispatch-catch-up"] == ("legalaid.tasks.dispatch_catch_up", 60)
