"""Court webhooks against a real HTTP server in a thread, which checks each call's signature."""
import datetime as dt
import json

import pytest
from time_machine import travel
from django.db import transaction

from cases.models import Notice
from notifications import tasks
from notifications.models import Delivery
from notifications.services import notice_state_changed
from tests.notifications.conftest import change_state

pytestmark = pytest.mark.django_db


def withdraw(world, notice):
    return change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")


def test_it_posts_the_notice_state_signed_when_a_notice_is_withdrawn(world, notice, endpoint, court_server, committed,
                                                                     court_client):
    with committed():
        withdraw(world, notice)

    assert len(court_server.calls) == 1
    call = court_server.calls[0]
    assert call["signature_valid"] is True
    assert call["path"] == "/legal-aid/hook"
    assert call["headers"]["X-Legalaid-Event"] == "retained_counsel"
    assert call["headers"]["Content-Type"] == "application/json; charset=utf-8"
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert call["headers"]["X-Legalaid-Delivery"] == delivery.key
    # The body is the notice exactly as the court reads it through the API.
    assert court_server.bodies[0] == court_client.get(f"/api/v1/notices/{notice.pk}/").json()
    assert court_server.bodies[0]["status"] == "withdrawn"
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Delivery.Status.SENT, 1, None)
    attempt = delivery.attempt_log.get()
    assert (attempt.ok, attempt.status_code, attempt.target) == (True, 200, court_server.url)


@pytest.mark.parametrize("status, code", [
    (Notice.Status.ASSIGNED, "lawyer_designated"),
    (Notice.Status.TERMINATED, "aid_terminated"),
])
def test_it_tells_the_court_of_each_state_it_must_know(world, notice, endpoint, court_server, committed, status, code):
    with committed():
        change_state(notice, status, actor=world.staff, code=code)

    assert [b["status"] for b in court_server.bodies] == [status]
    assert court_server.calls[0]["headers"]["X-Legalaid-Event"] == code


def test_it_tells_the_court_when_an_assigned_notice_is_closed(world, notice, endpoint, court_server, committed):
    with committed():
        change_state(notice, Notice.Status.ASSIGNED, actor=world.staff, code="lawyer_designated")
    with committed():
        change_state(notice, Notice.Status.CLOSED, actor=world.staff, code="case_closed")

    assert [b["status"] for b in court_server.bodies] == ["assigned", "closed"]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2


def test_it_does_not_call_the_court_for_other_states(world, notice, endpoint, court_server, committed):
    with committed():
        change_state(notice, Notice.Status.INCOMPLETE, actor=world.staff, code="supplement_requested")

    assert court_server.calls == []
    assert not Delivery.objects.exists()


def test_it_calls_nobody_for_a_court_without_an_active_endpoint(world, notice, endpoint, court_server, committed):
    endpoint.is_active = False
    endpoint.save()
    with committed():
        withdraw(world, notice)

    assert court_server.calls == []
    assert not Delivery.objects.exists()


def test_it_sends_nothing_when_the_change_is_rolled_back(world, notice, endpoint, court_server, committed):
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            withdraw(world, notice)
            raise RuntimeError("the rest of the change failed")

    assert court_server.calls == []
    assert not Delivery.objects.exists()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECEIVED


def test_it_records_one_delivery_when_told_twice_of_the_same_change(world, notice, endpoint, court_server, committed):
    with committed():
        locked = withdraw(world, notice)
        notice_state_changed(notice=locked, event_code="retained_counsel")

    assert len(court_server.calls) == 1
    assert Delivery.objects.count() == 1


