"""The daily digest: one email a day with the messages of the Beijing day before, for users who
chose it."""
import datetime as dt

import pytest
from django.core import mail

from cases.tests.factories import UserFactory
from notifications import tasks
from notifications.models import ChannelPreference, Delivery, DigestSubscription
from notifications.services import digests_prepare, notify

pytestmark = pytest.mark.django_db

BEIJING = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 10, 12)


def at(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def reader(world):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    DigestSubscription.objects.create(user=world.staff, since=at(DAY, 0))
    return world.staff


def tell(user, key, kind="notice_received", case="（2026）豫1702刑初1号"):
    notify(key=key, recipients=[user], kind=kind, params={"case": case, "rule": "r"}, link=f"/notices/{key}/")


def test_it_sends_yesterdays_messages_in_one_email_after_the_digest_hour(reader, committed, time_machine):
    time_machine.move_to(at(DAY, 0, 5), tick=False)  # the first minutes of the Beijing day count for it
    tell(reader, "a", case="（2026）豫1702刑初1号")
    time_machine.move_to(at(DAY, 23, 59), tick=False)
    tell(reader, "b", kind="deadline_moved", case="（2026）豫1702刑初2号")
    time_machine.move_to(at(DAY + dt.timedelta(days=1), 0, 1), tick=False)
    tell(reader, "c", case="（2026）豫1702刑初3号")  # today's: tomorrow's digest
    assert mail.outbox == []

    time_machine.move_to(at(DAY + dt.timedelta(days=1), 7, 59), tick=False)
    with committed():
        assert digests_prepare() == 0  # before the digest hour
    time_machine.move_to(at(DAY + dt.timedelta(days=1), 8, 0), tick=False)
    with committed():
        assert tasks.digest_send() == 1

    [email] = mail.outbox
    assert email.to == ["staff@example.cn"]
    assert "2026-10-12" in email.subject
    assert "（2026）豫1702刑初1号" in email.body and "（2026）豫1702刑初2号" in email.body
    assert "（2026）豫1702刑初3号" not in email.body
    assert "https://legalaid.example.cn/notices/a/" in email.body
    delivery = Delivery.objects.get(event="digest")
    assert (delivery.key, delivery.status, delivery.recipient) == (f"digest:u{reader.pk}:2026-10-12", "sent", reader)


def test_it_sends_each_day_s_digest_once_however_often_it_runs(reader, committed, time_machine):
    time_machine.move_to(at(DAY, 10), tick=False)
    tell(reader, "a")
    for hour in (8, 9, 15):
        time_machine.move_to(at(DAY + dt.timedelta(days=1), hour), tick=False)
        with committed():
            tasks.digest_send()

    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(event="digest").count() == 1


def test_it_leaves_out_kinds_the_reader_does_not_want_by_email(reader, committed, time_machine):
    ChannelPreference.objects.create(user=reader, kind="deadline_moved", channel="email", enabled=False)
    time_machine.move_to(at(DAY, 10), tick=False)
    tell(reader, "a", case="（2026）豫1702刑初1号")
    tell(reader, "b", kind="deadline_moved", case="（2026）豫1702刑初2号")
    time_machine.move_to(at(DAY + dt.timedelta(days=1), 9), tick=False)
    with committed():
        digests_prepare()

    [email] = mail.outbox
    assert "（2026）豫1702刑初1号" in email.body
    assert "（2026）豫1702刑初2号" not in email.body


def test_it_does_not_repeat_what_was_emailed_before_the_reader_chose_the_digest(world, committed, time_machine):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    time_machine.move_to(at(DAY, 9), tick=False)
    with committed():
        tell(world.staff, "a", case="（2026）豫1702刑初1号")  # emailed at once
    DigestSubscription.objects.create(user=world.staff, since=at(DAY, 12))
    time_machine.move_to(at(DAY, 13), tick=False)
    tell(world.staff, "b", case="（2026）豫1702刑初2号")
    time_machine.move_to(at(DAY + dt.timedelta(days=1), 9), tick=False)
    with committed():
        digests_prepare()

    assert len(mail.outbox) == 2
    assert "（2026）豫1702刑初1号" not in mail.outbox[1].body
    assert "（2026）豫1702刑初2号" in mail.outbox[1].body


def test_nothing_is_sent_to_readers_with_nothing_to_read_or_to_others(reader, world, committed, time_machine):
    world.colleague.email = "colleague@example.cn"
    world.colleague.save()
    time_machine.move_to(at(DAY, 10), tick=False)
    with committed():
        tell(world.colleague, "a")  # not a digest reader: emailed at once
    time_machine.move_to(at(DAY + dt.timedelta(days=1), 9), tick=False)
    with committed():
        assert digests_prepare() == 0

    assert [m.to for m in mail.outbox] == [["colleague@example.cn"]]
    assert not Delivery.objects.filter(event="digest").exists()


def test_preparing_digests_takes_the_same_queries_for_5_and_40_readers(world, django_assert_num_queries, time_machine):
    readers = UserFactory.create_batch(40, agency=world.agency, email="r@example.cn")
    DigestSubscription.objects.bulk_create([DigestSubscription(user=u, since=at(DAY, 0)) for u in readers])
    time_machine.move_to(at(DAY, 10), tick=False)
    for user in readers[:5]:
        tell(user, f"small-{user.pk}")
    time_machine.move_to(at(DAY + dt.timedelta(days=1), 9), tick=False)
    with django_assert_num_queries(3):  # messages, preferences, digests
        assert digests_prepare() == 5

    time_machine.move_to(at(DAY + dt.timedelta(days=1), 10), tick=False)
    for user in readers:
        tell(user, f"large-{user.pk}")
    time_machine.move_to(at(DAY + dt.timedelta(days=2), 9), tick=False)
    with django_assert_num_queries(3):
        assert digests_prepare() == 40
