"""Fixtures shared by every test: the region slice, agencies, courts, and users in each role
(owner / colleague / outsider), with API clients authenticated by token."""
import os

import pytest
from rest_framework.test import APIClient

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop beside live_server


@pytest.fixture
def world(db):
    from cases.tests.factories import build_world

    return build_world()


def token_client(user):
    from legalaid.models import ApiToken

    token = ApiToken(user=user, name="test")
    raw = ApiToken.new_key()
    token.set_key(raw)
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    client.raw_token = raw
    return client


@pytest.fixture
def court_client(world):
    """The API as 豫1702's court account."""
    return token_client(world.court_user)


@pytest.fixture
def other_court_client(world):
    """The API as 豫1721's court account: an outsider to 豫1702's notices."""
    return token_client(world.other_court_user)


@pytest.fixture
def staff_client(world):
    return token_client(world.staff)


@pytest.fixture
def postgres_only(transactional_db):
    """For behaviour only PostgreSQL can show (concurrent writers). Skips on SQLite, except in CI
    (REQUIRE_POSTGRES=1), where a skip would hide a missing database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but the tests run on " + connection.vendor)
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    browser = [r for r in skipped if "browser" in getattr(r, "keywords", {})]
    if browser:
        terminalreporter.write_line(
            f"NOTE: {len(browser)} browser test(s) skipped — Debian's chromium is not installed "
            "(apt-get install chromium; CI sets REQUIRE_BROWSER=1 so that it never skips them).", yellow=True)
    pg = [r for r in skipped if "needs PostgreSQL" in str(getattr(r, "longrepr", ""))]
    if pg:
        terminalreporter.write_line(f"NOTE: {len(pg)} test(s) need PostgreSQL and were skipped (set DATABASE_URL).",
                                    yellow=True)


@pytest.fixture(autouse=True)
def _calendar_after_flush(request):
    """A transactional test empties every table when it ends, the working-day calendar (seeded by a
    migration) included; put the calendar back for the transactional tests that follow."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction"))
    if transactional:
        request.getfixturevalue("transactional_db")
        from cases.deadlines.services import calendar_seed_from_package

        calendar_seed_from_package()


@pytest.fixture(autouse=True)
def _lawyer_loads_follow_designations(request):
    """When a test that used the database ends, every lawyer's load (assignments.load: what the
    recommendation ranks by) equals a recomputation from the designations: whatever the test did
    through the services, the summary kept up. A test that corrupts a load on purpose is marked
    `load_drift`."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction"))
    uses_db = transactional or marker is not None or "db" in request.fixturenames
    if not uses_db or request.node.get_closest_marker("load_drift"):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from assignments.load import load_differences

    assert load_differences() == [], "lawyers' loads differ from their designations"
