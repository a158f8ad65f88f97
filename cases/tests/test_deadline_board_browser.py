"""The deadline board in a real browser (Debian's chromium through Playwright, against the live
server): a breached designation clock shows as overdue, is in the breach register, and staff waive
it with a reason. Skipped without chromium unless REQUIRE_BROWSER=1."""
import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.test import Client

from cases.deadlines.enforcement import sweep
from cases.deadlines.models import Deadline
from cases.tests.factories import receive
from legalaid.clock import BEIJING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


def bj(*args):
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def browser_context(tmp_path):
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is not installed"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS)
        context.set_default_timeout(15000)
        try:
            yield context
        finally:
            context.close()
            _wait_for_request_threads()
            # Database work done while Playwright runs its event loop gets connections of its own
            # (Django keeps them per context): close them, so the test database can be dropped.
            connections.close_all()


def _wait_for_request_threads(timeout=10):
    """Closing the browser closes its keep-alive sockets; the live server's request threads then
    close their database connections. Wait for that, so that the test database can be dropped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
            "process_request_thread" in thread.name for thread in threading.enumerate()):
        time.sleep(0.05)


def signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context.new_page()


def test_the_board_shows_a_breached_deadline_and_staff_waive_it(browser_context, live_server, world):
    with time_machine.travel(bj(2026, 9, 30, 10, 0), tick=False):
        notice = receive(world)
    with time_machine.travel(bj(2026, 10, 11, 0, 5), tick=False):
        sweep()
    deadline = Deadline.objects.get(notice=notice, rule_code="agency_assign_lawyer")
    assert deadline.status == "breached"

    with time_machine.travel(bj(2026, 10, 12, 10, 0), tick=True):
        page = signed_in(browser_context, live_server, world.staff)
        page.goto(f"{live_server.url}/deadlines/")
        row = page.locator(f'table[data-section="overdue"] tr[data-deadline="{deadline.pk}"]')
        assert row.get_attribute("data-status") == "breached"
        assert row.get_attribute("data-rule") == "agency_assign_lawyer"
        assert notice.case.case_number in row.inner_text()
        assert "M 5; N2018; LAL 36" in row.inner_text()
        assert "2026-10-10" in row.locator("time").get_attribute("datetime")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "deadline-board-breached.png"), full_page=True)

        page.goto(f"{live_server.url}/deadlines/breaches/")
        assert page.locator(f'tr[data-deadline="{deadline.pk}"]').get_attribute("data-status") == "breached"

        page.goto(f"{live_server.url}/deadlines/")
        page.locator(f'a[href^="/deadlines/{deadline.pk}/waive/"]').click()
        page.locator('textarea[name="reason"]').fill("法院已书面撤回通知")
        page.locator('form.waive-form button[type="submit"]').click()
        page.wait_for_url(f"{live_server.url}/deadlines/")
        assert page.locator(f'table[data-section="overdue"] tr[data-deadline="{deadline.pk}"]').count() == 0
        page.goto(f"{live_server.url}/deadlines/breaches/")
        assert page.locator(f'tr[data-deadline="{deadline.pk}"]').get_attribute("data-status") == "waived"

    deadline.refresh_from_db()
    assert (deadline.status, deadline.waive_reason, deadline.closed_by) == ("waived", "法院已书面撤回通知", world.staff)
