"""notify(): the one service every app calls to tell users, an agency's staff or a court's accounts
(notifications.recipients) something: an inbox message each, then email and SMS by each recipient's
choice, after the commit."""
import logging

import pytest
from django.core import mail
from django.db import transaction

from cases.tests.factories import UserFactory
from legalaid.models import Role
from notifications.channels.email import message_id
from notifications.models import ChannelPreference, Delivery, DigestSubscription, Message
from notifications.recipients import agency_staff, court_accounts
from notifications.services import build_messages, notify, save_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def reachable(world):
    """The world's agency people with an email address and a mobile number."""
    for n, user in enumerate([world.staff, world.colleague, world.supervisor, world.outsider, world.court_user]):
        user.email, user.phone = f"{user.username}@example.cn", f"1380000{n:04d}"
        user.save()
    return world


def tell(world, **overrides):
    kwargs = {"key": "notice:1:received", "recipients": [world.staff], "kind": "notice_received",
              "params": {"case": "（2026）豫1702刑初7号", "court": "驿城区法院", "defendant": "李某", "category": "full_coverage"},
              "link": "/notices/1/"}
    return notify(**{**kwargs, **overrides})


def test_it_keeps_a_message_in_the_inbox_and_emails_it_after_the_commit(reachable, committed):
    with committed() as callbacks:
        tell(reachable)
        assert mail.outbox == []  # nothing leaves before the commit

    message = Message.objects.get()
    assert (message.recipient, message.kind, message.read_at) == (reachable.staff, "notice_received", None)
    assert len(callbacks) == 1
    [email] = mail.outbox
    assert email.to == ["staff@example.cn"]
    assert email.subject == message.subject
    assert "https://legalaid.example.cn/notices/1/" in email.body
    assert email.extra_headers["Message-ID"] == message_id(f"{message.key}:email")
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.message, delivery.attempts) == ("email", "sent", message, 1)
    assert delivery.attempt_log.get().target == "s***@example.cn"


def test_it_tells_an_agency_s_active_staff_and_supervisors(reachable, committed):
    UserFactory(username="gone", role=Role.AGENCY_STAFF, agency=reachable.agency, is_active=False)
    with committed():
        count = tell(reachable, recipients=agency_staff(reachable.agency.pk))

    assert count == 3
    assert set(Message.objects.values_list("recipient__username", flat=True)) == {"staff", "colleague", "supervisor"}
    assert sorted(m.to[0] for m in mail.outbox) == ["colleague@example.cn", "staff@example.cn",
                                                    "supervisor@example.cn"]


def test_it_tells_a_court_s_accounts(reachable, committed):
    with committed():
        tell(reachable, recipients=[court_accounts(reachable.court.pk)])

    assert list(Message.objects.values_list("recipient__username", flat=True)) == ["court-1702"]


def test_it_tells_each_person_once_in_a_mix_of_people_and_organisations(reachable, committed):
    with committed():
        count = tell(reachable, recipients=[reachable.staff, agency_staff(reachable.agency.pk), reachable.staff])

    assert count == 3
    assert Message.objects.filter(recipient=reachable.staff).count() == 1
    assert len(mail.outbox) == 3


def test_the_same_event_told_again_sends_nothing_more(reachable, committed):
    with committed():
        tell(reachable)
    with committed():
        tell(reachable)
        tell(reachable, recipients=agency_staff(reachable.agency.pk))

    assert Message.objects.filter(recipient=reachable.staff).count() == 1
    assert [m.to for m in mail.outbox].count(["staff@example.cn"]) == 1
    assert Delivery.objects.filter(recipient=reachable.staff).count() == 1


def test_a_message_told_again_after_the_recipient_chose_email_sends_nothing(world, committed):
    ChannelPreference.objects.create(user=world.staff, kind="notice_received", channel="email", enabled=False)
    world.staff.email = "staff@example.cn"
    world.staff.save()
    with committed():
        tell(world)
    ChannelPreference.objects.filter(user=world.staff).update(enabled=True)
    with committed():
        tell(world)

    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_a_rolled_back_change_tells_no_one(reachable, committed):
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            tell(reachable, kind="deadline_breach", recipients=agency_staff(reachable.agency.pk))
            raise RuntimeError("the change failed")

    assert not Message.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_it_sends_a_text_for_kinds_that_default_to_sms(reachable, committed, sms_outbox):
    with committed():
        tell(reachable, kind="deadline_breach", params={"rule": "指派律师", "case": "（2026）豫1702刑初7号"})

    [text] = sms_outbox
    message = Message.objects.get()
    assert text["phone"] == reachable.staff.phone
    assert text["key"] == f"{message.key}:sms"
    # The subject and a link only: no names or charges in a text message.
    assert text["text"] == f"{message.subject} https://legalaid.example.cn/notices/1/"
    assert Delivery.objects.get(channel="sms").status == "sent"


