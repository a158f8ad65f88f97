"""The delivery log: staff read what was sent to whom, and replay what failed (page and admin)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Notice
from cases.tests.factories import UserFactory
from legalaid.models import Role
from notifications.models import Delivery
from tests.notifications.conftest import change_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(world, notice, endpoint, court_server, committed, settings):
    """A webhook delivery the court refused until it was marked failed."""
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    court_server.answers = [500]
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    return delivery


def listed(client):
    response = client.get("/notifications/deliveries/")
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("who, sees", [
    ("staff", True), ("colleague", True), ("supervisor", True), ("city_staff", True), ("auditor", True),
    ("admin", True), ("outsider", False),
])
def test_agency_roles_see_the_deliveries_about_their_region_s_notices(world, failed, client, who, sees):
    client.force_login(getattr(world, who))
    assert listed(client) == ([failed] if sees else [])


@pytest.mark.parametrize("who", ["court_user", "lawyer"])
def test_courts_and_lawyers_may_not_read_the_log(world, failed, client, who):
    user = world.court_user if who == "court_user" else UserFactory(role=Role.LAWYER)
    client.force_login(user)

    assert client.get("/notifications/deliveries/").status_code == 403
    assert client.get(f"/notifications/deliveries/{failed.pk}/").status_code == 403
    assert client.post(f"/notifications/deliveries/{failed.pk}/replay/").status_code == 403
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.FAILED


def test_the_detail_shows_every_attempt_with_the_courts_answer(world, failed, client):
    client.force_login(world.staff)
    response = client.get(f"/notifications/deliveries/{failed.pk}/")

    assert response.status_code == 200
    [attempt] = response.context["attempts"]
    assert (attempt.ok, attempt.status_code) == (False, 500)
    assert response.context["can_replay"] is True
    assert f'action="/notifications/deliveries/{failed.pk}/replay/"'.encode() in response.content


def test_an_outsider_gets_404_for_a_delivery_outside_their_region(world, failed, client):
    client.force_login(world.outsider)

    assert client.get(f"/notifications/deliveries/{failed.pk}/").status_code == 404
    assert client.post(f"/notifications/deliveries/{failed.pk}/replay/").status_code == 404
    failed.refresh_from_db()
    assert (failed.status, failed.replays) == (Delivery.Status.FAILED, 0)


def test_staff_replay_a_failed_delivery_and_it_is_delivered(world, failed, court_server, client, committed):
    court_server.answers = [200]
    client.force_login(world.staff)
    with committed():
        response = client.post(f"/notifications/deliveries/{failed.pk}/replay/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.replays, failed.replayed_by) == (
        Delivery.Status.SENT, 2, 1, world.staff)
    assert len(court_server.calls) == 2


def test_an_auditor_reads_but_may_not_replay(world, failed, client):
    client.force_login(world.auditor)

    assert client.post(f"/notifications/deliveries/{failed.pk}/replay/").status_code == 403
    failed.refresh_from_db()
    assert (failed.status, failed.replays) == (Delivery.Status.FAILED, 0)


def test_replaying_one_still_pending_is_refused_with_a_message(world, notice, endpoint, court_server, committed,
                                                                client):
    court_server.answers = [500]
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")
    delivery = Delivery.objects.get()
    client.force_login(world.staff)

    response = client.post(f"/notifications/deliveries/{delivery.pk}/replay/", follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.replays) == (Delivery.Status.PENDING, 1, 0)


def test_the_log_filters_by_status_and_channel(world, failed, client):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    from notifications.services import notify

    notify(key="k", recipients=[world.staff], kind="notice_received")
    client.force_login(world.staff)

    assert {d.channel for d in listed(client)} == {"webhook", "email"}
    response = client.get("/notifications/deliveries/?status=failed")
    assert list(response.context["page"].object_list) == [failed]
    response = client.get("/notifications/deliveries/?channel=email")
    assert [d.channel for d in response.context["page"].object_list] == ["email"]
    response = client.get("/notifications/deliveries/?status=nonsense")
    assert response.status_code == 200 and response.context["filters"].errors


def test_the_log_takes_the_same_queries_for_5_and_50_deliveries(world, notice, endpoint, client):
    client.force_login(world.staff)

    def queries_with(n):
        Delivery.objects.all().delete()
        Delivery.objects.bulk_create([
            Delivery(key=f"webhook:{i}", channel="webhook", endpoint=endpoint, notice=notice, event="retained_counsel",
                     max_attempts=8, next_attempt_at=notice.received_at, created_at=notice.received_at)
            if i % 2 else
            Delivery(key=f"email:{i}", channel="email", recipient=world.staff, notice=notice, event="notice_received",
                     max_attempts=5, next_attempt_at=notice.received_at, created_at=notice.received_at)
            for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/deliveries/")
        assert len(response.context["page"].object_list) == n
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_the_admin_action_replays_the_selected_deliveries(world, failed, court_server, client, committed):
    court_server.answers = [200]
    client.force_login(world.admin)
    with committed():
        response = client.post("/admin/notifications/delivery/", {
            "action": "replay", "_selected_action": [failed.pk]})

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.replays, failed.replayed_by) == (Delivery.Status.SENT, 1, world.admin)


def test_the_admin_lists_deliveries_and_shows_attempts(world, failed, client):
    client.force_login(world.admin)

    assert client.get("/admin/notifications/delivery/").status_code == 200
    response = client.get(f"/admin/notifications/delivery/{failed.pk}/change/")
    assert response.status_code == 200
    assert b"500" in response.content
