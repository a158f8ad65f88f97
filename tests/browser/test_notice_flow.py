"""End to end, in a real browser: a court posts a notice over HTTP to a live server; a staff user logs
in through the login page, finds it in the inbox by searching, opens it, and sees its grounds with
their legal basis and its missing materials."""
import json
import urllib.request

import pytest

from cases.tests.factories import notice_payload
from legalaid.models import ApiToken

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"  # cases.tests.factories.UserFactory


def court_posts_a_notice(base_url, user, body) -> dict:
    raw = ApiToken.new_key()
    token = ApiToken(user=user, name="browser test")
    token.set_key(raw)
    token.save()
    request = urllib.request.Request(
        f"{base_url}/api/v1/notices/", data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
        headers={"Authorization": f"Token {raw}", "Content-Type": "application/json",
                 "Idempotency-Key": "browser-test-1"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 201
        return json.loads(response.read())


def log_in(page, base_url, username):
    page.goto(f"{base_url}/notices/")
    assert "/accounts/login/" in page.url  # the inbox asks who we are first
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base_url}/notices/")


def test_staff_find_a_notice_posted_by_a_court_and_see_its_grounds_and_missing_materials(
        live_server, world, page, screenshots):
    body = notice_payload(case_number="（2026）豫1702刑初8848号", defendant__name="李浏览",
                          defendant__may_face_life_or_death=True, reason="full_coverage",
                          hearing={"starts_at": "2026-10-20T09:00:00+08:00", "place": "第三审判庭"})
    created = court_posts_a_notice(live_server.url, world.court_user, body)
    assert created["missing_materials"] == ["indictment_copy"]

    log_in(page, live_server.url, "staff")
    page.fill("input[name=q]", "刑初8848")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/notices/?q=*")
    rows = page.locator("tr.notice-row")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-notice") == created["id"]
    assert "李浏览" in rows.first.inner_text()
    assert created["defendant"]["id_number"] not in page.content()  # masked in the list
    page.screenshot(path=str(screenshots / "notice-inbox.png"), full_page=True)

    rows.first.locator("a.notice-link").click()
    page.wait_for_url(f"{live_server.url}/notices/{created['id']}/")
    grounds = page.locator("#eligibility tr.ground")
    assert [grounds.nth(i).get_attribute("data-ground") for i in range(grounds.count())] == [
        "life_or_death", "ordinary_first_instance"]
    assert "CPL 35(3); LAL 25(1)(iv); SPCI 47(3)" in grounds.nth(0).inner_text()
    assert "M 2(3)" in grounds.nth(1).inner_text()
    assert page.locator("#category-differs").is_visible()  # the court said full_coverage
    missing = page.locator("#materials li[data-material]")
    assert missing.count() == 1 and missing.first.get_attribute("data-material") == "indictment_copy"
    assert missing.first.is_visible()
    assert page.locator("#deadlines [data-rule=agency_assign_lawyer]").is_visible()
    page.screenshot(path=str(screenshots / "notice-detail.png"), full_page=True)
    assert page.console_errors == []


def test_the_pages_fit_a_phone_and_switch_language(live_server, world, browser_context, screenshots):
    court_posts_a_notice(live_server.url, world.court_user, notice_payload())
    page = browser_context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "staff")
    assert page.get_attribute("html", "lang") == "zh-hans"
    for path in ("/notices/", page.locator("a.notice-link").first.get_attribute("href")):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    page.screenshot(path=str(screenshots / "notice-detail-phone.png"), full_page=True)
    # The language switcher submits itself (static JS, allowed by the CSP) and comes back here.
    here = page.url
    page.select_option("#language-select", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url == here
    assert errors == []
