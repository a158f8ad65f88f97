"""In a real browser: staff open a notice's designation page, see the ranked candidates with the
reason for each rank, designate, download the legal aid letter (a PDF with the lawyer's name), and
the court's GET shows the assignment. Skipped without Debian's chromium unless REQUIRE_BROWSER=1."""
import io
import json
import os
import urllib.request

import pytest
from pypdf import PdfReader

from assignments.tests import factories as f
from conftest import token_client

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


def _session_cookie(live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    return {"name": "sessionid", "value": cookie.value, "url": live_server.url}


def test_staff_designate_in_the_browser_and_the_court_sees_it(world, live_server, browser):
    first = f.lawyer(world, name="欧阳明", specialities=["drugs"])
    f.lawyer(world, name="李律师", region=world.xiping)
    notice = f.notice(world, charges=["贩卖毒品罪"])
    court = token_client(world.court_user)  # its key, for plain HTTP below
    context = browser.new_context(accept_downloads=True)
    try:
        context.add_cookies([_session_cookie(live_server, world.staff)])
        page = context.new_page()
        page.goto(f"{live_server.url}/notices/{notice.pk}/designation/")
        rows = page.locator("tr.candidate")
        assert rows.count() == 2
        assert "欧阳明" in rows.nth(0).inner_text()
        reason = rows.nth(0).locator("td.reason").inner_text()
        assert reason.strip() and "+30" in reason  # the same county, with its points
        page.locator("#designate").click()
        page.wait_for_selector("#letter-link")
        assert page.locator(".current-lawyer").inner_text() == "欧阳明"
        href = page.locator("#letter-link").get_attribute("href")
        pdf = context.request.get(f"{live_server.url}{href}")
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
        assert "欧阳明" in text
    finally:
        context.close()
    request = urllib.request.Request(f"{live_server.url}/api/v1/notices/{notice.pk}/",
                                     headers={"Authorization": f"Token {court.raw_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert body["status"] == "assigned"
    assert body["assignment"]["lawyer"]["name"] == "欧阳明"
    assert body["assignment"]["letter"] == f"/api/v1/notices/{notice.pk}/letter.pdf"
    assert first.designations.count() == 1
