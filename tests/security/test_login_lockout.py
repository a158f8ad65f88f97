"""Login throttling and lockout (django-axes): AXES_FAILURE_LIMIT wrong passwords for one account
from one address lock it out, even with the right password then; the lockout lifts after the
cool-off; a good login resets the count; the test client's force_login is unaffected."""
import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from cases.tests.factories import UserFactory

PASSWORD = "pw-for-tests-1"  # UserFactory's


@pytest.fixture
def user(db):
    return UserFactory(username="clerk", role="admin", is_staff=True, is_superuser=True)


def login(client, password, username="clerk", address="10.1.2.3"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_of_bad_passwords_locks_the_account_from_that_address(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    locked = login(client, "wrong")
    assert locked.status_code == 429
    assert 'data-lockout="true"' in locked.content.decode()
    # Now even the right password is refused, and the session stays anonymous.
    again = login(client, PASSWORD)
    assert again.status_code == 429 and not logged_in(client)
    assert AccessAttempt.objects.get(username="clerk").failures_since_start >= limit


def test_the_lockout_is_per_account_and_address(client, user):
    UserFactory(username="colleague-2", role="admin", is_staff=True, is_superuser=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 429
    # Another account from the same address, and the same account from another address, still log in.
    assert login(client, PASSWORD, username="colleague-2").status_code == 302
    client.logout()
    assert login(client, PASSWORD, address="10.9.9.9").status_code == 302 and logged_in(client)


def test_the_lockout_lifts_after_the_cool_off(client, user):
    start = timezone.now()
    cool_off = settings.AXES_COOLOFF_TIME
    with time_machine.travel(start, tick=False):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            login(client, "wrong")
        assert login(client, PASSWORD).status_code == 429
    with time_machine.travel(start + cool_off + dt.timedelta(minutes=1), tick=False):
        response = login(client, PASSWORD)
        assert response.status_code == 302 and logged_in(client)


def test_trying_during_the_lockout_starts_the_cool_off_again(client, user):
    start = timezone.now()
    cool_off = settings.AXES_COOLOFF_TIME
    with time_machine.travel(start, tick=False):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            login(client, "wrong")
    later = start + cool_off - dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert login(client, PASSWORD).status_code == 429  # not yet: and this try counts
    probe = start + cool_off + dt.timedelta(minutes=1)
    with time_machine.travel(probe, tick=False):
        assert login(client, PASSWORD).status_code == 429  # the first lockout alone would have lifted
    with time_machine.travel(probe + cool_off + dt.timedelta(minutes=1), tick=False):
        assert login(client, PASSWORD).status_code == 302 and logged_in(client)


def test_a_good_login_resets_the_count(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302  # the earlier failures no longer count


def test_the_admin_login_is_guarded_too(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    assert client.post("/admin/login/", {"username": "clerk", "password": PASSWORD},
                       REMOTE_ADDR="10.1.2.3").status_code == 429


def test_force_login_in_tests_is_not_affected(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong", address="127.0.0.1")
    client.force_login(user)
    assert client.get("/notices/").status_code == 200
