"""Each delivery is sent once however often its task runs: twice in a row, at the same moment in two
workers, or again after a worker died holding it."""
import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from cases.models import Notice
from legalaid.errors import Conflict
from notifications import services, tasks
from notifications.models import Delivery
from tests.notifications.conftest import change_state


@pytest.mark.django_db
def test_running_the_task_again_sends_nothing_more(world, notice, endpoint, court_server, committed):
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")
    delivery = Delivery.objects.get()

    tasks.delivery_send(delivery.pk)
    tasks.delivery_send(delivery.pk)
    tasks.deliveries_sweep()

    assert len(court_server.calls) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)


@pytest.mark.django_db
def test_an_email_task_run_twice_sends_one_email(world, committed):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    with committed():
        services.notify(key="k", recipients=[world.staff], kind="notice_received")
    delivery = Delivery.objects.get()

    tasks.delivery_send(delivery.pk)

    assert len(mail.outbox) == 1
    assert delivery.attempt_log.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_retrying_at_the_same_moment_send_once(postgres_only, world, court_server, time_machine):
    """Real transactions: the change commits and its first attempt fails; when the retry comes due,
    two threads (two workers, each with its own database connection) run the task at the same
    instant against a slow court."""
    from cases.tests.factories import receive
    from notifications.services import webhook_endpoint_save

    court_server.secret = webhook_endpoint_save(court=world.court, url=court_server.url).secret
    court_server.answers = [500, 200]
    start = dt.datetime(2026, 10, 12, 2, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    change_state(receive(world), Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")
    delivery = Delivery.objects.get()
    assert (delivery.status, len(court_server.calls)) == (Delivery.Status.PENDING, 1)

    time_machine.move_to(delivery.next_attempt_at, tick=False)
    court_server.delay = 0.3
    start_line = threading.Barrier(2)
    results = []

    def worker():
        try:
            start_line.wait()
            results.append(services.delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(court_server.calls) == 2
    assert results == [None, None]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.attempt_log.count()) == (Delivery.Status.SENT, 2, 2)


@pytest.mark.django_db
def test_a_delivery_held_by_a_dead_worker_is_sent_after_its_claim_lapses(world, committed, settings, sms_outbox,
                                                                           time_machine):
    from notifications.services.deliveries import lease_seconds

    world.staff.phone = "13800000001"
    world.staff.save()
    start = dt.datetime(2026, 10, 12, 2, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    settings.SMS_BACKEND = "tests.notifications.backends.DyingSmsBackend"
    with pytest.raises(SystemExit), committed():
        services.notify(key="k", recipients=[world.staff], kind="deadline_breach")
    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENDING, 1)

    settings.SMS_BACKEND = "notifications.channels.sms.MemoryBackend"
    tasks.deliveries_sweep()  # the claim still holds: nobody else sends it
    assert sms_outbox == []

    time_machine.move_to(start + dt.timedelta(seconds=lease_seconds()), tick=False)
    assert tasks.deliveries_sweep() == 1
    assert len(sms_outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


@pytest.mark.django_db
def test_a_delivery_still_being_sent_cannot_be_replayed(world, notice, endpoint, court_server, committed):
    court_server.answers = [500]
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")
    delivery = Delivery.objects.get()
    before = (delivery.status, delivery.attempts, delivery.max_attempts, delivery.next_attempt_at)

    with pytest.raises(Conflict) as caught:
        services.delivery_replay(delivery=delivery, actor=world.staff)

    assert caught.value.code == "delivery_not_finished"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.max_attempts, delivery.next_attempt_at) == before
    assert delivery.replays == 0
