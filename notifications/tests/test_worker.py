"""Deliveries run by a real Celery worker (in a thread of this process, consuming from the
configured broker: Redis when REDIS_URL is set, else the filesystem broker), with real commits."""
import time

import pytest
from celery.contrib.testing.worker import start_worker

from cases.models import Notice
from cases.tests.factories import receive
from notifications.models import Delivery
from notifications.services import webhook_endpoint_save
from notifications.tests.conftest import change_state, no_eager

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def running_worker():
    """One worker for the module: starting and stopping one takes seconds."""
    with no_eager() as app:
        app.control.purge()  # what earlier runs left in the queue is not ours
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield app


@pytest.fixture
def worker(running_worker, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0.3
    return running_worker


def wait_until_finished(delivery_key, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        delivery = Delivery.objects.filter(key=delivery_key).first()
        if delivery and delivery.is_finished:
            return delivery
        time.sleep(0.05)
    raise AssertionError(f"delivery {delivery_key} did not finish within {seconds} s")


def test_a_worker_retries_after_the_back_off_and_delivers(world, court_server, worker):
    court_server.secret = webhook_endpoint_save(court=world.court, url=court_server.url).secret
    court_server.answers = [500, 503, 200]
    change_state(receive(world), Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")

    delivery = wait_until_finished(Delivery.objects.get().key)

    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)
    assert [c["signature_valid"] for c in court_server.calls] == [True, True, True]
    attempts = list(delivery.attempt_log.all())
    assert [a.status_code for a in attempts] == [500, 503, 200]
    # Exponential back-off: the second wait is about twice the first.
    first_wait = (attempts[1].started_at - attempts[0].started_at).total_seconds()
    second_wait = (attempts[2].started_at - attempts[1].started_at).total_seconds()
    assert 0.3 <= first_wait < second_wait
    assert second_wait >= 0.6


def test_a_worker_marks_a_court_that_keeps_failing_as_failed(world, court_server, worker, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    court_server.secret = webhook_endpoint_save(court=world.court, url=court_server.url).secret
    court_server.answers = [500]
    notice = receive(world)
    change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")

    delivery = wait_until_finished(Delivery.objects.get().key)

    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Delivery.Status.FAILED, 2, None)
    assert len(court_server.calls) == 2
    notice.refresh_from_db()
    assert notice.status == Notice.Status.WITHDRAWN