def test_it_follows_each_recipient_s_choice_of_channels(reachable, committed, sms_outbox):
    ChannelPreference.objects.create(user=reachable.staff, kind="notice_received", channel="email", enabled=False)
    ChannelPreference.objects.create(user=reachable.colleague, kind="notice_received", channel="sms", enabled=True)
    with committed():
        tell(reachable, recipients=[reachable.staff, reachable.colleague])

    assert [m.to for m in mail.outbox] == [["colleague@example.cn"]]
    assert [t["phone"] for t in sms_outbox] == [reachable.colleague.phone]
    assert Message.objects.count() == 2  # the inbox keeps both
    assert set(Delivery.objects.values_list("recipient__username", "channel")) == {
        ("colleague", "email"), ("colleague", "sms")}


def test_it_sends_no_email_or_text_to_someone_without_an_address_or_inactive(world, committed, sms_outbox):
    inactive = UserFactory(username="left", email="left@example.cn", phone="13800001111", agency=world.agency,
                           is_active=False)
    with committed():
        tell(world, kind="deadline_breach", recipients=[world.staff, inactive])

    assert Message.objects.count() == 2
    assert not Delivery.objects.exists()
    assert mail.outbox == [] and sms_outbox == []


def test_a_digest_reader_gets_no_email_at_once(reachable, committed, sms_outbox):
    DigestSubscription.objects.create(user=reachable.staff, since=reachable.staff.date_joined)
    with committed():
        tell(reachable, kind="deadline_breach")

    assert mail.outbox == []
    assert len(sms_outbox) == 1  # texts are not held for the digest
    assert Message.objects.count() == 1


def test_messages_saved_in_bulk_are_delivered_too(reachable, committed):
    """The deadline sweep builds messages for many deadlines and saves them in one go."""
    with committed():
        messages = build_messages(key="deadline:1:breach", recipients=[reachable.staff], kind="deadline_moved",
                                  params={"rule": "r"})
        messages += build_messages(key="deadline:2:breach", recipients=[reachable.supervisor], kind="deadline_moved",
                                   params={"rule": "r"})
        save_messages(messages)

    assert sorted(m.to[0] for m in mail.outbox) == ["staff@example.cn", "supervisor@example.cn"]


def test_planning_deliveries_takes_the_same_queries_for_5_and_20_recipients(world, django_assert_num_queries):
    # 20 recipients × 2 channels stay within one SQLite insert batch (999 parameters); PostgreSQL has no such limit.
    users = UserFactory.create_batch(20, agency=world.agency, email="x@example.cn", phone="13800000000")
    # keys already stored, new messages, re-read with recipients, preferences, deliveries
    with django_assert_num_queries(5):
        tell(world, key="k5", recipients=users[:5], kind="deadline_breach")
    with django_assert_num_queries(5):
        tell(world, key="k20", recipients=users, kind="deadline_breach")
    assert Delivery.objects.count() == 50


def test_an_email_provider_failure_is_retried(reachable, committed, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DisconnectedEmailBackend"
    with committed():
        tell(reachable)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in delivery.last_error


def test_an_email_to_an_address_removed_since_fails_without_retrying(reachable, committed):
    with committed():
        tell(reachable, key="first")
        reachable.staff.email = ""
        reachable.staff.save()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "no email address" in delivery.last_error


def test_an_sms_provider_outage_is_retried(reachable, committed, settings):
    settings.SMS_BACKEND = "tests.notifications.backends.DownSmsBackend"
    with committed():
        tell(reachable, kind="deadline_breach")

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.last_error) == ("pending", "provider unavailable (HTTP 503)")


def test_a_number_the_sms_provider_rejects_fails_at_once(reachable, committed, settings):
    settings.SMS_BACKEND = "tests.notifications.backends.RejectingSmsBackend"
    with committed():
        tell(reachable, kind="deadline_breach")

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 1, "number not in service")


def test_the_development_sms_backend_logs_the_text_with_the_number_masked(reachable, committed, settings, caplog):
    settings.SMS_BACKEND = "notifications.channels.sms.LoggingBackend"
    with caplog.at_level(logging.INFO, logger="notifications.sms"), committed():
        tell(reachable, kind="deadline_breach")

    [record] = [r for r in caplog.records if r.name == "notifications.sms"]
    assert "138****0000" in record.getMessage()
    assert reachable.staff.phone not in record.getMessage()
    assert Delivery.objects.get(channel="sms").status == "sent"
