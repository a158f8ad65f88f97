"""The inbox page: the user's own messages, newest first; marking read; the header's unread count."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Message
from notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(user, n, kind="notice_received"):
    for i in range(n):
        notify(key=f"k{user.pk}-{i}", recipients=[user], kind=kind,
               params={"case": f"（2026）豫1702刑初{i}号"}, link=f"/notices/{i}/")


def test_it_lists_the_user_s_own_messages_newest_first(world, client):
    tell(world.staff, 3)
    tell(world.colleague, 2)
    client.force_login(world.staff)
    response = client.get("/notifications/")

    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert [m.recipient for m in listed] == [world.staff] * 3
    assert [m.params["case"] for m in listed] == ["（2026）豫1702刑初2号", "（2026）豫1702刑初1号", "（2026）豫1702刑初0号"]
    assert response.context["unread_count"] == 3


def test_it_can_show_only_unread_messages(world, client):
    tell(world.staff, 3)
    Message.objects.filter(key=f"k{world.staff.pk}-0:u{world.staff.pk}").update(read_at="2026-10-12T00:00Z")
    client.force_login(world.staff)

    response = client.get("/notifications/?unread=1")

    assert [m.params["case"] for m in response.context["page"].object_list] == ["（2026）豫1702刑初2号",
                                                                                 "（2026）豫1702刑初1号"]
    assert response.context["unread_count"] == 2


def test_the_page_takes_the_same_queries_for_5_and_50_messages(world, client):
    client.force_login(world.staff)

    def queries_with(n):
        Message.objects.all().delete()
        tell(world.staff, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/")
        assert len(response.context["page"].object_list) == n
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_opening_a_message_marks_it_read_and_follows_its_link(world, client):
    tell(world.staff, 1)
    message = Message.objects.get()
    client.force_login(world.staff)

    response = client.post(f"/notifications/{message.pk}/read/", {"open": "1"})

    assert response.status_code == 302 and response["Location"] == "/notices/0/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.get("/notifications/").context["unread_count"] == 0


def test_marking_read_keeps_the_first_reading(world, client):
    tell(world.staff, 1)
    message = Message.objects.get()
    client.force_login(world.staff)
    client.post(f"/notifications/{message.pk}/read/")
    first = Message.objects.get().read_at
    client.post(f"/notifications/{message.pk}/read/")

    assert Message.objects.get().read_at == first


def test_it_goes_back_only_to_a_page_of_this_site(world, client):
    tell(world.staff, 1)
    message = Message.objects.get()
    client.force_login(world.staff)

    response = client.post(f"/notifications/{message.pk}/read/", {"next": "https://evil.example.com/"})

    assert response["Location"] == "/notifications/"


def test_another_user_s_message_is_not_found_and_stays_unread(world, client):
    tell(world.colleague, 1)
    message = Message.objects.get()
    client.force_login(world.staff)

    response = client.post(f"/notifications/{message.pk}/read/")

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_marking_read_needs_a_post(world, client):
    tell(world.staff, 1)
    client.force_login(world.staff)

    assert client.get(f"/notifications/{Message.objects.get().pk}/read/").status_code == 405
    assert Message.objects.get().read_at is None


def test_mark_all_read_marks_only_the_user_s_own(world, client):
    tell(world.staff, 3)
    tell(world.colleague, 2)
    client.force_login(world.staff)

    response = client.post("/notifications/read-all/")

    assert response.status_code == 302
    assert Message.objects.filter(recipient=world.staff, read_at__isnull=True).count() == 0
    assert Message.objects.filter(recipient=world.colleague, read_at__isnull=True).count() == 2


def test_the_inbox_needs_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_header_count_is_absent_for_anonymous_visitors(rf):
    from django.contrib.auth.models import AnonymousUser

    from notifications.context_processors import unread_count

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_count(request) == {}
