"""Per-user preferences: which channels carry which kind of message, and the daily digest."""
import pytest

from legalaid.errors import InvalidInput
from notifications.models import ChannelPreference, DigestSubscription
from notifications.services import preferences_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    world.staff.email, world.staff.phone = "staff@example.cn", "13800000001"
    world.staff.save()
    return world.staff


def stored(user):
    return set(ChannelPreference.objects.filter(user=user).values_list("kind", "channel", "enabled"))


def test_it_stores_the_channels_chosen_for_each_kind_named(staff):
    preferences_update(user=staff, choices={"notice_received": {"sms"}, "deadline_breach": set()}, daily_digest=True)

    assert stored(staff) == {("notice_received", "email", False), ("notice_received", "sms", True),
                             ("deadline_breach", "email", False), ("deadline_breach", "sms", False)}
    assert DigestSubscription.objects.filter(user=staff).exists()


def test_a_second_choice_replaces_the_first_and_the_digest_can_be_left(staff):
    preferences_update(user=staff, choices={"notice_received": {"sms"}}, daily_digest=True)
    preferences_update(user=staff, choices={"notice_received": {"email"}}, daily_digest=False)

    assert stored(staff) == {("notice_received", "email", True), ("notice_received", "sms", False)}
    assert not DigestSubscription.objects.exists()


@pytest.mark.parametrize("choices, digest, code, field", [
    ({"no_such_kind": {"email"}}, False, "unknown_kind", "no_such_kind"),
    ({"notice_received": {"fax"}}, False, "unknown_channel", "notice_received.fax"),
])
def test_it_refuses_what_does_not_exist(staff, choices, digest, code, field):
    with pytest.raises(InvalidInput) as caught:
        preferences_update(user=staff, choices=choices, daily_digest=digest)

    assert (caught.value.code, caught.value.field) == (code, field)
    assert stored(staff) == set()


def test_it_refuses_text_messages_without_a_mobile_number(world):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    with pytest.raises(InvalidInput) as caught:
        preferences_update(user=world.staff, choices={"notice_received": {"email", "sms"}}, daily_digest=False)

    assert (caught.value.code, caught.value.field) == ("no_phone", "sms")
    assert stored(world.staff) == set()


@pytest.mark.parametrize("choices, digest", [({"notice_received": {"email"}}, False), ({}, True)])
def test_it_refuses_email_or_the_digest_without_an_address(world, choices, digest):
    with pytest.raises(InvalidInput) as caught:
        preferences_update(user=world.staff, choices=choices, daily_digest=digest)

    assert (caught.value.code, caught.value.field) == ("no_email", "email")
    assert stored(world.staff) == set()
    assert not DigestSubscription.objects.exists()


# --- The page ---------------------------------------------------------------------------------------

def test_the_page_shows_each_kind_with_its_defaults(staff, client):
    client.force_login(staff)
    response = client.get("/notifications/preferences/")

    assert response.status_code == 200
    form = response.context["form"]
    assert form["deadline_breach__sms"].initial is True
    assert form["notice_received__sms"].initial is False
    assert form["notice_received__email"].initial is True
    assert form["daily_digest"].initial is False


def test_the_page_saves_the_choice(staff, client):
    client.force_login(staff)
    response = client.post("/notifications/preferences/", {"notice_received__sms": "on", "daily_digest": "on"})

    assert response.status_code == 302
    assert ("notice_received", "sms", True) in stored(staff)
    assert ("deadline_breach", "sms", False) in stored(staff)  # left unticked: off
    assert DigestSubscription.objects.filter(user=staff).exists()
    assert client.get("/notifications/preferences/").context["form"]["notice_received__sms"].initial is True


def test_the_page_shows_the_error_and_changes_nothing_without_a_number(world, client):
    world.staff.email = "staff@example.cn"
    world.staff.save()
    client.force_login(world.staff)
    response = client.post("/notifications/preferences/", {"deadline_breach__sms": "on"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert stored(world.staff) == set()


def test_the_page_needs_a_login(client):
    response = client.get("/notifications/preferences/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