def test_it_retries_a_failing_court_with_back_off_then_marks_it_failed(world, notice, endpoint, court_server, committed,
                                                                        settings, time_machine):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BASE_SECONDS = 30
    court_server.answers = [500]
    start = dt.datetime(2026, 10, 12, 2, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    with committed():
        withdraw(world, notice)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=30)
    assert "500" in delivery.last_error

    tasks.delivery_send(delivery.pk)  # not due yet: nothing is sent
    assert len(court_server.calls) == 1

    time_machine.move_to(start + dt.timedelta(seconds=30), tick=False)
    tasks.delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 2)
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=90)  # then 60 s

    time_machine.move_to(start + dt.timedelta(seconds=90), tick=False)
    tasks.delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Delivery.Status.FAILED, 3, None)
    assert delivery.failed_at == start + dt.timedelta(seconds=90)
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 500, 500]
    assert len(court_server.calls) == 3 and all(c["signature_valid"] for c in court_server.calls)

    # The notice itself is unaffected by the court's failure.
    notice.refresh_from_db()
    assert notice.status == Notice.Status.WITHDRAWN


def test_it_counts_a_timeout_as_a_failed_attempt(world, notice, endpoint, court_server, committed, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    court_server.delay = 1.0
    with committed():
        withdraw(world, notice)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    attempt = delivery.attempt_log.get()
    assert attempt.ok is False and attempt.status_code is None
    assert "0.3" in attempt.error
    assert attempt.duration_ms < 1000


def test_it_marks_failed_after_timeouts_and_a_replay_delivers_the_same_body(world, notice, endpoint, court_server,
                                                                            committed, settings, time_machine):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    court_server.delay = 0.8
    start = dt.datetime(2026, 10, 12, 2, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    with committed():
        withdraw(world, notice)
    time_machine.move_to(start + dt.timedelta(hours=1), tick=False)
    tasks.deliveries_sweep()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)

    from notifications.services import delivery_replay

    court_server.delay = 0
    with committed():
        delivery_replay(delivery=delivery, actor=world.staff)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.replays, delivery.replayed_by) == (
        Delivery.Status.SENT, 3, 1, world.staff)
    assert [a.ok for a in delivery.attempt_log.all()] == [False, False, True]
    assert len({c["body"] for c in court_server.calls}) == 1  # every attempt carried the same bytes
    assert court_server.calls[-1]["signature_valid"]


def test_it_does_not_follow_a_redirect(world, notice, endpoint, court_server, committed):
    court_server.answers = [302]
    with committed():
        withdraw(world, notice)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempt_log.get().status_code == 302
    assert len(court_server.calls) == 1


def test_a_court_that_cannot_be_reached_is_retried(world, notice, endpoint, committed):
    endpoint.url = "http://127.0.0.1:9/closed"  # nothing listens on the discard port
    endpoint.save()
    with committed():
        withdraw(world, notice)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "connect" in delivery.last_error.lower()


def test_a_wrong_secret_is_visible_as_the_courts_refusal(world, notice, endpoint, court_server, committed):
    court_server.secret = "the court holds an old secret"
    with committed():
        withdraw(world, notice)

    assert court_server.calls[0]["signature_valid"] is False
    assert Delivery.objects.get().attempt_log.get().status_code == 401


def test_the_body_is_prepared_once_from_the_committed_state(world, notice, endpoint, court_server, committed):
    court_server.answers = [503, 200]
    with committed():
        withdraw(world, notice)
    delivery = Delivery.objects.get()
    assert json.loads(delivery.body)["status"] == "withdrawn"
    assert json.loads(delivery.body)["id"] == str(notice.pk)


def test_removing_an_endpoint_keeps_the_log_and_fails_what_was_waiting(world, notice, endpoint, court_server, committed):
    court_server.answers = [500]
    with committed():
        withdraw(world, notice)
    delivery = Delivery.objects.get()
    endpoint.delete()

    delivery.refresh_from_db()
    with travel(delivery.next_attempt_at, tick=False):
        tasks.delivery_send(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.endpoint, delivery.attempts) == (Delivery.Status.FAILED, None, 2)
    assert "disabled or removed" in delivery.last_error
    assert len(court_server.calls) == 1
